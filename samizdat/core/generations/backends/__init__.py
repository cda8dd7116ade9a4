"""Where generation numbers are kept: in a cache every process shares (Redis), or, when each
process has a cache of its own, in files every process on the machine reads
(settings.SAMIZDAT_GENERATIONS_DIR)."""

from __future__ import annotations

from django.conf import settings

from . import cache, file
from .base import BaseCounters

_backends: dict[object, BaseCounters] = {}


def get_backend() -> BaseCounters:
    """The backend for settings.SAMIZDAT_GENERATIONS_DIR (tests change it), made once."""
    folder = settings.SAMIZDAT_GENERATIONS_DIR
    backend = _backends.get(folder)
    if backend is None:
        backend = cache.CacheCounters() if folder is None else file.FileCounters(folder)
        _backends[folder] = backend
    return backend
