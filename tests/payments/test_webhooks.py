"""Webhook intake: signatures, idempotency, rollback on failure, and real localstripe delivery."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from samizdat.payments.base import CheckoutStatus, Frequency
from samizdat.payments.models import WebhookEvent
from samizdat.support.models import Donation, RecurringDonation
from tests.localstripe import (
    WEBHOOK_SECRET,
    register_webhook,
    signed_stripe_event,
    silence_webhook,
    stripe_checkout,
    stripe_event,
    wait_for_delivery,
    webhook_deliveries,
)
from tests.support.factories import DonationFactory

URL = "/payments/webhooks/stripe/"


def post(client, body: bytes, headers: dict[str, str], url: str = URL):
    return client.post(
        url,
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": headers.get("Stripe-Signature", "")},
    )


def intent_succeeded(donation: Donation, event_id: str = "evt_paid_1") -> dict:
    return stripe_event(
        "payment_intent.succeeded",
        {
            "id": "pi_webhook_1",
            "object": "payment_intent",
            "amount": donation.amount_minor,
            "amount_received": donation.amount_minor,
            "currency": donation.currency,
            "customer": "cus_webhook_1",
            "invoice": None,
            "status": "succeeded",
            "metadata": {"donation_id": str(donation.pk), "frequency": "once"},
        },
        event_id,
    )


def invoice_paid(event_id: str = "evt_invoice_1", invoice_id: str = "in_webhook_1") -> dict:
    """A subscription's invoice, paid: for a subscription Samizdat has never seen."""
    return stripe_event(
        "invoice.paid",
        {
            "id": invoice_id,
            "object": "invoice",
            "customer": "cus_webhook_2",
            "customer_email": "Grace@Example.org",
            "customer_name": "Grace",
            "amount_paid": 1000,
            "amount_due": 1000,
            "currency": "usd",
            "status": "paid",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {
                    "subscription": "sub_webhook_1",
                    "metadata": {"language": "ru", "frequency": "monthly"},
                },
            },
            "lines": {
                "data": [
                    {
                        "period": {"start": 1790000000, "end": 1792592000},
                        "pricing": {"price_details": {"price": "samizdat-usd-1000-month"}},
                    }
                ]
            },
        },
        event_id,
    )


@pytest.fixture
def pending_gift(db):
    return DonationFactory(status=Donation.Status.PENDING, provider_payment_id="", paid_at=None)


@pytest.fixture
def stripe_secret(settings):
    from samizdat.payments import registry

    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        "stripe": {
            "CLASS": "samizdat.payments.providers.stripe.StripeProvider",
            "OPTIONS": {
                "secret_key": "sk_test_unused",
                "publishable_key": "pk_test_unused",
                "webhook_secret": WEBHOOK_SECRET,
                # Nothing here may call Stripe: a closed port makes any attempt fail loudly.
                "api_base": "http://127.0.0.1:9",
                "max_network_retries": 0,
            },
        }
    }
    registry.reset()
    yield WEBHOOK_SECRET
    registry.reset()


def test_a_signed_event_is_stored_and_applied(client, stripe_secret, pending_gift):
    response = post(client, *signed_stripe_event(intent_succeeded(pending_gift)))

    assert response.status_code == 200
    stored = WebhookEvent.objects.get()
    assert (stored.provider, stored.event_id, stored.type, stored.kind) == (
        "stripe",
        "evt_paid_1",
        "payment_intent.succeeded",
        "payment_succeeded",
    )
    pending_gift.refresh_from_db()
    assert pending_gift.status == Donation.Status.PAID
    assert pending_gift.provider_payment_id == "pi_webhook_1"


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda body, headers: (body, {}), id="no signature"),
        pytest.param(
            lambda body, headers: signed_stripe_event(json.loads(body), "whsec_x"),
            id="wrong secret",
        ),
        pytest.param(
            lambda body, headers: (body.replace(b"succeeded", b"succeedeD", 1), headers),
            id="tampered body",
        ),
        pytest.param(
            lambda body, headers: signed_stripe_event(
                json.loads(body), WEBHOOK_SECRET, timestamp=int(time.time()) - 600
            ),
            id="replayed from ten minutes ago",
        ),
        pytest.param(lambda body, headers: (b"not json", signed_stripe_event({})[1]), id="garbage"),
    ],
)
def test_a_forged_event_is_refused_and_nothing_is_stored(
    client, stripe_secret, pending_gift, forge
):
    body, headers = forge(*signed_stripe_event(intent_succeeded(pending_gift)))

    response = post(client, body, headers)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    pending_gift.refresh_from_db()
    assert pending_gift.status == Donation.Status.PENDING


def test_a_signed_body_that_is_not_an_event_is_refused(client, stripe_secret, db):
    response = post(client, *signed_stripe_event({"hello": "world"}))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_replayed_event_is_acknowledged_and_changes_nothing(client, stripe_secret, db):
    body, headers = signed_stripe_event(invoice_paid())

    first = post(client, body, headers)
    second = post(client, body, headers)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == b"duplicate"
    assert WebhookEvent.objects.count() == 1
    recurring = RecurringDonation.objects.get()
    assert (recurring.status, recurring.amount_minor, recurring.frequency) == (
        RecurringDonation.Status.ACTIVE,
        1000,
        "monthly",
    )
    assert recurring.donor.email == "grace@example.org"
    assert recurring.donor.language == "ru"
    assert Donation.objects.get().status == Donation.Status.PAID


def test_the_same_payment_under_another_event_id_is_not_recorded_twice(client, stripe_secret, db):
    # Stripe sends invoice.paid and invoice.payment_succeeded for one payment.
    post(client, *signed_stripe_event(invoice_paid("evt_a")))
    second = invoice_paid("evt_b")
    second["type"] = "invoice.payment_succeeded"
    post(client, *signed_stripe_event(second))

    assert WebhookEvent.objects.count() == 2
    assert Donation.objects.count() == 1


def explode(event, provider):
    raise RuntimeError("the ledger fell over")


def test_an_event_whose_handling_fails_is_not_stored_so_the_retry_applies_it(
    client, stripe_secret, settings, pending_gift
):
    body, headers = signed_stripe_event(intent_succeeded(pending_gift))
    settings.SAMIZDAT_PAYMENT_EVENT_HANDLER = f"{__name__}.explode"

    failed = post(client, body, headers)

    assert failed.status_code == 500
    assert not WebhookEvent.objects.exists()
    pending_gift.refresh_from_db()
    assert pending_gift.status == Donation.Status.PENDING

    settings.SAMIZDAT_PAYMENT_EVENT_HANDLER = "samizdat.support.ledger.apply_event"
    retried = post(client, body, headers)

    assert retried.status_code == 200
    assert WebhookEvent.objects.count() == 1
    pending_gift.refresh_from_db()
    assert pending_gift.status == Donation.Status.PAID


def test_an_event_type_we_do_not_use_is_stored_and_ignored(client, stripe_secret, db):
    event = stripe_event("customer.created", {"id": "cus_1", "object": "customer"}, "evt_cus")

    response = post(client, *signed_stripe_event(event))

    assert response.status_code == 200
    assert WebhookEvent.objects.get().kind == "ignored"


def test_an_unknown_provider_is_not_found(client, stripe_secret, db):
    body, headers = signed_stripe_event(invoice_paid())

    response = post(client, body, headers, url="/payments/webhooks/paypal/")

    assert response.status_code == 404
    assert not WebhookEvent.objects.exists()


def test_webhooks_only_accept_post(client, stripe_secret, db):
    assert client.get(URL).status_code == 405
    assert reverse("payments:webhook", args=["stripe"]) == URL


def wait_until(found, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := found():
            return value
        time.sleep(0.2)
    pytest.fail("the webhook for this payment never arrived")


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_a_real_subscription_payment(live_server, stripe_settings):
    """Only the webhook tells Samizdat about this subscription: it must build the gift."""
    base_url = stripe_settings["api_base"]
    # One event type: two deliveries at once would contend for the test database's lock.
    webhook = register_webhook(
        base_url, f"{live_server.url}{URL}", events=["invoice.payment_succeeded"]
    )
    delivered_before = len(webhook_deliveries(base_url, "invoice.payment_succeeded"))
    try:
        result = stripe_checkout(
            base_url,
            amount_minor=700,
            frequency=Frequency.MONTHLY,
            email="webhook@example.org",
            name="Web Hook",
            metadata={"language": "en"},
        )
        assert result.status is CheckoutStatus.SUCCEEDED

        report = wait_for_delivery(base_url, "invoice.payment_succeeded", after=delivered_before)
        assert "successfully delivered" in report
        # A payment from the previous test may be delivered first (localstripe sends a second
        # late, to every webhook registered by then): wait for the one for this subscription.
        ours = wait_until(
            lambda: [
                event
                for event in WebhookEvent.objects.filter(type="invoice.payment_succeeded")
                if result.subscription_id in json.dumps(event.payload)
            ]
        )
        assert len(ours) == 1
        donation = Donation.objects.get(provider_payment_id=result.payment_id)
        assert donation.status == Donation.Status.PAID
        assert donation.amount_minor == 700
        recurring = RecurringDonation.objects.get(provider_subscription_id=result.subscription_id)
        assert recurring.status == RecurringDonation.Status.ACTIVE
        assert recurring.donor.email == "webhook@example.org"
    finally:
        silence_webhook(base_url, webhook)
