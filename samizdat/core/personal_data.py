"""Other apps' stores of a person's data, found by the keyed hash of their e-mail address.

An access or erasure request (support/privacy.py) reaches every store through this registry;
each app registers its own in AppConfig.ready(), so the kernel and `support` import none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalStore:
    name: str  # the key of the export, e.g. "newsletter_subscriptions"
    export: Callable[[str], list[dict]]  # e-mail hash -> JSON-ready records
    count: Callable[[str], int]  # how many records an erasure would remove
    forget: Callable[[str], int]  # removes them; returns how many went


_stores: dict[str, PersonalStore] = {}


def register(store: PersonalStore) -> None:
    _stores[store.name] = store


def stores() -> list[PersonalStore]:
    return list(_stores.values())
