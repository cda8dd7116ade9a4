"""Where rendered reader pages are kept: the "pages" cache, under a site-wide generation.

Publishing one article changes the home page, its section, the feeds, the sitemaps and the
"Read more" lists of other articles, so every change that readers can see forgets every page at
once: entries carry the generation they were rendered in, and a change bumps the generation.
A bump is one cache write; stale entries are never served again and age out by themselves.

The generation starts at a clock value, not at 1, so that a generation lost to eviction or a
cleared cache can never bring back entries rendered under an earlier one.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction

from samizdat.newsroom import structure

ALIAS = "pages"
GENERATION_KEY = "samizdat:pages:generation"


@dataclass(frozen=True, slots=True)
class Entry:
    generation: int
    stored_at: float  # seconds since the epoch: Last-Modified and Age
    etag: str
    headers: tuple[tuple[str, str], ...]
    content: bytes
    streamed: bool = False  # answered as a stream (the news sitemap): replayed as one too


def pages_cache() -> BaseCache:
    return caches[ALIAS]


def _fresh_generation(cache: BaseCache) -> int:
    cache.add(GENERATION_KEY, time.time_ns(), None)
    return cache.get(GENERATION_KEY) or 0


def _next_generation() -> None:
    if settings.SAMIZDAT_GENERATIONS_DIR is not None:
        # Each process keeps its own pages: the generation is a file they all read.
        structure.move_on(GENERATION_KEY)
        return
    cache = pages_cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), None)


def bump(**_signal_kwargs) -> None:
    """Forget every cached page (connected to the publishing signals in apps.py)."""
    _next_generation()
    if transaction.get_connection().in_atomic_block:
        # Until the change commits, a reader's request still reads the old rows and would
        # store them under the new generation: move on once more when they are visible.
        transaction.on_commit(_next_generation)


def entry_key(raw: str) -> str:
    # Hashed: paths can be long or hold characters some cache backends refuse in keys.
    return "samizdat:page:" + hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()


def fetch(key: str) -> tuple[Entry | None, int]:
    """The entry under `key` if it belongs to the current generation, and that generation.

    One round trip to the cache (MGET on Redis) whether it hits or not."""
    cache = pages_cache()
    if settings.SAMIZDAT_GENERATIONS_DIR is not None:
        current = structure.read_counter(GENERATION_KEY)
        entry = cache.get(key)
    else:
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or _fresh_generation(cache)
        entry = found.get(key)
    if entry is not None and entry.generation == current:
        return entry, current
    return None, current


def save(key: str, entry: Entry) -> None:
    pages_cache().set(key, entry, settings.SAMIZDAT_PAGE_CACHE_SECONDS)


def forget_reader_revenue(**_signal_kwargs) -> None:
    """An appeal, donation form or campaign changed: forget the pages, and the copies of appeals,
    forms and goal progress that pages are rendered from (support/appeals.py keeps them for a
    minute), so the next render shows the change. The rest of the site's structure stays."""
    from samizdat.support.appeals import forget_appeals

    bump()
    forget_appeals()


COUNTED_STATUSES = frozenset({"paid", "refunded"})


def forget_goal_progress(sender, instance, update_fields=None, **_signal_kwargs) -> None:
    """The goal's progress bar moved: a one-time gift was paid or refunded, or a recurring gift
    started, changed or ended. The donor's next page shows it (support/views.py forgets the
    progress after a checkout for the same reason). A pending gift or a receipt sent does not
    count, so a checkout that is only started forgets nothing."""
    from samizdat.support.models import Donation

    if sender is Donation and (
        instance.status not in COUNTED_STATUSES
        or (update_fields is not None and "status" not in update_fields)
    ):
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _forget_goal_now()
    # Once the gift is visible to readers' requests, and once per transaction however many
    # rows it saved (a new monthly gift saves its recurring gift and its first payment).
    elif not any(hook[1] is _forget_goal_now for hook in connection.run_on_commit):
        transaction.on_commit(_forget_goal_now)


def _forget_goal_now() -> None:
    from samizdat.support.appeals import forget_progress

    forget_progress()
    _next_generation()
