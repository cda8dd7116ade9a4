"""The reader's side of a gift paid to an address: choosing the coin, the payment page.

Everything here is plain HTML forms and links: it must work with JavaScript off and without an
e-mail address (the browser test drives it in Chromium with JavaScript disabled).
"""

from __future__ import annotations

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from samizdat.support.giving import chain
from samizdat.support.giving.forms import Gift, sign_gift
from samizdat.support.models import Donation, PaymentRequest

# fresh_cache: the checkout's per-client rate limit counts in the cache, and every test here
# posts from one address.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

CHECKOUT = "/en/support/checkout/"
PAY = "/en/support/pay/address/"


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_checkout_offers_the_coin_with_an_optional_email_and_no_script_needed(client, fakecoin):
    page = page_of(
        client.post(CHECKOUT, {"currency": "usd", "frequency": "once", "custom_amount": "25"})
    )
    form = page.select_one("form[action='/en/support/pay/address/']")
    assert form is not None
    assert page.select_one("#method-fakecoin").get_text() == "Fakecoin (FKC)"
    email = form.select_one("input[name=email]")
    assert not email.has_attr("required")
    assert "Only if you want a receipt" in form.get_text()
    assert form.select_one("button").get_text() == "Pay with Fakecoin (FKC)"


def test_paying_without_an_email_leads_to_the_payment_page(client, fakecoin):
    token = sign_gift(Gift(2500, "usd", "once"))
    response = client.post(PAY, {"token": token, "method": "fakecoin", "email": ""})
    request = PaymentRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/support/payment/{request.reference}/"
    assert request.donation.donor.email == ""

    page = page_of(client.get(response["Location"]))
    assert page.select_one("#payment-address").get_text() == request.address
    assert "0.12500000 FKC" in page.get_text()
    assert "$25" in page.get_text()
    assert page.select_one(f"a[href='fakecoin:{request.address}?amount=12500000']")
    assert page.select_one(".payment__qr svg") is not None
    refresh = page.select_one("meta[http-equiv=refresh]")
    assert refresh is not None and int(refresh["content"]) > 0
    assert "Waiting for your payment" in page.get_text()
    assert "1439 more minutes" in page.get_text() or "1440 more minutes" in page.get_text()


def test_a_monthly_choice_is_given_once_and_the_page_says_so(client, fakecoin):
    page = page_of(
        client.post(CHECKOUT, {"currency": "usd", "frequency": "monthly", "custom_amount": "10"})
    )
    form = page.select_one("form[action='/en/support/pay/address/']")
    assert "$10 once: a payment to an address cannot repeat by itself." in form.get_text()
    token = form.select_one("input[name=token]")["value"]
    client.post(PAY, {"token": token, "method": "fakecoin"})
    assert Donation.objects.get().frequency == "once"


def test_the_page_follows_the_payment_to_thank_you(client, fakecoin):
    token = sign_gift(Gift(2500, "usd", "once"))
    url = client.post(PAY, {"token": token, "method": "fakecoin"})["Location"]
    request = PaymentRequest.objects.get()

    fakecoin.pay(request.address, request.amount_atomic)
    chain.watch(fakecoin)
    page = page_of(client.get(url))
    assert "We see your payment of 0.12500000 FKC" in page.get_text()
    assert "(0 so far)" in page.get_text()

    fakecoin.mine(3)
    chain.watch(fakecoin)
    page = page_of(client.get(url))
    assert page.select_one("h1").get_text() == "Thank you!"
    assert "We received 0.12500000 FKC ($25)" in page.get_text()
    assert page.select_one("meta[http-equiv=refresh]") is None


def test_an_underpayment_is_thanked_for_as_what_it_is(client, fakecoin):
    token = sign_gift(Gift(2500, "usd", "once"))
    url = client.post(PAY, {"token": token, "method": "fakecoin"})["Location"]
    request = PaymentRequest.objects.get()
    fakecoin.pay(request.address, 5_000_000)
    fakecoin.mine(3)
    chain.watch(fakecoin)
    text = page_of(client.get(url)).get_text()
    assert "We received 0.05000000 FKC ($10)" in text
    assert "less than the 0.12500000 FKC we asked for" in text


def test_an_expired_request_says_so_and_shows_no_address(client, fakecoin):
    token = sign_gift(Gift(2500, "usd", "once"))
    url = client.post(PAY, {"token": token, "method": "fakecoin"})["Location"]
    chain.watch(fakecoin, now=timezone.now() + datetime.timedelta(hours=25))
    page = page_of(client.get(url))
    assert "This payment request has expired" in page.get_text()
    assert page.select_one("#payment-address") is None


def test_an_unknown_payment_page_is_not_found(client, fakecoin):
    assert client.get("/en/support/payment/" + "0" * 32 + "/").status_code == 404
    assert client.get("/en/support/payment/nothing/").status_code == 404


def test_a_tampered_method_or_token_records_nothing(client, fakecoin):
    token = sign_gift(Gift(2500, "usd", "once"))
    refused = client.post(PAY, {"token": token, "method": "stripe"})
    assert "This form was changed after it was loaded" in refused.content.decode()
    assert client.post(PAY, {"token": token[:-2] + "xx", "method": "fakecoin"}).status_code == 400
    assert not PaymentRequest.objects.exists()


def test_a_wallet_that_is_down_is_explained_and_nothing_is_recorded(client, fakecoin):
    fakecoin.down = True
    token = sign_gift(Gift(2500, "usd", "once"))
    response = client.post(PAY, {"token": token, "method": "fakecoin"})
    assert response.status_code == 200
    assert "The fake wallet is not answering." in response.content.decode()
    assert not Donation.objects.exists()


def test_without_a_rate_the_reader_is_told_and_nothing_is_recorded(client, fakecoin):
    from samizdat.support.models import ExchangeRate

    ExchangeRate.objects.all().delete()
    token = sign_gift(Gift(2500, "usd", "once"))
    response = client.post(PAY, {"token": token, "method": "fakecoin"})
    assert "This way of paying is not available right now" in response.content.decode()
    assert not Donation.objects.exists()


def test_the_payment_page_loads_nothing_from_another_host(client, fakecoin):
    token = sign_gift(Gift(2500, "usd", "once"))
    url = client.post(PAY, {"token": token, "method": "fakecoin"})["Location"]
    html = client.get(url).content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", html)


def test_a_russian_reader_is_asked_and_thanked_in_russian(client, fakecoin):
    page = page_of(
        client.post(
            "/ru/support/checkout/", {"currency": "usd", "frequency": "once", "custom_amount": "25"}
        )
    )
    form = page.select_one("form[action='/ru/support/pay/address/']")
    assert form.select_one("button").get_text() == "Оплатить в Fakecoin (FKC)"
    assert "Только если вам нужна квитанция" in form.get_text()
    token = form.select_one("input[name=token]")["value"]
    url = client.post("/ru/support/pay/address/", {"token": token, "method": "fakecoin"})[
        "Location"
    ]
    text = page_of(client.get(url)).get_text()
    assert "Отправьте ровно 0.12500000 FKC" in text
    assert "Ждём ваш платёж. Запрос действует ещё 1439 минут." in text or (
        "Ждём ваш платёж. Запрос действует ещё 1440 минут." in text
    )
