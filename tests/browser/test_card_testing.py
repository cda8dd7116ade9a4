"""The waiting page of the card-testing defence in a real browser: with JavaScript it continues
by itself; without, the reader presses Continue once the time is up."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samizdat.support.giving.forms import Gift, sign_gift
from samizdat.support.models import CardTestingEpisode, Donation
from tests.localstripe import CARD_OK, card_token
from tests.support.factories import DonationFormFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def giving(live_newsroom, stripe_settings, settings):
    DonationFormFactory()
    settings.SAMIZDAT_CARD_TESTING = {"WAIT_SECONDS": 2}


def open_episode() -> None:
    CardTestingEpisode.objects.create(
        trigger=CardTestingEpisode.Trigger.SITE,
        challenge=True,
        ends_at=timezone.now() + datetime.timedelta(minutes=30),
    )


def test_with_javascript_the_waiting_page_continues_by_itself(page, reader, giving):
    page.goto(reader("/en/support/"))
    form = page.locator("form#support-form")
    form.locator("label", has_text="Once").click()
    form.locator("fieldset.amounts[data-frequency=once] label", has_text="$25").click()
    form.get_by_role("button", name="Continue").click()
    page.get_by_label("E-mail").fill("reader@example.org")
    card = page.locator("#card-element")
    card.get_by_placeholder("number", exact=True).fill(CARD_OK)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("34")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("10001")
    open_episode()  # after the checkout page was shown: it carries no ticket

    page.get_by_role("button", name="Give $25 once").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("One moment, please")
    expect(page.locator("#wait-seconds")).to_be_visible()
    expect(page.locator(".thanks__gift")).to_have_text("Your gift: $25 once.", timeout=15_000)
    assert Donation.objects.get().status == Donation.Status.PAID
    assert not page.context.cookies()


def test_without_javascript_the_reader_waits_and_presses_continue(
    browser, reader, giving, localstripe
):
    open_episode()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        # The card token came from Stripe.js on the checkout page; the waiting page needs none.
        answer = context.request.post(
            reader("/en/support/pay/"),
            form={
                "token": sign_gift(Gift(2500, "usd", "once")),
                "email": "reader@example.org",
                "payment_token": card_token(localstripe, CARD_OK),
            },
        )
        html = answer.text()
        page.route(
            reader("/waiting/"), lambda route: route.fulfill(body=html, content_type="text/html")
        )
        page.goto(reader("/waiting/"))
        expect(page.get_by_text("Please wait 2 seconds, then press Continue.")).to_be_visible()

        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("That was a little early.")).to_be_visible()
        page.wait_for_timeout(2_100)
        page.get_by_role("button", name="Continue").click()

        expect(page.locator(".thanks__gift")).to_have_text("Your gift: $25 once.")
        assert Donation.objects.get().status == Donation.Status.PAID
        assert not context.cookies()
    finally:
        context.close()
