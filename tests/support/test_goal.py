"""The monthly goal: "$6,420 of $10,000 this month"."""

from __future__ import annotations

import datetime

import pytest

from samizdat.support.giving.goals import Progress, current_progress, month_progress
from samizdat.support.models import Donation, RecurringDonation
from tests.support.factories import CampaignFactory, DonationFactory, RecurringDonationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def paid_on(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def test_monthly_gifts_annual_gifts_as_a_twelfth_and_this_months_one_time_gifts_add_up():
    campaign = CampaignFactory(goal_minor=1_000_000, currency="usd")
    RecurringDonationFactory(amount_minor=1000, frequency="monthly")
    RecurringDonationFactory(amount_minor=2500, frequency="monthly")
    RecurringDonationFactory(amount_minor=12000, frequency="annual")  # 10.00 a month
    DonationFactory(amount_minor=5000, paid_at=paid_on(datetime.date(2026, 3, 1), hour=0))
    DonationFactory(amount_minor=700, paid_at=paid_on(TODAY))

    progress = month_progress(campaign, TODAY)

    assert progress == Progress(
        raised_minor=1000 + 2500 + 1000 + 5000 + 700, goal_minor=1_000_000, currency="usd"
    )
    assert progress.percent == 1


def test_annual_gifts_count_a_twelfth_of_their_sum_rounded_to_the_cent():
    campaign = CampaignFactory(currency="usd")
    RecurringDonationFactory(amount_minor=1000, frequency="annual")
    RecurringDonationFactory(amount_minor=1000, frequency="annual")

    # 2000 / 12 = 166.67: not 166 (rounded down), not 2 × 83 (each rounded on its own).
    assert month_progress(campaign, TODAY).raised_minor == 167


def test_an_annual_gift_counts_a_twelfth_every_month_even_the_month_it_is_paid():
    campaign = CampaignFactory(goal_minor=100_000, currency="usd")
    annual = RecurringDonationFactory(amount_minor=120_000, frequency="annual")
    DonationFactory(recurring=annual, paid_at=paid_on(TODAY))  # this year's payment, $1,200

    for day in (TODAY, datetime.date(2026, 4, 15), datetime.date(2027, 1, 31)):
        progress = month_progress(campaign, day)
        assert (progress.raised_minor, progress.percent) == (10_000, 10), day


def test_instalments_of_recurring_gifts_are_not_counted_twice():
    campaign = CampaignFactory()
    recurring = RecurringDonationFactory(amount_minor=1000)
    DonationFactory(recurring=recurring, paid_at=paid_on(TODAY))

    assert month_progress(campaign, TODAY).raised_minor == 1000


def test_last_months_one_time_gifts_do_not_count():
    campaign = CampaignFactory()
    DonationFactory(amount_minor=5000, paid_at=paid_on(datetime.date(2026, 2, 28), hour=23))
    DonationFactory(amount_minor=300, paid_at=paid_on(TODAY))

    assert month_progress(campaign, TODAY).raised_minor == 300


def test_gifts_later_than_today_do_not_count_yet():
    campaign = CampaignFactory()
    DonationFactory(amount_minor=5000, paid_at=paid_on(datetime.date(2026, 3, 20)))

    assert month_progress(campaign, TODAY).raised_minor == 0


@pytest.mark.parametrize(
    "status",
    [
        RecurringDonation.Status.CANCELLED,
        RecurringDonation.Status.PAST_DUE,
        RecurringDonation.Status.INCOMPLETE,
    ],
)
def test_recurring_gifts_that_are_not_active_do_not_count(status):
    campaign = CampaignFactory()
    RecurringDonationFactory(amount_minor=1000, status=status)
    RecurringDonationFactory(amount_minor=2000)

    assert month_progress(campaign, TODAY).raised_minor == 2000


@pytest.mark.parametrize(
    "status", [Donation.Status.PENDING, Donation.Status.FAILED, Donation.Status.REFUNDED]
)
def test_one_time_gifts_that_were_not_paid_or_were_refunded_do_not_count(status):
    campaign = CampaignFactory()
    DonationFactory(amount_minor=4000, status=status, paid_at=paid_on(TODAY))

    assert month_progress(campaign, TODAY).raised_minor == 0


def test_gifts_in_other_currencies_do_not_count():
    campaign = CampaignFactory(currency="usd")
    RecurringDonationFactory(amount_minor=1000, currency="eur")
    DonationFactory(amount_minor=5000, currency="eur", paid_at=paid_on(TODAY))
    RecurringDonationFactory(amount_minor=800, currency="usd")

    assert month_progress(campaign, TODAY).raised_minor == 800


def test_percent_is_whole_and_caps_at_one_hundred():
    assert Progress(raised_minor=642_000, goal_minor=1_000_000, currency="usd").percent == 64
    assert Progress(raised_minor=2_500_000, goal_minor=1_000_000, currency="usd").percent == 100
    assert Progress(raised_minor=100, goal_minor=0, currency="usd").percent == 0


def test_an_overfunded_month_shows_a_full_bar():
    campaign = CampaignFactory(goal_minor=10_000)
    DonationFactory(amount_minor=25_000, paid_at=paid_on(TODAY))

    progress = month_progress(campaign, TODAY)

    assert progress.raised_minor == 25_000
    assert progress.percent == 100


def test_current_progress_follows_the_active_campaign():
    assert current_progress(TODAY) is None

    CampaignFactory(active=False, goal_minor=50_000)
    CampaignFactory(active=True, goal_minor=200_000, currency="usd")
    RecurringDonationFactory(amount_minor=1000)

    progress = current_progress(TODAY)
    assert (progress.raised_minor, progress.goal_minor) == (1000, 200_000)
