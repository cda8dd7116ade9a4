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


class OutcomeUnknown(ProviderUnavailable):
    """The provider stopped answering after a charge was sent: it may or may not have been
    made. The gift stays pending until a webhook or `reconcile` says which."""

    def __init__(self, message: str):
        super().__init__(message)
        self.code = "outcome_unknown"
        self.retryable = False  # trying again could pay twice


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


@dataclass(frozen=True)
class CardSetup:
    """A new card being given for a recurring gift: the browser confirms it with the provider's
    script using `client_secret`, then names `setup_id` back to us."""

    setup_id: str
    client_secret: str


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


@dataclass(frozen=True)
class PaymentMethod:
    """A way to pay that a configured provider really takes: what the donation form may list."""

    key: str  # "card", "monero", "bitcoin"
    label: str  # as readers see it, not translated: "Card", "Monero (XMR)"
    provider: str  # the configured provider's name that takes it
    needs_javascript: bool  # the card field is the provider's script; an address is not
    recurring: bool  # whether the provider can take monthly and annual gifts by itself


class PaymentProvider(Protocol):
    name: str
    methods: tuple[PaymentMethod, ...]

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
    ) -> datetime.datetime | None:
        """Change a recurring gift from its next payment on: nothing is charged or credited
        now, even when the interval changes. Returns when that next payment is due, if known."""

    def start_recurring_with_saved_method(
        self, request: CheckoutRequest, payment_id: str
    ) -> CheckoutResult:
        """Start the recurring gift `request` asks for on the card that paid the one-time
        payment `payment_id` and was saved with it for later: the donor types nothing again.
        Optional (the thank-you page offers it only where a provider has it). Raises
        PaymentError when that payment saved no card; a first payment the bank wants the donor
        to confirm fails, as the donor has no card form to confirm it in."""

    def start_card_update(self, subscription_id: str) -> CardSetup:
        """Begin giving a new card for a recurring gift (Stripe: a SetupIntent for the gift's
        customer). Optional: the self-service page offers it only where a provider has it."""

    def finish_card_update(self, subscription_id: str, setup_id: str) -> None:
        """Make the card confirmed in `setup_id` the one the gift's next payments (and the
        retries of a failed one) are charged to. Raises PaymentError when it was not confirmed
        or was set up for another customer."""

    def cancel_recurring(self, subscription_id: str) -> None: ...

    def delete_customer(self, customer_id: str) -> None:
        """Delete the provider's record of a donor (an erasure request). Raises PaymentError,
        ProviderUnavailable; a customer the provider no longer has counts as deleted."""

    def recent_events(self, since: datetime.datetime) -> Iterable[ProviderEvent]:
        """The current state of recent objects, as events, for `reconcile` to replay."""


# Paying to an address, confirmed later (Monero, Bitcoin) -----------------------------------------
#
# Nothing is charged: the reader sends coins to a fresh address and the watcher
# (`samizdat watch_payments`) asks the provider what arrived; paid after
# `confirmations_required`, and a payment after expiry is still recorded. Amounts are integer
# atomic units of the coin; a gift's worth stays in the donation form's currency.


@dataclass(frozen=True)
class Coin:
    code: str  # "xmr", "btc": lower case, like currencies
    name: str  # "Monero", "Bitcoin"
    decimals: int  # atomic units per coin = 10 ** decimals (12 for XMR, 8 for BTC)
    uri_scheme: str  # "monero", "bitcoin"

    @property
    def atomic_per_coin(self) -> int:
        return 10**self.decimals


@dataclass(frozen=True)
class ReceivingAddress:
    address: str
    index: int  # Monero: the subaddress's minor index (account 0); Bitcoin: BIP84 external index


@dataclass(frozen=True)
class IncomingTransfer:
    """Coins that reached one of our addresses, as the chain says now."""

    txid: str
    address: str
    amount_atomic: int
    confirmations: int  # 0: in the pool / mempool, not yet in a block


class AddressProvider(Protocol):
    """A provider that takes payments to a fresh address per gift (samizdat/payments/providers/
    monero.py, bitcoin.py). Every call that talks to a wallet or an API raises ProviderUnavailable
    when it cannot be reached; nothing is then recorded as paid."""

    name: str  # stored as Donation.provider: "monero", "bitcoin"
    methods: tuple[PaymentMethod, ...]
    coin: Coin
    confirmations_required: int
    # True: the caller picks the index (Bitcoin derives address i from the account key, and the
    # caller keeps to the gap limit); False: the wallet hands out its next fresh one (Monero).
    caller_chooses_index: bool

    def new_address(self, index: int | None, label: str = "") -> ReceivingAddress:
        """A receiving address: the one at `index`, or the wallet's next fresh one."""

    def owns(self, address: str) -> bool:
        """Whether this address is one of the newsroom's (derivable from its view key or
        account key). A transfer to any other address is never recorded."""

    def payment_uri(self, address: str, amount_atomic: int, label: str = "") -> str:
        """monero:… / bitcoin:… with the amount, for a wallet to open or a QR code to carry."""

    def transfers(self, addresses: Iterable[ReceivingAddress]) -> list[IncomingTransfer]:
        """Every incoming transfer to these addresses: confirmed, and waiting in the pool.
        A transfer the chain no longer has (reorganised away) is simply absent."""
