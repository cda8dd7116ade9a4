"""A donor's yearly summary of gifts: a printable page from the self-service link, in the page's
language, listing the year's paid gifts and the total per currency. It names the newsroom and,
if the donor gave one (and is not anonymous), their name; never their address or card."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from ..models import Donor
from ..money import format_money


@dataclass(frozen=True)
class YearlySummary:
    year: int
    gifts: list[dict]
    totals: list[str]  # one per currency, e.g. ["$45", "€10"]


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, start.replace(year=year + 1)


def paid_gifts(donor: Donor):
    return donor.donations.paid().filter(paid_at__isnull=False)


def years_with_gifts(donor: Donor) -> list[int]:
    return sorted(
        {
            timezone.localtime(paid).year
            for paid in paid_gifts(donor).values_list("paid_at", flat=True)
        },
        reverse=True,
    )


def yearly_summary(donor: Donor, year: int) -> YearlySummary:
    start, end = _year_bounds(year)
    gifts, totals = [], defaultdict(int)
    for donation in (
        paid_gifts(donor).filter(paid_at__gte=start, paid_at__lt=end).order_by("paid_at", "pk")
    ):
        totals[donation.currency] += donation.amount_minor
        gifts.append(
            {
                "date": timezone.localtime(donation.paid_at),
                "amount": format_money(donation.amount_minor, donation.currency),
                "frequency": donation.get_frequency_display(),
                "reference": donation.provider_payment_id or f"#{donation.pk}",
            }
        )
    return YearlySummary(
        year=year,
        gifts=gifts,
        totals=[format_money(amount, currency) for currency, amount in sorted(totals.items())],
    )
