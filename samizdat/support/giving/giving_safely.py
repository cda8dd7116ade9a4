"""The "Giving safely" page: for each way to pay this site really takes, what a donor's bank or
the blockchain shows, what the newsroom keeps and for how long, and what a donor can do to leave
fewer traces.

Written from the configuration (providers, the card statement descriptor, the donor retention
period), never from who reads: the page is cached per URL and copied to static mirrors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from samizdat.payments import registry
from samizdat.payments.base import PaymentMethod

from ..donors.privacy import Retention, default_retention
from .methods import configured_methods, method_label

# What the page knows how to describe; a coin it does not know gets only what we keep.
CARD, MONERO, BITCOIN, OTHER_COIN, OTHER = "card", "monero", "bitcoin", "coin", "other"


@dataclass(frozen=True)
class StatementLine:
    """What a card payment is called on the donor's statement, as far as the settings say."""

    prefix: str  # the account's short descriptor, when the settings name it
    suffix: str  # what Samizdat sends with every charge; "" when none is configured

    @property
    def text(self) -> str:
        return f"{self.prefix}* {self.suffix}" if self.prefix and self.suffix else ""


@dataclass(frozen=True)
class MethodSafety:
    key: str
    label: str
    kind: str  # CARD, MONERO, BITCOIN, OTHER_COIN or OTHER
    company: str  # who processes it, for cards: "Stripe"
    recurring: bool
    statement: StatementLine | None


def provider_options(name: str) -> dict:
    config = getattr(settings, "SAMIZDAT_PAYMENT_PROVIDERS", {}).get(name) or {}
    return config.get("OPTIONS") or {}


def statement_line(provider: str) -> StatementLine:
    options = provider_options(provider)
    suffix = str(options.get("statement_descriptor_suffix") or "").strip()
    prefix = str(
        options.get("statement_descriptor_prefix")
        or getattr(settings, "STRIPE_STATEMENT_DESCRIPTOR_PREFIX", "")
        or ""
    ).strip()
    return StatementLine(prefix=prefix, suffix=suffix)


def kind_of(method: PaymentMethod) -> str:
    if method.key in (CARD, MONERO, BITCOIN):
        return method.key
    provider = registry.get_provider(method.provider)
    return OTHER_COIN if registry.is_address_provider(provider) else OTHER


def describe(method: PaymentMethod) -> MethodSafety:
    kind = kind_of(method)
    return MethodSafety(
        key=method.key,
        label=method_label(method),
        kind=kind,
        company=method.provider.capitalize(),
        recurring=method.recurring,
        statement=statement_line(method.provider) if kind == CARD else None,
    )


def retention_words(retention: Retention) -> str:
    """ "3 years", "18 months", "400 days", in the active language."""
    count = retention.count
    if retention.unit == "y":
        text = ngettext("%(count)d year", "%(count)d years", count)
    elif retention.unit == "m":
        text = ngettext("%(count)d month", "%(count)d months", count)
    elif retention.unit == "w":
        text = ngettext("%(count)d week", "%(count)d weeks", count)
    else:
        text = ngettext("%(count)d day", "%(count)d days", count)
    return text % {"count": count}


def page_context() -> dict:
    """Everything the page says, from the configuration alone."""
    methods = [describe(method) for method in configured_methods()]
    kinds = {method.kind for method in methods}
    return {
        "methods": methods,
        "retention": retention_words(default_retention()),
        "has_card": CARD in kinds,
        "only_card": kinds == {CARD},
        "to_address": bool(kinds & {MONERO, BITCOIN, OTHER_COIN}),
        "monero_and_bitcoin": {MONERO, BITCOIN} <= kinds,
    }


@require_GET
def giving_safely(request: HttpRequest) -> HttpResponse:
    """/<lang>/support/giving-safely/: the same for every reader, cached and mirrored."""
    return render(request, "support/giving_safely.html", page_context())


def configuration_shown() -> tuple:
    """What the donation forms and this page show from the configuration, for the static mirror
    to notice a change (no keys or secrets: the mirror's manifest is public)."""
    return (
        tuple((m.key, m.label, m.provider, m.recurring) for m in configured_methods()),
        str(default_retention()),
        tuple(
            (m.key, m.statement.prefix, m.statement.suffix)
            for m in map(describe, configured_methods())
            if m.statement is not None
        ),
    )
