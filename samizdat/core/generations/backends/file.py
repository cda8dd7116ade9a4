"""Counters as files: a number is the modification time (in nanoseconds) of an empty file named
after its key, one stat() to read and one utime() to move on, seen at once by every process on
the machine (the cron job that publishes, the other application workers)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable

from django.core.cache import caches

from .base import BaseCounters

logger = logging.getLogger(__name__)


class FileCounters(BaseCounters):
    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = folder
        self._paths: dict[str, str] = {}  # read on every page served: joined once

    def _path(self, key: str) -> str:
        path = self._paths.get(key)
        if path is None:
            path = self._paths[key] = os.path.join(self.folder, key.replace(":", "-"))
        return path

    def read(self, key: str, *, cache_alias: str = "default") -> int:
        path = self._path(key)
        try:
            return os.stat(path).st_mtime_ns
        except FileNotFoundError:
            os.makedirs(self.folder, exist_ok=True)
            with open(path, "a"):
                pass
            return os.stat(path).st_mtime_ns

    def read_many(
        self, keys: Iterable[str], *, cache_alias: str = "default", also: Iterable[str] = ()
    ) -> dict[str, object]:
        found = caches[cache_alias].get_many(also) if also else {}
        for key in keys:
            found[key] = self.read(key)
        return found

    def move_on(self, key: str, *, cache_alias: str = "default") -> None:
        path = self._path(key)
        old = self.read(key)
        try:
            if time.time_ns() > old:
                os.utime(path)  # now: needs only write access, as a process of another user has
            if os.stat(path).st_mtime_ns <= old:
                # The clock went back, or two moves came within its resolution: later all the same.
                os.utime(path, ns=(old + 1, old + 1))
        except OSError:
            # Never fail a publish for it: the other processes' copies then wait for their
            # expiry, as they would with no shared generation at all.
            logger.exception("Could not move the cache generation in %s", path)
