"""The monthly goal: "$6,420 of $10,000 this month"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from samizdat.payments.base import Frequency

from .models import Campaign, Donation, RecurringDonation


@dataclass(frozen=True)
class Progress:
    raised_minor: int
    goal_minor: int
    currency: str

    @property
    def percent(self) -> int:
        """Whole percent, capped at 100 for the progress bar."""
        if self.goal_minor <= 0:
            return 0
        return min(100, self.raised_minor * 100 // self.goal_minor)


def month_start(today: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(today.year, today.month, 1))


def month_progress(campaign: Campaign, today: datetime.date | None = None) -> Progress:
    """Recurring gifts active now (annual ones count as a twelfth) plus this month's one-time gifts.

    Only gifts in the campaign's currency count: converting currencies would make the
    number move with exchange rates, which readers would not understand.
    """
    today = today or timezone.localdate()
    start = month_start(today)
    active = RecurringDonation.objects.filter(
        status=RecurringDonation.Status.ACTIVE, currency=campaign.currency
    )
    by_frequency = dict(
        active.values("frequency")
        .annotate(total=Sum("amount_minor"))
        .values_list("frequency", "total")
    )
    recurring = by_frequency.get(Frequency.MONTHLY, 0) + round(
        by_frequency.get(Frequency.ANNUAL, 0) / 12
    )
    one_time = (
        Donation.objects.filter(
            status=Donation.Status.PAID,
            frequency=Frequency.ONCE,
            currency=campaign.currency,
            paid_at__gte=start,
            paid_at__date__lte=today,
        ).aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )
    return Progress(
        raised_minor=recurring + one_time,
        goal_minor=campaign.goal_minor,
        currency=campaign.currency,
    )


def current_progress(today: datetime.date | None = None) -> Progress | None:
    campaign = Campaign.objects.filter(active=True).first()
    return month_progress(campaign, today) if campaign else None
