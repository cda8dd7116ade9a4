"""The payments-to-an-address bench runs: its requests are opened, paid and detected."""

import pytest

from bench import watcher
from tests.support.factories import DonationFactory, RecurringDonationFactory


@pytest.mark.django_db
def test_the_watcher_bench_detects_every_payment_it_makes_after_other_benches_left_gifts():
    # As `make bench` leaves them: the webhooks bench's monthly gifts and their payments.
    DonationFactory(recurring=RecurringDonationFactory())
    result = watcher.run(count=5, runs=1)

    assert result["count"] == 5
    median, low, high = result["detected_per_s"]
    assert 0 < low <= median <= high
