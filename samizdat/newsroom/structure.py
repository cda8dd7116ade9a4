"""A cache of the site's structure: navigation, language editions, related stories.

Everything here changes only when a page is published, unpublished, moved, deleted or given
a view restriction, so every entry is keyed by a generation number that those events bump.
A bump is one cache write; stale entries are never read again and age out by themselves.

The generation is the kernel's (samizdat.core.generations), and so is the snapshot a
whole-site render (the static mirror export) holds the structure still with.

A reader's request reads each entry at most once (kept in the generations' request memo, which
any move of a generation empties), and a page asks for the entries it is known to need in one
round trip (`prefetch`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import cache

from samizdat.core import generations

# The newsroom's callers name the snapshot's helpers through this module.
from samizdat.core.generations import held_objects, hold, hold_objects, remembered, snapshot

__all__ = [
    "bump",
    "cached",
    "fetched",
    "generation",
    "hold",
    "hold_objects",
    "held_objects",
    "per_request",
    "prefetch",
    "remember_fetched",
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


def bump_uid(signal) -> str:
    """The name `bump` is connected to a page signal under (apps.py; the importer pauses it)."""
    return f"samizdat-structure-{signal!r}"


def _full_key(key: tuple[Hashable, ...], number: int) -> str:
    return f"samizdat:structure:{number}:" + ":".join(str(part) for part in key)


def _entry(key: tuple[Hashable, ...]) -> tuple[str, Hashable]:
    """Where the request memo keeps a structure entry (beside other modules' values)."""
    return (NAME, key)


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    held = generations.held_snapshot()
    if held is not None and key in held.entries:
        return held.entries[key]
    memo = generations.request_memo()
    if memo is not None and _entry(key) in memo.values:
        return memo.values[_entry(key)]
    full_key = _full_key(key, generation())
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    if held is not None:
        held.entries[key] = value
    elif memo is not None:
        memo.values[_entry(key)] = value
    return value


def prefetch(keys: list[tuple[Hashable, ...]]) -> None:
    """Read the entries a page will ask for in one round trip (in a reader's request; a
    whole-site render holds its own). What is missing is computed when it is asked for."""
    memo = generations.request_memo()
    if memo is None:
        return
    wanted = [key for key in keys if _entry(key) not in memo.values]
    if not wanted:
        return
    full_keys = {_full_key(key, generation()): key for key in wanted}
    for full_key, value in cache.get_many(list(full_keys)).items():
        if value is not None:
            memo.values[_entry(full_keys[full_key])] = value


def fetched(key: str) -> Any:
    """A value `remember_fetched` kept for this request, or None."""
    memo = generations.request_memo()
    return memo.values.get(key) if memo is not None else None


def remember_fetched(values: dict[str, Any]) -> None:
    """Values read from the cache in bulk (by their cache key), kept for the rest of this
    request."""
    memo = generations.request_memo()
    if memo is not None:
        memo.values.update(values)


def per_request(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()` once per request (or snapshot): for what cannot change while a page is
    being rendered, such as a page's address."""
    memo = generations.request_memo()
    if memo is None:
        return remembered(key, compute)
    try:
        return memo.values[key]
    except KeyError:
        value = memo.values[key] = compute()
        return value


def store_many(entries: dict[tuple[Hashable, ...], object]) -> None:
    """Fill many entries at once (computed together, cheaper than one by one)."""
    current = generation()
    cache.set_many({_full_key(key, current): value for key, value in entries.items()}, TIMEOUT)
    held = generations.held_snapshot()
    if held is not None:
        held.entries.update(entries)
