"""Which payment providers this deployment uses, configured in settings."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import AddressProvider, PaymentMethod, PaymentProvider


@cache
def _load(name: str) -> PaymentProvider | AddressProvider:
    config = settings.SAMIZDAT_PAYMENT_PROVIDERS[name]
    return import_string(config["CLASS"])(**config.get("OPTIONS", {}))


def get_provider(name: str | None = None) -> PaymentProvider:
    """The named provider, or the default card provider (the first configured)."""
    if name is None:
        name = next(iter(settings.SAMIZDAT_PAYMENT_PROVIDERS))
    if name not in settings.SAMIZDAT_PAYMENT_PROVIDERS:
        raise LookupError(f"No payment provider named {name!r} is configured.")
    return _load(name)


def is_address_provider(provider) -> bool:
    """Pays to an address, confirmed later (base.AddressProvider), rather than charging."""
    return hasattr(provider, "new_address")


def address_providers() -> list[AddressProvider]:
    """The configured providers that take payments to an address (Monero, Bitcoin)."""
    return [p for p in map(_load, settings.SAMIZDAT_PAYMENT_PROVIDERS) if is_address_provider(p)]


def available_methods() -> list[PaymentMethod]:
    """Every way to pay that the configured providers really take, in settings' order."""
    return [m for name in settings.SAMIZDAT_PAYMENT_PROVIDERS for m in _load(name).methods]


def reset() -> None:
    """Forget loaded providers (tests change their settings)."""
    _load.cache_clear()
