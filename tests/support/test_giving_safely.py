""" "Giving safely": per way to pay this site really takes, what a donor's bank or the blockchain
shows and what the newsroom keeps, written from the configuration, the same for every reader."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from samizdat.payments import registry
from tests.support import fake_coins
from tests.support.factories import AppealFactory, DonationFormFactory

pytestmark = pytest.mark.usefixtures("db", "fresh_cache")

NEVER_OFFERED = ("Apple Pay", "Google Pay", "SEPA", "PayPal")


def page_url(language: str) -> str:
    return f"/{language}/support/giving-safely/"


def card_with(settings, prefix: str = "", suffix: str = "") -> None:
    """Stripe alone, with this statement descriptor in its options (as settings.py puts
    STRIPE_STATEMENT_DESCRIPTOR_PREFIX and _SUFFIX there)."""
    stripe = fake_coins.stripe(settings)
    options = {
        **stripe["OPTIONS"],
        "statement_descriptor_prefix": prefix,
        "statement_descriptor_suffix": suffix,
    }
    fake_coins.configure(settings, stripe={**stripe, "OPTIONS": options})


def read(client, language: str = "en") -> BeautifulSoup:
    response = client.get(page_url(language))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(page: BeautifulSoup) -> str:
    return " ".join(page.select_one("main").get_text(" ").split())


def methods_named(page: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in page.select(".safely__method h2")]


@pytest.mark.parametrize(("language", "card"), [("en", "Card"), ("ru", "Банковская карта")])
def test_with_stripe_alone_the_page_speaks_of_cards_only(client, stripe_only, language, card):
    page = read(client, language)

    assert methods_named(page) == [card]
    for other in (*NEVER_OFFERED, "Monero", "Bitcoin", "blockchain", "блокчейн"):
        assert other not in text(page), f"the {language} page speaks of {other}"


@pytest.mark.parametrize(
    ("language", "card", "privacy"),
    [("en", "Card", "choose Monero over Bitcoin"), ("ru", "Банковская карта", "выбирайте Monero")],
)
def test_each_configured_method_has_its_section(client, coins, language, card, privacy):
    page = read(client, language)

    assert methods_named(page) == [card, "Monero (XMR)", "Bitcoin (BTC)"]
    assert page.select_one("#monero h3") and page.select_one("#bitcoin h3")
    assert privacy in text(page)
    for other in NEVER_OFFERED:
        assert other not in text(page)


def test_what_each_blockchain_shows_is_told_apart(client, coins):
    monero = " ".join(read(client).select_one("#monero").get_text(" ").split())
    bitcoin = " ".join(read(client).select_one("#bitcoin").get_text(" ").split())

    assert "hides the sender, the receiver and the amount" in monero
    assert "public and permanent" in bitcoin
    assert "fresh address for every gift" in bitcoin
    for section in (monero, bitcoin):
        assert "one-time gifts" in section
        assert "only if you give it for a receipt" in section


@pytest.mark.parametrize(
    ("retention", "language", "words"),
    [
        ("3y", "en", "deleted 3 years after your last gift"),
        ("18m", "en", "deleted 18 months after your last gift"),
        ("400d", "en", "deleted 400 days after your last gift"),
        ("3y", "ru", "удаляем через 3 года после вашего последнего пожертвования"),
        ("18m", "ru", "удаляем через 18 месяцев после вашего последнего пожертвования"),
        ("1y", "ru", "удаляем через 1 год после вашего последнего пожертвования"),
    ],
)
def test_the_retention_told_is_the_configured_one(
    client, coins, settings, retention, language, words
):
    settings.SAMIZDAT_DONOR_RETENTION = retention

    page = text(read(client, language))

    assert page.count(words) == 3  # the card's donors and each coin's who leave an address


def test_the_statement_line_is_the_configured_descriptor(client, settings):
    card_with(settings, prefix="LANTERN", suffix="READER GIFT")
    try:
        page = text(read(client))
    finally:
        registry.reset()

    assert "appears on your card statement as “LANTERN* READER GIFT”" in page


def test_without_the_prefix_the_page_names_the_suffix_after_the_accounts_name(client, settings):
    card_with(settings, suffix="GIFTS")
    try:
        english, russian = text(read(client)), text(read(client, "ru"))
    finally:
        registry.reset()

    assert "the short name of our Stripe account, followed by “* GIFTS”" in english
    assert "нашего счёта в Stripe, за которым следует «* GIFTS»" in russian


def test_without_a_descriptor_the_page_says_the_accounts_name_appears(client, settings):
    card_with(settings)
    try:
        page = text(read(client))
    finally:
        registry.reset()

    assert "under the name of our Stripe account" in page
    assert "*" not in page


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_donation_form_links_to_it(client, stripe_only, language):
    DonationFormFactory()

    form = BeautifulSoup(client.get(f"/{language}/support/").content, "html.parser")

    assert form.select_one("#support-form .gift__safely a")["href"] == page_url(language)


def test_the_end_of_article_form_links_to_it(client, newsroom, stripe_only):
    DonationFormFactory()
    AppealFactory()
    story = newsroom.article("Ferry workers strike")

    page = BeautifulSoup(client.get(story.url).content, "html.parser")

    assert page.select_one("#support .gift__safely a")["href"] == page_url("en")


def test_the_page_is_the_same_for_every_reader_and_cached(client, newsroom, coins, settings):
    settings.SAMIZDAT_PAGE_CACHE = True

    first = client.get(page_url("ru"))
    again = client.get(page_url("ru"), REMOTE_ADDR="95.167.0.1", HTTP_ACCEPT_LANGUAGE="en")

    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    assert not first.cookies
    assert "private" not in first["Cache-Control"]


def test_the_page_needs_no_script_and_nothing_from_other_sites(client, newsroom, coins):
    page = read(client, "ru")

    assert page.select("script") == []
    for tag in page.select("[src], link[href]"):
        address = tag.get("src") or tag.get("href")
        assert address.startswith("/"), f"{tag} loads from elsewhere"
