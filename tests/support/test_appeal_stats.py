"""The appeals' counters (POST /<lang>/support/stats/) count readers, not requests: one
impression and one click per variant per client per day, with no cookie."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from samizdat.support.models import Appeal, AppealStat
from tests.support.factories import AppealFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")

URL = "/en/support/stats/"


@pytest.fixture
def variant(newsroom):
    return AppealFactory(kind=Appeal.Kind.MODAL).variants.get()


def counters(variant) -> tuple[int, int]:
    stat = AppealStat.objects.filter(variant=variant, day=timezone.localdate()).first()
    return (stat.impressions, stat.clicks) if stat else (0, 0)


def beacon(client, variant, event: str, address: str = "192.0.2.1"):
    return client.post(URL, {"v": str(variant.pk), "e": event}, REMOTE_ADDR=address)


def test_five_hundred_clicks_from_one_client_count_once(client, variant):
    responses = [beacon(client, variant, "click") for _ in range(500)]

    assert counters(variant) == (0, 1)
    assert {r.status_code for r in responses} <= {204, 429}
    assert responses[0].status_code == 204
    assert all("Set-Cookie" not in r.headers and not r.cookies for r in responses)


def test_a_client_counts_one_impression_and_one_click_per_variant(client, variant, newsroom):
    other = AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE).variants.get()

    for _ in range(3):
        for event in ("impression", "click"):
            beacon(client, variant, event)
        beacon(client, other, "impression")

    assert counters(variant) == (1, 1)
    assert counters(other) == (1, 0)


def test_different_clients_each_count(client, variant):
    for n in range(1, 6):
        beacon(client, variant, "impression", address=f"192.0.2.{n}")
        beacon(client, variant, "impression", address=f"192.0.2.{n}")

    assert counters(variant) == (5, 0)


def test_the_same_client_counts_again_the_next_day(client, variant):
    today = timezone.now()
    beacon(client, variant, "click")
    beacon(client, variant, "click")

    tomorrow = today + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        beacon(client, variant, "click")
        beacon(client, variant, "click")
        next_day = AppealStat.objects.get(variant=variant, day=timezone.localdate()).clicks

    assert (counters(variant), next_day) == ((0, 1), 1)


def test_a_loop_is_cut_off_by_the_rate_limit(client, variant, newsroom):
    variants = [variant] + [
        AppealFactory(kind=Appeal.Kind.BANNER).variants.get() for _ in range(39)
    ]

    statuses = [beacon(client, v, "impression").status_code for v in variants]

    assert statuses.count(204) == 30
    assert statuses[30:] == [429] * 10
    # Another reader is not held back by this one.
    assert beacon(client, variant, "click", address="192.0.2.99").status_code == 204
    assert sum(AppealStat.objects.values_list("impressions", flat=True)) == 30


@pytest.mark.parametrize("raw", ["²", "٣", "1²", "١٢", "-1", "1.0", "9" * 5000, "1\x00"])
def test_a_variant_that_is_not_plain_digits_counts_nothing(client, variant, raw):
    response = client.post(URL, {"v": raw, "e": "click"})

    assert response.status_code == 204
    assert not AppealStat.objects.exists()
