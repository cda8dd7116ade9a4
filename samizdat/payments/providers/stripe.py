"""Stripe behind the PaymentProvider interface: the only module in Samizdat that imports `stripe`.

One-time gifts are PaymentIntents confirmed on the server with the card the donor's browser
tokenised (Stripe.js `createToken`, or `createPaymentMethod`). Recurring gifts are a Customer
with that card plus a Subscription to a Plan, one Plan per amount, currency and interval
(`samizdat-usd-1000-month`), found or created on demand: donors choose any amount, and Plans are
what both live Stripe and localstripe accept (localstripe has no Prices API).

Responses are read as plain dicts and every field is looked up tolerantly, because the same
code talks to live Stripe on the SDK's current API version and to localstripe, which answers in
an older shape (e.g. `invoice.payment_intent`, `subscription.current_period_end`).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import logging
import math
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import stripe
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from samizdat.ids import parse_id
from samizdat.payments.base import (
    CardSetup,
    CheckoutRequest,
    CheckoutResult,
    CheckoutStatus,
    EventKind,
    Frequency,
    InvalidWebhook,
    OutcomeUnknown,
    PaymentError,
    PaymentMethod,
    ProviderEvent,
    ProviderUnavailable,
)
from samizdat.payments.descriptor import check_suffix

logger = logging.getLogger(__name__)

LIVE_API_BASE = "https://api.stripe.com"
LIVE_JS_URL = "https://js.stripe.com/v3/"
# Stripe.js opens 3-D Secure challenges in frames served from here.
LIVE_FRAME_ORIGIN = "https://hooks.stripe.com"
WEBHOOK_TOLERANCE_SECONDS = 300
# The most one operation (a checkout, every request and retry in it) waits for Stripe, unless
# configured (settings.SAMIZDAT_PROVIDER_TIMEOUT): well inside gunicorn's 30 s worker timeout.
DEFAULT_BUDGET_SECONDS = 15.0
# The card check before a checkout gets this share of the budget: if Stripe is slow, the
# checkout goes ahead without it rather than wait twice.
FINGERPRINT_SHARE = 0.25
# Less than this left is not worth a request: it could only time out.
MIN_REQUEST_SECONDS = 0.2
# Bounds of what a signed event may carry: a time before the year 10000, an amount a bigint
# holds with room to add, no deeper than Stripe's own objects nest.
MAX_TIMESTAMP = 253_402_300_799
MAX_AMOUNT_MINOR = 10**15
MAX_EVENT_DEPTH = 32

INTERVALS = {Frequency.MONTHLY: "month", Frequency.ANNUAL: "year"}
FREQUENCY_BY_INTERVAL = {interval: frequency for frequency, interval in INTERVALS.items()}
PRODUCT_NAMES = {Frequency.MONTHLY: "Monthly donation", Frequency.ANNUAL: "Annual donation"}
PLAN_ID = re.compile(
    r"^samizdat-(?P<currency>[a-z]{3})-(?P<amount>\d+)-(?P<interval>month|year)$", re.ASCII
)

SUBSCRIPTION_EVENT_KINDS = {
    "customer.subscription.created": EventKind.RECURRING_STARTED,
    "customer.subscription.updated": EventKind.RECURRING_UPDATED,
    "customer.subscription.paused": EventKind.RECURRING_UPDATED,
    "customer.subscription.resumed": EventKind.RECURRING_UPDATED,
    "customer.subscription.deleted": EventKind.RECURRING_CANCELLED,
}
REFUND_EVENT_TYPES = {"refund.created", "refund.updated", "charge.refund.updated"}
# The only metadata Stripe gets: our ids, which the ledger finds a payment's donation and appeal
# by. Whatever else a caller puts in a request stays here.
SENT_METADATA = ("donation_id", "variant_id")


def _sent_metadata(request: CheckoutRequest) -> dict[str, str]:
    """Ids only, and no description: Stripe's records, its dashboard and anyone who reads them
    learn which gift this is, never who gave it. The frequency tells our own one-time
    PaymentIntents from those paying invoices."""
    return {
        **{
            key: str(request.metadata[key])
            for key in SENT_METADATA
            if request.metadata.get(key) not in (None, "")
        },
        "frequency": request.frequency.value,
    }


def plan_id_for(amount_minor: int, currency: str, frequency: Frequency) -> str:
    """The one Plan for this amount, currency and interval: every donor giving it shares it."""
    return f"samizdat-{currency.lower()}-{amount_minor}-{INTERVALS[frequency]}"


def _decline_message(code: str | None) -> str:
    """A donor-readable, translatable sentence for Stripe's decline or error code.

    Stripe's own messages are English only; these follow the donor's language.
    """
    messages = {
        "insufficient_funds": gettext("Your card has insufficient funds. Try another card."),
        "expired_card": gettext("Your card has expired. Try another card."),
        "incorrect_cvc": gettext("Your card's security code is incorrect."),
        "invalid_cvc": gettext("Your card's security code is incorrect."),
        "incorrect_number": gettext("Your card number is incorrect."),
        "invalid_number": gettext("Your card number is incorrect."),
        "invalid_expiry_month": gettext("Your card's expiry date is incorrect."),
        "invalid_expiry_year": gettext("Your card's expiry date is incorrect."),
        "processing_error": gettext(
            "Your card could not be processed just now. Nothing was charged; please try again."
        ),
        "authentication_required": gettext(
            "Your bank asked to confirm this payment and it was not confirmed. "
            "Please try again or use another card."
        ),
        "payment_intent_authentication_failure": gettext(
            "Your bank could not confirm this payment. Please try again or use another card."
        ),
    }
    return messages.get(
        code or "",
        gettext("Your card was declined. Nothing was charged; please try another card."),
    )


def _generic_failure() -> str:
    return gettext("The payment could not be completed. Nothing was charged; please try again.")


def _as_dict(obj: Any) -> dict:
    if obj is None:
        return {}
    if isinstance(obj, stripe.StripeObject):
        return obj.to_dict(for_json=True)
    if isinstance(obj, Mapping):
        return dict(obj)
    return {}


def _id(value: Any) -> str:
    """An id from a field that is an id, or an expanded object, or empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return value["id"]
    return ""


def _timestamp(value: Any) -> datetime.datetime | None:
    """A Unix time from Stripe (an integer; a digit string from older payloads). Raises
    ValueError for anything else, and for times outside the years 1970-9999."""
    if value in (None, ""):
        return None
    seconds = parse_id(value) if isinstance(value, str) else value
    if type(seconds) is not int or not 0 <= seconds <= MAX_TIMESTAMP:
        raise ValueError("not a Unix time")
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def _signed_at(signature: str) -> int | None:
    """The time in a Stripe-Signature header ("t=1700000000,v1=…"), as the SDK reads it."""
    for item in signature.split(","):
        key, _eq, value = item.partition("=")
        if key == "t":
            return parse_id(value)
    return None


def _plain_json(value: Any, depth: int = 0) -> bool:
    """No text with a NUL character (PostgreSQL stores none) and no nesting deeper than an
    event has: what every stored payload and every field read from it can hold."""
    if depth > MAX_EVENT_DEPTH:
        return False
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_plain_json(k) and _plain_json(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_json(item, depth + 1) for item in value)
    return True


def _checked(event: ProviderEvent) -> ProviderEvent:
    """The event if every field has the type and size the ledger stores; else InvalidWebhook."""
    ids = (event.payment_id, event.subscription_id, event.customer_id, event.subscription_status)
    amount = event.amount_minor
    valid = (
        isinstance(event.id, str)
        and 0 < len(event.id) <= 255
        and all(isinstance(value, str) and len(value) <= 100 for value in ids)
        and (amount is None or (type(amount) is int and 0 <= amount <= MAX_AMOUNT_MINOR))
        and isinstance(event.currency, str)
        and (event.currency == "" or re.fullmatch(r"[A-Za-z]{3}", event.currency) is not None)
        and all(isinstance(v, str) and len(v) <= 500 for v in event.metadata.values())
    )
    if not valid:
        raise InvalidWebhook("The event's fields are not what Stripe sends.")
    return event


def _metadata(obj: Mapping) -> dict[str, str]:
    return {str(k): str(v) for k, v in (obj.get("metadata") or {}).items() if v is not None}


def _header(headers: Mapping[str, str], name: str) -> str:
    # Django's request.headers is case-insensitive; a plain dict in a test may not be.
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value or ""


def _first_item(subscription: Mapping) -> dict:
    items = subscription.get("items") or {}
    data = items.get("data") if isinstance(items, Mapping) else None
    return dict(data[0]) if data else {}


def _frequency_of(interval: str | None, price_id: str = "", metadata: Mapping | None = None):
    if interval in FREQUENCY_BY_INTERVAL:
        return FREQUENCY_BY_INTERVAL[interval]
    match = PLAN_ID.match(price_id or "")
    if match:
        return FREQUENCY_BY_INTERVAL[match["interval"]]
    raw = (metadata or {}).get("frequency", "")
    return Frequency(raw) if raw in {f.value for f in Frequency} else None


def _price_of(item: Mapping) -> tuple[str, int | None, str, str]:
    """(price id, unit amount, currency, interval) of a subscription item or invoice line."""
    plan = item.get("plan") or {}
    if isinstance(plan, Mapping) and plan:
        return _id(plan), plan.get("amount"), plan.get("currency") or "", plan.get("interval")
    price = item.get("price") or {}
    if isinstance(price, Mapping) and price:
        recurring = price.get("recurring") or {}
        interval = recurring.get("interval")
        return _id(price), price.get("unit_amount"), price.get("currency") or "", interval
    # Newer API versions describe invoice lines by price id only.
    pricing = (item.get("pricing") or {}).get("price_details") or {}
    price_id = _id(pricing.get("price"))
    match = PLAN_ID.match(price_id)
    if match:
        return price_id, int(match["amount"]), match["currency"], match["interval"]
    return price_id, None, "", None


def _subscription_period_end(subscription: Mapping) -> datetime.datetime | None:
    return _timestamp(
        subscription.get("current_period_end")
        or _first_item(subscription).get("current_period_end")
    )


def _invoice_subscription(invoice: Mapping) -> tuple[str, dict[str, str]]:
    """The subscription an invoice bills, and that subscription's metadata when included."""
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    legacy = invoice.get("subscription_details") or {}
    subscription_id = _id(parent.get("subscription")) or _id(invoice.get("subscription"))
    metadata = {}
    for source in (legacy.get("metadata"), parent.get("metadata")):
        metadata.update({str(k): str(v) for k, v in (source or {}).items() if v is not None})
    return subscription_id, metadata


class _BudgetedClient(stripe.RequestsClient):
    """Stripe's HTTP client, every request and retry given only what is left of the current
    operation's time budget, so a slow Stripe never holds a checkout past it."""

    def __init__(self, budget: float):
        super().__init__(timeout=budget)
        self.budget = budget
        self._deadline = threading.local()

    # The base class keeps one timeout in self._timeout and passes it to each request: here it
    # is what the budget has left, for this thread's operation.
    @property
    def _timeout(self) -> float:
        return max(self.remaining(), MIN_REQUEST_SECONDS)

    @_timeout.setter
    def _timeout(self, value: Any) -> None:
        pass

    def remaining(self) -> float:
        deadline = getattr(self._deadline, "at", None)
        return self.budget if deadline is None else deadline - time.monotonic()

    @contextmanager
    def within(self, seconds: float) -> Iterator[None]:
        """Everything asked of Stripe inside shares `seconds` (or the enclosing budget)."""
        if getattr(self._deadline, "at", None) is not None:
            yield
            return
        self._deadline.at = time.monotonic() + seconds
        try:
            yield
        finally:
            self._deadline.at = None

    def sent(self) -> int:
        """How many requests this thread has sent: whether a failed call reached Stripe."""
        return getattr(self._deadline, "sent", 0)

    def request(self, method, url, headers, post_data=None):
        if self.remaining() < MIN_REQUEST_SECONDS:
            raise stripe.APIConnectionError("Out of time for Stripe.", should_retry=False)
        self._deadline.sent = self.sent() + 1
        return super().request(method, url, headers, post_data)

    def _sleep_time_seconds(self, num_retries: int, *args: Any) -> float:
        # A retry's pause counts against the budget too.
        pause = super()._sleep_time_seconds(num_retries, *args)
        return max(0.0, min(pause, self.remaining() - MIN_REQUEST_SECONDS))


def _within_budget(method):
    """The method's requests to Stripe, retries and pauses included, end within the budget."""

    @functools.wraps(method)
    def budgeted(self, *args, **kwargs):
        with self._http.within(self._http.budget):
            return method(self, *args, **kwargs)

    return budgeted


class StripeProvider:
    """Stripe, configured per instance so each deployment (and each test) can differ."""

    name = "stripe"
    # Only what checkout really offers: the card field. Apple Pay, Google Pay, SEPA or PayPal
    # would each need their own element and flow before the form may name them.
    methods = (PaymentMethod("card", "Card", "stripe", needs_javascript=True, recurring=True),)

    def __init__(
        self,
        secret_key: str,
        publishable_key: str,
        webhook_secret: str,
        api_base: str = "",
        js_url: str = "",
        timeout: float = DEFAULT_BUDGET_SECONDS,
        max_network_retries: int = 2,
        localstripe: bool | None = None,
        statement_descriptor_suffix: str = "",
        statement_descriptor_prefix: str = "",
    ):
        try:
            # Sent with every charge; the prefix is only known to check the length.
            self.statement_descriptor_suffix = check_suffix(
                statement_descriptor_suffix, statement_descriptor_prefix
            )
        except ValueError as exc:
            raise ImproperlyConfigured(str(exc)) from None
        self.publishable_key = publishable_key
        self.webhook_secret = webhook_secret
        self.api_base = (api_base or LIVE_API_BASE).rstrip("/")
        self.js_url = js_url or LIVE_JS_URL
        # The API base is only overridden to reach localstripe (settings.STRIPE_API_BASE), which
        # refuses a few parameters live Stripe needs: list filters by `created` and a
        # PaymentIntent's `statement_descriptor_suffix` (samizdat/demo/localstripe.py teaches
        # it `proration_behavior`).
        # Pass localstripe=False to use a proxy in front of live Stripe.
        self.localstripe = bool(api_base) if localstripe is None else localstripe
        # `timeout` is the budget of one operation, all its requests and retries together.
        self._http = _BudgetedClient(float(timeout))
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": self.api_base},
            # The SDK retries connection errors and 409/5xx answers with the same idempotency
            # key, so a retried create is answered from Stripe's record, never charged twice.
            max_network_retries=max_network_retries,
            http_client=self._http,
        )

    # What the browser needs ------------------------------------------------------------

    def browser_config(self) -> dict:
        return {
            "provider": self.name,
            "script_url": self.js_url,
            "publishable_key": self.publishable_key,
        }

    def script_origins(self) -> list[str]:
        origins = []
        for url in (self.js_url, self.api_base):
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
        if not self.localstripe:
            origins.append(LIVE_FRAME_ORIGIN)
        return origins

    def card_fingerprint(self, payment_token: str) -> str:
        """The card's fingerprint (the same for every token of one card number), read before
        any charge so that checkout can limit attempts per card; "" if Stripe does not say."""
        token = (payment_token or "").strip()
        try:
            with self._http.within(self._http.budget * FINGERPRINT_SHARE):
                if token.startswith("tok_"):
                    with self._errors():
                        found = _as_dict(self._client.v1.tokens.retrieve(token))
                elif token.startswith("pm_"):
                    with self._errors():
                        found = _as_dict(self._client.v1.payment_methods.retrieve(token))
                else:
                    return ""
        except PaymentError:
            return ""  # the charge that follows meets the same error and reports it
        return str((found.get("card") or {}).get("fingerprint") or "")

    # Taking money ----------------------------------------------------------------------

    @_within_budget
    def start_checkout(self, request: CheckoutRequest) -> CheckoutResult:
        if request.amount_minor <= 0:
            raise PaymentError(_generic_failure(), code="invalid_amount")
        metadata = _sent_metadata(request)
        customer, payment_method = self._create_customer(request, metadata)
        try:
            if request.frequency.recurring:
                result = self._start_subscription(request, customer, metadata)
            else:
                result = self._charge_once(request, customer, payment_method, metadata)
        except PaymentError as exc:
            # A refused card leaves a customer holding the donor's address and nothing else:
            # delete it. One whose charge timed out may have paid; it stays, and is named.
            if isinstance(exc, ProviderUnavailable) or not self._drop_customer(customer):
                exc.customer_id = customer
            raise
        if result.status is CheckoutStatus.FAILED and self._drop_customer(customer):
            result = dataclasses.replace(result, customer_id="")
        return result

    def _drop_customer(self, customer_id: str) -> bool:
        """Delete the customer of a checkout that charged nothing; False if Stripe did not."""
        try:
            self.delete_customer(customer_id)
        except PaymentError as exc:
            logger.warning(
                "Could not delete customer %s of a failed checkout: %s", customer_id, exc
            )
            return False
        return True

    def _create_customer(self, request: CheckoutRequest, metadata: dict) -> tuple[str, str]:
        """A Customer holding the donor's card; returns (customer id, card or payment method id)."""
        token = request.payment_token.strip()
        params: dict[str, Any] = {"metadata": metadata}
        # Samizdat sends its own receipts, so checkout gives no address or name; a caller
        # that does give them (a gift started outside checkout) has a reason.
        if request.email:
            params["email"] = request.email
        if request.name:
            params["name"] = request.name
        if token.startswith("pm_"):
            params["payment_method"] = token
            params["invoice_settings"] = {"default_payment_method": token}
        elif token.startswith(("tok_", "src_")):
            # Attaching the card is where Stripe first checks it: declined cards stop here.
            params["source"] = token
        else:
            raise PaymentError(
                gettext("The card details did not reach us. Please enter them again."),
                code="missing_payment_token",
            )
        with self._errors():
            customer = _as_dict(
                self._client.v1.customers.create(
                    params=params,
                    options={"idempotency_key": f"{request.idempotency_key}:customer"},
                )
            )
        payment_method = token if token.startswith("pm_") else _id(customer.get("default_source"))
        if not payment_method:
            raise PaymentError(_decline_message(None), code="no_payment_method")
        return customer["id"], payment_method

    def _charge_once(
        self, request: CheckoutRequest, customer: str, payment_method: str, metadata: dict
    ) -> CheckoutResult:
        params: dict[str, Any] = {
            "amount": request.amount_minor,
            "currency": request.currency.lower(),
            "customer": customer,
            "payment_method": payment_method,
            # Cards only: no redirect-based methods, so no return_url is needed.
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": metadata,
            # The card stays on this gift's customer for one thing: a monthly gift the donor
            # may start from the thank-you page with one click (its mandate, for Stripe's
            # off-session charges). Nothing charges it unless the donor asks.
            "setup_future_usage": "off_session",
        }
        if self.statement_descriptor_suffix and not self.localstripe:
            params["statement_descriptor_suffix"] = self.statement_descriptor_suffix
        with self._errors(charging=True):
            intent = _as_dict(
                self._client.v1.payment_intents.create(
                    params=params,
                    options={"idempotency_key": f"{request.idempotency_key}:payment-intent"},
                )
            )
        return self._intent_result(intent)

    def _start_subscription(
        self, request: CheckoutRequest, customer: str, metadata: dict, **card: Any
    ) -> CheckoutResult:
        """`card`: which of the customer's cards pays, and how (default: its default card,
        with the donor at checkout)."""
        plan = self._ensure_plan(
            request.amount_minor,
            request.currency,
            request.frequency,
            idempotency_key=f"{request.idempotency_key}:plan",
        )
        with self._errors(charging=True):
            subscription = _as_dict(
                self._client.v1.subscriptions.create(
                    params={
                        "customer": customer,
                        "items": [{"plan": plan}],
                        "metadata": metadata,
                        # Charge the first invoice now; if the card needs 3-D Secure or is
                        # refused, the subscription stays incomplete instead of erroring.
                        "payment_behavior": "allow_incomplete",
                        **card,
                    },
                    options={"idempotency_key": f"{request.idempotency_key}:subscription"},
                )
            )
        result = self._subscription_result(subscription)
        if result.status is CheckoutStatus.FAILED and subscription.get("status") == "incomplete":
            # A first payment that failed leaves nothing worth keeping: cancel now rather than
            # leave an incomplete subscription for Stripe to expire a day later.
            try:
                self.cancel_recurring(subscription["id"])
            except PaymentError:
                logger.warning("Could not cancel failed subscription %s", subscription["id"])
        return result

    @_within_budget
    def start_recurring_with_saved_method(
        self, request: CheckoutRequest, payment_id: str
    ) -> CheckoutResult:
        """A subscription on the customer and card of a paid one-time PaymentIntent that saved
        the card (`setup_future_usage`), charged off-session: the donor is not there to
        confirm with their bank, so a payment that needs it fails and leaves nothing behind."""
        if not request.frequency.recurring or request.amount_minor <= 0:
            raise PaymentError(_generic_failure(), code="invalid_amount")
        intent: dict = {}
        if payment_id.startswith("pi_"):
            with self._errors():
                intent = _as_dict(self._client.v1.payment_intents.retrieve(payment_id))
        customer, card = _id(intent.get("customer")), _id(intent.get("payment_method"))
        if (
            intent.get("status") != "succeeded"
            or intent.get("setup_future_usage") != "off_session"
            or not customer
            or not card
        ):
            raise PaymentError(
                gettext("Your card was not saved for later gifts. Please use the donation form."),
                code="no_saved_card",
            )
        result = self._start_subscription(
            request,
            customer,
            _sent_metadata(request),
            default_payment_method=card,
            off_session=True,
        )
        if result.status is CheckoutStatus.REQUIRES_ACTION:
            # Nobody is at a card form to confirm it: cancelled, like a refused first payment.
            try:
                self.cancel_recurring(result.subscription_id)
            except PaymentError:
                logger.warning("Could not cancel subscription %s", result.subscription_id)
            result = dataclasses.replace(
                result,
                status=CheckoutStatus.FAILED,
                client_secret="",
                error_message=gettext(
                    "Your bank wants to confirm this payment, which it cannot do here. "
                    "Nothing was charged; please use the donation form."
                ),
            )
        return result

    def _ensure_plan(
        self, amount_minor: int, currency: str, frequency: Frequency, idempotency_key: str
    ) -> str:
        plan_id = plan_id_for(amount_minor, currency, frequency)
        # Shown on Stripe's dashboard and its own e-mails, never to readers here.
        product: dict[str, str] = {"name": PRODUCT_NAMES[frequency]}
        if self.statement_descriptor_suffix:
            # Subscriptions take no descriptor of their own: each invoice's payment uses its
            # first item's product's, after the account's prefix on card statements.
            product["statement_descriptor"] = self.statement_descriptor_suffix
        with self._errors():
            try:
                plan = _as_dict(
                    self._client.v1.plans.retrieve(plan_id, params={"expand": ["product"]})
                )
            except stripe.InvalidRequestError as exc:
                if exc.http_status != 404:
                    raise
            else:
                self._describe_plan(plan)
                return plan_id
            try:
                self._client.v1.plans.create(
                    params={
                        "id": plan_id,
                        "amount": amount_minor,
                        "currency": currency.lower(),
                        "interval": INTERVALS[frequency],
                        "product": product,
                        "metadata": {"samizdat": "1"},
                    },
                    options={"idempotency_key": idempotency_key},
                )
            except (stripe.InvalidRequestError, stripe.APIError):
                # Another checkout created the same plan a moment ago (live Stripe answers
                # resource_already_exists, localstripe 409): it is the plan we wanted.
                self._client.v1.plans.retrieve(plan_id)
        return plan_id

    def _describe_plan(self, plan: Mapping) -> None:
        """Give a plan made before the descriptor was configured (or changed) the current one:
        every donor on it sees it from their next payment."""
        product = plan.get("product")
        if not self.statement_descriptor_suffix or not isinstance(product, Mapping):
            return
        if product.get("statement_descriptor") != self.statement_descriptor_suffix:
            self._client.v1.products.update(
                _id(product), params={"statement_descriptor": self.statement_descriptor_suffix}
            )

    @_within_budget
    def payment_status(self, payment_id: str) -> CheckoutResult:
        with self._errors():
            if payment_id.startswith("pi_"):
                return self._intent_result(
                    _as_dict(self._client.v1.payment_intents.retrieve(payment_id))
                )
            if payment_id.startswith("sub_"):
                return self._subscription_result(
                    _as_dict(self._client.v1.subscriptions.retrieve(payment_id))
                )
            invoice = _as_dict(self._client.v1.invoices.retrieve(payment_id))
        subscription_id, _ = _invoice_subscription(invoice)
        if subscription_id:
            with self._errors():
                subscription = _as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
            if _id(subscription.get("latest_invoice")) == invoice["id"]:
                return self._subscription_result(subscription)
        return self._invoice_result(invoice, subscription_id)

    # Reading Stripe's answers ------------------------------------------------------------

    def _intent_result(self, intent: Mapping) -> CheckoutResult:
        status = intent.get("status")
        common = {"payment_id": intent.get("id", ""), "customer_id": _id(intent.get("customer"))}
        if status == "succeeded":
            return CheckoutResult(CheckoutStatus.SUCCEEDED, **common)
        if status in ("requires_action", "requires_confirmation"):
            return CheckoutResult(
                CheckoutStatus.REQUIRES_ACTION,
                client_secret=intent.get("client_secret") or "",
                **common,
            )
        if status in ("processing", "requires_capture"):
            return CheckoutResult(CheckoutStatus.PROCESSING, **common)
        error = intent.get("last_payment_error") or {}
        return CheckoutResult(
            CheckoutStatus.FAILED,
            error_message=_decline_message(error.get("decline_code") or error.get("code")),
            **common,
        )

    def _subscription_result(self, subscription: Mapping) -> CheckoutResult:
        status = subscription.get("status")
        invoice_id = _id(subscription.get("latest_invoice"))
        common = {
            "payment_id": invoice_id,
            "subscription_id": subscription.get("id", ""),
            "customer_id": _id(subscription.get("customer")),
            "current_period_end": _subscription_period_end(subscription),
        }
        if status in ("active", "trialing"):
            return CheckoutResult(CheckoutStatus.SUCCEEDED, **common)
        if status == "incomplete" and invoice_id:
            return self._open_invoice_result(invoice_id, None, common)
        return CheckoutResult(CheckoutStatus.FAILED, error_message=_generic_failure(), **common)

    def _invoice_result(self, invoice: Mapping, subscription_id: str) -> CheckoutResult:
        common = {
            "payment_id": invoice.get("id", ""),
            "subscription_id": subscription_id,
            "customer_id": _id(invoice.get("customer")),
        }
        if invoice.get("status") == "paid":
            return CheckoutResult(CheckoutStatus.SUCCEEDED, **common)
        if invoice.get("status") == "open":
            return self._open_invoice_result(invoice["id"], invoice, common)
        return CheckoutResult(CheckoutStatus.FAILED, error_message=_generic_failure(), **common)

    def _open_invoice_result(
        self, invoice_id: str, invoice: Mapping | None, common: dict[str, Any]
    ) -> CheckoutResult:
        """A recurring gift whose invoice is not paid yet: as far as its payment got (declined,
        waiting for 3-D Secure), told with the gift's ids; processing until it has one."""
        intent = self._invoice_intent(invoice_id, invoice)
        if not intent:
            return CheckoutResult(CheckoutStatus.PROCESSING, **common)
        result = self._intent_result(intent)
        return CheckoutResult(
            result.status,
            client_secret=result.client_secret,
            error_message=result.error_message,
            **common,
        )

    def _invoice_intent(self, invoice_id: str, invoice: Mapping | None = None) -> dict:
        """The PaymentIntent paying an invoice: `invoice.payment_intent` on older API versions
        (and localstripe), the invoice's payments list on newer ones."""
        with self._errors():
            if invoice is None:
                invoice = _as_dict(self._client.v1.invoices.retrieve(invoice_id))
            intent_id = _id(invoice.get("payment_intent"))
            if not intent_id and not self.localstripe:
                payments = self._client.v1.invoice_payments.list(params={"invoice": invoice_id})
                for payment in payments.data:
                    detail = _as_dict(payment).get("payment") or {}
                    intent_id = _id(detail.get("payment_intent"))
                    if intent_id:
                        break
            if not intent_id:
                return {}
            return _as_dict(self._client.v1.payment_intents.retrieve(intent_id))

    # Managing recurring gifts ----------------------------------------------------------

    @_within_budget
    def change_recurring(
        self, subscription_id: str, amount_minor: int, currency: str, frequency: Frequency
    ) -> datetime.datetime | None:
        """The change starts from the next payment: nothing is charged or credited now."""
        if not frequency.recurring or amount_minor <= 0:
            raise PaymentError(_generic_failure(), code="invalid_change")
        with self._errors():
            subscription = _as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
        item = _first_item(subscription)
        next_payment_at = _subscription_period_end(subscription)
        # A deterministic key: two donors switching to the same new amount create one plan.
        plan = plan_id_for(amount_minor, currency, frequency)
        self._ensure_plan(amount_minor, currency, frequency, idempotency_key=f"plan:{plan}")
        if _price_of(item)[0] == plan:
            return next_payment_at
        params: dict[str, Any] = {
            "items": [{"id": item["id"], "plan": plan}],
            "proration_behavior": "none",
        }
        if (
            _price_of(item)[3] != INTERVALS[frequency]
            and next_payment_at is not None
            and next_payment_at > datetime.datetime.now(datetime.UTC)
        ):
            # Stripe bills a new interval at once; a trial until the paid period ends moves
            # that first charge of the new interval to the day the next payment was due.
            params["trial_end"] = int(next_payment_at.timestamp())
        with self._errors():
            self._client.v1.subscriptions.update(subscription_id, params=params)
        return next_payment_at

    @_within_budget
    def start_card_update(self, subscription_id: str) -> CardSetup:
        with self._errors():
            subscription = _as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
            intent = _as_dict(
                self._client.v1.setup_intents.create(
                    params={
                        "customer": _id(subscription.get("customer")),
                        "usage": "off_session",
                        "payment_method_types": ["card"],
                    }
                )
            )
        return CardSetup(setup_id=intent["id"], client_secret=intent["client_secret"])

    @_within_budget
    def finish_card_update(self, subscription_id: str, setup_id: str) -> None:
        with self._errors():
            subscription = _as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
            intent = _as_dict(self._client.v1.setup_intents.retrieve(setup_id))
        customer = _id(subscription.get("customer"))
        card = _id(intent.get("payment_method"))
        if (
            intent.get("status") != "succeeded"
            or _id(intent.get("customer")) != customer
            or not card
        ):
            # Another donor's SetupIntent, or one the bank did not confirm: change nothing.
            raise PaymentError(
                gettext("Your new card was not confirmed. Nothing was changed."),
                code="card_not_set_up",
            )
        with self._errors():
            method = _as_dict(self._client.v1.payment_methods.retrieve(card))
            if _id(method.get("customer")) != customer:
                self._client.v1.payment_methods.attach(card, params={"customer": customer})
            # The customer's default too: invoices fall back to it, and localstripe charges it.
            self._client.v1.customers.update(
                customer, params={"invoice_settings": {"default_payment_method": card}}
            )
            self._client.v1.subscriptions.update(
                subscription_id, params={"default_payment_method": card}
            )

    @_within_budget
    def cancel_recurring(self, subscription_id: str) -> None:
        with self._errors():
            try:
                self._client.v1.subscriptions.cancel(subscription_id)
            except stripe.InvalidRequestError:
                # Cancelling twice (a double click, a retry) is not an error if it is cancelled.
                current = _as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
                if current.get("status") not in ("canceled", "incomplete_expired"):
                    raise

    @_within_budget
    def delete_customer(self, customer_id: str) -> None:
        with self._errors():
            try:
                self._client.v1.customers.delete(customer_id)
            except stripe.InvalidRequestError as exc:
                # "No such customer": deleted already (a retried erasure), so gone either way.
                if exc.http_status != 404:
                    raise

    # Webhooks and reconciliation -------------------------------------------------------

    @_within_budget
    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        signature = _header(headers, "Stripe-Signature")
        try:
            stripe.WebhookSignature.verify_header(
                body, signature, self.webhook_secret, WEBHOOK_TOLERANCE_SECONDS
            )
            payload = json.loads(body)
        except (
            stripe.SignatureVerificationError,
            ValueError,
            UnicodeDecodeError,
            RecursionError,
            # The SDK compares a non-ASCII signature with hmac.compare_digest, which raises.
            TypeError,
        ) as exc:
            raise InvalidWebhook(str(exc)) from exc
        # The SDK refuses signatures older than the tolerance, not those dated later: a
        # signature made ahead of time would otherwise stay good until its date had passed.
        signed_at = _signed_at(signature)
        if signed_at is None or signed_at > time.time() + WEBHOOK_TOLERANCE_SECONDS:
            raise InvalidWebhook("The signature is dated in the future.")
        if not isinstance(payload, dict) or not _plain_json(payload):
            raise InvalidWebhook("The body is not a Stripe event.")
        try:
            event_id, event_type, created = payload["id"], payload["type"], payload["created"]
            obj = payload["data"]["object"]
            occurred_at = _timestamp(created)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidWebhook("The body is not a Stripe event.") from exc
        if (
            not isinstance(obj, dict)
            or not isinstance(event_id, str)
            or not isinstance(event_type, str)
            or occurred_at is None
        ):
            raise InvalidWebhook("The body is not a Stripe event.")
        try:
            event = self._translate(event_id, event_type, occurred_at, obj, payload)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            # A signed body whose fields have the wrong types. The exception's type only: its
            # message may quote the body.
            logger.warning("A signed event did not translate: %s", type(exc).__name__)
            raise InvalidWebhook("The event's fields are not what Stripe sends.") from exc
        except PaymentError as exc:
            if exc.code != "resource_missing":
                raise
            # It names a charge or payment Stripe does not have: no retry will find it.
            raise InvalidWebhook("The event names an object Stripe does not have.") from exc
        return _checked(event)

    def _translate(
        self,
        event_id: str,
        event_type: str,
        occurred_at: datetime.datetime,
        obj: Mapping,
        payload: Mapping,
    ) -> ProviderEvent:
        base = {"id": event_id, "type": event_type, "occurred_at": occurred_at, "payload": payload}
        if event_type in ("payment_intent.succeeded", "payment_intent.payment_failed"):
            return self._intent_event(base, obj)
        if event_type in ("invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed"):
            return self._invoice_event(base, obj)
        if event_type in SUBSCRIPTION_EVENT_KINDS:
            return self._subscription_event(base, SUBSCRIPTION_EVENT_KINDS[event_type], obj)
        if event_type == "charge.refunded":
            payment_id, metadata = self._refunded_payment(obj.get("payment_intent"), obj)
            return ProviderEvent(
                kind=EventKind.REFUNDED,
                payment_id=payment_id,
                customer_id=_id(obj.get("customer")),
                amount_minor=obj.get("amount_refunded"),
                currency=obj.get("currency") or "",
                metadata=metadata,
                **base,
            )
        if event_type in REFUND_EVENT_TYPES:
            if obj.get("status") != "succeeded":
                return ProviderEvent(kind=EventKind.IGNORED, **base)
            charge = obj.get("charge")
            if not isinstance(charge, Mapping):
                charge = {"id": charge or ""}
            payment_id, metadata = self._refunded_payment(
                obj.get("payment_intent") or charge.get("payment_intent"), charge
            )
            return ProviderEvent(
                kind=EventKind.REFUNDED,
                payment_id=payment_id,
                amount_minor=obj.get("amount"),
                currency=obj.get("currency") or "",
                metadata=metadata,
                **base,
            )
        return ProviderEvent(kind=EventKind.IGNORED, **base)

    def _intent_event(self, base: dict, intent: Mapping) -> ProviderEvent:
        metadata = _metadata(intent)
        # Invoices pay recurring gifts through PaymentIntents too; those arrive as invoice
        # events. Only our own one-time PaymentIntents (tagged at checkout) are gifts here.
        if _id(intent.get("invoice")) or metadata.get("frequency") != Frequency.ONCE.value:
            return ProviderEvent(kind=EventKind.IGNORED, **base)
        succeeded = base["type"] == "payment_intent.succeeded" or (
            intent.get("status") == "succeeded"
        )
        if not succeeded:
            error = intent.get("last_payment_error") or {}
            metadata["failure_message"] = _decline_message(
                error.get("decline_code") or error.get("code")
            )
        return ProviderEvent(
            kind=EventKind.PAYMENT_SUCCEEDED if succeeded else EventKind.PAYMENT_FAILED,
            payment_id=intent.get("id", ""),
            customer_id=_id(intent.get("customer")),
            amount_minor=intent.get("amount_received") or intent.get("amount"),
            currency=intent.get("currency") or "",
            frequency=Frequency.ONCE,
            metadata=metadata,
            **base,
        )

    def _invoice_event(self, base: dict, invoice: Mapping) -> ProviderEvent:
        subscription_id, metadata = _invoice_subscription(invoice)
        if not subscription_id:
            return ProviderEvent(kind=EventKind.IGNORED, **base)
        lines = (invoice.get("lines") or {}).get("data") or []
        # The line of the price being paid for, not a credit for unused time on the old one
        # (whose period, a month, is not the gift's when it became annual).
        priced = [dict(item) for item in lines if _price_of(item)[0]]
        line = next(
            (item for item in priced if not item.get("proration")),
            priced[0] if priced else (lines[0] if lines else {}),
        )
        price_id, _amount, _currency, interval = _price_of(line)
        metadata.update({k: v for k, v in _metadata(line).items() if k not in metadata})
        if invoice.get("customer_email"):
            metadata["email"] = invoice["customer_email"]
        if invoice.get("customer_name"):
            metadata["name"] = invoice["customer_name"]
        paid = base["type"] != "invoice.payment_failed"
        if not paid and invoice.get("attempt_count"):
            metadata["attempt"] = str(invoice["attempt_count"])  # dunning e-mails count them
        period_end = _timestamp((line.get("period") or {}).get("end"))
        return ProviderEvent(
            kind=EventKind.RECURRING_PAID if paid else EventKind.RECURRING_PAYMENT_FAILED,
            payment_id=invoice.get("id", ""),
            subscription_id=subscription_id,
            customer_id=_id(invoice.get("customer")),
            amount_minor=invoice.get("amount_paid") if paid else invoice.get("amount_due"),
            currency=invoice.get("currency") or "",
            frequency=_frequency_of(interval, price_id, metadata),
            current_period_end=period_end,
            metadata=metadata,
            **base,
        )

    def _subscription_event(self, base: dict, kind: EventKind, subscription: Mapping):
        item = _first_item(subscription)
        price_id, unit_amount, currency, interval = _price_of(item)
        metadata = _metadata(subscription)
        quantity = item.get("quantity") or 1
        if unit_amount is not None and (type(unit_amount) is not int or type(quantity) is not int):
            # Only numbers multiply: a text amount times a large quantity is a huge string.
            raise ValueError("a subscription item's amount and quantity are not integers")
        return ProviderEvent(
            kind=kind,
            payment_id=_id(subscription.get("latest_invoice")),
            subscription_id=subscription.get("id", ""),
            customer_id=_id(subscription.get("customer")),
            amount_minor=unit_amount * quantity if unit_amount is not None else None,
            currency=currency or subscription.get("currency") or "",
            frequency=_frequency_of(interval, price_id, metadata),
            subscription_status=subscription.get("status") or "",
            current_period_end=_subscription_period_end(subscription),
            metadata=metadata,
            **base,
        )

    def _refunded_payment(self, intent_ref: Any, charge: Mapping) -> tuple[str, dict[str, str]]:
        """Which of our payments a refund undoes: the invoice for a recurring payment (our
        Donation for it is keyed by invoice id), else the one-time PaymentIntent.

        Older API versions say so on the charge; otherwise one read of the PaymentIntent.
        """
        intent_id = _id(intent_ref)
        if not intent_id and _id(charge) and "payment_intent" not in charge:
            with self._errors():  # a refund names its charge only by id
                charge = _as_dict(self._client.v1.charges.retrieve(_id(charge)))
            intent_id = _id(charge.get("payment_intent"))
        metadata = {"payment_intent": intent_id, "charge": _id(charge)}
        invoice_id = _id(charge.get("invoice"))
        if invoice_id:
            return invoice_id, metadata
        if not intent_id:
            return "", metadata
        intent = intent_ref if isinstance(intent_ref, Mapping) else {}
        if not intent or ("invoice" not in intent and not _metadata(intent)):
            with self._errors():
                intent = _as_dict(self._client.v1.payment_intents.retrieve(intent_id))
        invoice_id = _id(intent.get("invoice"))
        if invoice_id:
            return invoice_id, metadata
        if _metadata(intent).get("frequency") == Frequency.ONCE.value or self.localstripe:
            return intent_id, metadata
        with self._errors():
            payments = self._client.v1.invoice_payments.list(
                params={"payment": {"type": "payment_intent", "payment_intent": intent_id}}
            )
        for payment in payments.data:
            invoice_id = _id(_as_dict(payment).get("invoice"))
            if invoice_id:
                return invoice_id, metadata
        return intent_id, metadata

    def recent_events(self, since: datetime.datetime) -> Iterable[ProviderEvent]:
        """The current state of recent objects, as events with ids that name the state.

        `reconcile:<object id>:<state>`: replaying an unchanged object is a stored duplicate,
        and an object whose state moved on yields a new event.
        """
        observed_at = datetime.datetime.now(tz=datetime.UTC)
        for intent in self._list(self._client.v1.payment_intents, since):
            status = intent.get("status")
            if status == "succeeded":
                event_type = "payment_intent.succeeded"
            elif status == "requires_payment_method" and intent.get("last_payment_error"):
                event_type = "payment_intent.payment_failed"
            else:
                continue
            yield self._snapshot(
                intent, status, event_type, _timestamp(intent.get("created")) or observed_at
            )
        for invoice in self._list(self._client.v1.invoices, since):
            yield from self._invoice_snapshot(invoice, observed_at)
        yield from self._subscription_snapshots(since, observed_at)
        for refund in self._list(self._client.v1.refunds, since):
            if refund.get("status") != "succeeded":
                continue
            yield self._snapshot(
                refund,
                "succeeded",
                "refund.updated",
                _timestamp(refund.get("created")) or observed_at,
            )

    def _invoice_snapshot(self, invoice: dict, observed_at: datetime.datetime):
        if not _invoice_subscription(invoice)[0]:
            return
        status = invoice.get("status")
        if status == "paid":
            paid_at = (invoice.get("status_transitions") or {}).get("paid_at")
            yield self._snapshot(
                invoice,
                "paid",
                "invoice.paid",
                _timestamp(paid_at or invoice.get("created")) or observed_at,
            )
        elif status == "open" and invoice.get("attempted"):
            # Open after an attempt: either refused, or waiting for the donor's 3-D Secure.
            # Only a refusal is a failed payment.
            intent = self._invoice_intent(invoice["id"], invoice)
            if intent.get("status") != "requires_payment_method":
                return
            yield self._snapshot(
                invoice,
                f"failed:{invoice.get('attempt_count', 0)}",
                "invoice.payment_failed",
                _timestamp(invoice.get("created")) or observed_at,
            )

    def _subscription_snapshots(self, since: datetime.datetime, observed_at: datetime.datetime):
        # Every live subscription, however old: a lost cancellation or renewal of a gift
        # started last year is exactly what reconcile is for. Ended ones only if recent.
        with self._errors():
            pages = self._client.v1.subscriptions.list(params={"status": "all", "limit": 100})
            for item in pages.auto_paging_iter():
                subscription = _as_dict(item)
                status = subscription.get("status") or ""
                ended = _timestamp(subscription.get("canceled_at") or subscription.get("ended_at"))
                if status in ("canceled", "incomplete_expired"):
                    if ended is None or ended < since:
                        continue
                    event_type, occurred_at = "customer.subscription.deleted", ended
                else:
                    event_type, occurred_at = "customer.subscription.updated", observed_at
                price_id = _price_of(_first_item(subscription))[0]
                period_end = subscription.get("current_period_end") or _first_item(
                    subscription
                ).get("current_period_end")
                yield self._snapshot(
                    subscription, f"{status}:{price_id}:{period_end}", event_type, occurred_at
                )

    def _snapshot(
        self, obj: dict, state: str, event_type: str, occurred_at: datetime.datetime
    ) -> ProviderEvent:
        """What reconcile saw of `obj`, as the event Stripe sends for it. The id names the
        object and the state seen, so seeing the same state again is the same event."""
        return self._translate(
            f"reconcile:{obj['id']}:{state}", event_type, occurred_at, obj, {"object": obj}
        )

    def _list(self, service: Any, since: datetime.datetime) -> Iterator[dict]:
        params: dict[str, Any] = {"limit": 100}
        cutoff = int(since.timestamp())
        if not self.localstripe:
            params["created"] = {"gte": cutoff}
        with self._errors():
            for item in service.list(params=params).auto_paging_iter():
                obj = _as_dict(item)
                # localstripe cannot filter by date: do it here.
                if int(obj.get("created") or 0) >= cutoff:
                    yield obj

    # Errors ----------------------------------------------------------------------------

    @contextmanager
    def _errors(self, charging: bool = False) -> Iterator[None]:
        """Translate the SDK's exceptions into the interface's, with donor-readable messages."""
        sent_before = self._http.sent()
        try:
            yield
        except stripe.CardError as exc:
            body = exc.json_body if isinstance(exc.json_body, Mapping) else {}
            error = body.get("error") or {}
            code = error.get("decline_code") or exc.code or "card_declined"
            raise PaymentError(
                _decline_message(code), code=code, retryable=code == "processing_error"
            ) from exc
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            # A charge that never left (no time left to send it) charged nothing.
            raise self._unavailable(charging and self._http.sent() > sent_before) from exc
        except stripe.APIError as exc:
            if exc.http_status is None or exc.http_status >= 500:
                raise self._unavailable(charging) from exc
            raise PaymentError(_generic_failure(), code=exc.code or "api_error") from exc
        except stripe.StripeError as exc:
            # Not Stripe's message: it can quote what was sent. The request id finds it in
            # Stripe's dashboard.
            logger.error(
                "Stripe refused a request: %s, code %s, parameter %s, request %s",
                type(exc).__name__,
                exc.code,
                getattr(exc.error, "param", None),
                exc.request_id,
            )
            # Stripe names a missing object "resource_missing"; localstripe only answers 404.
            missing = "resource_missing" if exc.http_status == 404 else "stripe_error"
            raise PaymentError(_generic_failure(), code=exc.code or missing) from exc

    @staticmethod
    def _unavailable(charging: bool) -> ProviderUnavailable:
        """`charging`: the request that failed may have charged."""
        if charging:
            # The request may have reached Stripe before the connection failed: do not promise
            # that nothing was charged. A charge that did happen arrives by webhook, and
            # `reconcile` settles one that did not.
            return OutcomeUnknown(
                gettext(
                    "The payment service did not answer in time. If the payment went through, "
                    "you will receive a receipt by e-mail; please check before trying again."
                )
            )
        return ProviderUnavailable(
            gettext("The payment service is not answering. Nothing was charged; please try again.")
        )
