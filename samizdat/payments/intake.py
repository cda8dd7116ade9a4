"""Accepting provider events: stored under their unique id, then applied, in one transaction.

Webhooks and `reconcile` both come through here. The stored row is what makes a replay a no-op,
and storing it in the same transaction as its effects means an event whose handling failed is
not stored either, so the provider's retry (or the next reconcile) applies it again.

The handler that applies events lives outside this app (settings.SAMIZDAT_PAYMENT_EVENT_HANDLER):
payments knows about providers, not about donations.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from .base import ProviderEvent
from .models import WebhookEvent

DEFAULT_HANDLER = "samizdat.support.ledger.apply_event"


def event_handler() -> Callable[[ProviderEvent, str], None]:
    return import_string(getattr(settings, "SAMIZDAT_PAYMENT_EVENT_HANDLER", DEFAULT_HANDLER))


def accept_event(provider: str, event: ProviderEvent) -> bool:
    """Store and apply one event. False if it was stored before (a replay: nothing applied).

    An exception from the handler propagates and leaves nothing stored.
    """
    handler = event_handler()
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    provider=provider,
                    event_id=event.id,
                    type=event.type[:100],
                    kind=event.kind.value,
                    occurred_at=event.occurred_at,
                    payload=_jsonable(event.payload),
                )
        except IntegrityError:
            return False
        handler(event, provider)
    return True


def _jsonable(payload) -> dict:
    # Round-trip so dates or decimals in a provider object cannot fail the insert.
    return json.loads(json.dumps(dict(payload or {}), cls=DjangoJSONEncoder, default=str))
