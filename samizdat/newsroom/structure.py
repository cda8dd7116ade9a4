"""A cache of the site's structure: navigation, language editions, related stories.

Everything here changes only when a page is published, unpublished, moved, deleted or given
a view restriction, so every entry is keyed by a generation number that those events bump.
A bump is one cache write; stale entries are never read again and age out by themselves.

A whole-site render (the static mirror export) holds the structure still with `snapshot()`:
the generation is read once, and entries are kept as objects in the process, with the pages
the export loaded in bulk beforehand (`hold_objects`: its pages, their photos).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")

logger = logging.getLogger(__name__)

GENERATION_KEY = "samizdat:structure:generation"
TIMEOUT = 24 * 3600


@dataclass
class _Snapshot:
    generation: int
    entries: dict[Hashable, Any] = field(default_factory=dict)
    objects: dict[str, dict[int, Any]] = field(default_factory=dict)  # by kind, then id


_held: ContextVar[_Snapshot | None] = ContextVar("samizdat_structure_snapshot", default=None)


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """Render the site as it is now, without asking the cache again for what it already knows.

    For a whole-site render only: a publish during it is not seen (the export records which
    revisions it rendered and picks the change up next time), and the values it holds are
    shared by every page rendered in it, so nothing may change them.
    """
    token = _held.set(_Snapshot(generation=generation()))
    try:
        yield
    finally:
        _held.reset(token)


def generation() -> int:
    held = _held.get()
    if held is not None:
        return held.generation
    return read_counter(GENERATION_KEY)


def bump(**_signal_kwargs) -> None:
    """Forget every structure entry (connected to the page signals in apps.py)."""
    move_on(GENERATION_KEY)


def read_counter(key: str) -> int:
    """A generation number kept under `key`: in the cache (1 until first moved on), or, when
    each process has a cache of its own, in a file that every process reads (see
    SAMIZDAT_GENERATIONS_DIR in settings)."""
    folder = settings.SAMIZDAT_GENERATIONS_DIR
    if folder is not None:
        return _file_counter(folder, key)
    value = cache.get(key)
    if value is None:
        value = 1
        cache.add(key, value, None)
    return value


def move_on(key: str) -> None:
    """The next generation: every entry keyed by the previous one is never read again, in any
    process."""
    folder = settings.SAMIZDAT_GENERATIONS_DIR
    if folder is not None:
        _move_file_counter(folder, key)
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


# Without a shared cache, a generation is the modification time (in nanoseconds) of an empty
# file named after its key: one stat() to read, one utime() to move on, seen at once by every
# process on the machine (the cron job that publishes, the other application workers).


def _counter_path(folder: str | os.PathLike, key: str) -> str:
    return os.path.join(folder, key.replace(":", "-"))


def _file_counter(folder: str | os.PathLike, key: str) -> int:
    path = _counter_path(folder, key)
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        with open(path, "a"):
            pass
        return os.stat(path).st_mtime_ns


def _move_file_counter(folder: str | os.PathLike, key: str) -> None:
    path = _counter_path(folder, key)
    old = _file_counter(folder, key)
    try:
        if time.time_ns() > old:
            os.utime(path)  # now: needs only write access, as a process of another user has
        if os.stat(path).st_mtime_ns <= old:
            # The clock went back, or two moves came within its resolution: later all the same.
            os.utime(path, ns=(old + 1, old + 1))
    except OSError:
        # Never fail the publish for it: the other processes' copies then wait for their
        # expiry, as they would with no shared generation at all.
        logger.exception("Could not move the cache generation in %s", path)


def _full_key(key: tuple[Hashable, ...], number: int) -> str:
    return f"samizdat:structure:{number}:" + ":".join(str(part) for part in key)


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    held = _held.get()
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
    held = _held.get()
    if held is not None:
        held.entries.update(entries)


def remembered(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """Inside a snapshot, `compute()` once per process; outside, every time."""
    held = _held.get()
    if held is None:
        return compute()
    try:
        return held.entries[key]
    except KeyError:
        value = held.entries[key] = compute()
        return value


def hold(entries: dict[tuple[Hashable, ...], object]) -> None:
    """Entries for this snapshot only, computed in bulk by the caller."""
    held = _held.get()
    if held is not None:
        held.entries.update(entries)


def hold_objects(kind: str, objects: dict[int, Any]) -> None:
    """Objects loaded in bulk for this snapshot, by id: "pages" (their specific types, with
    what they show), "photos" (with all their renditions)."""
    held = _held.get()
    if held is not None:
        held.objects.setdefault(kind, {}).update(objects)


def held_objects(kind: str) -> dict[int, Any] | None:
    """The objects of a kind held by the current snapshot; None outside a snapshot.

    The snapshot's own dict (made if none is held yet), so that a caller holding it sees the
    objects that `hold_objects` adds afterwards."""
    held = _held.get()
    return held.objects.setdefault(kind, {}) if held is not None else None
