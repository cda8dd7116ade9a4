"""How a donor is known (name, anonymity, language) changes only when one of their gifts is
paid: anyone can type anyone's address into a checkout."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samizdat.payments.base import (
    CheckoutResult,
    CheckoutStatus,
    EventKind,
    PaymentError,
    ProviderEvent,
)
from samizdat.payments.intake import accept_event
from samizdat.support.donors.privacy import anonymise_donor
from samizdat.support.models import Donation, Donor
from tests.support.factories import DonationFormFactory, DonorFactory
from tests.support.test_ledger import paid_once
from tests.support.test_start_gift import ProviderDouble, give

pytestmark = pytest.mark.django_db

KNOWN = {"name": "Vera Secret", "anonymous": False, "language": "en"}


@pytest.fixture(autouse=True)
def usd_form():
    return DonationFormFactory(currency="usd", offer_annual=False, minimum_minor=200)


@pytest.fixture
def vera():
    return DonorFactory(email="vera@example.org", **KNOWN)


def known_as(donor: Donor) -> dict:
    donor.refresh_from_db()
    return {"name": donor.name, "anonymous": donor.anonymous, "language": donor.language}


def someone_else_gives_as(provider, **overrides):
    details = {"name": "Mallory", "anonymous": False, "language": "ru", **overrides}
    return give(provider, email="VERA@example.org", **details)


def test_a_declined_checkout_with_a_donors_address_changes_nothing_about_them(vera):
    refused = ProviderDouble(error=PaymentError("Your card was declined.", code="card_declined"))

    someone_else_gives_as(refused)
    someone_else_gives_as(refused, anonymous=True)

    assert known_as(vera) == KNOWN


def test_a_checkout_still_waiting_for_the_bank_changes_nothing(vera):
    waiting = ProviderDouble(CheckoutResult(CheckoutStatus.PROCESSING, payment_id="pi_wait"))

    outcome = someone_else_gives_as(waiting)

    assert known_as(vera) == KNOWN
    # What the checkout said is kept on the gift, encrypted like the donor's own name.
    assert outcome.donation.checkout_name == "Mallory"
    assert outcome.donation.checkout_language == "ru"


def test_an_unpaid_checkout_does_not_make_its_customer_the_donors(vera):
    vera.provider_customer_id = "cus_vera"
    vera.save()
    waiting = ProviderDouble(
        CheckoutResult(CheckoutStatus.REQUIRES_ACTION, payment_id="pi_3ds", customer_id="cus_m")
    )

    someone_else_gives_as(waiting)

    vera.refresh_from_db()
    # Events naming the stranger's customer are not taken for Vera's.
    assert vera.provider_customer_id == "cus_vera"


def test_a_paid_gift_updates_how_its_donor_is_known(vera):
    outcome = give(ProviderDouble(), email="vera@example.org", name="V. S.", language="ru")

    assert known_as(vera) == {"name": "V. S.", "anonymous": False, "language": "ru"}
    outcome.donation.refresh_from_db()
    assert outcome.donation.checkout_name == ""  # the donor's record holds it now


def test_a_gift_paid_by_webhook_after_the_checkout_updates_its_donor(vera):
    waiting = ProviderDouble(CheckoutResult(CheckoutStatus.PROCESSING, payment_id="pi_late"))
    outcome = give(waiting, email="vera@example.org", anonymous=True, language="ru")

    accept_event("stripe", paid_once("pi_late", timezone.now(), outcome.donation))

    assert known_as(vera) == {"name": "", "anonymous": True, "language": "ru"}


def test_an_older_checkout_paid_last_does_not_undo_a_newer_paid_one(vera):
    waiting = ProviderDouble(CheckoutResult(CheckoutStatus.PROCESSING, payment_id="pi_old"))
    older = give(waiting, email="vera@example.org", name="Old Name").donation
    Donation.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    give(ProviderDouble(), email="vera@example.org", name="New Name", language="ru")

    accept_event("stripe", paid_once("pi_old", timezone.now(), older))

    assert known_as(vera) == {"name": "New Name", "anonymous": False, "language": "ru"}


def test_a_new_address_gets_a_nameless_donor_until_its_gift_is_paid():
    refused = ProviderDouble(error=PaymentError("Your card was declined.", code="card_declined"))

    outcome = give(refused, email="new@example.org", name="Someone", language="ru")

    assert known_as(outcome.donation.donor) == {"name": "", "anonymous": True, "language": "ru"}


def test_erasing_a_donor_erases_what_their_unpaid_checkouts_said(vera):
    waiting = ProviderDouble(CheckoutResult(CheckoutStatus.PROCESSING, payment_id="pi_erase"))
    outcome = give(waiting, email="vera@example.org", name="Vera S.")

    anonymise_donor(vera)
    accept_event("stripe", paid_once("pi_erase", timezone.now(), outcome.donation))

    outcome.donation.refresh_from_db()
    assert outcome.donation.checkout_name == ""
    assert known_as(vera)["name"] == ""


def test_a_failed_payment_event_changes_nothing_either(vera):
    waiting = ProviderDouble(CheckoutResult(CheckoutStatus.PROCESSING, payment_id="pi_no"))
    someone_else_gives_as(waiting)

    accept_event(
        "stripe",
        ProviderEvent(
            id="evt_failed",
            kind=EventKind.PAYMENT_FAILED,
            type="payment_intent.payment_failed",
            occurred_at=timezone.now(),
            payment_id="pi_no",
        ),
    )

    assert known_as(vera) == KNOWN
