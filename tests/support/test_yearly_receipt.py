"""A donor's yearly summary: the year's paid gifts and the total per currency, printable, in
the page's language, opened only with the donor's own link."""

from __future__ import annotations

import datetime

import pytest

from .factories import DonationFactory, DonorFactory
from .test_selfservice import gifts_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def on(year: int, month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


@pytest.fixture
def donor():
    donor = DonorFactory(name="Ada Lovelace", email="ada@example.org")
    DonationFactory(donor=donor, amount_minor=1000, currency="usd", paid_at=on(2025, 2))
    DonationFactory(donor=donor, amount_minor=3550, currency="usd", paid_at=on(2025, 11))
    DonationFactory(donor=donor, amount_minor=2000, currency="eur", paid_at=on(2025, 6))
    DonationFactory(donor=donor, amount_minor=9900, currency="usd", paid_at=on(2024, 12, 30))
    DonationFactory(donor=donor, amount_minor=7000, status="failed", paid_at=None)
    DonationFactory(donor=donor, amount_minor=8000, status="refunded", paid_at=on(2025, 3))
    DonationFactory(amount_minor=50000, paid_at=on(2025, 4))  # someone else's
    return donor


def summary(client, donor, year: int = 2025, language: str = "en"):
    return client.get(f"{gifts_url(donor, language)}receipts/{year}/")


def test_the_summary_lists_the_years_paid_gifts_and_totals_per_currency(client, donor):
    page = summary(client, donor)

    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "Your gifts in 2025" in text
    assert "Total: <strong>€20 + $45.50</strong>" in text
    for amount in ("$10", "$35.50", "€20"):
        assert f"<td>{amount}</td>" in text
    for other in ("$99", "$70", "$80", "$500"):
        assert f"<td>{other}</td>" not in text


def test_it_names_the_newsroom_and_the_donor_but_not_their_address(client, donor):
    text = summary(client, donor).content.decode()

    assert '<p class="yearly__from">Samizdat</p>' in text
    assert "For Ada Lovelace" in text
    assert "ada@example.org" not in text
    assert "samizdat/receipt.css" in text  # on paper: the summary without the site around it


def test_an_anonymous_donors_summary_names_nobody(client, donor):
    donor.anonymous = True
    donor.save()

    assert "Ada" not in summary(client, donor).content.decode()


def test_the_summary_in_russian(client, donor):
    text = " ".join(summary(client, donor, language="ru").content.decode().split())

    assert "Ваши пожертвования в 2025 году" in text
    assert "Итого: <strong>20 € + 45,50 $</strong>" in text


def test_the_gifts_page_links_each_year_with_gifts(client, donor):
    url = gifts_url(donor)
    text = client.get(url).content.decode()

    assert f'<a href="{url}receipts/2025/">2025</a>, <a href="{url}receipts/2024/">2024</a>' in text


def test_a_forged_or_expired_link_shows_nothing(client, donor, settings):
    forged = client.get(f"/en/support/manage/x{gifts_url(donor)[19:]}receipts/2025/")
    assert forged.status_code == 403
    assert "$45.50" not in forged.content.decode()

    settings.SAMIZDAT_MANAGE_LINK_MAX_AGE = -1
    expired = summary(client, donor)
    assert expired.status_code == 403
    assert "$45.50" not in expired.content.decode()


def test_a_year_not_yet_come_is_not_found(client, donor):
    assert summary(client, donor, year=3000).status_code == 404
