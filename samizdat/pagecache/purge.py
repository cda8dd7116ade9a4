"""Purges for a CDN in front of the site (wagtail.contrib.frontend_cache, WAGTAILFRONTENDCACHE).

Wagtail purges a page's own URL when it is published or unpublished. What lists it changes as
well: its section and the home page above it, and their feeds.
"""

from __future__ import annotations

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

from samizdat.newsroom.models import FeedsMixin

FEED_PATHS = ("feed/rss/", "feed/atom/")


def purge_ancestors(instance: Page, **_signal_kwargs) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch()
    for ancestor in instance.get_ancestors().filter(depth__gt=1).live().specific():
        url = ancestor.get_full_url()
        if url is None:
            continue
        batch.add_urls(url + path.lstrip("/") for path in ancestor.get_cached_paths())
        if isinstance(ancestor, FeedsMixin):
            batch.add_urls(url + path for path in FEED_PATHS)
    batch.purge()
