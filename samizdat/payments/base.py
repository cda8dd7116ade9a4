"""The payment provider interface: the only door between Samizdat and a payment company.

The rest of Samizdat speaks in these types. A provider module (payments/providers/*.py)
translates them to and from its company's API; only that module imports the company's SDK.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Frequency(StrEnum):
    ONCE = "once"
    MONTHLY = "monthly"
    ANNUAL = "annual"

    @property
    def recurring(self) -> bool:
        return self is not Frequency.ONCE


class PaymentError(Exception):
    """The provider refused or failed; `message` is safe to show to the donor."""

    def __init__(self, message: str, code: str = "", retryable: bool = False):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retryable = retryable
        # A customer record the failed checkout left at the provider (with the donor's
        # address): the caller records it so that an erasure can delete it.
        self.customer_id = ""


class ProviderUnavailable(PaymentError):
    """The provider could not be reached: nothing was charged, the donor may try again."""

    def __init__(self, message: str = "The payment service is not answering. Nothing was charged."):
        super().__init__(message, code="provider_unavailable", retryable=True)


class InvalidWebhook(Exception):
    """A webhook whose signature or shape does not check out: refuse it, change nothing."""


@dataclass(frozen=True)
class CheckoutRequest:
    amount_minor: int
    currency: str  # ISO 4217, lower case
    frequency: Frequency
    email: str
    name: str
    payment_token: str  # what the provider's browser script produced for the card or wallet
    idempotency_key: str  # the same key for a retried submit: the provider charges once
    description: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)


class CheckoutStatus(StrEnum):
    SUCCEEDED = "succeeded"
    REQUIRES_ACTION = "requires_action"  # e.g. 3-D Secure: the browser must finish it
    PROCESSING = "processing"
    FAILED = "failed"


@dataclass(frozen=True)
class CheckoutResult:
    status: CheckoutStatus
    payment_id: str = ""  # the one-time payment, or the first payment of a recurring gift
    subscription_id: str = ""
    customer_id: str = ""
    client_secret: str = ""  # for REQUIRES_ACTION
    error_message: str = ""
    current_period_end: datetime.datetime | None = None


class EventKind(StrEnum):
    PAYMENT_SUCCEEDED = "payment_succeeded"  # a one-time gift was paid
    PAYMENT_FAILED = "payment_failed"
    RECURRING_PAID = "recurring_paid"  # first payment or a renewal of a recurring gift
    RECURRING_PAYMENT_FAILED = "recurring_payment_failed"  # the gift goes past due
    RECURRING_STARTED = "recurring_started"
    RECURRING_UPDATED = "recurring_updated"  # amount, status or period changed
    RECURRING_CANCELLED = "recurring_cancelled"
    REFUNDED = "refunded"
    IGNORED = "ignored"  # a type we do not act on; still stored, so replays stay no-ops


@dataclass(frozen=True)
class ProviderEvent:
    """One thing that happened at the provider, in Samizdat's words."""

    id: str  # the provider's event id: unique, the key for idempotency
    kind: EventKind
    type: str  # the provider's own name for it, e.g. invoice.payment_succeeded
    occurred_at: datetime.datetime
    payment_id: str = ""
    subscription_id: str = ""
    customer_id: str = ""
    amount_minor: int | None = None
    currency: str = ""
    frequency: Frequency | None = None
    subscription_status: str = ""  # active, past_due, canceled… as the provider says
    current_period_end: datetime.datetime | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    payload: Mapping = field(default_factory=dict)


class PaymentProvider(Protocol):
    name: str

    def browser_config(self) -> dict:
        """What the checkout page needs: the script URL and publishable key."""

    def script_origins(self) -> list[str]:
        """Hosts the checkout page must be allowed to load and talk to (for the CSP)."""

    def start_checkout(self, request: CheckoutRequest) -> CheckoutResult:
        """Charge once, or start a recurring gift. Raises PaymentError, ProviderUnavailable."""

    def payment_status(self, payment_id: str) -> CheckoutResult:
        """Ask again about a payment, e.g. after the browser finished 3-D Secure."""

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        """Verify the signature and translate. Raises InvalidWebhook."""

    def change_recurring(
        self, subscription_id: str, amount_minor: int, currency: str, frequency: Frequency
    ) -> None: ...

    def cancel_recurring(self, subscription_id: str) -> None: ...

    def delete_customer(self, customer_id: str) -> None:
        """Delete the provider's record of a donor (an erasure request). Raises PaymentError,
        ProviderUnavailable; a customer the provider no longer has counts as deleted."""

    def recent_events(self, since: datetime.datetime) -> Iterable[ProviderEvent]:
        """The current state of recent objects, as events, for `reconcile` to replay."""
