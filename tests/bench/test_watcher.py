"""The payments-to-an-address bench runs: its requests are opened, paid and detected."""

import pytest
from django.conf import settings as django_settings

from bench import watcher
from samizdat.payments import registry
from samizdat.support.giving import chain
from tests.support.factories import DonationFactory, RecurringDonationFactory


@pytest.fixture
def bench_leaves_nothing_behind(monkeypatch):
    """The bench sets the gap limit and the providers for its own run: both come back after."""
    monkeypatch.setattr(chain, "GAP_LIMIT", chain.GAP_LIMIT)
    monkeypatch.setattr(
        django_settings, "SAMIZDAT_PAYMENT_PROVIDERS", django_settings.SAMIZDAT_PAYMENT_PROVIDERS
    )
    yield
    registry.reset()


@pytest.mark.django_db
def test_the_watcher_bench_detects_every_payment_it_makes_after_other_benches_left_gifts(
    bench_leaves_nothing_behind,
):
    # As `make bench` leaves them: the webhooks bench's monthly gifts and their payments.
    DonationFactory(recurring=RecurringDonationFactory())
    result = watcher.run(count=5, runs=1)

    assert result["count"] == 5
    median, low, high = result["detected_per_s"]
    assert 0 < low <= median <= high
