"""Recurring gifts: plans, subscriptions, and the donor's changes to them."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Mapping
from typing import Any

import stripe
from django.utils.translation import gettext

from samizdat.payments.base import (
    CardSetup,
    CheckoutRequest,
    CheckoutResult,
    CheckoutStatus,
    Frequency,
    PaymentError,
)
from samizdat.payments.providers.stripe.checkout import sent_metadata
from samizdat.payments.providers.stripe.client import as_dict, id_of, within_budget
from samizdat.payments.providers.stripe.errors import StripeErrors, generic_failure
from samizdat.payments.providers.stripe.objects import (
    INTERVALS,
    first_item,
    period_end_of,
    plan_id_for,
    price_of,
)

logger = logging.getLogger(__name__)

PRODUCT_NAMES = {Frequency.MONTHLY: "Monthly donation", Frequency.ANNUAL: "Annual donation"}


class Recurring(StripeErrors):
    """Subscriptions started, changed, given a new card and cancelled; their first payment
    read as `Checkout` reads it."""

    localstripe: bool
    statement_descriptor_suffix: str

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
            subscription = as_dict(
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

    @within_budget
    def start_recurring_with_saved_method(
        self, request: CheckoutRequest, payment_id: str
    ) -> CheckoutResult:
        """A subscription on the customer and card of a paid one-time PaymentIntent that saved
        the card (`setup_future_usage`), charged off-session: the donor is not there to
        confirm with their bank, so a payment that needs it fails and leaves nothing behind."""
        if not request.frequency.recurring or request.amount_minor <= 0:
            raise PaymentError(generic_failure(), code="invalid_amount")
        intent: dict = {}
        if payment_id.startswith("pi_"):
            with self._errors():
                intent = as_dict(self._client.v1.payment_intents.retrieve(payment_id))
        customer, card = id_of(intent.get("customer")), id_of(intent.get("payment_method"))
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
            sent_metadata(request),
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
                plan = as_dict(
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
                id_of(product), params={"statement_descriptor": self.statement_descriptor_suffix}
            )

    # Managing recurring gifts ----------------------------------------------------------

    @within_budget
    def change_recurring(
        self, subscription_id: str, amount_minor: int, currency: str, frequency: Frequency
    ) -> datetime.datetime | None:
        """The change starts from the next payment: nothing is charged or credited now."""
        if not frequency.recurring or amount_minor <= 0:
            raise PaymentError(generic_failure(), code="invalid_change")
        with self._errors():
            subscription = as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
        item = first_item(subscription)
        next_payment_at = period_end_of(subscription)
        # A deterministic key: two donors switching to the same new amount create one plan.
        plan = plan_id_for(amount_minor, currency, frequency)
        self._ensure_plan(amount_minor, currency, frequency, idempotency_key=f"plan:{plan}")
        if price_of(item)[0] == plan:
            return next_payment_at
        params: dict[str, Any] = {
            "items": [{"id": item["id"], "plan": plan}],
            "proration_behavior": "none",
        }
        if (
            price_of(item)[3] != INTERVALS[frequency]
            and next_payment_at is not None
            and next_payment_at > datetime.datetime.now(datetime.UTC)
        ):
            # Stripe bills a new interval at once; a trial until the paid period ends moves
            # that first charge of the new interval to the day the next payment was due.
            params["trial_end"] = int(next_payment_at.timestamp())
        with self._errors():
            self._client.v1.subscriptions.update(subscription_id, params=params)
        return next_payment_at

    @within_budget
    def start_card_update(self, subscription_id: str) -> CardSetup:
        with self._errors():
            subscription = as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
            intent = as_dict(
                self._client.v1.setup_intents.create(
                    params={
                        "customer": id_of(subscription.get("customer")),
                        "usage": "off_session",
                        "payment_method_types": ["card"],
                    }
                )
            )
        return CardSetup(setup_id=intent["id"], client_secret=intent["client_secret"])

    @within_budget
    def finish_card_update(self, subscription_id: str, setup_id: str) -> None:
        with self._errors():
            subscription = as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
            intent = as_dict(self._client.v1.setup_intents.retrieve(setup_id))
        customer = id_of(subscription.get("customer"))
        card = id_of(intent.get("payment_method"))
        if (
            intent.get("status") != "succeeded"
            or id_of(intent.get("customer")) != customer
            or not card
        ):
            # Another donor's SetupIntent, or one the bank did not confirm: change nothing.
            raise PaymentError(
                gettext("Your new card was not confirmed. Nothing was changed."),
                code="card_not_set_up",
            )
        with self._errors():
            method = as_dict(self._client.v1.payment_methods.retrieve(card))
            if id_of(method.get("customer")) != customer:
                self._client.v1.payment_methods.attach(card, params={"customer": customer})
            # The customer's default too: invoices fall back to it, and localstripe charges it.
            self._client.v1.customers.update(
                customer, params={"invoice_settings": {"default_payment_method": card}}
            )
            self._client.v1.subscriptions.update(
                subscription_id, params={"default_payment_method": card}
            )

    @within_budget
    def cancel_recurring(self, subscription_id: str) -> None:
        with self._errors():
            try:
                self._client.v1.subscriptions.cancel(subscription_id)
            except stripe.InvalidRequestError:
                # Cancelling twice (a double click, a retry) is not an error if it is cancelled.
                current = as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
                if current.get("status") not in ("canceled", "incomplete_expired"):
                    raise
