"""Accepting provider events: stored under their unique id, then applied, in one transaction.

The stored row makes a replay a no-op; a failed handler stores nothing, so the retry applies it
again. The row goes in with INSERT … ON CONFLICT DO NOTHING: a concurrent duplicate waits on the
unique index. Events that overtook what they need are parked (`park_event`) until it arrives.
Payloads are minimised to an allow-list (`KEPT_KEYS`): no personal data reaches the database.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from samizdat.core.prepared import Prepared

from .base import EventKind, Frequency, ProviderEvent
from .models import WebhookEvent

DEFAULT_HANDLER = "samizdat.support.giving.ledger.apply_event"
# What settles payments still waiting for an answer, for `reconcile`: given the provider and
# how old a waiting payment must be, returns a count per outcome.
DEFAULT_PENDING_HANDLER = "samizdat.support.giving.ledger.settle_pending"


def event_handler() -> Callable[[ProviderEvent, str], None]:
    return import_string(getattr(settings, "SAMIZDAT_PAYMENT_EVENT_HANDLER", DEFAULT_HANDLER))


def pending_handler() -> Callable[..., Mapping[str, int]]:
    return import_string(
        getattr(settings, "SAMIZDAT_PENDING_PAYMENTS_HANDLER", DEFAULT_PENDING_HANDLER)
    )


def accept_event(provider: str, event: ProviderEvent) -> bool:
    """Store and apply one event. False if it was stored before (a replay: nothing applied).

    An exception from the handler propagates and leaves nothing stored.
    """
    handler = event_handler()
    with transaction.atomic(using=router.db_for_write(WebhookEvent)):
        if not _store(provider, event):
            return False
        handler(event, provider)
    return True


# The keys of a provider's event, at any depth, whose values are kept: ids (of the event and of
# the objects it names), amounts, currencies, statuses and times. A dict or list under a kept
# key is minimised in turn, so an expanded object keeps its id and loses the rest. Anything not
# named here goes: e-mail, name, address, phone, card (brand, last4, fingerprint…), billing and
# shipping details, IP addresses, descriptions, receipt and invoice links, free text.
KEPT_KEYS = frozenset(
    {
        # the event and what it is about
        "id",
        "object",
        "type",
        "api_version",
        "livemode",
        "data",
        "previous_attributes",
        "deleted",
        # the objects it names (an id, or an expanded object minimised in turn)
        "customer",
        "subscription",
        "subscription_item",
        "invoice",
        "payment_intent",
        "charge",
        "latest_invoice",
        "latest_charge",
        "payment",
        "payments",
        "plan",
        "price",
        "product",
        "items",
        "lines",
        "charges",
        "refunds",
        "parent",
        "subscription_details",
        "subscription_item_details",
        "pricing",
        "price_details",
        # money
        "amount",
        "amount_due",
        "amount_paid",
        "amount_remaining",
        "amount_received",
        "amount_refunded",
        "amount_captured",
        "unit_amount",
        "quantity",
        "subtotal",
        "total",
        "currency",
        # statuses
        "status",
        "paid",
        "refunded",
        "captured",
        "attempted",
        "attempt_count",
        "billing_reason",
        "cancel_at_period_end",
        "interval",
        "interval_count",
        "recurring",
        "last_payment_error",
        "code",
        "decline_code",
        "failure_code",
        # times
        "created",
        "period",
        "start",
        "end",
        "current_period_start",
        "current_period_end",
        "start_date",
        "billing_cycle_anchor",
        "cancel_at",
        "canceled_at",
        "ended_at",
        "trial_start",
        "trial_end",
        "status_transitions",
        "finalized_at",
        "paid_at",
        "voided_at",
        "marked_uncollectible_at",
    }
)
# Metadata is whatever someone put there: only our own ids (and a gift's frequency) stay.
KEPT_METADATA = frozenset({"donation_id", "variant_id", "frequency"})


def minimise_payload(value: Any) -> Any:
    """`value` with only the KEPT_KEYS of every mapping in it, at any depth, and only the
    KEPT_METADATA of any metadata."""
    if isinstance(value, Mapping):
        kept = {}
        for key, item in value.items():
            if key == "metadata":
                if isinstance(item, Mapping):
                    kept[key] = {
                        k: str(v) for k, v in item.items() if k in KEPT_METADATA and v is not None
                    }
            elif key in KEPT_KEYS:
                kept[key] = minimise_payload(item)
        return kept
    if isinstance(value, list | tuple):
        return [minimise_payload(item) for item in value]
    return value


# Parked events keep these fields of the translated event: ids, amounts, statuses and times.
# Of its metadata, which may carry an address or a name, only a failed payment's reason.
FACTS = (
    "payment_id",
    "subscription_id",
    "customer_id",
    "amount_minor",
    "currency",
    "frequency",
    "subscription_status",
    "current_period_end",
)


def park_event(provider: str, event: ProviderEvent, waiting_for: str) -> None:
    """Keep `event` to apply once the payment `waiting_for` happens, in the caller's
    transaction: stored (or its stored row marked) as parked rather than applied."""
    facts = {name: getattr(event, name) for name in FACTS}
    facts["frequency"] = event.frequency.value if event.frequency else None
    end = event.current_period_end
    facts["current_period_end"] = end.isoformat() if end else None
    # The donor-readable reason a payment failed, the only metadata a parked event needs.
    facts["failure_message"] = str(event.metadata.get("failure_message") or "")
    changes = {"status": WebhookEvent.Status.PARKED, "waiting_for": waiting_for, "facts": facts}
    parked = WebhookEvent.objects.filter(provider=provider, event_id=event.id).update(**changes)
    if not parked:  # applied without intake (a test, a shell): keep it all the same
        WebhookEvent.objects.create(
            provider=provider,
            event_id=event.id,
            type=event.type[:100],
            kind=event.kind.value,
            occurred_at=event.occurred_at,
            **changes,
        )


def parked_events(provider: str, waiting_for: str) -> list[ProviderEvent]:
    """The events parked until payment `waiting_for` happened, oldest first, their rows
    locked until the caller's transaction ends."""
    if not waiting_for:
        return []
    return [_parked_event(row) for row in _PARKED(provider, waiting_for)]


# Asked for twice by every payment the ledger records (its payment's, its gift's): built once.
_PARKED = Prepared(
    WebhookEvent,
    lambda provider, waiting_for: (
        WebhookEvent.objects.select_for_update()
        .filter(provider=provider, status=WebhookEvent.Status.PARKED, waiting_for=waiting_for)
        .order_by("occurred_at", "pk")
    ),
)


def unpark(provider: str, events: list[ProviderEvent]) -> None:
    """Mark parked events applied (the caller applied them in its transaction)."""
    WebhookEvent.objects.filter(provider=provider, event_id__in=[e.id for e in events]).update(
        status=WebhookEvent.Status.APPLIED, waiting_for="", facts={}
    )


def _parked_event(row: WebhookEvent) -> ProviderEvent:
    facts = {name: row.facts.get(name) for name in FACTS}
    end = facts["current_period_end"]
    facts["current_period_end"] = datetime.datetime.fromisoformat(end) if end else None
    facts["frequency"] = Frequency(facts["frequency"]) if facts["frequency"] else None
    for name in FACTS:
        if facts[name] is None and name not in ("amount_minor", "frequency", "current_period_end"):
            facts[name] = ""
    failure = row.facts.get("failure_message")
    return ProviderEvent(
        id=row.event_id,
        kind=EventKind(row.kind),
        type=row.type,
        occurred_at=row.occurred_at,
        metadata={"failure_message": failure} if failure else {},
        **facts,
    )


_COLUMNS = (
    "provider",
    "event_id",
    "type",
    "kind",
    "occurred_at",
    "received_at",
    "payload",
    "status",
    "waiting_for",
    "facts",
)


def _store(provider: str, event: ProviderEvent) -> bool:
    """Insert the event's row unless one with its id exists; whether it was inserted."""
    values = {
        "provider": provider,
        "event_id": event.id,
        "type": event.type[:100],
        "kind": event.kind.value,
        "occurred_at": event.occurred_at,
        "received_at": timezone.now(),
        "payload": _jsonable(minimise_payload(event.payload or {})),
        "status": WebhookEvent.Status.APPLIED,
        "waiting_for": "",
        "facts": {},
    }
    connection = connections[router.db_for_write(WebhookEvent)]
    meta = WebhookEvent._meta
    quote = connection.ops.quote_name
    params = [meta.get_field(name).get_db_prep_save(values[name], connection) for name in _COLUMNS]
    # PostgreSQL and SQLite (3.35+) both speak ON CONFLICT … DO NOTHING RETURNING.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in _COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) "
        f"ON CONFLICT ({quote('provider')}, {quote('event_id')}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def _jsonable(payload: Mapping | None) -> dict:
    """The payload as plain JSON values. A webhook's body was parsed from JSON and needs
    nothing; objects from a provider's API (reconcile) may hold dates or decimals."""
    payload = dict(payload or {})
    try:
        json.dumps(payload)
    except (TypeError, ValueError):
        return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, default=str))
    return payload
