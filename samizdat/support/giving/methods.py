"""The ways to pay a donation form shows readers, per edition.

Only what the configured providers really take (payments/registry.py), in the order each
edition's editors chose (DonationForm.methods_by_edition). The list depends on the form, the
edition's language and the configuration, never on the reader: pages that show it are cached
per URL and copied to static mirrors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from samizdat.payments import registry
from samizdat.payments.base import Frequency, PaymentMethod

from ..models import DonationForm


@dataclass(frozen=True)
class ShownMethod:
    key: str
    label: str  # in the reader's language
    # Offered beside monthly or annual gifts it cannot take: the form says "one-time gifts".
    once_only: bool


@dataclass(frozen=True)
class ShownMethods:
    methods: tuple[ShownMethod, ...]
    why: str  # the edition's one line on its order, "" if none


def configured_methods() -> list[PaymentMethod]:
    """Every method the configured providers take, in settings' order, each key once."""
    seen: dict[str, PaymentMethod] = {}
    for method in registry.available_methods():
        seen.setdefault(method.key, method)
    return list(seen.values())


def method_label(method: PaymentMethod) -> str:
    # Providers name their methods in English ("Card"); the catalogue has the words readers
    # need, and coin names ("Monero (XMR)") stay as they are.
    return gettext(method.label)


def ordered_methods(form: DonationForm, language: str) -> list[PaymentMethod]:
    """The configured methods in this edition's order; all of them, in settings' order, if its
    editors chose none. A chosen method that is not configured is left out."""
    configured = {m.key: m for m in configured_methods()}
    chosen, _why = form.edition_choice(language)
    ordered = [configured[key] for key in dict.fromkeys(chosen) if key in configured]
    return ordered or list(configured.values())


def checkout_methods(currency: str, language: str) -> list[PaymentMethod]:
    """The ways to pay the checkout step offers for a gift in `currency`: its donation form's,
    in the edition's order, so a method the edition left out cannot be chosen there either."""
    form = DonationForm.objects.filter(currency=currency).first()
    return [] if form is None else ordered_methods(form, language)


def shown_methods(form: DonationForm, language: str) -> ShownMethods:
    """What the form lists under its button, for this edition."""
    recurring_offered = any(Frequency(f).recurring for f in form.frequencies)
    chosen, why = form.edition_choice(language)
    ordered = ordered_methods(form, language)
    methods = tuple(
        ShownMethod(
            key=method.key,
            label=method_label(method),
            once_only=recurring_offered and not method.recurring,
        )
        for method in ordered
    )
    # The line explains the editors' choice ("Monero and Bitcoin do"): once a method they chose
    # is not configured, it may no longer be true, so it goes.
    complete = bool(chosen) and {m.key for m in ordered} >= set(chosen)
    return ShownMethods(methods=methods, why=why if complete else "")
