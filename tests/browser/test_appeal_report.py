"""The A/B report is honest: a handful of impressions is "not enough data yet", not "25%";
rates come with their 95% interval and each variant's chance to be best; no chart label is cut
off."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from playwright.sync_api import expect

from samizdat.support.revenue.reports import MIN_IMPRESSIONS, chance_to_be_best, wilson_interval
from tests.browser.admin import signed_in_client, signed_in_context
from tests.support.factories import AppealFactory, AppealStatFactory, AppealVariantFactory

pytestmark = pytest.mark.browser


def spring_letter(*counts: tuple[int, int], name: str = "Spring letter") -> None:
    """An appeal whose variants A, B… were seen and gave as (impressions, completed) say."""
    appeal = AppealFactory(name=name, variants=[])
    for label, (impressions, completed) in zip("ABCD", counts, strict=False):
        variant = AppealVariantFactory(appeal=appeal, label=label)
        AppealStatFactory(variant=variant, impressions=impressions, completed=completed)


def report_rows(client) -> list[list[str]]:
    html = BeautifulSoup(client.get(reverse("revenue_appeals:index")).content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in html.select("table.sz-table tbody tr")
    ]


def test_four_impressions_and_one_gift_is_not_enough_data_not_25_percent(live_newsroom):
    spring_letter((4, 1), (3, 0))
    client = signed_in_client()

    rows = report_rows(client)

    assert all("25" not in " ".join(row) for row in rows)
    assert [[row[0].split()[0], *row[1:5]] for row in rows] == [
        ["A", "4", "0", "—", "1"],
        ["B", "3", "0", "—", "0"],
        ["All", "7", "0", "—", "1"],
    ]
    for row in rows:
        assert row[-1] == (f"Not enough data yet: a rate shows from {MIN_IMPRESSIONS} impressions")


def test_with_enough_impressions_each_rate_has_its_interval_and_chance_to_be_best(
    live_newsroom,
):
    spring_letter((2000, 60), (2000, 30))
    client = signed_in_client()

    a, b, total = report_rows(client)

    assert a[1:5] == ["2,000", "0", "0.0%", "60"]
    assert a[5:] == ["3.0%", "2.3% – 3.8%", "99.9%"]  # Wilson 95%: 0.0234-0.0384
    assert b[5:] == ["1.5%", "1.1% – 2.1%", "0.1%"]
    assert total[5:7] == ["2.2%", "1.8% – 2.8%"] and total[7] == "—"


def test_the_wilson_interval_and_the_chance_to_be_best_by_hand():
    # Small counts: the interval is wide and stays within 0..1.
    low, high = wilson_interval(1, 4)
    assert (round(low, 3), round(high, 3)) == (0.046, 0.699)
    assert wilson_interval(0, 50)[0] == 0.0
    assert wilson_interval(0, 0) is None

    class Seen:
        def __init__(self, impressions, completed):
            self.impressions, self.completed = impressions, completed
            self.enough_data = impressions >= MIN_IMPRESSIONS

    even = chance_to_be_best([Seen(1000, 30), Seen(1000, 30)])
    assert even == pytest.approx([0.5, 0.5], abs=0.02)
    clear = chance_to_be_best([Seen(5000, 50), Seen(5000, 150)])
    assert clear[1] > 0.999
    assert chance_to_be_best([Seen(1000, 30), Seen(40, 3)]) is None  # one is too small to say
    assert chance_to_be_best([Seen(1000, 30)]) is None  # nothing to compare


def test_no_label_of_the_report_chart_is_cut_off(browser, live_server, live_newsroom):
    spring_letter((4000, 100), (4000, 80), name="End of article letter, autumn 2026 — readers")
    spring_letter((4, 1), name="Один баннер с очень длинным названием для русской редакции")
    client = signed_in_client()
    context = signed_in_context(browser, live_server, client)
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("revenue_appeals:index"))
        chart = page.locator("svg.sz-chart__svg")
        expect(chart).to_be_visible()
        outside = chart.evaluate(
            """svg => [...svg.querySelectorAll("text")].filter(t => {
                const box = t.getBBox(), view = svg.viewBox.baseVal;
                return box.x < 0 || box.x + box.width > view.width;
            }).map(t => t.textContent)"""
        )
        labels = chart.locator("text.sz-chart__value").all_text_contents()
    finally:
        context.close()
    assert outside == []
    assert labels == ["2.5%", "2.0%", "not enough data yet"]
