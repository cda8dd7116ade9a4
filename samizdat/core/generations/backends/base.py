"""The interface every place generation numbers are kept in answers to."""

from __future__ import annotations

from collections.abc import Iterable


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
