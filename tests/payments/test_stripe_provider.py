"""Gifts through the Stripe provider, against a real (fake) Stripe: localstripe."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
import requests
import stripe
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samizdat.payments import registry
from samizdat.payments.base import (
    CheckoutStatus,
    EventKind,
    Frequency,
    PaymentError,
    ProviderUnavailable,
)
from samizdat.payments.descriptor import check_suffix
from samizdat.payments.models import WebhookEvent
from samizdat.payments.providers.stripe import StripeProvider, plan_id_for
from samizdat.payments.registry import get_provider
from samizdat.support.donors.privacy import CustomerNotDeleted, erase_donor
from samizdat.support.giving.checkout import GiftStatus, confirm_gift, start_gift
from samizdat.support.models import AppealStat, Donation, RecurringDonation
from tests.localstripe import (
    CARD_3DS,
    CARD_CHARGE_FAILS,
    CARD_DECLINED,
    CARD_OK,
    authenticate_3ds,
    card_token,
    count_objects,
    signed_stripe_event,
    stripe_checkout,
    stripe_get,
    stripe_post,
)
from tests.support.factories import AppealFactory, DonationFormFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def usd_form(db):
    return DonationFormFactory(currency="usd")


def give(
    localstripe: str,
    frequency: str = "once",
    amount_minor: int = 2500,
    card: str = CARD_OK,
    checkout_key: str | None = None,
    token: str | None = None,
    **extra,
):
    return start_gift(
        amount_minor=amount_minor,
        currency="usd",
        frequency=frequency,
        email="ada@example.org",
        name="Ada Reader",
        anonymous=False,
        language="en",
        payment_token=token or card_token(localstripe, card),
        checkout_key=checkout_key or uuid.uuid4().hex,
        **extra,
    )


def deliver_localstripe_events(client, localstripe: str, reverse_order: bool = False) -> list:
    """Post every event localstripe recorded to our webhook endpoint, signed as it signs them.

    Waiting for localstripe's own delivery takes a second per event and needs a live server;
    the same payloads through the test client exercise the same path (see test_webhooks for
    the real delivery).
    """
    events = stripe_get(localstripe, "events", limit=100)["data"]
    events.sort(key=lambda event: event["created"], reverse=reverse_order)
    responses = []
    for event in events:
        body, headers = signed_stripe_event(event)
        responses.append(
            client.post(
                reverse("payments:webhook", args=["stripe"]),
                data=body,
                content_type="application/json",
                headers={"Stripe-Signature": headers["Stripe-Signature"]},
            )
        )
    return responses


def test_one_time_gift_with_a_good_card_is_paid_exactly_once(client, stripe_settings):
    appeal = AppealFactory()
    variant = appeal.variants.get()

    outcome = give(stripe_settings["api_base"], variant_id=variant.pk)

    assert outcome.status == GiftStatus.PAID
    donation = outcome.donation
    assert donation.status == Donation.Status.PAID
    assert donation.provider_payment_id.startswith("pi_")
    assert donation.paid_at is not None
    assert donation.donor.provider_customer_id.startswith("cus_")
    intent = stripe_get(
        stripe_settings["api_base"], f"payment_intents/{donation.provider_payment_id}"
    )
    assert (intent["amount"], intent["currency"], intent["status"]) == (2500, "usd", "succeeded")
    assert intent["metadata"]["donation_id"] == str(donation.pk)
    assert intent["metadata"]["variant_id"] == str(variant.pk)

    # Stripe's own events for the same payment change nothing: still one paid gift.
    responses = deliver_localstripe_events(client, stripe_settings["api_base"])
    assert {response.status_code for response in responses} == {200}
    assert WebhookEvent.objects.filter(type="payment_intent.succeeded").count() == 1
    assert Donation.objects.get() == donation
    assert Donation.objects.filter(status=Donation.Status.PAID).count() == 1
    assert AppealStat.objects.get(variant=variant).completed == 1


@pytest.mark.parametrize(("frequency", "interval"), [("monthly", "month"), ("annual", "year")])
def test_recurring_gift_starts_an_active_subscription_with_a_paid_first_payment(
    client, stripe_settings, frequency, interval
):
    outcome = give(stripe_settings["api_base"], frequency=frequency, amount_minor=1500)

    assert outcome.status == GiftStatus.PAID
    recurring = outcome.recurring
    assert recurring.status == RecurringDonation.Status.ACTIVE
    assert (recurring.amount_minor, recurring.currency, recurring.frequency) == (
        1500,
        "usd",
        frequency,
    )
    subscription = stripe_get(
        stripe_settings["api_base"], f"subscriptions/{recurring.provider_subscription_id}"
    )
    plan = subscription["items"]["data"][0]["plan"]
    assert (plan["id"], plan["amount"], plan["interval"]) == (
        f"samizdat-usd-1500-{interval}",
        1500,
        interval,
    )
    first = outcome.donation
    assert first.status == Donation.Status.PAID
    assert first.recurring == recurring
    assert first.provider_payment_id == subscription["latest_invoice"]
    expected_end = timezone.now() + (
        datetime.timedelta(days=365) if interval == "year" else datetime.timedelta(days=30)
    )
    assert abs(recurring.current_period_end - expected_end) < datetime.timedelta(days=2)

    deliver_localstripe_events(client, stripe_settings["api_base"], reverse_order=True)
    assert Donation.objects.get() == first
    recurring.refresh_from_db()
    assert recurring.status == RecurringDonation.Status.ACTIVE


def test_a_second_gift_at_the_same_amount_shares_the_plan(stripe_settings):
    give(stripe_settings["api_base"], frequency="monthly", amount_minor=1000)
    give(stripe_settings["api_base"], frequency="monthly", amount_minor=1000)

    assert count_objects(stripe_settings["api_base"], "plans") == 1
    assert RecurringDonation.objects.count() == 2


@pytest.mark.parametrize("frequency", ["once", "monthly"])
def test_a_declined_card_fails_clearly_and_nothing_is_paid(stripe_settings, frequency):
    outcome = give(stripe_settings["api_base"], frequency=frequency, card=CARD_DECLINED)

    assert outcome.status == GiftStatus.FAILED
    assert "declined" in outcome.error_message
    assert not outcome.retryable
    assert outcome.donation.status == Donation.Status.FAILED
    assert outcome.donation.failure_message == outcome.error_message
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()
    assert not RecurringDonation.objects.exists()
    assert count_objects(stripe_settings["api_base"], "payment_intents") == 0


def test_a_card_that_cannot_be_charged_fails_a_one_time_gift(stripe_settings):
    outcome = give(stripe_settings["api_base"], card=CARD_CHARGE_FAILS)

    assert outcome.status == GiftStatus.FAILED
    assert "declined" in outcome.error_message
    assert outcome.donation.status == Donation.Status.FAILED
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()


def test_a_card_that_cannot_be_charged_leaves_no_recurring_gift_behind(client, stripe_settings):
    outcome = give(stripe_settings["api_base"], frequency="monthly", card=CARD_CHARGE_FAILS)

    assert outcome.status == GiftStatus.FAILED
    assert "declined" in outcome.error_message
    assert outcome.donation.status == Donation.Status.FAILED
    assert outcome.recurring is None
    # The incomplete subscription is cancelled at once rather than left to expire.
    subscriptions = stripe_get(stripe_settings["api_base"], "subscriptions", status="all")
    assert [s["status"] for s in subscriptions["data"]] == ["canceled"]

    # Its events (payment failed, subscription deleted) do not invent a gift either.
    deliver_localstripe_events(client, stripe_settings["api_base"])
    assert not RecurringDonation.objects.exists()
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()


def test_the_same_checkout_submitted_twice_charges_once(stripe_settings):
    key = uuid.uuid4().hex
    token = card_token(stripe_settings["api_base"])

    first = give(stripe_settings["api_base"], checkout_key=key, token=token)
    second = give(stripe_settings["api_base"], checkout_key=key, token=token)

    assert first.status == second.status == GiftStatus.PAID
    assert first.donation.pk == second.donation.pk
    assert count_objects(stripe_settings["api_base"], "payment_intents") == 1
    assert count_objects(stripe_settings["api_base"], "customers") == 1
    assert Donation.objects.count() == 1


def test_the_same_recurring_checkout_submitted_twice_subscribes_once(stripe_settings):
    key = uuid.uuid4().hex
    token = card_token(stripe_settings["api_base"])

    give(stripe_settings["api_base"], frequency="monthly", checkout_key=key, token=token)
    second = give(stripe_settings["api_base"], frequency="monthly", checkout_key=key, token=token)

    assert second.status == GiftStatus.PAID
    assert count_objects(stripe_settings["api_base"], "subscriptions") == 1
    assert RecurringDonation.objects.count() == 1


def test_provider_down_fails_retryably_and_nothing_is_paid(stripe_settings, settings):
    token = card_token(stripe_settings["api_base"])
    closed = StripeProvider(
        **{**stripe_settings, "api_base": "http://127.0.0.1:9", "max_network_retries": 0}
    )

    outcome = give(stripe_settings["api_base"], token=token, provider=closed)

    assert outcome.status == GiftStatus.FAILED
    assert outcome.retryable
    assert "not answering" in outcome.error_message
    assert outcome.donation.status == Donation.Status.FAILED
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()
    with pytest.raises(ProviderUnavailable):
        closed.payment_status("pi_anything")


def test_cancelling_stops_the_subscription_at_stripe_and_then_here(client, stripe_settings):
    outcome = give(stripe_settings["api_base"], frequency="monthly")
    subscription_id = outcome.recurring.provider_subscription_id

    get_provider().cancel_recurring(subscription_id)
    get_provider().cancel_recurring(subscription_id)  # a double click is harmless

    subscription = stripe_get(stripe_settings["api_base"], f"subscriptions/{subscription_id}")
    assert subscription["status"] == "canceled"
    deliver_localstripe_events(client, stripe_settings["api_base"])
    recurring = RecurringDonation.objects.get()
    assert recurring.status == RecurringDonation.Status.CANCELLED
    assert recurring.cancelled_at is not None
    assert Donation.objects.get().status == Donation.Status.PAID  # what was given stays given


def test_changing_the_amount_moves_the_subscription_to_the_new_plan(stripe_settings):
    outcome = give(stripe_settings["api_base"], frequency="monthly", amount_minor=1000)
    subscription_id = outcome.recurring.provider_subscription_id

    get_provider().change_recurring(subscription_id, 2000, "usd", Frequency.MONTHLY)

    subscription = stripe_get(stripe_settings["api_base"], f"subscriptions/{subscription_id}")
    assert subscription["items"]["data"][0]["plan"]["id"] == "samizdat-usd-2000-month"
    assert subscription["status"] == "active"
    # localstripe sends no customer.subscription.updated: reconcile brings the change home.
    call_command("reconcile", stdout=io.StringIO())
    recurring = RecurringDonation.objects.get()
    assert recurring.amount_minor == 2000
    assert recurring.status == RecurringDonation.Status.ACTIVE


def test_a_renewal_is_a_second_paid_donation(client, stripe_settings):
    outcome = give(stripe_settings["api_base"], frequency="monthly", amount_minor=1000)
    recurring = outcome.recurring
    # localstripe has no test clocks: bill the next period by hand, as Stripe would.
    invoice = stripe_post(
        stripe_settings["api_base"],
        "invoices",
        customer=recurring.donor.provider_customer_id,
        subscription=recurring.provider_subscription_id,
    )
    stripe_post(stripe_settings["api_base"], f"invoices/{invoice['id']}/pay")

    deliver_localstripe_events(client, stripe_settings["api_base"])

    renewal = Donation.objects.get(provider_payment_id=invoice["id"])
    assert renewal.status == Donation.Status.PAID
    assert renewal.recurring == recurring
    assert renewal.amount_minor == 1000
    assert renewal.variant is None
    assert Donation.objects.filter(status=Donation.Status.PAID).count() == 2
    recurring.refresh_from_db()
    assert recurring.status == RecurringDonation.Status.ACTIVE


def test_a_refund_found_by_reconcile_marks_the_gift_refunded(stripe_settings):
    outcome = give(stripe_settings["api_base"])
    stripe_post(
        stripe_settings["api_base"], "refunds", payment_intent=outcome.donation.provider_payment_id
    )

    call_command("reconcile", "--since-days", "1", stdout=io.StringIO())
    call_command("reconcile", "--since-days", "1", stdout=io.StringIO())

    donation = Donation.objects.get()
    assert donation.status == Donation.Status.REFUNDED
    assert donation.refunded_at is not None


def test_refunding_one_payment_of_a_recurring_gift_leaves_the_gift_running(stripe_settings):
    outcome = give(stripe_settings["api_base"], frequency="monthly", amount_minor=1000)
    invoice = stripe_get(
        stripe_settings["api_base"], f"invoices/{outcome.donation.provider_payment_id}"
    )
    charge = stripe_get(
        stripe_settings["api_base"], f"payment_intents/{invoice['payment_intent']}"
    )["latest_charge"]["id"]
    stripe_post(stripe_settings["api_base"], "refunds", charge=charge)

    call_command("reconcile", stdout=io.StringIO())

    outcome.donation.refresh_from_db()
    assert outcome.donation.status == Donation.Status.REFUNDED
    assert RecurringDonation.objects.get().status == RecurringDonation.Status.ACTIVE


def test_reconcile_records_a_gift_whose_answer_and_webhooks_were_lost(stripe_settings, capsys):
    # The checkout's own answer never reached our database (a crash after Stripe charged):
    # reconcile finds the subscription, its paid invoice and its donor.
    result = stripe_checkout(
        stripe_settings["api_base"],
        amount_minor=1200,
        frequency=Frequency.ANNUAL,
        email="lost@example.org",
        name="Lost Answer",
    )
    assert result.status is CheckoutStatus.SUCCEEDED

    call_command("reconcile")
    first_run = capsys.readouterr().out
    call_command("reconcile")
    second_run = capsys.readouterr().out

    recurring = RecurringDonation.objects.get(provider_subscription_id=result.subscription_id)
    assert (recurring.amount_minor, recurring.frequency, recurring.status) == (
        1200,
        "annual",
        RecurringDonation.Status.ACTIVE,
    )
    assert recurring.donor.email == "lost@example.org"
    assert recurring.payments.get().status == Donation.Status.PAID
    assert "recurring_paid: 1" in first_run
    assert "0 new states applied" in second_run


def test_3d_secure_once_then_confirmed_in_the_browser(stripe_settings):
    outcome = give(stripe_settings["api_base"], card=CARD_3DS)
    assert outcome.status == GiftStatus.REQUIRES_ACTION
    assert outcome.client_secret
    assert outcome.donation.status == Donation.Status.PENDING

    authenticate_3ds(stripe_settings["api_base"], outcome.client_secret)
    confirmed = confirm_gift(outcome.donation)

    assert confirmed.status == GiftStatus.PAID
    assert Donation.objects.get().status == Donation.Status.PAID


def test_3d_secure_monthly_then_confirmed_in_the_browser(stripe_settings):
    outcome = give(stripe_settings["api_base"], frequency="monthly", card=CARD_3DS)
    assert outcome.status == GiftStatus.REQUIRES_ACTION
    assert outcome.recurring.status == RecurringDonation.Status.INCOMPLETE

    authenticate_3ds(stripe_settings["api_base"], outcome.client_secret)
    confirmed = confirm_gift(outcome.donation)

    assert confirmed.status == GiftStatus.PAID
    assert confirmed.recurring.status == RecurringDonation.Status.ACTIVE


def test_3d_secure_refused_by_the_donor_fails_the_gift(stripe_settings):
    outcome = give(stripe_settings["api_base"], card=CARD_3DS)

    authenticate_3ds(stripe_settings["api_base"], outcome.client_secret, success=False)
    confirmed = confirm_gift(outcome.donation)

    assert confirmed.status == GiftStatus.FAILED
    assert confirmed.error_message
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()


def test_a_missing_card_token_is_refused_before_stripe_is_asked(stripe_settings):
    with pytest.raises(PaymentError):
        stripe_checkout(
            stripe_settings["api_base"],
            amount_minor=1000,
            frequency=Frequency.ONCE,
            email="ada@example.org",
            payment_token="not-a-token",
        )
    assert count_objects(stripe_settings["api_base"], "customers") == 0


def test_browser_config_points_at_localstripe(stripe_settings):
    provider = get_provider()

    assert provider.browser_config() == {
        "provider": "stripe",
        "script_url": f"{stripe_settings['api_base']}/js.stripe.com/v3/",
        "publishable_key": stripe_settings["publishable_key"],
    }
    assert provider.script_origins() == [stripe_settings["api_base"]]


def test_live_stripe_origins_for_the_content_security_policy():
    provider = StripeProvider("sk_live_x", "pk_live_x", "whsec_x")

    assert provider.script_origins() == [
        "https://js.stripe.com",
        "https://api.stripe.com",
        "https://hooks.stripe.com",
    ]


def test_recent_events_name_each_state_once(stripe_settings):
    give(stripe_settings["api_base"])
    give(stripe_settings["api_base"], frequency="monthly")
    since = timezone.now() - datetime.timedelta(days=1)

    first = list(get_provider().recent_events(since))
    second = list(get_provider().recent_events(since))

    assert [event.id for event in first] == [event.id for event in second]
    assert all(event.id.startswith("reconcile:") for event in first)
    kinds = {event.kind for event in first}
    assert {EventKind.PAYMENT_SUCCEEDED, EventKind.RECURRING_PAID} <= kinds


def test_reconcile_applies_a_cancellation_whose_webhook_was_lost(stripe_settings):
    outcome = give(stripe_settings["api_base"], frequency="annual", amount_minor=6000)
    get_provider().cancel_recurring(outcome.recurring.provider_subscription_id)

    call_command("reconcile", stdout=io.StringIO())

    outcome.recurring.refresh_from_db()
    assert outcome.recurring.status == RecurringDonation.Status.CANCELLED


def customer_at_stripe(localstripe: str, customer_id: str) -> dict | None:
    """The customer as Stripe holds it; None once deleted (live Stripe answers a stub marked
    deleted, localstripe 404)."""
    try:
        customer = stripe_get(localstripe, f"customers/{customer_id}")
    except requests.HTTPError as exc:
        if exc.response.status_code == 404:
            return None
        raise
    return None if customer.get("deleted") else customer


def test_erasing_a_monthly_donor_cancels_the_gift_then_deletes_the_customer_at_stripe(
    stripe_settings,
):
    localstripe = stripe_settings["api_base"]
    outcome = give(localstripe, frequency="monthly")
    donor = outcome.donation.donor
    customer_id = donor.provider_customer_id
    assert customer_at_stripe(localstripe, customer_id) is not None

    erase_donor(donor)

    assert customer_at_stripe(localstripe, customer_id) is None
    subscription_id = outcome.recurring.provider_subscription_id
    assert stripe_get(localstripe, f"subscriptions/{subscription_id}")["status"] == "canceled"
    donor.refresh_from_db()
    assert (donor.email, donor.name, donor.provider_customer_id) == ("", "", "")
    # A customer Stripe no longer has counts as deleted: a retried erasure goes through.
    get_provider().delete_customer(customer_id)


def customers_left(localstripe: str) -> list[str]:
    """The customers Stripe still holds (each test starts with an empty localstripe)."""
    customers = stripe_get(localstripe, "customers", limit=100)["data"]
    return sorted(c["id"] for c in customers if not c.get("deleted"))


def test_a_refused_card_leaves_no_customer_at_stripe(stripe_settings):
    """The card is taken, the charge refused: the customer made for it goes at once. (A card
    refused when it is attached fails the customer's creation at Stripe, which keeps nothing;
    localstripe keeps that customer, so CARD_DECLINED cannot show it here.)"""
    localstripe = stripe_settings["api_base"]
    for frequency in ("once", "monthly", "annual"):
        outcome = give(localstripe, frequency=frequency, card=CARD_CHARGE_FAILS)
        assert outcome.donation.status == "failed", frequency
        assert outcome.donation.provider_customer_id == ""

    assert customers_left(localstripe) == []


def test_a_charge_that_timed_out_keeps_its_customer_and_the_donation_names_it(
    stripe_settings, monkeypatch
):
    """The charge may have gone through before the connection failed: its customer stays, and
    the donation records it, so that an erasure still finds it."""
    localstripe = stripe_settings["api_base"]
    intents = get_provider()._client.v1.payment_intents

    def lost(*args, **kwargs):
        raise stripe.APIConnectionError("connection reset")

    monkeypatch.setattr(intents, "create", lost)

    outcome = give(localstripe)

    assert outcome.donation.status == "failed"
    assert outcome.retryable
    assert customers_left(localstripe) == [outcome.donation.provider_customer_id]


def test_erasing_a_donor_deletes_the_customer_of_every_checkout(stripe_settings):
    localstripe = stripe_settings["api_base"]
    give(localstripe)
    give(localstripe, card=CARD_CHARGE_FAILS)
    donor = give(localstripe, frequency="monthly").donation.donor
    # Stripe made a customer at each checkout that paid; the donor record names only the
    # latest, the donations each their own.
    customers = customers_left(localstripe)
    assert len(customers) == 2
    assert donor.provider_customer_id in customers
    assert (
        sorted(
            donor.donations.exclude(provider_customer_id="").values_list(
                "provider_customer_id", flat=True
            )
        )
        == customers
    )

    erase_donor(donor)

    assert customers_left(localstripe) == []
    assert set(donor.donations.values_list("provider_customer_id", flat=True)) == {""}


def test_when_stripe_is_down_an_erasure_erases_nothing(stripe_settings, settings):
    localstripe = stripe_settings["api_base"]
    donor = give(localstripe).donation.donor
    customer_id = donor.provider_customer_id
    closed = {**stripe_settings, "api_base": "http://127.0.0.1:9", "max_network_retries": 0}
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        "stripe": {"CLASS": "samizdat.payments.providers.stripe.StripeProvider", "OPTIONS": closed}
    }
    registry.reset()

    with pytest.raises(CustomerNotDeleted) as refused:
        erase_donor(donor)

    assert "not answering" in refused.value.message
    assert refused.value.retryable
    donor.refresh_from_db()
    assert (donor.email, donor.provider_customer_id) == ("ada@example.org", customer_id)
    assert donor.anonymised_at is None
    assert customer_at_stripe(localstripe, customer_id) is not None


# What Stripe learns: ids, never who gave --------------------------------------------------------


def test_checkout_gives_stripe_the_gifts_ids_and_no_address_name_or_description(
    stripe_settings,
):
    localstripe = stripe_settings["api_base"]
    variant = AppealFactory().variants.get()

    once = give(localstripe, variant_id=variant.pk).donation
    monthly = give(localstripe, frequency="monthly").donation

    for customer in stripe_get(localstripe, "customers", limit=100)["data"]:
        assert (customer["email"], customer["name"], customer["description"]) == (None,) * 3
        assert set(customer["metadata"]) <= {"donation_id", "variant_id", "frequency"}
    intent = stripe_get(localstripe, f"payment_intents/{once.provider_payment_id}")
    assert intent["metadata"] == {
        "donation_id": str(once.pk),
        "variant_id": str(variant.pk),
        "frequency": "once",
    }
    assert not intent.get("description")
    subscription_id = monthly.recurring.provider_subscription_id
    subscription = stripe_get(localstripe, f"subscriptions/{subscription_id}")
    assert subscription["metadata"] == {"donation_id": str(monthly.pk), "frequency": "monthly"}


def test_only_ids_leave_for_stripe_whatever_a_caller_adds(stripe_settings):
    result = stripe_checkout(
        stripe_settings["api_base"],
        amount_minor=1000,
        frequency=Frequency.ONCE,
        email="",
        metadata={"donation_id": "7", "language": "ru", "anonymous": "yes"},
        description="A gift from Ada",
    )

    intent = stripe_get(stripe_settings["api_base"], f"payment_intents/{result.payment_id}")
    assert intent["metadata"] == {"donation_id": "7", "frequency": "once"}
    assert not intent.get("description")


# The statement descriptor -----------------------------------------------------------------------


@pytest.fixture
def described(stripe_settings, settings):
    """The Stripe provider at localstripe, with a statement descriptor suffix."""
    stripe_settings["statement_descriptor_suffix"] = "READING CLUB"
    stripe_settings["statement_descriptor_prefix"] = "NEWS"
    registry.reset()
    return stripe_settings


def test_a_one_time_gift_asks_live_stripe_for_the_statement_descriptor_suffix(
    described, monkeypatch
):
    live = StripeProvider(**described, localstripe=False)
    intents = live._client.v1.payment_intents
    create = intents.create
    sent = []

    def recording(params, options=None):
        sent.append(dict(params))
        # localstripe refuses the parameter that live Stripe needs: answer as live Stripe would.
        return create(
            params={k: v for k, v in params.items() if k != "statement_descriptor_suffix"},
            options=options,
        )

    monkeypatch.setattr(intents, "create", recording)

    outcome = give(described["api_base"], provider=live)

    assert outcome.status == GiftStatus.PAID
    assert [params["statement_descriptor_suffix"] for params in sent] == ["READING CLUB"]


def test_localstripe_is_not_sent_the_suffix_it_refuses(described):
    outcome = give(described["api_base"])

    assert outcome.status == GiftStatus.PAID


@pytest.mark.parametrize("frequency", ["monthly", "annual"])
def test_a_recurring_gifts_payments_carry_the_descriptor_through_its_plans_product(
    described, frequency
):
    outcome = give(described["api_base"], frequency=frequency, amount_minor=1500)

    assert outcome.status == GiftStatus.PAID
    plan_id = plan_id_for(1500, "usd", Frequency(frequency))
    plan = stripe_get(described["api_base"], f"plans/{plan_id}")
    product = stripe_get(described["api_base"], f"products/{plan['product']}")
    assert product["statement_descriptor"] == "READING CLUB"


def test_a_plan_made_before_the_descriptor_was_set_gets_it_at_its_next_gift(
    stripe_settings, settings
):
    localstripe = stripe_settings["api_base"]
    give(localstripe, frequency="monthly", amount_minor=1000)
    product_id = stripe_get(localstripe, "plans/samizdat-usd-1000-month")["product"]
    assert stripe_get(localstripe, f"products/{product_id}")["statement_descriptor"] is None

    stripe_settings["statement_descriptor_suffix"] = "READING"
    registry.reset()
    give(localstripe, frequency="monthly", amount_minor=1000)

    assert stripe_get(localstripe, f"products/{product_id}")["statement_descriptor"] == "READING"


@pytest.mark.parametrize(
    ("suffix", "prefix"),
    [
        ("DONATION", ""),
        ("  Reading club ", "NEWS"),
        ("SUBSCRIPTIONS 2026", "AB"),  # 2 + "* " + 18 = 22
        ("MEDIA-1", "ABCDEFGHIJ"),
    ],
)
def test_a_statement_descriptor_stripe_accepts_is_taken(suffix, prefix):
    assert check_suffix(suffix, prefix) == suffix.strip()


@pytest.mark.parametrize(
    ("suffix", "prefix", "reason"),
    [
        ("ПОДПИСКА", "", "Latin letters"),
        ("Café", "", "Latin letters"),
        ("IT'S OK", "", "may not contain '"),
        ('"NEWS"', "", 'may not contain "'),
        ("A<B>", "", "may not contain < >"),
        ("STAR*", "", r"may not contain \*"),
        ("2026", "", "at least one letter"),
        ("ELEVEN CHAR", "", "at most 10 fit after a prefix of up to 10"),
        ("SUBSCRIPTIONS 2026", "ABC", "at most 17 fit after the prefix 'ABC'"),
        ("OK", "A", "PREFIX must be 2 to 10 characters"),
        ("OK", "NOVAYA GAZETA", "PREFIX must be 2 to 10 characters"),
    ],
)
def test_a_statement_descriptor_stripe_would_refuse_is_named_with_the_reason(
    suffix, prefix, reason
):
    with pytest.raises(ValueError, match=reason):
        check_suffix(suffix, prefix)


def test_a_bad_statement_descriptor_stops_the_site_at_start_up():
    from tests.test_settings import load_settings

    with pytest.raises(RuntimeError, match="STRIPE_STATEMENT_DESCRIPTOR_SUFFIX may hold Latin"):
        load_settings(STRIPE_STATEMENT_DESCRIPTOR_SUFFIX="ПОЖЕРТВОВАНИЕ")
    with pytest.raises(RuntimeError, match="at most 12 fit after the prefix 'SAMIZDAT'"):
        load_settings(
            STRIPE_STATEMENT_DESCRIPTOR_SUFFIX="MONTHLY READING",
            STRIPE_STATEMENT_DESCRIPTOR_PREFIX="SAMIZDAT",
        )
    load_settings(
        STRIPE_STATEMENT_DESCRIPTOR_SUFFIX="READING", STRIPE_STATEMENT_DESCRIPTOR_PREFIX="NEWS"
    )


def test_a_provider_configured_with_a_bad_descriptor_refuses_to_start():
    with pytest.raises(ImproperlyConfigured, match="at least one letter"):
        StripeProvider("sk_x", "pk_x", "whsec_x", statement_descriptor_suffix="2026")


def test_the_donation_form_admin_says_what_card_statements_show(described, client):
    from django.contrib.auth import get_user_model

    form = DonationFormFactory._meta.model.objects.get(currency="usd")
    user = get_user_model().objects.create_superuser("chief", "chief@newsroom.test", "pw-1")
    client.force_login(user)

    page = client.get(reverse("wagtailsnippets_support_donationform:edit", args=[form.pk])).text

    assert "then “READING CLUB” (STRIPE_STATEMENT_DESCRIPTOR_SUFFIX)" in page
    assert "not the newsroom&#x27;s name and nothing political" in page


def test_without_a_suffix_the_admin_asks_for_a_neutral_one(stripe_settings):
    from samizdat.support.wagtail_hooks import card_statement_help

    assert "Ask whoever runs the site to set STRIPE_STATEMENT_DESCRIPTOR_SUFFIX" in (
        card_statement_help()
    )
