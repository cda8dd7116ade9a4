"""The newsroom's side of gifts paid to an address: rates typed by editors, requests and what
arrived, and revenue by the way it was paid."""

from __future__ import annotations

import uuid

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse

from samizdat.support.giving import chain
from samizdat.support.models import ExchangeRate
from tests.support.factories import DonationFactory

pytestmark = pytest.mark.django_db

ADD_RATE = "wagtailsnippets_support_exchangerate:add"


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("chief", "chief@newsroom.test", "pw-chief-1")
    client.force_login(user)
    return client


def add_rate(client, value: str, coin="fkc", currency="USD"):
    return client.post(
        reverse(ADD_RATE), {"coin": coin, "minor_per_coin": value, "currency": currency}
    )


def ask():
    return chain.open_request(
        provider_name="fakecoin",
        amount_minor=2500,
        currency="usd",
        checkout_key=uuid.uuid4().hex,
        language="en",
    )


def test_an_editor_types_a_rate_in_the_currency_and_it_is_signed(editor, fakecoin):
    response = add_rate(editor, "152.40")
    assert response.status_code == 302
    rate = ExchangeRate.objects.first()
    assert (rate.coin, rate.currency, rate.minor_per_coin) == ("fkc", "usd", 15240)
    assert rate.set_by == "chief"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "A rate must be above zero."),
        ("-5", "Enter an amount above zero."),
        ("152.405", "Enter the amount in numbers"),
    ],
)
def test_a_rate_of_zero_below_or_with_too_many_decimals_is_refused(
    editor, fakecoin, typed, message
):
    before = ExchangeRate.objects.count()
    response = add_rate(editor, typed)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ExchangeRate.objects.count() == before


def test_only_coins_that_are_configured_can_have_a_rate(editor, fakecoin):
    page = BeautifulSoup(editor.get(reverse(ADD_RATE)).content, "html.parser")
    options = [o["value"] for o in page.select("select[name=coin] option") if o["value"]]
    assert options == ["fkc"]
    assert add_rate(editor, "100", coin="btc").status_code == 200


def test_the_list_of_requests_shows_an_underpayment_as_such(editor, fakecoin):
    request = ask()
    fakecoin.pay(request.address, 5_000_000)
    fakecoin.mine(3)
    chain.watch(fakecoin)
    text = editor.get(reverse("wagtailsnippets_support_paymentrequest:list")).content.decode()
    assert "0.12500000 FKC ($25.00)" in text
    assert "0.05000000 FKC (underpaid)" in text


def test_revenue_by_month_shows_each_payment_method(editor, fakecoin):
    DonationFactory(amount_minor=5000, currency="usd", status="paid", provider="stripe")
    request = ask()
    fakecoin.pay(request.address, request.amount_atomic)
    fakecoin.mine(3)
    chain.watch(fakecoin)
    page = BeautifulSoup(
        editor.get(reverse("revenue_by_month:index"), {"currency": "usd"}).content, "html.parser"
    )
    table = page.select_one("table[aria-labelledby=by-method]")
    rows = [
        [c.get_text(strip=True) for c in tr.select("th, td")] for tr in table.select("tbody tr")
    ]
    assert rows == [["Card", "$50.00", "1"], ["Fakecoin (FKC)", "$25.00", "1"]]
