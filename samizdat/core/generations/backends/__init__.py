"""Where generation numbers are kept: in a cache every process shares (Redis), or, when each
process has a cache of its own, in files every process on the machine reads
(settings.SAMIZDAT_GENERATIONS_DIR)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings


class BaseCounters:
    """Numbers that only ever grow, one per key, seen at once by every process."""

    def read(self, key: str, *, cache_alias: str = "default") -> int:
        return self.read_many([key], cache_alias=cache_alias)[key]

    def read_many(
        self, keys: Iterable[str], *, cache_alias: str = "default", also: Iterable[str] = ()
    ) -> dict[str, object]:
        """The counters under `keys`, and the values under `also` in that cache (absent if
        not there): with a cache backend, one round trip for both."""
        raise NotImplementedError

    def move_on(self, key: str, *, cache_alias: str = "default") -> None:
        raise NotImplementedError


_backends: dict[object, BaseCounters] = {}


def get_backend() -> BaseCounters:
    """The backend for settings.SAMIZDAT_GENERATIONS_DIR (tests change it), made once."""
    folder = settings.SAMIZDAT_GENERATIONS_DIR
    backend = _backends.get(folder)
    if backend is None:
        from . import cache, file

        backend = cache.CacheCounters() if folder is None else file.FileCounters(folder)
        _backends[folder] = backend
    return backend
