"""A payment provider slower than the checkout's time budget: the reader gets Samizdat's own
"still confirming" page (never a 500, never a thank-you), and `reconcile` settles the gift
later as paid or failed, by what the provider really did."""

from __future__ import annotations

import datetime
import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone, translation

from samizdat.payments import registry
from samizdat.payments.base import (
    CheckoutRequest,
    Frequency,
    OutcomeUnknown,
    ProviderUnavailable,
)
from samizdat.payments.intake import accept_event
from samizdat.payments.providers.stripe import StripeProvider
from samizdat.support.giving.forms import Gift, sign_gift
from samizdat.support.giving.views import thanks_url
from samizdat.support.models import Donation
from tests.localstripe import CARD_OK, card_token
from tests.support.factories import DonationFormFactory
from tests.support.test_ledger import refund

pytestmark = pytest.mark.usefixtures("fresh_cache")

PAY = "/en/support/pay/"
BUDGET = 1.0  # seconds: the provider's whole budget for one checkout, in these tests
DELAY = 2.5  # seconds the slow proxy holds a charge before passing it on (or dropping it)


class SlowStripe:
    """An HTTP proxy in front of localstripe that holds charges (POST /v1/payment_intents)
    for DELAY seconds, then passes them on ("late": the charge is made, its answer comes too
    late) or drops them ("lost": the charge never reaches Stripe). Anything else, and every
    request once `slow` is off, goes straight through."""

    def __init__(self, upstream: str, mode: str):
        self.upstream, self.mode, self.slow = upstream, mode, True
        self.charges_passed_on = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._forward()

            def do_POST(self):
                self._forward()

            def do_DELETE(self):
                self._forward()

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                held = proxy.slow and self.command == "POST" and self.path == "/v1/payment_intents"
                if held:
                    time.sleep(DELAY)
                    if proxy.mode == "lost":
                        self.close_connection = True
                        return
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                answer = requests.request(
                    self.command, proxy.upstream + self.path, data=body, headers=headers, timeout=10
                )
                if held:
                    proxy.charges_passed_on.set()
                try:
                    self.send_response(answer.status_code)
                    self.send_header("Content-Type", answer.headers.get("Content-Type", ""))
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)
                except OSError:
                    pass  # the client gave up waiting: that is the point

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def usd(db):
    return DonationFormFactory()


def slow_stripe(request, settings, stripe_settings, mode: str) -> SlowStripe:
    proxy = SlowStripe(stripe_settings["api_base"], mode)
    request.addfinalizer(proxy.close)
    options = {**stripe_settings, "api_base": proxy.url, "timeout": BUDGET}
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        "stripe": {"CLASS": "samizdat.payments.providers.stripe.StripeProvider", "OPTIONS": options}
    }
    registry.reset()
    return proxy


@pytest.fixture
def late_bank(request, settings, stripe_settings):
    return slow_stripe(request, settings, stripe_settings, "late")


@pytest.fixture
def lost_bank(request, settings, stripe_settings):
    return slow_stripe(request, settings, stripe_settings, "lost")


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def pay(client, stripe_settings, token: str):
    card = card_token(stripe_settings["api_base"], CARD_OK)
    form = {"token": token, "email": "reader@example.org", "payment_token": card}
    return client.post(PAY, form)


def assert_still_confirming(page) -> None:
    text = text_of(page)
    assert page.status_code == 200
    assert "We are still confirming your payment" in text
    assert "Please do not pay again." in text
    assert "Thank you" not in text
    refresh = BeautifulSoup(page.content, "html.parser").select_one("meta[http-equiv=refresh]")
    assert refresh["content"] == "10"
    assert not page.cookies


def test_a_slow_bank_gets_the_still_confirming_page_and_reconcile_finds_it_paid(
    client, usd, stripe_settings, late_bank
):
    token = sign_gift(Gift(2500, "usd", "once"))

    started = time.monotonic()
    response = pay(client, stripe_settings, token)
    waited = time.monotonic() - started

    # Within the budget (and the card check's share of it), far from gunicorn's 30 s.
    assert waited < BUDGET * 1.25 + 1
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert response["Location"] == thanks_url(donation)
    assert_still_confirming(client.get(response["Location"]))
    # Submitting again (a reload, a second click) says the same: never "Thank you".
    assert_still_confirming(client.get(pay(client, stripe_settings, token)["Location"]))
    with translation.override("ru"):
        russian = client.get(thanks_url(donation))
    assert "Мы ещё подтверждаем ваш платёж" in text_of(russian)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING

    assert late_bank.charges_passed_on.wait(10)  # the charge went through, its answer was lost
    late_bank.slow = False
    call_command("reconcile", stdout=open("/dev/null", "w"))  # noqa: SIM115

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    thanks = client.get(thanks_url(donation))
    assert "Thank you!" in text_of(thanks)
    assert not BeautifulSoup(thanks.content, "html.parser").select("meta[http-equiv=refresh]")


def test_a_charge_that_never_reached_the_bank_is_failed_by_reconcile(
    client, usd, stripe_settings, lost_bank
):
    response = pay(client, stripe_settings, sign_gift(Gift(2500, "usd", "once")))

    assert response.status_code == 302
    assert_still_confirming(client.get(response["Location"]))
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PENDING

    lost_bank.slow = False
    call_command("reconcile", stdout=open("/dev/null", "w"))  # noqa: SIM115
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING  # too recent to call: it may still come

    Donation.objects.filter(pk=donation.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    # A refund of a payment nobody recorded waits, and the operator is told.
    accept_event("stripe", refund("pi_nobody", timezone.now()))
    report = io.StringIO()
    call_command("reconcile", stdout=report)
    assert "Gifts pending for more than 15 minutes: 1 failed." in report.getvalue()
    assert "Events waiting for a payment not recorded as paid: 1." in report.getvalue()

    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED
    page = client.get(thanks_url(donation))
    assert "The payment did not go through" in text_of(page)
    assert "Nothing was charged." in text_of(page)
    assert "Thank you" not in text_of(page)


class Silent:
    """A server that accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def close(self):
        self.sock.close()


@pytest.fixture
def silent_stripe():
    server = Silent()
    yield StripeProvider("sk_test_x", "pk_test_x", "whsec_x", api_base=server.url, timeout=BUDGET)
    server.close()


def test_every_request_and_retry_of_one_call_share_the_budget(silent_stripe):
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as refused:
        silent_stripe.payment_status("pi_silent")  # two retries, were there time for them

    assert time.monotonic() - started < BUDGET + 0.5
    assert "Nothing was charged" in refused.value.message


def test_a_charge_that_was_never_sent_is_not_called_unknown(silent_stripe, monkeypatch):
    """Out of time before the charge left (the customer took the budget): nothing charged."""

    def slow_customer(request, metadata):
        time.sleep(BUDGET)
        return "cus_slow", "card_slow"

    monkeypatch.setattr(silent_stripe, "_create_customer", slow_customer)
    monkeypatch.setattr(silent_stripe, "_drop_customer", lambda customer: False)
    with pytest.raises(ProviderUnavailable) as refused:
        silent_stripe.start_checkout(
            CheckoutRequest(2500, "usd", Frequency.ONCE, "", "", "tok_visa", "key-silent")
        )

    assert not isinstance(refused.value, OutcomeUnknown)
    assert "Nothing was charged" in refused.value.message


def test_a_charge_sent_and_unanswered_is_called_unknown(silent_stripe, monkeypatch):
    monkeypatch.setattr(silent_stripe, "_create_customer", lambda r, m: ("cus_x", "card_x"))

    with pytest.raises(OutcomeUnknown) as unknown:
        silent_stripe.start_checkout(
            CheckoutRequest(2500, "usd", Frequency.ONCE, "", "", "tok_visa", "key-unanswered")
        )

    assert unknown.value.customer_id == "cus_x"  # kept: it may have paid
    assert "please check before trying again" in unknown.value.message
