"""The donation form and the checkout step: every bad input gets a clear error and changes
nothing; amounts are exact; the gift travels to the payment signed, not in editable fields."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.core.cache import cache

from samizdat.support.giving import checkout as gifts
from samizdat.support.giving.forms import CHECKOUT_SALT, Gift, read_gift, sign_gift
from samizdat.support.giving.views import thanks_url
from samizdat.support.models import Donation, Donor, RecurringDonation
from samizdat.support.money import AmountError, parse_amount
from tests.localstripe import (
    CARD_3DS,
    CARD_DECLINED,
    CARD_OK,
    authenticate_3ds,
    card_token,
)
from tests.support.factories import (
    AppealFactory,
    DonationFactory,
    DonationFormFactory,
    DonorFactory,
)

pytestmark = pytest.mark.usefixtures("fresh_cache")

CHECKOUT = "/en/support/checkout/"
PAY = "/en/support/pay/"
THANKS = "/en/support/thanks/"


@pytest.fixture
def usd(db):
    return DonationFormFactory()


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def gift(**changes) -> dict:
    return {"currency": "usd", "frequency": "monthly", "amount_monthly": "10", **changes}


def nothing_recorded() -> bool:
    return not (
        Donation.objects.exists() or Donor.objects.exists() or RecurringDonation.objects.exists()
    )


# Amounts as readers type them ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("25", 2500),
        ("25.50", 2550),
        ("25,50", 2550),
        ("25.5", 2550),
        ("0.10", 10),
        ("19.99", 1999),  # 19.99 * 100 is 1998.9999… as a float: Decimal keeps it exact
        ("1 000", 100_000),
        (" 7 ", 700),
        ("1234567.89", 123_456_789),
    ],
)
def test_typed_amounts_become_exact_minor_units(typed, minor):
    assert parse_amount(typed) == minor


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ten", "Enter the amount in numbers, like 25 or 25.50."),
        ("1e3", "Enter the amount in numbers, like 25 or 25.50."),
        ("25.505", "Enter the amount in numbers, like 25 or 25.50."),
        ("$25", "Enter the amount in numbers, like 25 or 25.50."),
        ("-5", "Enter an amount above zero."),
        ("", "Enter the amount in numbers, like 25 or 25.50."),
    ],
)
def test_what_is_not_an_amount_is_refused_with_a_reason(typed, message):
    with pytest.raises(AmountError) as refused:
        parse_amount(typed)
    assert str(refused.value) == message


# The form on the server ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"custom_amount": "1"}, "The smallest gift we can take is $2."),
        ({"custom_amount": "1.99"}, "The smallest gift we can take is $2."),
        ({"custom_amount": "0"}, "Enter an amount above zero."),
        ({"custom_amount": "0.00"}, "Enter an amount above zero."),
        ({"custom_amount": "-20"}, "Enter an amount above zero."),
        ({"custom_amount": "twenty"}, "Enter the amount in numbers, like 25 or 25.50."),
        ({"custom_amount": "10000.01"}, "Online gifts go up to $10,000."),
        ({"custom_amount": "99999999999999"}, "Online gifts go up to $10,000."),
        ({"amount_monthly": "1"}, "The smallest gift we can take is $2."),  # an edited radio
        ({"amount_monthly": ""}, "Choose an amount or type one."),
        ({"currency": "eur"}, "We cannot take gifts in this currency."),
        ({"currency": ""}, "We cannot take gifts in this currency."),
        ({"frequency": "weekly"}, "Choose how often you would like to give: once, monthly or"),
        ({"variant": "999999"}, "This form was changed after it was loaded."),
        ({"variant": "1 OR 1=1"}, "This form was changed after it was loaded."),
        ({"page": "-1"}, "This form was changed after it was loaded."),
        # Digits str.isdigit() accepts and int() refuses: a 500 before.
        ({"variant": "²"}, "This form was changed after it was loaded."),
        ({"page": "1²"}, "This form was changed after it was loaded."),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, usd, changes, message):
    response = client.post(CHECKOUT, gift(**changes))

    assert response.status_code == 200
    assert message in text_of(response)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("form#support-form")  # the form again, not the checkout
    assert page.select_one("#checkout-form") is None
    assert nothing_recorded()


def test_a_frequency_the_newsroom_does_not_offer_is_refused(client, usd):
    usd.offer_annual = False
    usd.save()

    response = client.post(CHECKOUT, gift(frequency="annual", amount_annual="100"))

    assert "Annual gifts are not offered in USD." in text_of(response)
    assert nothing_recorded()


def test_only_offered_frequencies_are_tabs_and_the_default_is_selected(client, usd):
    usd.offer_once, usd.default_frequency = False, "annual"
    usd.save()

    page = BeautifulSoup(client.get("/en/support/").content, "html.parser")

    tabs = page.select("fieldset.tabs input[name=frequency]")
    assert [t["value"] for t in tabs] == ["monthly", "annual"]
    assert [t["value"] for t in tabs if t.has_attr("checked")] == ["annual"]
    assert page.select_one("fieldset.tabs legend")
    groups = page.select("fieldset.amounts")
    assert [g["data-frequency"] for g in groups] == ["monthly", "annual"]
    assert [g.legend.get_text() for g in groups] == ["Amount: Monthly", "Amount: Annual"]
    assert [label.get_text() for label in groups[0].select("label")] == [
        "$5 /month",
        "$10 /month",
        "$20 /month",
        "$50 /month",
    ]


def test_minimum_is_shown_and_set_on_the_custom_amount(client, usd):
    page = BeautifulSoup(client.get("/en/support/").content, "html.parser")

    custom = page.select_one("input[name=custom_amount]")
    assert (custom["type"], custom["min"], custom["max"], custom["step"]) == (
        "number",
        "2",
        "10000",
        "0.01",
    )
    assert page.select_one("#gift-min").get_text() == "from just $2"
    assert "gift-amount-error" in custom["aria-describedby"]
    assert page.select_one("#gift-amount-error")["aria-live"] == "polite"


def test_payment_methods_are_shown_as_text(client, usd):
    page = BeautifulSoup(client.get("/en/support/").content, "html.parser")

    methods = [s.get_text() for s in page.select(".gift__methods span")]
    assert methods == ["Card"]  # Stripe alone: tests/support/test_payment_methods.py
    assert not page.select(".gift__methods img")


def test_currency_selector_appears_only_with_several_currencies(client, usd):
    single = BeautifulSoup(client.get("/en/support/").content, "html.parser")
    assert single.select_one("select[name=currency]") is None

    DonationFormFactory(currency="eur", is_default=False, minimum_minor=300)
    cache.clear()
    several = BeautifulSoup(client.get("/en/support/").content, "html.parser")
    options = [o["value"] for o in several.select("select[name=currency] option")]
    assert options == ["usd", "eur"]
    euro = several.select_one("[data-currency=eur]")
    assert euro.has_attr("hidden") and euro["data-min-text"] == "€3"
    assert all(i.has_attr("disabled") for i in euro.select("input"))

    response = client.post(CHECKOUT, gift(currency="eur", custom_amount="2.50"))
    assert "The smallest gift we can take is €3." in text_of(response)


def test_decimal_amount_reaches_checkout_exactly(client, usd):
    response = client.post(CHECKOUT, gift(custom_amount="25,50"))

    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".checkout__summary strong").get_text() == "$25.50 monthly"
    assert page.select_one("#checkout-submit").get_text() == "Give $25.50 monthly"
    signed = read_gift(page.select_one("input[name=token]")["value"])
    assert (signed.amount_minor, signed.currency, signed.frequency) == (2550, "usd", "monthly")
    assert nothing_recorded()


def test_a_typed_amount_wins_over_a_suggested_one(client, usd):
    response = client.post(CHECKOUT, gift(amount_monthly="10", custom_amount="12"))

    assert "$12 monthly" in text_of(response)


def test_checkout_carries_the_variant_and_page_it_came_from(client, usd, newsroom):
    article = newsroom.article("A story")
    variant = AppealFactory(kind="end_of_article").variants.get()

    response = client.post(CHECKOUT, gift(variant=str(variant.pk), page=str(article.pk)))

    page = BeautifulSoup(response.content, "html.parser")
    signed = read_gift(page.select_one("input[name=token]")["value"])
    assert (signed.variant_id, signed.page_id) == (variant.pk, article.pk)
    assert signed.checkout_key
    # Nothing the next step trusts travels in an editable field.
    editable = {i["name"] for i in page.select("#checkout-form input")}
    assert editable == {"token", "payment_token", "email", "name", "anonymous"}


def test_checkout_page_asks_for_email_name_anonymity_and_card(client, usd, settings):
    page = BeautifulSoup(client.post(CHECKOUT, gift()).content, "html.parser")

    email = page.select_one("#checkout-email")
    assert email.has_attr("required") and email["type"] == "email"
    assert page.select_one("label[for=checkout-email]").get_text() == "E-mail"
    assert page.select_one("label[for=checkout-name]").get_text() == "Name (optional)"
    assert page.select_one("#checkout-anonymous")["type"] == "checkbox"
    assert page.select_one("#card-element") is not None
    assert page.select_one(".checkout__summary a")["href"] == (
        "/en/support/?frequency=monthly&amount=10&currency=usd"
    )


def test_change_link_brings_the_choice_back(client, usd):
    page = BeautifulSoup(
        client.get("/en/support/?frequency=once&amount=33&currency=usd").content, "html.parser"
    )

    assert page.select_one("#gift-f-once").has_attr("checked")
    assert page.select_one("input[name=custom_amount]")["value"] == "33"


def test_get_on_checkout_leads_back_to_the_form(client, usd):
    assert client.get(CHECKOUT)["Location"] == "/en/support/"


# The signed token ---------------------------------------------------------------------------


def pay_data(token: str, **changes) -> dict:
    return {"token": token, "email": "reader@example.org", "payment_token": "tok_x", **changes}


@pytest.fixture
def start_gift_calls(monkeypatch):
    calls = []

    def fake_start_gift(**kwargs):
        calls.append(kwargs)
        return SimpleNamespace(
            status="failed", donation=None, client_secret="", error_message="Declined."
        )

    monkeypatch.setattr(gifts, "start_gift", fake_start_gift)
    return calls


def test_a_token_edited_in_the_browser_is_refused(client, usd, start_gift_calls):
    token = sign_gift(Gift(1000, "usd", "monthly"))
    payload, signature = token.rsplit(":", 1)
    forged = f"{payload}:{signature[:-2]}xx"

    response = client.post(PAY, pay_data(forged))

    assert response.status_code == 400
    assert "This form has expired or was changed. Please start again." in text_of(response)
    assert start_gift_calls == []
    assert nothing_recorded()


def test_a_value_signed_for_something_else_is_not_a_checkout_token(client, usd, start_gift_calls):
    other = signing.dumps({"a": 1, "c": "usd", "f": "once", "k": "x"}, salt="something.else")

    assert client.post(PAY, pay_data(other)).status_code == 400
    assert client.post(PAY, pay_data("")).status_code == 400
    assert start_gift_calls == []


def test_a_token_older_than_an_hour_is_refused(client, usd, start_gift_calls, monkeypatch):
    token = sign_gift(Gift(1000, "usd", "monthly"))
    later = time.time() + 3601
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    response = client.post(PAY, pay_data(token))

    assert response.status_code == 400
    assert "This form has expired or was changed." in text_of(response)
    assert start_gift_calls == []


def test_tokens_are_salted_and_each_carries_its_own_checkout_key():
    one, two = sign_gift(Gift(1000, "usd", "monthly")), sign_gift(Gift(1000, "usd", "monthly"))

    assert read_gift(one).checkout_key != read_gift(two).checkout_key
    with pytest.raises(signing.BadSignature):
        signing.loads(one)  # unsalted
    assert signing.loads(one, salt=CHECKOUT_SALT)["a"] == 1000


def test_missing_email_is_asked_for_before_anything_is_charged(client, usd, start_gift_calls):
    token = sign_gift(Gift(1000, "usd", "monthly"))

    response = client.post(PAY, pay_data(token, email=""))

    assert "Enter your e-mail address: we send your receipt there." in text_of(response)
    assert start_gift_calls == []


def test_pay_hands_the_signed_gift_to_checkout(client, usd, start_gift_calls):
    token = sign_gift(Gift(2550, "usd", "annual", variant_id=None))

    client.post(PAY, pay_data(token, name="Ada", anonymous="1"))

    (call,) = start_gift_calls
    assert call == {
        "amount_minor": 2550,
        "currency": "usd",
        "frequency": "annual",
        "email": "reader@example.org",
        "name": "",  # anonymous: no name kept
        "anonymous": True,
        "language": "en",
        "payment_token": "tok_x",
        "checkout_key": read_gift(token).checkout_key,
        "variant_id": None,
    }


def test_a_refusal_is_shown_and_the_retry_gets_a_new_checkout_key(client, usd, start_gift_calls):
    token = sign_gift(Gift(1000, "usd", "monthly"))

    response = client.post(PAY, pay_data(token))

    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#checkout-error").get_text(strip=True) == "Declined."
    assert page.select_one("#checkout-email")["value"] == "reader@example.org"
    retry = page.select_one("input[name=token]")["value"]
    assert read_gift(retry).checkout_key != read_gift(token).checkout_key


def test_checkout_and_pay_are_rate_limited_per_client(client, usd, settings):
    settings.SAMIZDAT_RATE_LIMIT = (3, 60)

    statuses = [client.post(CHECKOUT, gift()).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = client.post(CHECKOUT, gift())
    assert limited["Retry-After"] == "60"
    assert "Too many attempts" in text_of(limited)
    # Another reader is not slowed down by this one.
    other = client.post(CHECKOUT, gift(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


# Against localstripe: the real provider, a fake bank ----------------------------------------


@pytest.fixture
def bank(stripe_settings):  # noqa: F811
    """localstripe's address, with Samizdat's Stripe provider pointed at it."""
    return stripe_settings["api_base"]


def test_a_paid_gift_leads_to_the_thank_you_page(client, usd, bank):
    token = sign_gift(Gift(1000, "usd", "monthly"))

    response = client.post(PAY, pay_data(token, payment_token=card_token(bank, CARD_OK)))

    assert response.status_code == 302
    thanks = client.get(response["Location"])
    page = BeautifulSoup(thanks.content, "html.parser")
    assert page.select_one(".thanks__gift").get_text() == "Your gift: $10 monthly."
    assert "A receipt is on its way to r…@example.org." in text_of(thanks)
    assert page.select_one("a[href='/en/support/manage/']").get_text() == "manage your gifts"
    assert Donation.objects.get().status == Donation.Status.PAID
    assert not thanks.cookies


def test_a_declined_card_shows_the_error_and_records_nothing_paid(client, usd, bank):
    token = sign_gift(Gift(2500, "usd", "once"))

    response = client.post(PAY, pay_data(token, payment_token=card_token(bank, CARD_DECLINED)))

    assert response.status_code == 200
    error = BeautifulSoup(response.content, "html.parser").select_one("#checkout-error")
    assert not error.has_attr("hidden") and "declined" in error.get_text().lower()
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()


@pytest.fixture
def paid_gift(db):
    return DonationFactory(amount_minor=2500, donor=DonorFactory(email="ada@example.org"))


def thanks_ref(donation) -> str:
    """The signed part of the donation's thank-you link."""
    return thanks_url(donation).removeprefix(THANKS).removesuffix("/")


def assert_no_thanks(client, ref: str) -> None:
    response = client.get(f"{THANKS}{ref}/")
    assert response.status_code == 404
    assert "Your gift" not in text_of(response)


def test_the_thank_you_link_shows_the_gift_it_was_made_for(client, paid_gift):
    response = client.get(thanks_url(paid_gift))

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".thanks__gift").get_text() == "Your gift: $25 once."
    assert "A receipt is on its way to a…@example.org." in text_of(response)


def test_a_bare_donation_id_is_not_a_thank_you_link(client, paid_gift):
    assert_no_thanks(client, str(paid_gift.pk))
    assert_no_thanks(client, signing.dumps(paid_gift.pk))  # signed, but not as a thank-you link


def test_a_thank_you_link_of_another_donation_is_refused(client, paid_gift):
    other = DonationFactory(amount_minor=10000, donor=DonorFactory(email="bo@example.org"))
    # Ours, with the other donation's id in place of our own: the signature no longer fits.
    _id, stamp, signature = thanks_ref(paid_gift).split(":")
    other_id = signing.b64_encode(str(other.pk).encode()).decode()

    assert_no_thanks(client, f"{other_id}:{stamp}:{signature}")
    assert client.get(thanks_url(other)).status_code == 200  # its own link still works


def test_a_tampered_thank_you_link_is_refused(client, paid_gift):
    ref = thanks_ref(paid_gift)
    tampered = ref[:-1] + ("A" if ref[-1] != "A" else "B")

    assert_no_thanks(client, tampered)


def test_a_bank_asking_for_3d_secure_is_confirmed_in_the_browser_then_checked(client, usd, bank):
    token = sign_gift(Gift(5000, "usd", "once"))

    response = client.post(PAY, pay_data(token, payment_token=card_token(bank, CARD_3DS)))

    page = BeautifulSoup(response.content, "html.parser")
    confirm = page.select_one("form#confirm-form")
    assert confirm["action"] == "/en/support/confirm/"
    assert Donation.objects.get().status == Donation.Status.PENDING
    authenticate_3ds(bank, confirm["data-client-secret"])  # what Stripe.js does with the donor
    fields = {i["name"]: i["value"] for i in confirm.select("input")}

    confirmed = client.post(confirm["action"], fields)

    assert confirmed.status_code == 302
    thanks = BeautifulSoup(client.get(confirmed["Location"]).content, "html.parser")
    assert thanks.select_one(".thanks__gift").get_text() == "Your gift: $50 once."
    assert Donation.objects.get().status == Donation.Status.PAID


def test_a_forged_confirmation_is_refused_and_nobody_asks_the_bank(client, usd, monkeypatch):
    waiting = DonationFactory(amount_minor=5000, status=Donation.Status.PENDING)
    asked = []

    def confirm_gift(donation):
        asked.append(donation)
        return SimpleNamespace(status="failed", donation=donation, error_message="Declined.")

    monkeypatch.setattr(gifts, "confirm_gift", confirm_gift)
    token = sign_gift(Gift(5000, "usd", "once"))

    # The donation's bare id, and its id signed for something else than a confirmation.
    for ref in (str(waiting.pk), signing.dumps(waiting.pk)):
        response = client.post("/en/support/confirm/", {"ref": ref, "token": token})

        assert response.status_code == 400
        assert (
            "This form has expired or was changed. Please start again. Nothing was charged."
            in text_of(response)
        )
    assert asked == []
    waiting.refresh_from_db()
    assert waiting.status == Donation.Status.PENDING
