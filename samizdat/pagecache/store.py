"""Where rendered reader pages are kept: the "pages" cache, under generations.

Publishing one article changes the home page, its section, the feeds, the sitemaps and the
"Read more" lists of other articles, so a change to the site's structure forgets every page at
once: the "pages" generation follows the structure's. What only some pages show (appeals, the
donation form) has a page generation of its own, and a page is kept under those its render
read: an appeal's change forgets the pages that carry appeals, not the feeds or the sitemaps.
The goal's figure is on no page (a frame of its own, support/giving/views.py), so a gift forgets
none.
A bump is one cache write; stale entries are never served again and age out by themselves.
"""

from __future__ import annotations

import hashlib
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
    found = generations.current_many([NAME, *SHOWN.values()], also=[key])
    entry = found.pop(key, None)
    if entry is not None and all(found.get(name) == number for name, number in entry.generations):
        return entry, found
    return None, found


def generations_of(read: set[str], current: dict[str, int]) -> tuple[tuple[str, int], ...] | None:
    """The page generations a page whose render read the generations `read` is kept under;
    None if it read one that no page generation follows (it may not be stored)."""
    if not read <= ALWAYS_READ | SHOWN.keys():
        return None
    names = [NAME, *(SHOWN[source] for source in sorted(read & SHOWN.keys()))]
    return tuple((name, current[name]) for name in names)


def save(key: str, entry: Entry) -> None:
    pages_cache().set(key, entry, settings.SAMIZDAT_PAGE_CACHE_SECONDS)
