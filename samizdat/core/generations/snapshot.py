"""A whole-site render (the static mirror export) holds the site still: each generation is read
once, and values are kept as objects in the process, with what the export loaded in bulk
beforehand (`hold_objects`: its pages, their photos)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Snapshot:
    generations: dict[str, int] = field(default_factory=dict)
    entries: dict[Hashable, Any] = field(default_factory=dict)
    objects: dict[str, dict[int, Any]] = field(default_factory=dict)  # by kind, then id


_held: ContextVar[Snapshot | None] = ContextVar("samizdat_snapshot", default=None)


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """Render the site as it is now, without asking the cache again for what it already knows.

    For a whole-site render only: a change during it is not seen (the export records which
    revisions it rendered and picks the change up next time), and the values it holds are
    shared by every page rendered in it, so nothing may change them.
    """
    token = _held.set(Snapshot())
    try:
        yield
    finally:
        _held.reset(token)


def held_snapshot() -> Snapshot | None:
    """The snapshot being rendered, or None."""
    return _held.get()


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """Inside a snapshot, `compute()` once per process; outside, every time."""
    current = _held.get()
    if current is None:
        return compute()
    try:
        return current.entries[key]
    except KeyError:
        value = current.entries[key] = compute()
        return value


def hold(entries: dict[Hashable, object]) -> None:
    """Entries for this snapshot only, computed in bulk by the caller."""
    current = _held.get()
    if current is not None:
        current.entries.update(entries)


def hold_objects(kind: str, objects: dict[int, Any]) -> None:
    """Objects loaded in bulk for this snapshot, by id: "pages" (their specific types, with
    what they show), "photos" (with all their renditions)."""
    current = _held.get()
    if current is not None:
        current.objects.setdefault(kind, {}).update(objects)


def held_objects(kind: str) -> dict[int, Any] | None:
    """The objects of a kind held by the current snapshot; None outside a snapshot.

    The snapshot's own dict (made if none is held yet), so that a caller holding it sees the
    objects that `hold_objects` adds afterwards."""
    current = _held.get()
    return current.objects.setdefault(kind, {}) if current is not None else None
