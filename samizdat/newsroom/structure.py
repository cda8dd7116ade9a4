"""A cache of the site's structure: navigation, language editions, related stories.

Everything here changes only when a page is published, unpublished, moved, deleted or given
a view restriction, so every entry is keyed by a generation number that those events bump.
A bump is one cache write; stale entries are never read again and age out by themselves.

The generation is the kernel's (samizdat.core.generations), and so is the snapshot a
whole-site render (the static mirror export) holds the structure still with.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache

from samizdat.core import generations

# The newsroom's callers name the snapshot's helpers through this module.
from samizdat.core.generations import held_objects, hold, hold_objects, remembered, snapshot

__all__ = [
    "bump",
    "cached",
    "generation",
    "hold",
    "hold_objects",
    "held_objects",
    "remembered",
    "snapshot",
    "store_many",
]

T = TypeVar("T")

NAME = "structure"
TIMEOUT = 24 * 3600


def generation() -> int:
    return generations.current(NAME)


def bump(**_signal_kwargs) -> None:
    """Forget every structure entry (connected to the page signals in apps.py)."""
    generations.bump(NAME)


def _full_key(key: tuple[Hashable, ...], number: int) -> str:
    return f"samizdat:structure:{number}:" + ":".join(str(part) for part in key)


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    held = generations.held_snapshot()
    if held is not None and key in held.entries:
        return held.entries[key]
    full_key = _full_key(key, generation())
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    if held is not None:
        held.entries[key] = value
    return value


def store_many(entries: dict[tuple[Hashable, ...], object]) -> None:
    """Fill many entries at once (computed together, cheaper than one by one)."""
    current = generation()
    cache.set_many({_full_key(key, current): value for key, value in entries.items()}, TIMEOUT)
    held = generations.held_snapshot()
    if held is not None:
        held.entries.update(entries)
