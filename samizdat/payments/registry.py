"""Which payment providers this deployment uses, configured in settings."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PaymentProvider


@cache
def _load(name: str) -> PaymentProvider:
    config = settings.SAMIZDAT_PAYMENT_PROVIDERS[name]
    return import_string(config["CLASS"])(**config.get("OPTIONS", {}))


def get_provider(name: str | None = None) -> PaymentProvider:
    """The named provider, or the default (the first configured)."""
    if name is None:
        name = next(iter(settings.SAMIZDAT_PAYMENT_PROVIDERS))
    if name not in settings.SAMIZDAT_PAYMENT_PROVIDERS:
        raise LookupError(f"No payment provider named {name!r} is configured.")
    return _load(name)


def reset() -> None:
    """Forget loaded providers (tests change their settings)."""
    _load.cache_clear()
