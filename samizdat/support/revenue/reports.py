"""The revenue team's numbers, as plain functions the admin views and the tests both call.

Every figure is in one currency at a time, in integer minor units: adding roubles to dollars
would make last month's revenue change with today's exchange rate.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from samizdat.core.months import add_months, first_of_month
from samizdat.payments import registry
from samizdat.payments.base import Frequency

from .. import money
from ..models import Appeal, AppealStat, AppealVariant, Donation, RecurringDonation

# The revenue team's money: always the currency's decimals, so that columns line up ("$1,234.56",
# "€20.00", "1,500.00 RUB"); whole=True drops them, for chart axes where they are noise.
format_money = partial(money.format_money, report=True)


# Months -------------------------------------------------------------------------------------


def _aware(day: datetime.date) -> datetime.datetime:
    # Month boundaries are midnights in the newsroom's time zone, as in goals.month_progress.
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day))


def spread_over_year(amount_minor: int) -> list[int]:
    """An annual gift as twelve monthly shares that add up to exactly the amount paid.

    Rounding each twelfth separately would lose or invent a cent a year; the first months
    take the remainder instead.
    """
    share, remainder = divmod(amount_minor, 12)
    return [share + (1 if month < remainder else 0) for month in range(12)]


# Revenue by month ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRevenue:
    month: datetime.date  # the first day of the month
    currency: str
    one_time_minor: int = 0
    monthly_minor: int = 0  # monthly instalments paid this month
    annual_share_minor: int = 0  # a twelfth of each annual instalment paid in the last 12 months
    annual_received_minor: int = 0  # annual instalments actually paid this month
    payments: int = 0

    @property
    def recurring_minor(self) -> int:
        """Monthly recurring revenue: monthly gifts, plus annual gifts counted as 1/12 a month."""
        return self.monthly_minor + self.annual_share_minor

    @property
    def recurring_received_minor(self) -> int:
        """What recurring gifts actually brought in this month (annual gifts in full)."""
        return self.monthly_minor + self.annual_received_minor

    @property
    def total_minor(self) -> int:
        return self.one_time_minor + self.recurring_minor


def revenue_by_month(
    currency: str, months: int = 12, today: datetime.date | None = None
) -> list[MonthRevenue]:
    """Paid gifts in `currency` for the `months` months up to `today`'s, oldest first.

    One-time gifts count in the month they were paid. Recurring revenue is the monthly value:
    a monthly instalment counts in its month, an annual one as a twelfth in each of the twelve
    months starting with the month it was paid. Pending, failed and refunded payments do not
    count: a refunded gift is money the newsroom gave back.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    currency = currency.lower()
    today = today or timezone.localdate()
    last = first_of_month(today)
    first = add_months(last, -(months - 1))
    # Annual gifts paid up to eleven months before the first month still have shares in it.
    earliest = add_months(first, -11)

    rows = (
        Donation.objects.paid()
        .in_currency(currency)
        .paid_between(_aware(earliest), _aware(today + datetime.timedelta(days=1)))
        .annotate(month=TruncMonth("paid_at"))
        .values("month", "frequency")
        .annotate(total=Sum("amount_minor"), count=Count("id"))
        .order_by()
    )

    window = [add_months(first, i) for i in range(months)]
    figures = {
        month: dict.fromkeys(
            ("one_time", "monthly", "annual_share", "annual_received", "payments"), 0
        )
        for month in window
    }
    for row in rows:
        paid_month = timezone.localtime(row["month"]).date()
        if row["frequency"] == Frequency.ANNUAL:
            for offset, share in enumerate(spread_over_year(row["total"])):
                month = add_months(paid_month, offset)
                if month in figures:
                    figures[month]["annual_share"] += share
        if paid_month not in figures:
            continue
        month_figures = figures[paid_month]
        month_figures["payments"] += row["count"]
        if row["frequency"] == Frequency.ONCE:
            month_figures["one_time"] += row["total"]
        elif row["frequency"] == Frequency.MONTHLY:
            month_figures["monthly"] += row["total"]
        elif row["frequency"] == Frequency.ANNUAL:
            month_figures["annual_received"] += row["total"]

    return [
        MonthRevenue(
            month=month,
            currency=currency,
            one_time_minor=f["one_time"],
            monthly_minor=f["monthly"],
            annual_share_minor=f["annual_share"],
            annual_received_minor=f["annual_received"],
            payments=f["payments"],
        )
        for month, f in figures.items()
    ]


@dataclass(frozen=True)
class MethodRevenue:
    provider: str  # Donation.provider: "stripe", "monero", "bitcoin"
    label: str
    total_minor: int
    payments: int


def revenue_by_method(
    currency: str, months: int = 12, today: datetime.date | None = None
) -> list[MethodRevenue]:
    """Paid gifts in `currency` over the last `months` months by the way they were paid, the
    largest first. A gift paid to an address counts at its value in the form's currency."""
    currency = currency.lower()
    today = today or timezone.localdate()
    first = add_months(first_of_month(today), -(months - 1))
    rows = (
        Donation.objects.paid()
        .in_currency(currency)
        .paid_between(_aware(first), _aware(today + datetime.timedelta(days=1)))
        .values("provider")
        .annotate(total=Sum("amount_minor"), count=Count("id"))
        .order_by("-total", "provider")
    )
    labels = {m.provider: m.label for m in registry.available_methods()}
    return [
        MethodRevenue(
            row["provider"],
            labels.get(row["provider"], row["provider"].capitalize()),
            row["total"],
            row["count"],
        )
        for row in rows
    ]


# Recurring donors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusFigures:
    count: int = 0
    monthly_minor: int = 0  # what these gifts are worth a month, annual ones as a twelfth


@dataclass(frozen=True)
class RecurringSummary:
    currency: str
    active: StatusFigures
    past_due: StatusFigures
    cancelled: StatusFigures
    active_monthly_count: int = 0
    active_annual_count: int = 0

    @property
    def monthly_recurring_minor(self) -> int:
        """The recurring part of this month's goal progress (goals.month_progress agrees)."""
        return self.active.monthly_minor

    @property
    def average_monthly_minor(self) -> int:
        if not self.active.count:
            return 0
        return round(self.active.monthly_minor / self.active.count)


def recurring_summary(currency: str) -> RecurringSummary:
    """Recurring gifts in `currency` by status, now.

    The monthly value sums the annual gifts before dividing by twelve, exactly as the goal
    does, so the two figures never disagree by a rounding cent.
    """
    currency = currency.lower()
    rows = (
        RecurringDonation.objects.in_currency(currency)
        .values("status", "frequency")
        .annotate(count=Count("id"), total=Sum("amount_minor"))
        .order_by()
    )
    totals: dict[tuple[str, str], tuple[int, int]] = {
        (row["status"], row["frequency"]): (row["count"], row["total"] or 0) for row in rows
    }

    def figures(status: str) -> StatusFigures:
        monthly_count, monthly_total = totals.get((status, Frequency.MONTHLY.value), (0, 0))
        annual_count, annual_total = totals.get((status, Frequency.ANNUAL.value), (0, 0))
        return StatusFigures(
            count=monthly_count + annual_count,
            monthly_minor=monthly_total + round(annual_total / 12),
        )

    Status = RecurringDonation.Status
    return RecurringSummary(
        currency=currency,
        active=figures(Status.ACTIVE),
        past_due=figures(Status.PAST_DUE),
        cancelled=figures(Status.CANCELLED),
        active_monthly_count=totals.get((Status.ACTIVE.value, Frequency.MONTHLY.value), (0, 0))[0],
        active_annual_count=totals.get((Status.ACTIVE.value, Frequency.ANNUAL.value), (0, 0))[0],
    )


# Appeal performance -------------------------------------------------------------------------


# Below this many impressions a variant's rates say more about chance than about the appeal
# (4 impressions and 1 gift would read "25%"): the report says "not enough data yet" instead.
MIN_IMPRESSIONS = 100
# How sure the intervals are, as the z-score of a two-sided 95% normal interval.
Z_95 = 1.959964
# Draws from each variant's posterior when working out which variant is best (seeded: the same
# counts always give the same figure).
BEST_DRAWS = 20_000


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a rate (Wilson 1927): unlike p ± z·se it stays within 0..1
    and stays honest for small counts and rates near 0, which appeal conversions are."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    margin = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def chance_to_be_best(funnels: Sequence[Funnel]) -> list[float] | None:
    """For each variant, the probability that its true conversion is the highest, from a
    Beta(1 + gifts, 1 + impressions - gifts) posterior per variant; None unless there are two
    or more variants and each has enough impressions to say anything."""
    if len(funnels) < 2 or any(not f.enough_data for f in funnels):
        return None
    draws = random.Random(0)
    wins = [0] * len(funnels)
    for _ in range(BEST_DRAWS):
        sample = [
            draws.betavariate(1 + f.completed, 1 + max(0, f.impressions - f.completed))
            for f in funnels
        ]
        wins[sample.index(max(sample))] += 1
    return [won / BEST_DRAWS for won in wins]


def _rate(numerator: int, denominator: int) -> float | None:
    # None, not zero: an appeal nobody saw has no conversion rate, and 0% would be a lie.
    if denominator <= 0:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Funnel:
    impressions: int = 0
    clicks: int = 0
    completed: int = 0

    @property
    def click_through(self) -> float | None:
        """Clicks per impression (0.05 = 5%), None when nobody saw it."""
        return _rate(self.clicks, self.impressions)

    @property
    def conversion(self) -> float | None:
        """Completed gifts per impression, None when nobody saw it."""
        return _rate(self.completed, self.impressions)

    @property
    def enough_data(self) -> bool:
        return self.impressions >= MIN_IMPRESSIONS

    @property
    def conversion_interval(self) -> tuple[float, float] | None:
        """The 95% interval of the conversion rate, None when nobody saw it."""
        return wilson_interval(self.completed, self.impressions)


@dataclass(frozen=True)
class VariantPerformance(Funnel):
    variant_id: int = 0
    label: str = ""
    headline: str = ""


@dataclass(frozen=True)
class AppealPerformance:
    appeal_id: int
    name: str
    kind: str
    kind_label: str
    language: str
    live: bool
    variants: list[VariantPerformance] = field(default_factory=list)

    @property
    def chance_to_be_best(self) -> list[float] | None:
        """Per variant, in order, the probability that it converts best (see the function)."""
        return chance_to_be_best(self.variants)

    @property
    def total(self) -> Funnel:
        return Funnel(
            impressions=sum(v.impressions for v in self.variants),
            clicks=sum(v.clicks for v in self.variants),
            completed=sum(v.completed for v in self.variants),
        )


def appeal_performance(since: datetime.date, until: datetime.date) -> list[AppealPerformance]:
    """Impressions, clicks and completed gifts per appeal and variant, days `since`..`until`
    inclusive, summed from the daily counters.

    Appeals that are live show up even when nobody saw them in the period, so a broken
    appeal stands out; appeals that are off show up only if they were seen.
    """
    sums = {
        row["variant_id"]: row
        for row in AppealStat.objects.filter(day__gte=since, day__lte=until)
        .values("variant_id")
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"), completed=Sum("completed"))
        .order_by()
    }
    seen_appeal_ids = AppealVariant.objects.filter(pk__in=list(sums)).values("appeal_id")
    appeals = (
        Appeal.objects.filter(Q(live=True) | Q(pk__in=seen_appeal_ids))
        .select_related("locale")
        .order_by("name", "locale__language_code", "pk")
    )
    variants_by_appeal: dict[int, list[AppealVariant]] = {}
    for variant in AppealVariant.objects.filter(appeal__in=appeals).order_by(
        "appeal_id", "sort_order", "pk"
    ):
        variants_by_appeal.setdefault(variant.appeal_id, []).append(variant)

    result = []
    for appeal in appeals:
        variants = []
        for variant in variants_by_appeal.get(appeal.pk, []):
            counted = sums.get(variant.pk, {})
            variants.append(
                VariantPerformance(
                    variant_id=variant.pk,
                    label=variant.label,
                    headline=variant.headline,
                    impressions=counted.get("impressions") or 0,
                    clicks=counted.get("clicks") or 0,
                    completed=counted.get("completed") or 0,
                )
            )
        result.append(
            AppealPerformance(
                appeal_id=appeal.pk,
                name=appeal.name,
                kind=appeal.kind,
                kind_label=str(appeal.get_kind_display()),
                language=appeal.locale.language_code,
                live=appeal.live,
                variants=variants,
            )
        )
    return result
