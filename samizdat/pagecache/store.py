"""Where rendered reader pages are kept: the "pages" cache, under generations.

One publish changes many pages (home, section, feeds, sitemaps, "Read more"), so the "pages"
generation follows the site's structure and forgets every page at once. Appeals and the
donation form have generations of their own, and a page is kept under those its render read;
the goal is on no page, so a gift forgets none. A bump is one cache write; stale entries age out.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches

from samizdat.core import generations

ALIAS = "pages"
NAME = "pages"
# Every page follows the structure ("pages"); these only the pages whose render read them.
SHOWN = {"appeals": "pages:appeals", "forms": "pages:forms"}
ALWAYS_READ = frozenset({"structure"})


def register() -> None:
    generations.register(NAME, depends_on=["structure"], cache_alias=ALIAS)
    for source, name in SHOWN.items():
        generations.register(name, depends_on=[source], cache_alias=ALIAS)


@dataclass(frozen=True, slots=True)
class Entry:
    generations: tuple[tuple[str, int], ...]  # the page generations it was rendered under
    stored_at: float  # seconds since the epoch: Last-Modified and Age
    etag: str
    headers: tuple[tuple[str, str], ...]
    content: bytes
    streamed: bool = False  # answered as a stream (the news sitemap): replayed as one too


def pages_cache() -> BaseCache:
    return caches[ALIAS]


def bump(**_signal_kwargs) -> None:
    """Forget every cached page."""
    generations.bump(NAME)


def entry_key(raw: str) -> str:
    # Hashed: paths can be long or hold characters some cache backends refuse in keys.
    return "samizdat:page:" + hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()


def fetch(key: str) -> tuple[Entry | None, dict[str, int]]:
    """The entry under `key` if it is current, and the page generations now.

    One round trip to the cache (MGET on Redis) whether it hits or not."""
    entry, current, _previous = fetch_or_previous(key)
    return entry, current


def fetch_or_previous(key: str) -> tuple[Entry | None, dict[str, int], Entry | None]:
    """As `fetch`, and the entry stored under earlier generations if that is all there is:
    the previous page, which readers get while one request renders the new one."""
    found = generations.current_many([NAME, *SHOWN.values()], also=[key])
    entry = found.pop(key, None)
    if entry is None:
        return None, found, None
    if all(found.get(name) == number for name, number in entry.generations):
        return entry, found, None
    return None, found, entry


# One render per page at a time: the request that finds no current page takes the page's lock
# (one `add`, which only one caller wins) and renders it; the others get the previous page if
# there is one, or wait for the render's result.
LOCK_SECONDS = 30  # a render that takes longer (or whose process died) no longer holds it
WAIT_STEP_SECONDS = 0.01


def claim(key: str) -> bool:
    """Take the lock on rendering the page under `key`; False if another request holds it."""
    return pages_cache().add(f"{key}:rendering", 1, LOCK_SECONDS)


def release(key: str) -> None:
    pages_cache().delete(f"{key}:rendering")


def forget(key: str) -> None:
    """The page is no longer what readers get (unpublished, an error): its previous copy goes."""
    pages_cache().delete(key)


def wait_for(key: str, seconds: float) -> Entry | None:
    """The current entry under `key` once another request has stored it, or None if it has not
    within `seconds`, or gave up (the page was not stored, the lock went)."""
    deadline = time.monotonic() + seconds
    cache = pages_cache()
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP_SECONDS)
        entry, _current = fetch(key)
        if entry is not None:
            return entry
        if cache.get(f"{key}:rendering") is None:
            return fetch(key)[0]
    return None


def generations_of(read: set[str], current: dict[str, int]) -> tuple[tuple[str, int], ...] | None:
    """The page generations a page whose render read the generations `read` is kept under;
    None if it read one that no page generation follows (it may not be stored)."""
    if not read <= ALWAYS_READ | SHOWN.keys():
        return None
    names = [NAME, *(SHOWN[source] for source in sorted(read & SHOWN.keys()))]
    return tuple((name, current[name]) for name in names)


def save(key: str, entry: Entry) -> None:
    pages_cache().set(key, entry, settings.SAMIZDAT_PAGE_CACHE_SECONDS)
