"""The revenue team's arithmetic, without HTTP: revenue by month, recurring donors, appeals."""

import datetime

import pytest
from django.utils import timezone

from samizdat.core.months import add_months
from samizdat.support.giving import goals
from samizdat.support.models import Donation, RecurringDonation
from samizdat.support.revenue.reports import (
    appeal_performance,
    format_money,
    recurring_summary,
    revenue_by_month,
    spread_over_year,
)
from tests.support.factories import (
    AppealFactory,
    AppealStatFactory,
    AppealVariantFactory,
    CampaignFactory,
    DonationFactory,
    RecurringDonationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def month(rows, year: int, month_number: int):
    return next(r for r in rows if r.month == datetime.date(year, month_number, 1))


# Revenue by month ---------------------------------------------------------------------------


def test_revenue_by_month_covers_the_last_twelve_months_oldest_first():
    rows = revenue_by_month("usd", 12, TODAY)

    assert [r.month for r in rows] == [add_months(datetime.date(2025, 4, 1), i) for i in range(12)]
    assert rows[-1].month == datetime.date(2026, 3, 1)
    assert all(r.total_minor == 0 for r in rows)


def test_revenue_by_month_splits_one_time_and_recurring_gifts():
    DonationFactory(amount_minor=2500, frequency="once", paid_at=at(2026, 3, 2))
    DonationFactory(amount_minor=1000, frequency="monthly", paid_at=at(2026, 3, 5))
    DonationFactory(amount_minor=5000, frequency="once", paid_at=at(2026, 2, 20))

    rows = revenue_by_month("usd", 12, TODAY)

    march = month(rows, 2026, 3)
    assert (march.one_time_minor, march.recurring_minor, march.total_minor) == (2500, 1000, 3500)
    assert march.payments == 2
    february = month(rows, 2026, 2)
    assert (february.one_time_minor, february.recurring_minor) == (5000, 0)


def test_an_annual_gift_counts_as_a_twelfth_in_each_of_the_twelve_months_from_its_payment():
    DonationFactory(amount_minor=12000, frequency="annual", paid_at=at(2025, 6, 10))

    rows = revenue_by_month("usd", 12, TODAY)

    assert month(rows, 2025, 4).recurring_minor == 0
    assert month(rows, 2025, 5).recurring_minor == 0
    for row in rows[2:]:  # June 2025 to March 2026
        assert row.recurring_minor == 1000, row.month
        assert row.one_time_minor == 0
    # The money itself arrived in June.
    assert month(rows, 2025, 6).recurring_received_minor == 12000
    assert month(rows, 2025, 7).recurring_received_minor == 0


def test_an_annual_gift_paid_before_the_window_still_counts_in_the_months_it_covers():
    DonationFactory(amount_minor=12000, frequency="annual", paid_at=at(2025, 1, 10))

    rows = revenue_by_month("usd", 12, TODAY)

    assert [r.recurring_minor for r in rows] == [1000] * 9 + [0] * 3  # April to December 2025


def test_annual_shares_add_up_to_exactly_the_gift():
    shares = spread_over_year(10000)

    assert sum(shares) == 10000
    assert set(shares) == {833, 834}


def test_refunded_failed_and_pending_payments_are_not_revenue():
    DonationFactory(amount_minor=1000, paid_at=at(2026, 3, 1))
    DonationFactory(amount_minor=7000, status=Donation.Status.REFUNDED, paid_at=at(2026, 3, 2))
    DonationFactory(amount_minor=8000, status=Donation.Status.FAILED, paid_at=None)
    DonationFactory(amount_minor=9000, status=Donation.Status.PENDING, paid_at=None)
    DonationFactory(
        amount_minor=12000,
        frequency="annual",
        status=Donation.Status.REFUNDED,
        paid_at=at(2026, 1, 3),
    )

    rows = revenue_by_month("usd", 12, TODAY)

    assert month(rows, 2026, 3).total_minor == 1000
    assert sum(r.total_minor for r in rows) == 1000


def test_gifts_in_other_currencies_are_left_out():
    DonationFactory(amount_minor=1000, currency="usd", paid_at=at(2026, 3, 1))
    DonationFactory(amount_minor=5000, currency="eur", paid_at=at(2026, 3, 1))
    DonationFactory(
        amount_minor=500000, currency="rub", frequency="monthly", paid_at=at(2026, 3, 1)
    )

    assert month(revenue_by_month("usd", 12, TODAY), 2026, 3).total_minor == 1000
    assert month(revenue_by_month("EUR", 12, TODAY), 2026, 3).total_minor == 5000


def test_payments_after_today_are_not_counted_yet():
    DonationFactory(amount_minor=1000, paid_at=at(2026, 3, 15, 23))
    DonationFactory(amount_minor=9999, paid_at=at(2026, 3, 16, 1))

    assert month(revenue_by_month("usd", 12, TODAY), 2026, 3).total_minor == 1000


# Recurring donors ---------------------------------------------------------------------------


def test_recurring_summary_counts_donors_by_status_with_annual_gifts_as_a_twelfth():
    RecurringDonationFactory(amount_minor=1000, frequency="monthly")
    RecurringDonationFactory(amount_minor=500, frequency="monthly")
    RecurringDonationFactory(amount_minor=12000, frequency="annual")
    RecurringDonationFactory(amount_minor=2000, status=RecurringDonation.Status.PAST_DUE)
    RecurringDonationFactory(amount_minor=3000, status=RecurringDonation.Status.CANCELLED)
    RecurringDonationFactory(amount_minor=4000, status=RecurringDonation.Status.INCOMPLETE)
    RecurringDonationFactory(amount_minor=9000, currency="eur")

    summary = recurring_summary("usd")

    assert summary.active.count == 3
    assert summary.monthly_recurring_minor == 1000 + 500 + 1000
    assert (summary.active_monthly_count, summary.active_annual_count) == (2, 1)
    assert (summary.past_due.count, summary.past_due.monthly_minor) == (1, 2000)
    assert summary.cancelled.count == 1
    assert summary.average_monthly_minor == 833


def test_recurring_summary_agrees_with_the_goal_to_the_cent():
    campaign = CampaignFactory(currency="usd")
    # Three annual gifts whose twelfths do not divide evenly.
    for amount in (1000, 1000, 1001):
        RecurringDonationFactory(amount_minor=amount, frequency="annual")

    progress = goals.month_progress(campaign, TODAY)

    assert recurring_summary("usd").monthly_recurring_minor == progress.raised_minor == 250


# Appeal performance -------------------------------------------------------------------------


def test_appeal_performance_sums_daily_counters_per_variant_and_computes_the_rates():
    appeal = AppealFactory(name="Spring letter", variants=[])
    a = AppealVariantFactory(appeal=appeal, label="A")
    b = AppealVariantFactory(appeal=appeal, label="B")
    AppealStatFactory(variant=a, day=TODAY, impressions=600, clicks=30, completed=6)
    AppealStatFactory(
        variant=a, day=TODAY - datetime.timedelta(days=1), impressions=400, clicks=20, completed=4
    )
    AppealStatFactory(
        variant=b, day=TODAY - datetime.timedelta(days=2), impressions=500, clicks=10, completed=1
    )
    # Outside the period: not counted.
    AppealStatFactory(
        variant=a, day=TODAY - datetime.timedelta(days=30), impressions=9999, clicks=999
    )

    (result,) = appeal_performance(TODAY - datetime.timedelta(days=6), TODAY)

    assert result.name == "Spring letter"
    variant_a, variant_b = result.variants
    assert (variant_a.impressions, variant_a.clicks, variant_a.completed) == (1000, 50, 10)
    assert variant_a.click_through == pytest.approx(0.05)
    assert variant_a.conversion == pytest.approx(0.01)
    assert variant_b.conversion == pytest.approx(0.002)
    assert result.total.impressions == 1500
    assert result.total.conversion == pytest.approx(11 / 1500)


def test_a_variant_nobody_saw_has_no_rate_rather_than_a_division_by_zero():
    variant = AppealVariantFactory(appeal=AppealFactory(live=True, variants=[]))
    AppealStatFactory(variant=variant, day=TODAY, impressions=0, clicks=0, completed=0)

    (result,) = appeal_performance(TODAY, TODAY)

    assert result.variants[0].conversion is None
    assert result.variants[0].click_through is None
    assert result.total.conversion is None


def test_live_appeals_show_without_stats_and_switched_off_ones_only_if_seen():
    AppealVariantFactory(appeal=AppealFactory(name="Live, unseen", live=True, variants=[]))
    AppealVariantFactory(appeal=AppealFactory(name="Off, unseen", live=False, variants=[]))
    seen = AppealVariantFactory(appeal=AppealFactory(name="Off, seen", live=False, variants=[]))
    AppealStatFactory(variant=seen, day=TODAY, impressions=10)

    names = [a.name for a in appeal_performance(TODAY, TODAY)]

    assert names == ["Live, unseen", "Off, seen"]


# Money formatting ---------------------------------------------------------------------------


def test_money_is_formatted_from_minor_units_with_the_currency():
    assert format_money(123456, "usd") == "$1,234.56"
    assert format_money(2000, "EUR") == "€20.00"
    assert format_money(150000, "rub") == "1,500.00 RUB"
    assert format_money(500, "jpy") == "500 JPY"
    assert format_money(123456, "usd", whole=True) == "$1,235"
