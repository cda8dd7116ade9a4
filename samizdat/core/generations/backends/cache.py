"""Counters in the cache their entries live in: lost with them (eviction, a cleared cache), and
started again at the clock, so that a lost counter never brings back entries of an earlier
number."""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import caches

from .base import BaseCounters


class CacheCounters(BaseCounters):
    def read_many(
        self, keys: Iterable[str], *, cache_alias: str = "default", also: Iterable[str] = ()
    ) -> dict[str, object]:
        cache = caches[cache_alias]
        keys = list(keys)
        found = cache.get_many([*keys, *also])
        for key in keys:
            if found.get(key) is None:
                cache.add(key, time.time_ns(), None)
                found[key] = cache.get(key) or 0
        return found

    def move_on(self, key: str, *, cache_alias: str = "default") -> None:
        cache = caches[cache_alias]
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, time.time_ns(), None)
