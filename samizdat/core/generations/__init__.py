"""Generation numbers: the one owner of every "is this cached value still current?".

A cached value is stored under the generation it was computed in; a change moves the generation
on (one write), and values stored under an earlier one are never read again and age out by
themselves. Each app names its generations and what they follow in its AppConfig.ready():

    generations.register("appeals", depends_on=["structure"])   # support
    generations.register("pages", depends_on=["structure"], cache_alias="pages")  # pagecache
    generations.bump("appeals")   # moves "appeals" and every generation that follows it

and connects the signals that bump them. Counters are kept by a backend (backends/): the cache
they guard, or files when each process has a cache of its own.

A reader's request reads each counter at most once (`open_request` on request_started makes a
memo, `close_request` on request_finished drops it, any bump empties it): the first read in a
request fetches every counter kept in the caches it asks, in one round trip per cache. What a
request read from the cache under the current generations may be kept in the same memo
(`request_memo().values`), so that it too goes when something moves on.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.db import transaction

from .backends import get_backend
from .snapshot import held_objects, held_snapshot, hold, hold_objects, remembered, snapshot

__all__ = [
    "bump",
    "bumper",
    "current",
    "current_many",
    "hold",
    "hold_objects",
    "note_read",
    "held_objects",
    "held_snapshot",
    "close_request",
    "open_request",
    "recording",
    "register",
    "request_memo",
    "remembered",
    "snapshot",
]


@dataclass
class Generation:
    name: str
    cache_alias: str
    followers: set[str] = field(default_factory=set)  # generations that move when this one does

    @property
    def key(self) -> str:
        return f"samizdat:generation:{self.name}"


_registry: dict[str, Generation] = {}
_read: ContextVar[set[str] | None] = ContextVar("samizdat_generations_read", default=None)


@dataclass
class RequestMemo:
    counters: dict[str, object] = field(default_factory=dict)  # by generation name
    values: dict[Hashable, Any] = field(default_factory=dict)  # what callers read under them


_memo: ContextVar[RequestMemo | None] = ContextVar("samizdat_generations_memo", default=None)


def open_request(**_signal_kwargs) -> None:
    """request_started: a memo for the counters (and values) this request reads."""
    _memo.set(RequestMemo())


def close_request(**_signal_kwargs) -> None:
    """request_finished: nothing read in a request is kept for the next one."""
    _memo.set(None)


def request_memo() -> RequestMemo | None:
    """The memo of the request being answered; None outside one and inside a snapshot (which
    holds its own)."""
    return _memo.get() if held_snapshot() is None else None


def register(name: str, *, depends_on: Iterable[str] = (), cache_alias: str = "default") -> None:
    """Declare a generation, kept beside the values it guards (`cache_alias`), that moves on
    whenever one of `depends_on` does."""
    found = _registry.setdefault(name, Generation(name, cache_alias))
    found.cache_alias = cache_alias
    _keys.cache_clear()
    _plan.cache_clear()
    for source in depends_on:
        _registry.setdefault(source, Generation(source, "default")).followers.add(name)


def _get(name: str) -> Generation:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"No generation named {name!r} is registered") from None


def current(name: str) -> int:
    return current_many([name])[name]


def note_read(*names: str) -> None:
    """Count `names` as read inside `recording()`, where the value depending on them came
    from elsewhere (a whole-site render keeps it for every page after the first)."""
    read = _read.get()
    if read is not None:
        read.update(names)


def current_many(names: Iterable[str], *, also: Iterable[str] = ()) -> dict[str, object]:
    """The generations named, one round trip per cache they are kept in; with the values under
    the keys `also` in the cache of the first of them, fetched in the same round trip."""
    names = tuple(names)
    note_read(*names)
    frozen = held_snapshot()
    if frozen is None:
        memo = _memo.get()
        if memo is None:
            return _read_counters(names, also)
        return _from_memo(memo, names, also)
    held = frozen.generations
    if not also and all(name in held for name in names):
        return {name: held[name] for name in names}
    found = _read_counters(names, also)
    for name in names:
        found[name] = held.setdefault(name, found[name])
    return found


def _from_memo(memo: RequestMemo, names: tuple[str, ...], also: Iterable[str]):
    known = memo.counters
    if not all(name in known for name in names):
        # The first read in this request: every counter kept in the caches asked, in the same
        # round trip(s), as the page will go on to read most of them.
        aliases = {_get(name).cache_alias for name in names}
        wanted = {g.name for g in _registry.values() if g.cache_alias in aliases} - known.keys()
        everything = tuple(dict.fromkeys([*names, *sorted(wanted - set(names))]))
        found = _read_counters(everything, also)
        known.update({name: found.pop(name) for name in everything})
        return {name: known[name] for name in names} | found
    found = {name: known[name] for name in names}
    also = list(also)
    if also:
        alias = _get(names[0]).cache_alias if names else "default"
        stored = caches[alias].get_many(also)
        found.update({key: value for key, value in stored.items() if value is not None})
    return found


def _read_counters(names: tuple[str, ...], also: Iterable[str]) -> dict[str, object]:
    backend = get_backend()
    found: dict[str, object] = {}
    for alias, keys, asked in _plan(names, bool(also)):
        found.update(backend.read_many(keys, cache_alias=alias, also=also if asked else ()))
    numbers = {name: found[key] for name, key in zip(names, _keys(names), strict=True)}
    return numbers | {key: found[key] for key in also if key in found}


@functools.cache
def _keys(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_get(name).key for name in names)


@functools.cache
def _plan(names: tuple[str, ...], with_also: bool) -> tuple[tuple[str, list[str], bool], ...]:
    """Which counters to read in which cache: the first cache also answers `also`."""
    aliases: dict[str, list[str]] = {}
    for name in names:
        generation = _get(name)
        aliases.setdefault(generation.cache_alias, []).append(generation.key)
    if with_also and not aliases:
        aliases["default"] = []
    return tuple(
        (alias, keys, with_also and position == 0)
        for position, (alias, keys) in enumerate(aliases.items())
    )


def _moving(names: Iterable[str]) -> list[Generation]:
    """The generations named and every one that follows them, each once."""
    seen: dict[str, Generation] = {}
    queue = list(names)
    while queue:
        generation = _get(queue.pop())
        if generation.name not in seen:
            seen[generation.name] = generation
            queue.extend(generation.followers)
    return list(seen.values())


def _move_on(names: tuple[str, ...]) -> None:
    if _memo.get() is not None:  # what this request read before is no longer current
        _memo.set(RequestMemo())
    backend = get_backend()
    for generation in _moving(names):
        backend.move_on(generation.key, cache_alias=generation.cache_alias)


_again: dict[tuple[str, ...], Callable[[], None]] = {}


def bump(*names: str) -> None:
    """Move the generations named on, and what follows them.

    Inside a transaction, once more when it commits: until then other requests still read the
    old rows, and would store what they compute from them under the new generation."""
    _move_on(names)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        again = _again.setdefault(names, lambda: _move_on(names))
        # Once per transaction, however many rows it saved.
        if not any(hook[1] is again for hook in connection.run_on_commit):
            transaction.on_commit(again)


def bumper(*names: str) -> Callable[..., None]:
    """A signal receiver that bumps `names` (connect it with weak=False)."""

    def receiver(**_signal_kwargs) -> None:
        bump(*names)

    return receiver


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """The names of the generations read while the block runs: what a value computed in it
    depends on (the page cache keeps a page under those its render read)."""
    names: set[str] = set()
    token = _read.set(names)
    try:
        yield names
    finally:
        _read.reset(token)
