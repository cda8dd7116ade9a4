"""After a one-time card gift the thank-you page offers to make it monthly with the same card in
one click, or to remind the donor next month: once, safely, through the ledger like any gift."""

from __future__ import annotations

import datetime
import time

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.utils import timezone

from samizdat.payments import intake, registry
from samizdat.payments.base import Frequency
from samizdat.support.giving import upsell
from samizdat.support.giving.forms import Gift, sign_gift
from samizdat.support.giving.goals import current_progress
from samizdat.support.giving.views import THANKS_SALT, thanks_url
from samizdat.support.models import Donation, RecurringDonation, Reminder
from tests.localstripe import (
    CARD_3DS,
    CARD_CHARGE_FAILS,
    CARD_OK,
    card_token,
    count_objects,
    stripe_get,
)
from tests.support.factories import CampaignFactory, DonationFactory, DonationFormFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")

PAY = "/en/support/pay/"
UPSELL = "/en/support/upsell/"


@pytest.fixture
def usd(db):
    return DonationFormFactory()


@pytest.fixture
def bank(stripe_settings):
    """localstripe's address, with Samizdat's Stripe provider pointed at it."""
    return stripe_settings["api_base"]


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text_of(response) -> str:
    return " ".join(page_of(response).get_text(" ").split())


def give_once(client, bank, amount_minor: int = 2500, card: str = CARD_OK, language="en"):
    """A one-time gift paid at checkout; returns (its donation, its thank-you page)."""
    token = sign_gift(Gift(amount_minor, "usd", "once"))
    response = client.post(
        f"/{language}/support/pay/",
        {
            "token": token,
            "email": "ada@example.org",
            "name": "Ada",
            "payment_token": card_token(bank, card),
        },
    )
    assert response.status_code == 302, text_of(response)
    thanks = client.get(response["Location"])
    return Donation.objects.get(frequency="once"), page_of(thanks)


def offer_form(thanks: BeautifulSoup):
    return thanks.select_one("section.upsell form")


def click(client, thanks: BeautifulSoup, choice: str, language: str = "en"):
    form = offer_form(thanks)
    return client.post(
        form["action"], {"token": form.select_one("[name=token]")["value"], "choice": choice}
    )


# What is offered ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one_time", "monthly"),
    [(2500, 800), (10000, 3300), (1000, 300), (500, 200), (200, 200), (100_000, 33_300)],
)
def test_the_monthly_amount_offered_is_a_third_in_whole_units_from_the_minimum(
    usd, one_time, monthly
):
    assert upsell.monthly_amount(one_time, usd) == monthly


def test_the_thank_you_page_of_a_card_gift_offers_a_third_of_it_every_month(client, usd, bank):
    donation, thanks = give_once(client, bank, 2500)

    section = thanks.select_one("section.upsell")
    assert section.h2.get_text() == "Make it monthly?"
    assert "Give $8 a month with the same card, with nothing to type: $8 today" in " ".join(
        section.get_text(" ").split()
    )
    buttons = section.select("button[name=choice]")
    assert [(b["value"], b.get_text()) for b in buttons] == [
        ("monthly", "Give $8 a month"),
        ("remind", "Remind me next month"),
    ]
    # The one-time payment saved the card for it, at Stripe.
    intent = stripe_get(bank, f"payment_intents/{donation.provider_payment_id}")
    assert intent["setup_future_usage"] == "off_session"


def test_the_offer_speaks_russian(client, usd, bank):
    _donation, thanks = give_once(client, bank, 2500, language="ru")

    section = thanks.select_one("section.upsell")
    assert section.h2.get_text() == "Помогать каждый месяц?"
    assert [b.get_text() for b in section.select("button")] == [
        "Давать 8\xa0$ в месяц",
        "Напомнить через месяц",
    ]
    assert offer_form(thanks)["action"] == "/ru/support/upsell/"


def test_no_offer_after_a_recurring_gift(client, usd, bank):
    token = sign_gift(Gift(1000, "usd", "monthly"))
    response = client.post(
        PAY, {"token": token, "email": "ada@example.org", "payment_token": card_token(bank)}
    )

    assert page_of(client.get(response["Location"])).select_one("section.upsell") is None


def test_no_offer_for_a_coin_payment_or_a_provider_that_cannot_save_cards(
    client, usd, bank, settings
):
    coins = DonationFactory(provider="monero", provider_payment_id="xmr-ref-1")
    assert page_of(client.get(thanks_url(coins))).select_one("section.upsell") is None

    # A card provider without start_recurring_with_saved_method (tests' fake provider).
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        "fake": {"CLASS": "tests.support.fake_provider.RecordingProvider", "OPTIONS": {}}
    }
    registry.reset()
    fake = DonationFactory(provider="fake", provider_payment_id="fake_1")
    assert not hasattr(registry.get_provider("fake"), "start_recurring_with_saved_method")
    assert page_of(client.get(thanks_url(fake))).select_one("section.upsell") is None


def test_no_offer_once_the_offer_has_run_out_or_monthly_is_not_offered(client, bank, db):
    form = DonationFormFactory()
    old = DonationFactory(paid_at=timezone.now() - datetime.timedelta(days=3))
    assert upsell.offer_for(old) is None
    fresh = DonationFactory()
    assert upsell.offer_for(fresh) is not None
    form.offer_monthly = False
    form.save()
    assert upsell.offer_for(fresh) is None


# One click: monthly ---------------------------------------------------------------------------


def test_one_click_starts_a_monthly_gift_on_the_saved_card_recorded_once(client, usd, bank):
    CampaignFactory(goal_minor=1_000_000)
    donation, thanks = give_once(client, bank, 2500)
    before = current_progress().raised_minor

    response = click(client, thanks, "monthly")

    assert response.status_code == 302
    monthly = Donation.objects.get(frequency="monthly")
    # The same thank-you page (the signed reference carries the second it was signed in).
    ref = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert response["Location"] == f"/en/support/thanks/{ref}/"
    assert signing.loads(ref, salt=THANKS_SALT) == monthly.pk
    page = client.get(response["Location"])
    assert page_of(page).select_one(".thanks__gift").get_text() == "Your gift: $8 monthly."
    assert page_of(page).select_one("section.upsell") is None
    # At Stripe: one subscription, on the one-time gift's customer and card, its first
    # invoice paid.
    intent = stripe_get(bank, f"payment_intents/{donation.provider_payment_id}")
    (subscription,) = stripe_get(bank, "subscriptions", status="all")["data"]
    assert subscription["customer"] == intent["customer"]
    assert subscription["default_payment_method"] == intent["payment_method"]
    assert subscription["status"] == "active"
    assert subscription["plan"]["amount"] == 800
    # In our records: one recurring gift, its first payment paid, the donor the same.
    recurring = RecurringDonation.objects.get()
    assert (recurring.amount_minor, recurring.status) == (800, RecurringDonation.Status.ACTIVE)
    assert recurring.provider_subscription_id == subscription["id"]
    assert monthly.status == Donation.Status.PAID and monthly.recurring == recurring
    assert monthly.donor == donation.donor
    assert monthly.variant is None  # the appeal was credited for the first gift already
    # The goal counts it: $8 a month on top of the $25 and the $8 paid today, which is
    # recurring now (the month's recurring gifts count, not their payments).
    assert current_progress().raised_minor == before + 800

    # Stripe's account of it, replayed as its webhooks and reconcile would: nothing twice.
    provider = registry.get_provider("stripe")
    for event in provider.recent_events(timezone.now() - datetime.timedelta(hours=1)):
        intake.accept_event("stripe", event)
    assert RecurringDonation.objects.count() == 1
    assert Donation.objects.filter(frequency="monthly").count() == 1
    assert Donation.objects.get(pk=monthly.pk).status == Donation.Status.PAID


def test_a_double_click_or_a_replayed_token_starts_one_subscription(client, usd, bank):
    _donation, thanks = give_once(client, bank, 2500)

    first = click(client, thanks, "monthly")
    again = click(client, thanks, "monthly")
    remind_after = click(client, thanks, "remind")

    # The same thank-you page each time (the signed reference carries the second it was
    # signed in, so the references are compared by what they sign).
    def signed_pk(response):
        ref = response["Location"].rstrip("/").rsplit("/", 1)[1]
        assert response["Location"] == f"/en/support/thanks/{ref}/"
        return signing.loads(ref, salt=THANKS_SALT)

    monthly = Donation.objects.get(frequency="monthly")
    assert signed_pk(first) == signed_pk(again) == signed_pk(remind_after) == monthly.pk
    assert count_objects(bank, "subscriptions") == 1
    assert RecurringDonation.objects.count() == 1
    assert Donation.objects.filter(frequency="monthly").count() == 1
    assert not Reminder.objects.exists()


def test_a_card_the_provider_refuses_for_the_monthly_gift_starts_nothing(client, usd, bank):
    _donation, thanks = give_once(client, bank, 2500)
    # Since the gift, the customer's card at Stripe changed: the saved one is not its default.
    donation = Donation.objects.get()
    intent = stripe_get(bank, f"payment_intents/{donation.provider_payment_id}")
    requests_post_card(bank, intent["customer"], CARD_CHARGE_FAILS)

    response = click(client, thanks, "monthly")

    assert response.status_code == 200
    assert "Your monthly gift did not start" in text_of(response)
    assert "Your earlier gift is not affected." in text_of(response)
    link = page_of(response).select_one("a.button")["href"]
    assert link == "/en/support/?amount=8&frequency=monthly"
    assert count_objects(bank, "subscriptions") == 0
    assert not RecurringDonation.objects.exists()
    assert Donation.objects.get(frequency="monthly").status == Donation.Status.FAILED
    # Clicking again shows the same answer: the token was used.
    assert "Your monthly gift did not start" in text_of(click(client, thanks, "monthly"))
    assert count_objects(bank, "subscriptions") == 0


def requests_post_card(bank: str, customer: str, number: str) -> None:
    """Make `number` the customer's default card, as a bank change of heart would."""
    from tests.localstripe import stripe_post

    card = stripe_post(bank, f"customers/{customer}/sources", source=card_token(bank, number))
    stripe_post(bank, f"customers/{customer}", default_source=card["id"])


def test_a_bank_that_wants_3d_secure_off_session_starts_nothing(client, usd, bank):
    # The card that paid needs 3-D Secure for every charge: off-session it cannot be asked.
    donation, thanks = give_once_3ds(client, bank)

    response = click(client, thanks, "monthly")

    assert response.status_code == 200
    assert "Your bank wants to confirm this payment" in text_of(response)
    assert not RecurringDonation.objects.filter(status=RecurringDonation.Status.ACTIVE).exists()
    (subscription,) = stripe_get(bank, "subscriptions", status="all")["data"]
    assert subscription["status"] in ("canceled", "incomplete_expired")


def give_once_3ds(client, bank):
    from tests.localstripe import authenticate_3ds

    token = sign_gift(Gift(2500, "usd", "once"))
    response = client.post(
        PAY,
        {"token": token, "email": "ada@example.org", "payment_token": card_token(bank, CARD_3DS)},
    )
    page = page_of(response)
    secret = page.select_one("[data-client-secret]")["data-client-secret"]
    authenticate_3ds(bank, secret)
    confirm = client.post(
        "/en/support/confirm/",
        {"ref": page.select_one("[name=ref]")["value"], "token": token},
    )
    assert confirm.status_code == 302
    return Donation.objects.get(), page_of(client.get(confirm["Location"]))


# Tokens ---------------------------------------------------------------------------------------


def token_of(thanks) -> str:
    return offer_form(thanks).select_one("[name=token]")["value"]


@pytest.mark.parametrize("choice", ["monthly", "remind"])
def test_a_tampered_token_is_refused_and_starts_nothing(client, usd, bank, choice):
    _donation, thanks = give_once(client, bank, 2500)
    token = token_of(thanks)
    payload = signing.loads(token, salt=upsell.UPSELL_SALT)
    forged_amount = signing.dumps({**payload, "a": 5000}, salt="not.the.upsell", compress=True)
    other_donation = signing.dumps({**payload, "d": payload["d"] + 1}, salt=upsell.UPSELL_SALT)

    for bad in (token[:-2] + "xx", forged_amount, other_donation, "", "²" * 40):
        response = client.post(UPSELL, {"token": bad, "choice": choice})
        assert response.status_code == 400, bad

    assert count_objects(bank, "subscriptions") == 0
    assert not RecurringDonation.objects.exists()
    assert not Reminder.objects.exists()


def test_a_token_for_another_amount_than_offered_is_refused(client, usd, bank):
    donation, _thanks = give_once(client, bank, 2500)
    # Signed by us, but not what the page offered (settings changed, or forged with the key).
    token = signing.dumps({"d": donation.pk, "a": 5000}, salt=upsell.UPSELL_SALT, compress=True)

    assert client.post(UPSELL, {"token": token, "choice": "monthly"}).status_code == 400
    assert count_objects(bank, "subscriptions") == 0


def test_an_expired_token_is_refused(client, usd, bank, monkeypatch):
    _donation, thanks = give_once(client, bank, 2500)
    later = time.time() + upsell.UPSELL_MAX_AGE.total_seconds() + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    response = click(client, thanks, "monthly")

    assert response.status_code == 400
    assert "Please start again" in text_of(response)
    assert count_objects(bank, "subscriptions") == 0


def test_an_unknown_choice_or_a_get_is_refused(client, usd, bank):
    _donation, thanks = give_once(client, bank, 2500)

    assert client.post(UPSELL, {"token": token_of(thanks), "choice": "weekly"}).status_code == 400
    assert client.get(UPSELL).status_code == 405
    assert count_objects(bank, "subscriptions") == 0


def test_no_cookie_is_set(client, usd, bank):
    _donation, thanks = give_once(client, bank, 2500)

    response = click(client, thanks, "monthly")

    assert not response.cookies


# One click: remind me next month ----------------------------------------------------------


def test_remind_me_next_month_records_one_reminder_a_month_later(client, usd, bank):
    _donation, thanks = give_once(client, bank, 2500)

    response = click(client, thanks, "remind")
    click(client, thanks, "remind")  # twice: still one reminder

    assert response.status_code == 200
    assert "We will send one reminder to a…@example.org on" in text_of(response)
    reminder = Reminder.objects.get()
    assert reminder.email == "ada@example.org"
    assert reminder.remind_at.date() == upsell.next_month(timezone.now()).date()
    assert reminder.consent_text.startswith("Remind me next month: one e-mail on ")
    assert count_objects(bank, "subscriptions") == 0


@pytest.mark.parametrize(
    ("now", "then"),
    [
        (datetime.datetime(2026, 1, 31, 9, 0), datetime.datetime(2026, 2, 28, 9, 0)),
        (datetime.datetime(2026, 12, 4, 9, 0), datetime.datetime(2027, 1, 4, 9, 0)),
        (datetime.datetime(2028, 1, 30, 9, 0), datetime.datetime(2028, 2, 29, 9, 0)),
    ],
)
def test_next_month_is_the_same_day_or_the_months_last(now, then):
    assert upsell.next_month(now) == then


def test_the_monthly_gift_is_a_recurring_gift_at_the_provider_too(client, usd, bank):
    _donation, thanks = give_once(client, bank, 2500)
    click(client, thanks, "monthly")

    (subscription,) = stripe_get(bank, "subscriptions", status="all")["data"]
    assert subscription["plan"]["interval"] == "month"
    assert subscription["metadata"]["frequency"] == Frequency.MONTHLY.value
    assert subscription["metadata"]["donation_id"] == str(
        Donation.objects.get(frequency="monthly").pk
    )


@pytest.mark.django_db(transaction=True)
def test_two_clicks_arriving_at_once_start_one_subscription(client, usd, bank):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    _donation, thanks = give_once(client, bank, 2500)
    token = token_of(thanks)

    def click_once(_):
        try:
            return Client().post(UPSELL, {"token": token, "choice": "monthly"}).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(click_once, range(4)))

    assert set(statuses) == {302}
    assert count_objects(bank, "subscriptions") == 1
    assert RecurringDonation.objects.count() == 1
    assert Donation.objects.filter(frequency="monthly").count() == 1
