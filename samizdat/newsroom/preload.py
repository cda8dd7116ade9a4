"""Loading a whole site's pages in bulk, for a render of every page (the static mirror export).

Rendered one at a time, every article page routes its URL segment by segment, then asks for
its tags, its byline, its section, its language editions and its photo's renditions: eight or
nine queries, the same for every page. `preload_pages` asks for all of them at once, a few
queries per kind of page, and hands the export pages that already hold what they show: their
specific type, their parent (the section above an article, the home above a section), their
tags and byline, their photos with every rendition, their language editions. Inside
`structure.snapshot()` these pages are kept for the render; `NewsroomRouting` and the
template tags take them from there. What is not preloaded is looked up as usual, so a page
the preload missed still renders correctly, only slower.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page

from . import structure
from .i18n import localize_pages
from .models import ArticleAuthor, ArticlePage, ArticleTag, AuthorPage, Photo

# Ids per query: far below any database's limit on parameters.
CHUNK = 500
# What each kind of page shows of its related rows, loaded with it.
SELECT_RELATED = {ArticlePage: ("lead_image",), AuthorPage: ("photo",)}


def _chunks(values: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def preload_pages(page_ids: Iterable[int], public: bool = False) -> dict[int, Page]:
    """The live pages among `page_ids` as their specific types, holding what they show.

    `public`: the caller knows every one of them is public (the export renders only what the
    sitemap lists), so serving them needs no view-restriction check.
    Keeps them in the current structure snapshot and returns them by id.
    """
    ids = sorted(set(page_ids))
    kinds: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(ids):
        for pk, content_type_id in Page.objects.filter(pk__in=chunk, live=True).values_list(
            "pk", "content_type_id"
        ):
            kinds[content_type_id].append(pk)

    pages: dict[int, Page] = {}
    for content_type_id, pks in kinds.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for chunk in _chunks(pks):
            queryset = model.objects.filter(pk__in=chunk)
            related = SELECT_RELATED.get(model)
            if related:
                queryset = queryset.select_related(*related)
            for page in queryset:
                pages[page.pk] = page

    steplen = Page.steplen
    by_path = {page.path: page for page in pages.values()}
    locales = Locale.objects.in_bulk()
    for page in pages.values():
        page.locale = locales[page.locale_id]
        parent = by_path.get(page.path[:-steplen])
        if parent is not None:
            page._cached_parent_obj = parent
        if public:
            page.__dict__["_samizdat_public"] = True

    articles = [page for page in pages.values() if isinstance(page, ArticlePage)]
    _hold_tags(articles)
    _hold_bylines(articles, pages)
    _hold_photos(pages.values())
    _hold_editions(pages)
    structure.hold_pages(pages)
    return pages


def _hold_tags(articles: list[ArticlePage]) -> None:
    tags = defaultdict(list)
    for chunk in _chunks([article.pk for article in articles]):
        for item in (
            ArticleTag.objects.filter(content_object_id__in=chunk)
            .select_related("tag")
            .order_by("pk")
        ):
            tags[item.content_object_id].append(item.tag)
    for article in articles:
        article.__dict__["tag_list"] = tags.get(article.pk, [])


def _hold_bylines(articles: list[ArticlePage], pages: dict[int, Page]) -> None:
    """Each article's authors in its language: the preloaded author pages where there are."""
    authors = defaultdict(list)
    for chunk in _chunks([article.pk for article in articles]):
        for item in (
            ArticleAuthor.objects.filter(page_id__in=chunk)
            .select_related("author__photo")
            .order_by("page_id", "sort_order", "pk")
        ):
            author = pages.get(item.author_id)
            authors[item.page_id].append(author if author is not None else item.author)
    for article in articles:
        byline = authors.get(article.pk, [])
        if any(author.locale_id != article.locale_id for author in byline):
            byline = localize_pages(byline, article.locale_id)
        article.__dict__["byline"] = byline


def _hold_photos(pages: Iterable[Page]) -> None:
    """One object per photo, holding all its renditions: no rendition is looked up again."""
    fields = ("lead_image", "photo")
    wanted = {
        photo_id
        for page in pages
        for name in fields
        if (photo_id := getattr(page, f"{name}_id", None)) is not None
    }
    photos: dict[int, Photo] = {}
    for chunk in _chunks(sorted(wanted)):
        for photo in Photo.objects.filter(pk__in=chunk).prefetch_related("renditions"):
            photos[photo.pk] = photo
    for page in pages:
        for name in fields:
            photo_id = getattr(page, f"{name}_id", None)
            if photo_id in photos:
                setattr(page, name, photos[photo_id])


def _hold_editions(pages: dict[int, Page]) -> None:
    """Every page's language editions (newsroom_tags.editions), from one query.

    Only where every live edition is preloaded: an edition the export does not render (under
    a view restriction) is left to the usual lookup, which lists it as the site does.
    """
    codes = dict(Locale.objects.values_list("pk", "language_code"))
    names = {code: get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}
    order = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}
    keys = {page.translation_key for page in pages.values()}
    editions: dict[object, list[tuple[int, int]]] = defaultdict(list)
    for pk, key, locale_id in Page.objects.live().values_list("pk", "translation_key", "locale_id"):
        if key in keys:
            editions[key].append((pk, locale_id))
    entries = {}
    for key, found in editions.items():
        if not all(pk in pages for pk, _locale in found):
            continue
        by_code = {codes[locale_id]: pages[pk] for pk, locale_id in found}
        entries[("editions", key)] = [
            {"code": code, "name": names[code], "page": by_code[code]}
            for code in sorted(by_code, key=lambda code: order.get(code, len(order)))
            if code in order
        ]
    structure.hold(entries)
