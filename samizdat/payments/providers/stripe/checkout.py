"""Taking a gift: the donor's card on a Customer, charged once or subscribed; the answer read."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from samizdat.payments.base import (
    CheckoutRequest,
    CheckoutResult,
    CheckoutStatus,
    PaymentError,
    ProviderUnavailable,
)
from samizdat.payments.providers.stripe.client import as_dict, id_of, within_budget
from samizdat.payments.providers.stripe.errors import StripeErrors, decline_message, generic_failure
from samizdat.payments.providers.stripe.objects import invoice_subscription, period_end_of

logger = logging.getLogger(__name__)

# The card check before a checkout gets this share of the budget: if Stripe is slow, the
# checkout goes ahead without it rather than wait twice.
FINGERPRINT_SHARE = 0.25

# The only metadata Stripe gets: our ids, which the ledger finds a payment's donation and appeal
# by. Whatever else a caller puts in a request stays here.
SENT_METADATA = ("donation_id", "variant_id")


def sent_metadata(request: CheckoutRequest) -> dict[str, str]:
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


class Checkout(StripeErrors):
    """One-time and first recurring payments, and what became of them. A recurring gift's
    subscription is started by `Recurring`, beside it in `StripeProvider`."""

    localstripe: bool
    statement_descriptor_suffix: str

    def card_fingerprint(self, payment_token: str) -> str:
        """The card's fingerprint (the same for every token of one card number), read before
        any charge so that checkout can limit attempts per card; "" if Stripe does not say."""
        token = (payment_token or "").strip()
        try:
            with self._http.within(self._http.budget * FINGERPRINT_SHARE):
                if token.startswith("tok_"):
                    with self._errors():
                        found = as_dict(self._client.v1.tokens.retrieve(token))
                elif token.startswith("pm_"):
                    with self._errors():
                        found = as_dict(self._client.v1.payment_methods.retrieve(token))
                else:
                    return ""
        except PaymentError:
            return ""  # the charge that follows meets the same error and reports it
        return str((found.get("card") or {}).get("fingerprint") or "")

    # Taking money ----------------------------------------------------------------------

    @within_budget
    def start_checkout(self, request: CheckoutRequest) -> CheckoutResult:
        if request.amount_minor <= 0:
            raise PaymentError(generic_failure(), code="invalid_amount")
        metadata = sent_metadata(request)
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
            customer = as_dict(
                self._client.v1.customers.create(
                    params=params,
                    options={"idempotency_key": f"{request.idempotency_key}:customer"},
                )
            )
        payment_method = token if token.startswith("pm_") else id_of(customer.get("default_source"))
        if not payment_method:
            raise PaymentError(decline_message(None), code="no_payment_method")
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
            intent = as_dict(
                self._client.v1.payment_intents.create(
                    params=params,
                    options={"idempotency_key": f"{request.idempotency_key}:payment-intent"},
                )
            )
        return self._intent_result(intent)

    @within_budget
    def payment_status(self, payment_id: str) -> CheckoutResult:
        with self._errors():
            if payment_id.startswith("pi_"):
                return self._intent_result(
                    as_dict(self._client.v1.payment_intents.retrieve(payment_id))
                )
            if payment_id.startswith("sub_"):
                return self._subscription_result(
                    as_dict(self._client.v1.subscriptions.retrieve(payment_id))
                )
            invoice = as_dict(self._client.v1.invoices.retrieve(payment_id))
        subscription_id, _ = invoice_subscription(invoice)
        if subscription_id:
            with self._errors():
                subscription = as_dict(self._client.v1.subscriptions.retrieve(subscription_id))
            if id_of(subscription.get("latest_invoice")) == invoice["id"]:
                return self._subscription_result(subscription)
        return self._invoice_result(invoice, subscription_id)

    # Reading Stripe's answers ------------------------------------------------------------

    def _intent_result(self, intent: Mapping) -> CheckoutResult:
        status = intent.get("status")
        common = {"payment_id": intent.get("id", ""), "customer_id": id_of(intent.get("customer"))}
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
            error_message=decline_message(error.get("decline_code") or error.get("code")),
            **common,
        )

    def _subscription_result(self, subscription: Mapping) -> CheckoutResult:
        status = subscription.get("status")
        invoice_id = id_of(subscription.get("latest_invoice"))
        common = {
            "payment_id": invoice_id,
            "subscription_id": subscription.get("id", ""),
            "customer_id": id_of(subscription.get("customer")),
            "current_period_end": period_end_of(subscription),
        }
        if status in ("active", "trialing"):
            return CheckoutResult(CheckoutStatus.SUCCEEDED, **common)
        if status == "incomplete" and invoice_id:
            return self._open_invoice_result(invoice_id, None, common)
        return CheckoutResult(CheckoutStatus.FAILED, error_message=generic_failure(), **common)

    def _invoice_result(self, invoice: Mapping, subscription_id: str) -> CheckoutResult:
        common = {
            "payment_id": invoice.get("id", ""),
            "subscription_id": subscription_id,
            "customer_id": id_of(invoice.get("customer")),
        }
        if invoice.get("status") == "paid":
            return CheckoutResult(CheckoutStatus.SUCCEEDED, **common)
        if invoice.get("status") == "open":
            return self._open_invoice_result(invoice["id"], invoice, common)
        return CheckoutResult(CheckoutStatus.FAILED, error_message=generic_failure(), **common)

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
                invoice = as_dict(self._client.v1.invoices.retrieve(invoice_id))
            intent_id = id_of(invoice.get("payment_intent"))
            if not intent_id and not self.localstripe:
                payments = self._client.v1.invoice_payments.list(params={"invoice": invoice_id})
                for payment in payments.data:
                    detail = as_dict(payment).get("payment") or {}
                    intent_id = id_of(detail.get("payment_intent"))
                    if intent_id:
                        break
            if not intent_id:
                return {}
            return as_dict(self._client.v1.payment_intents.retrieve(intent_id))
