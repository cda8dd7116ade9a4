"""A cache of the site's structure: navigation, language editions, related stories.

Everything here changes only when a page is published, unpublished, moved, deleted or given
a view restriction, so every entry is keyed by a generation number that those events bump.
A bump is one cache write; stale entries are never read again and age out by themselves.

A whole-site render (the static mirror export) holds the structure still with `snapshot()`:
the generation is read once, and entries are kept as objects in the process, with the pages
the export loaded in bulk beforehand (`hold_objects`: its pages, their photos).

A reader's request reads each generation and each entry at most once (`request_started`
opens a memo, `request_finished` drops it, any move of a generation empties it), and a page
asks for the entries it is known to need in one round trip (`prefetch`).
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


@dataclass
class _RequestMemo:
    counters: dict[str, int] = field(default_factory=dict)
    entries: dict[Hashable, Any] = field(default_factory=dict)
    # Values other modules fetched in bulk for this request, by their cache key.
    fetched: dict[str, Any] = field(default_factory=dict)


_memo: ContextVar[_RequestMemo | None] = ContextVar("samizdat_structure_request", default=None)

# Counters every reader page reads, fetched together with the structure's own (apps add
# theirs: support's appeals and goal).
PAGE_COUNTERS: set[str] = set()


def open_request(**_signal_kwargs) -> None:
    """request_started: a memo for this request's generations and entries."""
    _memo.set(_RequestMemo())


def close_request(**_signal_kwargs) -> None:
    """request_finished: nothing read in a request is kept for the next one."""
    _memo.set(None)


def fetched(key: str) -> Any:
    """A value `remember_fetched` kept for this request, or None."""
    memo = _memo.get()
    return memo.fetched.get(key) if memo is not None else None


def remember_fetched(values: dict[str, Any]) -> None:
    """Values read from the cache in bulk, kept for the rest of this request."""
    memo = _memo.get()
    if memo is not None:
        memo.fetched.update(values)


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
    memo = _memo.get()
    if memo is not None and key in memo.counters:
        return memo.counters[key]
    folder = settings.SAMIZDAT_GENERATIONS_DIR
    if folder is not None:
        value = _file_counter(folder, key)
    else:
        if memo is not None:
            _read_page_counters(memo)
            if key in memo.counters:
                return memo.counters[key]
        value = cache.get(key)
        if value is None:
            value = 1
            cache.add(key, value, None)
    if memo is not None:
        memo.counters[key] = value
    return value


def _read_page_counters(memo: _RequestMemo) -> None:
    """The structure's generation and the counters every page reads, in one round trip."""
    found = cache.get_many([GENERATION_KEY, *PAGE_COUNTERS])
    memo.counters.update({key: value for key, value in found.items() if value is not None})


def move_on(key: str) -> None:
    """The next generation: every entry keyed by the previous one is never read again, in any
    process."""
    memo = _memo.get()
    if memo is not None:  # what this request read before is no longer current
        _memo.set(_RequestMemo())
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
    memo = _memo.get() if held is None else None
    if memo is not None and key in memo.entries:
        return memo.entries[key]
    full_key = _full_key(key, generation())
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    if held is not None:
        held.entries[key] = value
    elif memo is not None:
        memo.entries[key] = value
    return value


def prefetch(keys: list[tuple[Hashable, ...]]) -> None:
    """Read the entries a page will ask for in one round trip (in a reader's request; a
    whole-site render holds its own). What is missing is computed when it is asked for."""
    memo = _memo.get()
    if memo is None or _held.get() is not None:
        return
    wanted = [key for key in keys if key not in memo.entries]
    if not wanted:
        return
    current = generation()
    full_keys = {_full_key(key, current): key for key in wanted}
    for full_key, value in cache.get_many(list(full_keys)).items():
        if value is not None:
            memo.entries[full_keys[full_key]] = value


def store_many(entries: dict[tuple[Hashable, ...], object]) -> None:
    """Fill many entries at once (computed together, cheaper than one by one)."""
    current = generation()
    cache.set_many({_full_key(key, current): value for key, value in entries.items()}, TIMEOUT)
    held = _held.get()
    if held is not None:
        held.entries.update(entries)


def per_request(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()` once per request (or snapshot): for what cannot change while a page is
    being rendered, such as a page's address."""
    memo = _memo.get()
    if memo is None or _held.get() is not None:
        return remembered(key, compute)
    try:
        return memo.fetched[key]
    except KeyError:
        value = memo.fetched[key] = compute()
        return value


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
