"""What publishing an imported page would do page by page, done once per batch instead: the
search documents, Wagtail's search index, the reference index and the structure's generation."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
from wagtail.contrib.frontend_cache import signal_handlers as frontend_cache_signals
from wagtail.contrib.frontend_cache.utils import get_backends as get_cdn_backends
from wagtail.models import Page, ReferenceIndex
from wagtail.search import index as search_index
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from samizdat.newsroom import search, structure
from samizdat.newsroom.models import ArticlePage, AuthorPage, InfoPage

page_models = (ArticlePage, InfoPage, AuthorPage)


@contextlib.contextmanager
def indexed_once(models: tuple[type[Page], ...]) -> Iterator[None]:
    """Wagtail indexes a page for search and for its references on every save, and a page is
    saved three times on its way to publication: pages written in here are indexed once, by
    `index_page` (a third of the queries of an imported post otherwise)."""
    disconnected = [model for model in models if post_save.disconnect(search_on_save, sender=model)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(search_on_save, sender=model)


def index_page(page: Page) -> None:
    ReferenceIndex.create_or_update_for_object(page)
    search_index.insert_or_update_object(page)


# What publishing a page does that a batch does once for all its pages (see index_batch),
# by the names newsroom connects them under.
DEFERRED_RECEIVERS = (
    (search.article_published, search.PUBLISH_UID),
    (structure.bump, structure.bump_uid(page_published)),
)


@contextlib.contextmanager
def paused(signal, *receivers) -> Iterator[None]:
    paused = [(r, uid) for r, uid in receivers if signal.disconnect(dispatch_uid=uid)]
    try:
        yield
    finally:
        for receiver, uid in paused:
            signal.connect(receiver, dispatch_uid=uid)


@contextlib.contextmanager
def no_purges_for_no_cdn() -> Iterator[None]:
    """Wagtail works out a published page's addresses to purge them from a CDN even when the
    site has none (WAGTAILFRONTENDCACHE empty): not for each imported page."""
    if get_cdn_backends():
        yield
        return
    handler = frontend_cache_signals.page_published_signal_handler
    paused = [m for m in page_models if page_published.disconnect(handler, sender=m)]
    try:
        yield
    finally:
        for model in paused:
            page_published.connect(handler, sender=model)


def index_batch(pages: list[tuple[Page, bool]]) -> None:
    """The search documents, Wagtail's search index and the reference index of a batch's
    pages, each written by a few statements for the whole batch."""
    if not pages:
        return
    search.index_pages([page.pk for page, _ in pages])
    by_model: dict[type, list[Page]] = {}
    for page, _ in pages:
        by_model.setdefault(type(page), []).append(page)
    for backend in get_search_backends(with_auto_update=True):
        for model, objects in by_model.items():
            backend.add_bulk(model, objects)
    rows = []
    for page, new in pages:
        if not new:
            ReferenceIndex.create_or_update_for_object(page)
            continue
        content_types = [
            ContentType.objects.get_for_model(m, for_concrete_model=False)
            for m in [page, *page._meta.get_parent_list()]
        ]
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        ):
            rows.append(
                ReferenceIndex(
                    content_type=content_types[0],
                    base_content_type=content_types[-1],
                    object_id=page.pk,
                    to_content_type_id=to_type,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
    ReferenceIndex.objects.bulk_create(rows, ignore_conflicts=True)
