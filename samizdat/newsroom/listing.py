"""Lists of stories (a section, a tag, an author) a page at a time, by "Older" and "Newer" links.

A page is named by the story next to it: `?before=<cursor>` shows the stories published before
that one, `?after=<cursor>` those after it, where a cursor is a story's first publication time
(UTC, to the microsecond) and id: `20260102T101500.123456_123`. Reading a page is one indexed
query whatever the archive's size: nothing counts the list, and nothing skips over the stories
of the pages before it, as page numbers do (`?page=N` links still work: they redirect).

A cursor must name a story of the list (it is read with the page, in the same query): a made-up
one answers 404, so the pages a crawler or the page cache can see are those the links name.

A whole-site render (the static mirror) numbers its pages instead (`?page=N`, one file each):
it reads the list once for all its pages, and a file's name must not change when a story is
published above it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.utils.encoding import escape_uri_path

from . import structure

CURSOR_FORMAT = "%Y%m%dT%H%M%S.%f"
# What the page cache accepts as a list page's query: an old page number, or a cursor.
LIST_QUERY = re.compile(r"page=[0-9]{1,7}|(?:before|after)=[0-9]{8}T[0-9]{6}\.[0-9]{6}_[0-9]{1,10}")
_CURSOR = re.compile(r"([0-9]{8}T[0-9]{6}\.[0-9]{6})_([1-9][0-9]{0,9})")
_MAX_ID = 2**31 - 1  # page ids are 32-bit integers
# What a whole-site render holds to load the stories of a list's page that it has not loaded.
TEASER_LOADER = "list-teaser-loader"
_PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


class Redirect(Exception):  # noqa: N818 (an answer, not an error)
    """The request names its page in a way that has a better address: go there."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.response = HttpResponseRedirect(url)


@dataclass
class ListPage:
    """The stories of one page of a list, and the addresses of the pages beside it."""

    object_list: list
    older_url: str | None = None
    newer_url: str | None = None

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return self.older_url is not None or self.newer_url is not None


def cursor(story) -> str:
    when = story.first_published_at.astimezone(datetime.UTC)
    return f"{when.strftime(CURSOR_FORMAT)}_{story.pk}"


def parse_cursor(text: str) -> tuple[datetime.datetime, int]:
    """The publication time and id a cursor names; Http404 for anything else."""
    match = _CURSOR.fullmatch(text)
    if match is None or int(match.group(2)) > _MAX_ID:
        raise Http404("Not a page of this list.")
    try:
        when = datetime.datetime.strptime(match.group(1), CURSOR_FORMAT)
    except ValueError as exc:  # 20261341T…: digits that are no date
        raise Http404("Not a page of this list.") from exc
    return when.replace(tzinfo=datetime.UTC), int(match.group(2))


def list_page(request, articles: Callable[[], QuerySet], per_page: int | None = None) -> ListPage:
    """The page of a list of stories (newest first) the request asks for. Raises Http404 for a
    page the list does not have, and Redirect for an old page number."""
    per_page = per_page or settings.SAMIZDAT_ARTICLES_PER_PAGE
    if structure.held_objects("pages") is not None:
        return _numbered(request, articles, per_page)
    path = escape_uri_path(request.path)
    query = request.GET
    if "before" in query:
        return _older_than(path, articles(), *parse_cursor(query["before"]), per_page)
    if "after" in query:
        return _newer_than(path, articles(), *parse_cursor(query["after"]), per_page)
    number = query.get("page", "")
    if number.isascii() and number.isdigit() and int(number) != 1:  # "two": the first page
        raise Redirect(_page_number(path, articles(), number, per_page))
    rows = list(articles()[: per_page + 1])
    return _page(path, rows[:per_page], per_page, more_older=len(rows) > per_page, first=True)


def _page(path: str, shown: list, per_page: int, more_older: bool, first: bool) -> ListPage:
    return ListPage(
        shown,
        older_url=f"{path}?before={cursor(shown[-1])}" if more_older else None,
        newer_url=None if first else f"{path}?after={cursor(shown[0])}",
    )


def _older_than(path: str, articles: QuerySet, when, pk: int, per_page: int) -> ListPage:
    # The cursor's own story first (the list must have it), then those published before it;
    # "<=" on the date alone lets the database walk its date index backwards from there.
    rows = list(
        articles.filter(Q(first_published_at__lte=when)).filter(
            Q(first_published_at__lt=when) | Q(pk__lte=pk)
        )[: per_page + 2]
    )
    if not rows or (rows[0].first_published_at, rows[0].pk) != (when, pk) or len(rows) < 2:
        raise Http404("Not a page of this list.")
    return _page(path, rows[1 : per_page + 1], per_page, len(rows) > per_page + 1, first=False)


def _newer_than(path: str, articles: QuerySet, when, pk: int, per_page: int) -> ListPage:
    rows = list(
        articles.filter(Q(first_published_at__gte=when))
        .filter(Q(first_published_at__gt=when) | Q(pk__gte=pk))
        .reverse()[: per_page + 2]
    )
    if not rows or (rows[0].first_published_at, rows[0].pk) != (when, pk) or len(rows) < 2:
        raise Http404("Not a page of this list.")
    if len(rows) <= per_page + 1:
        raise Redirect(path)  # nothing newer than these: they are the list's first page
    shown = rows[1 : per_page + 1][::-1]
    return _page(path, shown, per_page, more_older=True, first=False)


def _page_number(path: str, articles: QuerySet, number: str, per_page: int) -> str:
    """Where an old `?page=N` address is now: the page after the story that ended page N-1."""
    if not _PAGE_NUMBER.fullmatch(number) or int(number) < 1:
        raise Http404("Not a page of this list.")
    end = (int(number) - 1) * per_page
    rows = list(articles.values_list("first_published_at", "pk")[end - 1 : end + 1])
    if len(rows) < 2:
        raise Http404("Not a page of this list.")
    when, pk = rows[0]
    return f"{path}?before={when.astimezone(datetime.UTC).strftime(CURSOR_FORMAT)}_{pk}"


def numbered_page(items, number, per_page: int) -> Page:
    """Page `number` of `items` (the first for anything but a number); Http404 past the end."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage as exc:
        raise Http404 from exc


def _no_loader_held():
    raise LookupError("A whole-site render holds its teaser loader (reach/mirror/builder.py).")


def _numbered(request, articles: Callable[[], QuerySet], per_page: int) -> ListPage:
    """A list's page (`?page=N`) in a whole-site render: which stories the list shows is read
    once for all its pages, and the stories are those the render loaded beforehand; those not
    loaded yet are loaded here by the render's own loader (with their photos, in one go)."""
    held = structure.held_objects("pages")
    shown = {key: value for key, value in request.GET.items() if key != "page"}
    ids = structure.remembered(
        ("list-ids", request.path, tuple(sorted(shown.items()))),
        lambda: list(articles().values_list("pk", flat=True)),
    )
    page = numbered_page(ids, request.GET.get("page", 1), per_page)
    missing = [pk for pk in page.object_list if pk not in held]
    if missing:
        structure.remembered(TEASER_LOADER, _no_loader_held)(missing)
    page.object_list = [held[pk] for pk in page.object_list if pk in held]
    path = escape_uri_path(request.path)
    newer = page.previous_page_number() if page.has_previous() else None
    return ListPage(
        list(page.object_list),
        older_url=f"{path}?page={page.next_page_number()}" if page.has_next() else None,
        newer_url=None if newer is None else path if newer == 1 else f"{path}?page={newer}",
    )
