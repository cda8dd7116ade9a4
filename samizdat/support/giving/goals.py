"""The monthly goal: "$6,420 of $10,000 this month"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from ..models import Campaign, Donation, RecurringDonation


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


def month_progress(campaign: Campaign, today: datetime.date | None = None) -> Progress:
    """Recurring gifts active now (annual ones count as a twelfth) plus this month's one-time gifts.

    Only gifts in the campaign's currency count: converting currencies would make the
    number move with exchange rates, which readers would not understand.
    """
    today = today or timezone.localdate()
    recurring = RecurringDonation.objects.active().in_currency(campaign.currency).monthly_minor()
    one_time = (
        Donation.objects.paid()
        .one_time()
        .in_currency(campaign.currency)
        .in_month(today)
        .aggregate(total=Sum("amount_minor"))["total"]
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
