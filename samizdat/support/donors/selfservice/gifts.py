"""What a donor can do to a recurring gift: the provider is asked first, then our records."""

from __future__ import annotations

import datetime

from django.utils import timezone

from samizdat.payments.base import Frequency
from samizdat.payments.registry import get_provider

from ...models import RecurringDonation
from ..gift_notices import send_gift_changed


def change_gift(recurring: RecurringDonation, amount_minor: int, frequency: Frequency) -> None:
    """Change the amount or frequency of a recurring gift, from its next payment: nothing is
    charged now. Raises PaymentError.

    The provider is asked first: our record changes only once it agreed, so a refusal
    leaves everything as it was. The webhook that follows repeats what we already wrote.
    The donor gets an e-mail saying what they give now and from when.
    """
    starts_at = get_provider(recurring.provider).change_recurring(
        recurring.provider_subscription_id, amount_minor, recurring.currency, frequency
    )
    RecurringDonation.objects.filter(pk=recurring.pk).update(
        amount_minor=amount_minor, frequency=frequency.value
    )
    starts_at = starts_at or next_payment_at(recurring)
    send_gift_changed.enqueue(
        recurring.pk,
        recurring.amount_minor,
        recurring.frequency,
        starts_at.isoformat() if starts_at else None,
    )


def next_payment_at(recurring: RecurringDonation) -> datetime.datetime | None:
    """When a running gift is next charged: the end of the period paid for, if still ahead."""
    end = recurring.current_period_end
    if recurring.status != RecurringDonation.Status.ACTIVE or end is None:
        return None
    return end if end > timezone.now() else None


def cancel_gift(recurring: RecurringDonation) -> None:
    """Stop a recurring gift at the provider, then here. Raises PaymentError."""
    get_provider(recurring.provider).cancel_recurring(recurring.provider_subscription_id)
    # As of now: a delayed event from before the cancellation cannot revive it.
    recurring.cancel(timezone.now())


def can_update_card(gift: RecurringDonation) -> bool:
    try:
        provider = get_provider(gift.provider)
    except Exception:  # a provider no longer configured: nothing to offer
        return False
    return callable(getattr(provider, "start_card_update", None))
