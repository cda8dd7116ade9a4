"""A cache of the site's structure: navigation, language editions, related stories.

Everything here changes only when a page is published, unpublished, moved, deleted or given
a view restriction, so every entry is keyed by a generation number that those events bump.
A bump is one cache write; stale entries are never read again and age out by themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

GENERATION_KEY = "samizdat:structure:generation"
TIMEOUT = 24 * 3600


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return value


def bump(**_signal_kwargs) -> None:
    """Forget every structure entry (connected to the page signals in apps.py)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _full_key(key: tuple[Hashable, ...], number: int) -> str:
    return f"samizdat:structure:{number}:" + ":".join(str(part) for part in key)


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    full_key = _full_key(key, generation())
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def store_many(entries: dict[tuple[Hashable, ...], object]) -> None:
    """Fill many entries at once (computed together, cheaper than one by one)."""
    current = generation()
    cache.set_many({_full_key(key, current): value for key, value in entries.items()}, TIMEOUT)
