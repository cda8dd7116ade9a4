"""Stripe's signed events, checked and translated into the interface's ProviderEvents."""

from __future__ import annotations

import datetime
import json
import logging
import math
import re
import time
from collections.abc import Mapping
from typing import Any

import stripe

from samizdat.ids import parse_id
from samizdat.payments.base import EventKind, Frequency, InvalidWebhook, PaymentError, ProviderEvent
from samizdat.payments.providers.stripe.client import as_dict, id_of, within_budget
from samizdat.payments.providers.stripe.errors import StripeErrors, decline_message
from samizdat.payments.providers.stripe.objects import (
    datetime_of,
    first_item,
    frequency_of,
    invoice_subscription,
    metadata_of,
    period_end_of,
    price_of,
)

logger = logging.getLogger(__name__)

WEBHOOK_TOLERANCE_SECONDS = 300
# Bounds of what a signed event may carry: an amount a bigint holds with room to add, no deeper
# than Stripe's own objects nest.
MAX_AMOUNT_MINOR = 10**15
MAX_EVENT_DEPTH = 32

SUBSCRIPTION_EVENT_KINDS = {
    "customer.subscription.created": EventKind.RECURRING_STARTED,
    "customer.subscription.updated": EventKind.RECURRING_UPDATED,
    "customer.subscription.paused": EventKind.RECURRING_UPDATED,
    "customer.subscription.resumed": EventKind.RECURRING_UPDATED,
    "customer.subscription.deleted": EventKind.RECURRING_CANCELLED,
}
REFUND_EVENT_TYPES = {"refund.created", "refund.updated", "charge.refund.updated"}


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


def _header(headers: Mapping[str, str], name: str) -> str:
    # Django's request.headers is case-insensitive; a plain dict in a test may not be.
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value or ""


class Webhooks(StripeErrors):
    """What a signed event from Stripe says happened."""

    webhook_secret: str
    localstripe: bool

    @within_budget
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
            occurred_at = datetime_of(created)
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
                customer_id=id_of(obj.get("customer")),
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
        metadata = metadata_of(intent)
        # Invoices pay recurring gifts through PaymentIntents too; those arrive as invoice
        # events. Only our own one-time PaymentIntents (tagged at checkout) are gifts here.
        if id_of(intent.get("invoice")) or metadata.get("frequency") != Frequency.ONCE.value:
            return ProviderEvent(kind=EventKind.IGNORED, **base)
        succeeded = base["type"] == "payment_intent.succeeded" or (
            intent.get("status") == "succeeded"
        )
        if not succeeded:
            error = intent.get("last_payment_error") or {}
            metadata["failure_message"] = decline_message(
                error.get("decline_code") or error.get("code")
            )
        return ProviderEvent(
            kind=EventKind.PAYMENT_SUCCEEDED if succeeded else EventKind.PAYMENT_FAILED,
            payment_id=intent.get("id", ""),
            customer_id=id_of(intent.get("customer")),
            amount_minor=intent.get("amount_received") or intent.get("amount"),
            currency=intent.get("currency") or "",
            frequency=Frequency.ONCE,
            metadata=metadata,
            **base,
        )

    def _invoice_event(self, base: dict, invoice: Mapping) -> ProviderEvent:
        subscription_id, metadata = invoice_subscription(invoice)
        if not subscription_id:
            return ProviderEvent(kind=EventKind.IGNORED, **base)
        lines = (invoice.get("lines") or {}).get("data") or []
        # The line of the price being paid for, not a credit for unused time on the old one
        # (whose period, a month, is not the gift's when it became annual).
        priced = [dict(item) for item in lines if price_of(item)[0]]
        line = next(
            (item for item in priced if not item.get("proration")),
            priced[0] if priced else (lines[0] if lines else {}),
        )
        price_id, _amount, _currency, interval = price_of(line)
        metadata.update({k: v for k, v in metadata_of(line).items() if k not in metadata})
        if invoice.get("customer_email"):
            metadata["email"] = invoice["customer_email"]
        if invoice.get("customer_name"):
            metadata["name"] = invoice["customer_name"]
        paid = base["type"] != "invoice.payment_failed"
        if not paid and invoice.get("attempt_count"):
            metadata["attempt"] = str(invoice["attempt_count"])  # dunning e-mails count them
        period_end = datetime_of((line.get("period") or {}).get("end"))
        return ProviderEvent(
            kind=EventKind.RECURRING_PAID if paid else EventKind.RECURRING_PAYMENT_FAILED,
            payment_id=invoice.get("id", ""),
            subscription_id=subscription_id,
            customer_id=id_of(invoice.get("customer")),
            amount_minor=invoice.get("amount_paid") if paid else invoice.get("amount_due"),
            currency=invoice.get("currency") or "",
            frequency=frequency_of(interval, price_id, metadata),
            current_period_end=period_end,
            metadata=metadata,
            **base,
        )

    def _subscription_event(self, base: dict, kind: EventKind, subscription: Mapping):
        item = first_item(subscription)
        price_id, unit_amount, currency, interval = price_of(item)
        metadata = metadata_of(subscription)
        quantity = item.get("quantity") or 1
        if unit_amount is not None and (type(unit_amount) is not int or type(quantity) is not int):
            # Only numbers multiply: a text amount times a large quantity is a huge string.
            raise ValueError("a subscription item's amount and quantity are not integers")
        return ProviderEvent(
            kind=kind,
            payment_id=id_of(subscription.get("latest_invoice")),
            subscription_id=subscription.get("id", ""),
            customer_id=id_of(subscription.get("customer")),
            amount_minor=unit_amount * quantity if unit_amount is not None else None,
            currency=currency or subscription.get("currency") or "",
            frequency=frequency_of(interval, price_id, metadata),
            subscription_status=subscription.get("status") or "",
            current_period_end=period_end_of(subscription),
            metadata=metadata,
            **base,
        )

    def _refunded_payment(self, intent_ref: Any, charge: Mapping) -> tuple[str, dict[str, str]]:
        """Which of our payments a refund undoes: the invoice for a recurring payment (our
        Donation for it is keyed by invoice id), else the one-time PaymentIntent.

        Older API versions say so on the charge; otherwise one read of the PaymentIntent.
        """
        intent_id = id_of(intent_ref)
        if not intent_id and id_of(charge) and "payment_intent" not in charge:
            with self._errors():  # a refund names its charge only by id
                charge = as_dict(self._client.v1.charges.retrieve(id_of(charge)))
            intent_id = id_of(charge.get("payment_intent"))
        metadata = {"payment_intent": intent_id, "charge": id_of(charge)}
        invoice_id = id_of(charge.get("invoice"))
        if invoice_id:
            return invoice_id, metadata
        if not intent_id:
            return "", metadata
        intent = intent_ref if isinstance(intent_ref, Mapping) else {}
        if not intent or ("invoice" not in intent and not metadata_of(intent)):
            with self._errors():
                intent = as_dict(self._client.v1.payment_intents.retrieve(intent_id))
        invoice_id = id_of(intent.get("invoice"))
        if invoice_id:
            return invoice_id, metadata
        if metadata_of(intent).get("frequency") == Frequency.ONCE.value or self.localstripe:
            return intent_id, metadata
        with self._errors():
            payments = self._client.v1.invoice_payments.list(
                params={"payment": {"type": "payment_intent", "payment_intent": intent_id}}
            )
        for payment in payments.data:
            invoice_id = id_of(as_dict(payment).get("invoice"))
            if invoice_id:
                return invoice_id, metadata
        return intent_id, metadata
