"""Reconciliation: the current state of recent Stripe objects, told as the events Stripe sends."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from samizdat.payments.base import ProviderEvent
from samizdat.payments.providers.stripe.client import as_dict
from samizdat.payments.providers.stripe.errors import StripeErrors
from samizdat.payments.providers.stripe.objects import (
    datetime_of,
    first_item,
    invoice_subscription,
    price_of,
)


class Reconcile(StripeErrors):
    """Replays what webhooks may have missed, translated as `Webhooks` translates a webhook;
    each state seen is one event id."""

    localstripe: bool

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
                intent, status, event_type, datetime_of(intent.get("created")) or observed_at
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
                datetime_of(refund.get("created")) or observed_at,
            )

    def _invoice_snapshot(self, invoice: dict, observed_at: datetime.datetime):
        if not invoice_subscription(invoice)[0]:
            return
        status = invoice.get("status")
        if status == "paid":
            paid_at = (invoice.get("status_transitions") or {}).get("paid_at")
            yield self._snapshot(
                invoice,
                "paid",
                "invoice.paid",
                datetime_of(paid_at or invoice.get("created")) or observed_at,
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
                datetime_of(invoice.get("created")) or observed_at,
            )

    def _subscription_snapshots(self, since: datetime.datetime, observed_at: datetime.datetime):
        # Every live subscription, however old: a lost cancellation or renewal of a gift
        # started last year is exactly what reconcile is for. Ended ones only if recent.
        with self._errors():
            pages = self._client.v1.subscriptions.list(params={"status": "all", "limit": 100})
            for item in pages.auto_paging_iter():
                subscription = as_dict(item)
                status = subscription.get("status") or ""
                ended = datetime_of(subscription.get("canceled_at") or subscription.get("ended_at"))
                if status in ("canceled", "incomplete_expired"):
                    if ended is None or ended < since:
                        continue
                    event_type, occurred_at = "customer.subscription.deleted", ended
                else:
                    event_type, occurred_at = "customer.subscription.updated", observed_at
                price_id = price_of(first_item(subscription))[0]
                period_end = subscription.get("current_period_end") or first_item(subscription).get(
                    "current_period_end"
                )
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
                obj = as_dict(item)
                # localstripe cannot filter by date: do it here.
                if int(obj.get("created") or 0) >= cutoff:
                    yield obj

    # Errors ----------------------------------------------------------------------------
