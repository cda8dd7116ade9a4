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

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag
from wagtail.models import Locale, Page

from . import structure
from .i18n import editions_of, localize_pages
from .models import NOT_IN_TEASERS, ArticleAuthor, ArticlePage, ArticleTag, AuthorPage, Photo

# Ids per query: far below any database's limit on parameters.
CHUNK = 500


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
            # Photos are loaded once each, with their renditions, below.
            for page in model.objects.filter(pk__in=chunk):
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
    structure.hold_objects("pages", pages)
    return pages


def preload_teasers(article_ids: list[int]) -> None:
    """Articles a list shows, loaded for their teasers only (photos with renditions)."""
    if not article_ids:
        return
    articles = {
        article.pk: article
        for article in ArticlePage.objects.filter(pk__in=article_ids).defer(*NOT_IN_TEASERS)
    }
    _hold_photos(articles.values())
    structure.hold_objects("pages", articles)


def _hold_tags(articles: list[ArticlePage]) -> None:
    tag_ids = defaultdict(list)
    for chunk in _chunks([article.pk for article in articles]):
        rows = ArticleTag.objects.filter(content_object_id__in=chunk).order_by("pk")
        for article_id, tag_id in rows.values_list("content_object_id", "tag_id"):
            tag_ids[article_id].append(tag_id)
    tags = Tag.objects.in_bulk({pk for pks in tag_ids.values() for pk in pks})
    for article in articles:
        article.__dict__["tag_list"] = [tags[pk] for pk in tag_ids.get(article.pk, [])]


def _hold_bylines(articles: list[ArticlePage], pages: dict[int, Page]) -> None:
    """Each article's authors in its language: the preloaded author pages where there are."""
    author_ids = defaultdict(list)
    for chunk in _chunks([article.pk for article in articles]):
        rows = ArticleAuthor.objects.filter(page_id__in=chunk).order_by("page_id", "sort_order")
        for page_id, author_id in rows.values_list("page_id", "author_id"):
            author_ids[page_id].append(author_id)
    authors = {pk: page for pk, page in pages.items() if isinstance(page, AuthorPage)}
    missing = {pk for pks in author_ids.values() for pk in pks} - authors.keys()
    if missing:  # authors the export does not render: not expected, but not lost either
        authors.update(AuthorPage.objects.select_related("photo").in_bulk(missing))
    for article in articles:
        byline = [authors[pk] for pk in author_ids.get(article.pk, []) if pk in authors]
        if any(author.locale_id != article.locale_id for author in byline):
            byline = localize_pages(byline, article.locale_id)
        article.__dict__["byline"] = byline


def _hold_photos(pages: Iterable[Page]) -> None:
    """One object per photo, holding all its renditions: no rendition is looked up again.

    Lead photos, authors' portraits and the pictures in article bodies, which their image
    blocks then find among the held photos (PhotoQuerySet.in_bulk) instead of one query
    per article.
    """
    pages = list(pages)
    fields = ("lead_image", "photo")
    wanted = {
        photo_id
        for page in pages
        for name in fields
        if (photo_id := getattr(page, f"{name}_id", None)) is not None
    }
    wanted |= {photo_id for page in pages for photo_id in _body_photo_ids(page)}
    photos: dict[int, Photo] = {}
    for chunk in _chunks(sorted(wanted)):
        for photo in Photo.objects.filter(pk__in=chunk).prefetch_related("renditions"):
            photos[photo.pk] = photo
    for page in pages:
        for name in fields:
            photo_id = getattr(page, f"{name}_id", None)
            if photo_id in photos:
                setattr(page, name, photos[photo_id])
    structure.hold_objects("photos", photos)


def _body_photo_ids(page: Page) -> Iterator[int]:
    """The photos of an article body's image blocks, read from its stored data."""
    if not isinstance(page, ArticlePage) or "body" in page.get_deferred_fields():
        return
    for block in page.body.raw_data:
        if block.get("type") == "image" and isinstance(block.get("value"), dict):
            photo_id = block["value"].get("image")
            if isinstance(photo_id, int):
                yield photo_id


def _hold_editions(pages: dict[int, Page]) -> None:
    """Every page's language editions (newsroom_tags.editions), from one query.

    Only where every live edition is preloaded: an edition the export does not render (under
    a view restriction) is left to the usual lookup, which lists it as the site does.
    """
    codes = dict(Locale.objects.values_list("pk", "language_code"))
    keys = {page.translation_key for page in pages.values()}
    editions: dict[object, list[tuple[int, int]]] = defaultdict(list)
    for pk, key, locale_id in Page.objects.live().values_list("pk", "translation_key", "locale_id"):
        if key in keys:
            editions[key].append((pk, locale_id))
    entries = {}
    for key, found in editions.items():
        if not all(pk in pages for pk, _locale in found):
            continue
        entries[("editions", key)] = editions_of(
            {codes[locale_id]: pages[pk] for pk, locale_id in found}
        )
    structure.hold(entries)
