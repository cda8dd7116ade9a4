"""A reader at home gives in Bitcoin or Monero from an article, in Chromium with JavaScript off
(Tor Browser's "Safest" level) and without giving an e-mail address.

Bitcoin is watched through the loopback Esplora server (tests/esplora.py); Monero through a
real regtest monerod and the newsroom's view-only wallet (tests/monero.py). The watcher runs
here, in the test, where cron would run it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from samizdat.payments import registry
from samizdat.support.giving import chain
from samizdat.support.giving.goals import month_progress
from samizdat.support.models import Appeal, Campaign, Donation, ExchangeRate
from samizdat.support.revenue import reports
from tests.payments.test_bitcoin_vectors import ACCOUNT_ZPUB
from tests.support.factories import AppealFactory, CampaignFactory, DonationFormFactory

pytestmark = pytest.mark.browser

HEADLINE = "Harbour cranes idle as the port's owner vanishes"
PAYMENT_SCREENSHOT = "/tmp/samizdat-pay-to-address.png"


@dataclass
class Chain:
    """What the test does on the chain's side: pay an address, make blocks."""

    provider_name: str
    pay: Callable[[str, int], object]
    mine: Callable[[int], object]


@pytest.fixture
def article(live_newsroom, stripe_settings):  # noqa: F811
    cache.clear()  # the rate limits of earlier tests, counted on the same loopback address
    DonationFormFactory(currency="usd", minimum_minor=200)
    CampaignFactory(goal_minor=1_000_000, currency="usd")
    AppealFactory(
        kind=Appeal.Kind.END_OF_ARTICLE,
        variants=[{"headline": "Dear reader,", "body": "<p>We answer only to readers.</p>"}],
    )
    return live_newsroom.article(HEADLINE, authors=[live_newsroom.author("Ilya Brodsky")])


@pytest.fixture
def bitcoin(settings, esplora, stripe_settings) -> Chain:
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        **settings.SAMIZDAT_PAYMENT_PROVIDERS,
        "bitcoin": {
            "CLASS": "samizdat.payments.providers.bitcoin.BitcoinProvider",
            "OPTIONS": {"account_key": ACCOUNT_ZPUB, "esplora_url": esplora.url},
        },
    }
    registry.reset()
    ExchangeRate.objects.create(coin="btc", currency="usd", minor_per_coin=6_000_000)
    yield Chain("bitcoin", esplora.pay, esplora.mine)
    registry.reset()


def give_with_javascript_off(browser, reader, article, chain_: Chain, method: str, amount: str):
    """From the article's appeal to a confirmed gift; returns the payment's address."""
    provider = registry.get_provider(chain_.provider_name)
    context = browser.new_context(java_script_enabled=False)
    requested: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(reader(article.url))
        letter = page.locator("section.appeal-letter")
        letter.locator("label", has_text="Once").first.click()
        letter.get_by_label("Other amount").fill("25")
        letter.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Your gift")
        page.get_by_role("button", name=f"Pay with {method}").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(f"Pay with {provider.coin.name}")
        address = page.locator("#payment-address").inner_text()
        expect(page.locator(".payment__amount")).to_have_text(amount)
        expect(page.get_by_text("($25)")).to_be_visible()
        expect(page.locator(".payment__qr svg")).to_be_visible()
        expect(page.get_by_role("link", name="Open in your wallet")).to_have_attribute(
            "href", provider.payment_uri(address, _atomic(amount, provider.coin))
        )
        assert page.locator("meta[http-equiv=refresh]").count() == 1
        page.screenshot(path=PAYMENT_SCREENSHOT, full_page=True)

        chain_.pay(address, _atomic(amount, provider.coin))
        chain.watch(provider)
        page.reload()
        expect(page.get_by_text("We see your payment of")).to_be_visible()

        chain_.mine(provider.confirmations_required)
        chain.watch(provider)
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
        expect(page.get_by_text(f"We received {amount} ($25)")).to_be_visible()
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        origin = reader("")
        assert all(url.startswith(origin) for url in requested), requested
        return address
    finally:
        context.close()


def _atomic(amount: str, coin) -> int:
    number, _code = amount.split()
    whole, fraction = number.split(".")
    return int(whole) * coin.atomic_per_coin + int(fraction.ljust(coin.decimals, "0"))


def assert_recorded_once(method_label: str) -> None:
    donation = Donation.objects.get()
    assert (donation.status, donation.amount_minor, donation.currency) == ("paid", 2500, "usd")
    assert donation.donor.email == ""
    assert month_progress(Campaign.objects.get()).raised_minor == 2500
    by_method = {row.label: row.total_minor for row in reports.revenue_by_method("usd")}
    assert by_method == {method_label: 2500}


def test_a_reader_gives_in_bitcoin_with_javascript_off(browser, reader, article, bitcoin):
    give_with_javascript_off(browser, reader, article, bitcoin, "Bitcoin (BTC)", "0.00041667 BTC")
    assert_recorded_once("Bitcoin (BTC)")


@pytest.fixture
def monero(stripe_settings, monero_settings, monero_chain) -> Chain:
    ExchangeRate.objects.create(coin="xmr", currency="usd", minor_per_coin=15_000)
    return Chain("monero", monero_chain.pay, monero_chain.mine)


def test_a_reader_gives_in_monero_with_javascript_off(browser, reader, article, monero):
    address = give_with_javascript_off(
        browser, reader, article, monero, "Monero (XMR)", "0.166666666667 XMR"
    )
    assert address.startswith("8")  # a subaddress of the newsroom's view-only wallet
    assert_recorded_once("Monero (XMR)")
