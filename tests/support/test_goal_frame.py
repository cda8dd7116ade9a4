"""The month's goal in its own small answer, which every page showing the goal frames: a gift
changes it and no stored page (tests/pagecache/test_page_cache.py)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.support.factories import CampaignFactory, DonationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def figure(response) -> str:
    return BeautifulSoup(response.content, "html.parser").select_one(".goal__text").get_text()


def test_the_goal_is_a_document_readers_keep_a_minute_without_a_cookie(client):
    CampaignFactory(goal_minor=1_000_000)
    DonationFactory(amount_minor=642_000, paid_at=timezone.now())

    response = client.get("/en/support/goal/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    # Text, not a picture of it: screen readers read the figure, and it shows where images or
    # SVG are off, with JavaScript off too.
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".goal__text").get_text() == "$6,420 of $10,000 this month"
    assert page.select_one("progress")["value"] == "64"
    assert page.select("script") == []
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    assert not response.cookies and "Cookie" not in response.get("Vary", "")


def test_only_our_own_pages_may_frame_the_goal(client):
    CampaignFactory()

    response = client.get("/en/support/goal/")

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    parts = [part.split() for part in response["Content-Security-Policy"].split(";")]
    directives = {name: sources for name, *sources in parts}
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["script-src"] == ["'self'"] and directives["default-src"] == ["'self'"]


def test_the_russian_edition_shows_the_goal_in_russian(client):
    CampaignFactory(goal_minor=1_000_000)
    DonationFactory(amount_minor=2500, paid_at=timezone.now())

    response = client.get("/ru/support/goal/")

    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "ru"
    assert page.title.get_text() == "Сбор средств в этом месяце"
    assert "this month" not in figure(response)
    assert "25" in figure(response)


def test_without_a_campaign_the_goal_is_empty(client):
    response = client.get("/en/support/goal/")

    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").select(".goal") == []
