"""Gifts paid to an address: the request a reader gets, and what the watcher records.

The provider here is a chain in memory (fake_chain.py); the real Monero and Bitcoin providers
are tested against monerod and an Esplora server, and the whole path in a browser.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from samizdat.payments.base import ProviderUnavailable
from samizdat.support.giving import chain
from samizdat.support.giving.goals import month_progress
from samizdat.support.models import (
    AppealStat,
    ChainTransfer,
    Donation,
    Donor,
    ExchangeRate,
    PaymentRequest,
)
from tests.support.factories import AppealFactory, CampaignFactory

pytestmark = pytest.mark.django_db

FKC = 10**8  # atomic units in one fakecoin


def ask(amount_minor=2500, email="", key=None, **extra) -> PaymentRequest:
    return chain.open_request(
        provider_name="fakecoin",
        amount_minor=amount_minor,
        currency="usd",
        checkout_key=key or uuid.uuid4().hex,
        language="ru",
        email=email,
        **extra,
    )


def test_a_request_asks_for_the_gift_at_the_newsrooms_rate_to_a_fresh_address(fakecoin):
    first, second = ask(2500), ask(1000)
    assert first.amount_atomic == 12_500_000  # $25 at $200 a coin
    assert second.amount_atomic == 5_000_000
    assert first.address != second.address
    assert first.status == "open"
    assert first.donation.status == "pending"
    assert first.donation.provider == "fakecoin"
    assert first.donation.amount_minor == 2500
    assert first.expires_at - first.created_at == datetime.timedelta(hours=24)


def test_the_amount_asked_is_rounded_up_never_short(fakecoin):
    ExchangeRate.objects.create(coin="fkc", currency="usd", minor_per_coin=30_000)
    request = ask(1000)  # $10 at $300: 0.0333…
    assert request.amount_atomic == 3_333_334
    assert chain.value_of(request.amount_atomic, request.rate, fakecoin.coin) == 1000


def test_the_newest_rate_counts(fakecoin):
    ExchangeRate.objects.create(coin="fkc", currency="usd", minor_per_coin=10_000)
    assert ask(2500).amount_atomic == 25_000_000


def test_a_gift_without_an_email_names_nobody(fakecoin):
    request = ask(email="")
    donor = request.donation.donor
    assert donor.email == ""
    assert donor.email_hash is None
    assert donor.anonymous


def test_one_checkout_key_is_one_request_however_often_it_is_sent(fakecoin):
    key = uuid.uuid4().hex
    first = ask(2500, key=key)
    again = ask(2500, key=key)
    assert again.pk == first.pk
    assert PaymentRequest.objects.count() == 1
    assert fakecoin.handed == [0]
    with pytest.raises(ValueError, match="different details"):
        ask(9900, key=key)


def test_without_a_rate_no_request_is_made(fakecoin):
    ExchangeRate.objects.all().delete()
    with pytest.raises(chain.NoRate):
        ask()
    assert not Donation.objects.exists()


def test_a_rate_of_zero_or_below_is_refused_by_the_database(fakecoin):
    with pytest.raises(IntegrityError):
        ExchangeRate.objects.create(coin="fkc", currency="usd", minor_per_coin=0)


def test_an_amount_the_form_does_not_take_is_refused(fakecoin):
    with pytest.raises(ValueError):
        ask(100)  # below the $2 minimum
    with pytest.raises(ValueError):
        chain.open_request(
            provider_name="fakecoin",
            amount_minor=2500,
            currency="eur",
            checkout_key="k",
            language="en",
        )
    assert not PaymentRequest.objects.exists()


def test_a_wallet_that_is_down_records_nothing(fakecoin):
    fakecoin.down = True
    with pytest.raises(ProviderUnavailable):
        ask()
    assert not Donation.objects.exists()
    assert not Donor.objects.exists()


def test_an_address_that_is_not_the_newsrooms_is_never_shown(fakecoin):
    fakecoin.foreign_addresses = True
    with pytest.raises(ProviderUnavailable):
        ask()
    assert not PaymentRequest.objects.exists()


# The gap limit ----------------------------------------------------------------------------------


def test_no_more_than_twenty_unpaid_addresses_in_a_row(fakecoin):
    for _ in range(20):
        ask()
    with pytest.raises(chain.RequestRefused, match="Too many"):
        ask()
    assert PaymentRequest.objects.count() == 20


def test_a_paid_address_opens_the_gap_again(fakecoin):
    requests = [ask() for _ in range(20)]
    fakecoin.pay(requests[-1].address, 12_500_000)
    chain.watch(fakecoin)
    assert ask().address_index == 20


def test_an_expired_unpaid_address_is_handed_out_again_first(fakecoin):
    old = ask()
    ask()
    later = timezone.now() + datetime.timedelta(days=9)
    chain.watch(fakecoin, now=later)
    old.refresh_from_db()
    assert old.status == "expired"
    reused = ask(now=later)
    assert reused.address == old.address
    assert reused.address_index == 0


# Watching ---------------------------------------------------------------------------------------


def test_a_payment_is_seen_then_paid_after_the_confirmations(fakecoin):
    CampaignFactory(goal_minor=1_000_000, currency="usd")
    request = ask(2500)
    fakecoin.pay(request.address, request.amount_atomic)
    chain.watch(fakecoin)
    request.refresh_from_db()
    assert request.status == "seen"
    assert request.donation.status == "pending"
    assert month_progress(CampaignFactory._meta.model.objects.get()).raised_minor == 0

    fakecoin.mine(2)
    chain.watch(fakecoin)
    request.refresh_from_db()
    assert request.status == "seen"  # 2 of 3 confirmations

    fakecoin.mine(1)
    report = chain.watch(fakecoin)
    request.refresh_from_db()
    assert report.confirmed == [request.pk]
    assert request.status == "paid"
    assert request.donation.status == "paid"
    assert request.donation.amount_minor == 2500
    campaign = CampaignFactory._meta.model.objects.get()
    assert month_progress(campaign).raised_minor == 2500


def test_a_replayed_detection_run_records_each_transfer_once(
    fakecoin, django_capture_on_commit_callbacks
):
    request = ask(2500, email="donor@example.org")
    fakecoin.pay(request.address, request.amount_atomic)
    fakecoin.mine(5)
    with django_capture_on_commit_callbacks(execute=True):
        chain.watch(fakecoin)
        again = chain.watch(fakecoin)
    assert again.new_transfers == 0 and again.confirmed == []
    assert ChainTransfer.objects.count() == 1
    assert Donation.objects.filter(status="paid").count() == 1
    assert len(mail.outbox) == 1  # one receipt


def test_a_receipt_goes_only_to_a_donor_who_gave_an_address(
    fakecoin, django_capture_on_commit_callbacks
):
    silent, loud = ask(2500), ask(2500, email="reader@example.org")
    for request in (silent, loud):
        fakecoin.pay(request.address, request.amount_atomic)
    fakecoin.mine(3)
    with django_capture_on_commit_callbacks(execute=True):
        chain.watch(fakecoin)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]


def test_an_underpayment_is_recorded_at_what_arrived(fakecoin):
    request = ask(2500)
    fakecoin.pay(request.address, 5_000_000)  # $10 of the $25 asked
    fakecoin.mine(3)
    chain.watch(fakecoin)
    request.refresh_from_db()
    assert request.status == "paid"
    assert request.received_atomic == 5_000_000
    assert request.donation.amount_minor == 1000


def test_two_payments_to_one_address_add_up(fakecoin):
    request = ask(2500)
    fakecoin.pay(request.address, 12_500_000)
    fakecoin.mine(3)
    chain.watch(fakecoin)
    fakecoin.pay(request.address, 2_500_000)  # $5 more, later
    fakecoin.mine(3)
    chain.watch(fakecoin)
    request.refresh_from_db()
    assert request.received_atomic == 15_000_000
    assert request.donation.amount_minor == 3000
    assert Donation.objects.count() == 1


def test_a_reorganisation_takes_a_gift_back_to_seen_and_never_counts_it_twice(fakecoin):
    CampaignFactory(goal_minor=1_000_000, currency="usd")
    appeal = AppealFactory()
    variant = appeal.variants.first()
    request = ask(2500, variant_id=variant.pk)
    fakecoin.pay(request.address, request.amount_atomic)
    fakecoin.mine(3)
    chain.watch(fakecoin)

    fakecoin.reorg(3)  # the block with the payment is gone; the payment is back in the pool
    report = chain.watch(fakecoin)
    request.refresh_from_db()
    assert report.unconfirmed == [request.pk]
    assert request.status == "seen"
    assert request.donation.status == "pending"
    campaign = CampaignFactory._meta.model.objects.get()
    assert month_progress(campaign).raised_minor == 0

    fakecoin.mine(3)
    chain.watch(fakecoin)
    request.refresh_from_db()
    assert request.donation.status == "paid"
    assert month_progress(campaign).raised_minor == 2500
    assert AppealStat.objects.get(variant=variant).completed == 1


def test_a_payment_that_vanishes_from_the_chain_counts_for_nothing(fakecoin):
    request = ask(2500)
    fakecoin.pay(request.address, request.amount_atomic)
    fakecoin.mine(3)
    chain.watch(fakecoin)
    fakecoin.reorg(3, drop=True)
    chain.watch(fakecoin)
    request.refresh_from_db()
    assert request.status == "open"
    assert request.received_atomic == 0
    assert request.donation.status == "pending"
    assert not ChainTransfer.objects.get().present


def test_a_request_expires_and_a_late_payment_is_still_recorded(fakecoin):
    request = ask(2500)
    later = timezone.now() + datetime.timedelta(hours=25)
    report = chain.watch(fakecoin, now=later)
    request.refresh_from_db()
    assert report.expired == 1 and request.status == "expired"

    fakecoin.pay(request.address, request.amount_atomic)
    fakecoin.mine(3)
    chain.watch(fakecoin, now=later + datetime.timedelta(hours=1))
    request.refresh_from_db()
    assert request.status == "paid"
    assert request.donation.status == "paid"


def test_a_provider_that_is_down_changes_nothing_and_the_next_run_catches_up(fakecoin):
    request = ask(2500)
    fakecoin.pay(request.address, request.amount_atomic)
    fakecoin.mine(3)
    fakecoin.down = True
    with pytest.raises(ProviderUnavailable):
        chain.watch(fakecoin)
    request.refresh_from_db()
    assert request.status == "open"
    assert not ChainTransfer.objects.exists()
    fakecoin.down = False
    chain.watch(fakecoin)
    request.refresh_from_db()
    assert request.status == "paid"


def test_a_transfer_to_an_address_we_did_not_ask_about_is_never_recorded(fakecoin):
    fakecoin.answers_for_all = True  # a provider that answers more than it was asked
    ask(2500)
    fakecoin.pay("fkc1q999999", 50 * FKC)
    fakecoin.mine(3)
    chain.watch(fakecoin)
    assert not ChainTransfer.objects.exists()
    assert not Donation.objects.filter(status="paid").exists()


def test_a_run_with_nothing_new_asks_once_and_writes_nothing(fakecoin, django_assert_num_queries):
    for _ in range(5):
        ask()
    chain.watch(fakecoin)
    with django_assert_num_queries(2):  # the watched requests, their known transfers
        chain.watch(fakecoin)
    assert fakecoin.calls == 2


def test_a_donors_export_names_the_address_and_transactions_of_their_gift(fakecoin):
    from samizdat.support.donors.privacy import erase_donor, export_donor_data

    request = ask(2500, email="reader@example.org")
    txid = fakecoin.pay(request.address, request.amount_atomic)
    fakecoin.mine(3)
    chain.watch(fakecoin)
    donor = request.donation.donor
    exported = export_donor_data(donor)["donations"][0]["paid_to_address"]
    assert exported["address"] == request.address
    assert exported["amount_received_atomic"] == 12_500_000
    assert exported["transactions"] == [
        {"txid": txid, "amount_atomic": 12_500_000, "confirmations": 3}
    ]

    erase_donor(donor)  # no customer at any provider to delete: the erasure goes through
    donor.refresh_from_db()
    assert donor.email == "" and donor.email_hash is None
    assert Donation.objects.get().status == "paid"  # the gift stays, unnamed
