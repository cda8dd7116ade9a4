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


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    full_key = f"samizdat:structure:{generation()}:" + ":".join(str(part) for part in key)
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value
