"""The ledger: provider facts, in any order and any number of times, give the same records."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from samizdat.payments.base import (
    CheckoutResult,
    CheckoutStatus,
    EventKind,
    Frequency,
    ProviderEvent,
)
from samizdat.payments.intake import accept_event
from samizdat.payments.models import WebhookEvent
from samizdat.support.ledger import apply_event, record_checkout_result
from samizdat.support.models import AppealStat, Donation, RecurringDonation
from tests.support.factories import (
    AppealFactory,
    DonationFactory,
    DonorFactory,
    RecurringDonationFactory,
)

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
_ids = itertools.count(1)


def at(days: float = 0, seconds: float = 0) -> datetime.datetime:
    return T0 + datetime.timedelta(days=days, seconds=seconds)


def event(kind: EventKind, when: datetime.datetime, **fields) -> ProviderEvent:
    fields.setdefault("id", f"evt_{next(_ids)}")
    fields.setdefault("type", kind.value)
    return ProviderEvent(kind=kind, occurred_at=when, **fields)


def renewal(subscription: str, invoice: str, when: datetime.datetime, **fields) -> ProviderEvent:
    fields = {
        "subscription_id": subscription,
        "payment_id": invoice,
        "customer_id": "cus_ledger",
        "amount_minor": 1000,
        "currency": "usd",
        "frequency": Frequency.MONTHLY,
        "current_period_end": when + datetime.timedelta(days=30),
        "metadata": {"email": "donor@example.org", "name": "Donor"},
        **fields,
    }
    return event(EventKind.RECURRING_PAID, when, **fields)


def renewal_failed(
    subscription: str, invoice: str, when: datetime.datetime, **fields
) -> ProviderEvent:
    fields = {
        "subscription_id": subscription,
        "payment_id": invoice,
        "amount_minor": 1000,
        **fields,
    }
    return event(EventKind.RECURRING_PAYMENT_FAILED, when, **fields)


def subscription_event(
    kind: EventKind, subscription: str, status: str, when: datetime.datetime, **fields
) -> ProviderEvent:
    fields = {
        "subscription_id": subscription,
        "customer_id": "cus_ledger",
        "amount_minor": 1000,
        "currency": "usd",
        "frequency": Frequency.MONTHLY,
        "subscription_status": status,
        **fields,
    }
    return event(kind, when, **fields)


@pytest.fixture
def gift():
    """A monthly gift, active since T0, with its first payment made."""
    recurring = RecurringDonationFactory(
        provider_subscription_id="sub_1", status_changed_at=at(), started_at=at()
    )
    DonationFactory(recurring=recurring, provider_payment_id="in_1", paid_at=at())
    return recurring


def test_a_renewal_adds_a_paid_donation_and_keeps_the_gift_active(gift):
    apply_event(renewal("sub_1", "in_2", at(days=30)), "stripe")

    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE
    assert gift.current_period_end == at(days=60)
    renewal_payment = Donation.objects.get(provider_payment_id="in_2")
    assert renewal_payment.status == Donation.Status.PAID
    assert renewal_payment.paid_at == at(days=30)
    assert renewal_payment.recurring == gift
    assert renewal_payment.donor == gift.donor
    assert gift.payments.filter(status=Donation.Status.PAID).count() == 2


def test_a_renewal_applied_twice_is_recorded_once(gift):
    paid = renewal("sub_1", "in_2", at(days=30))

    apply_event(paid, "stripe")
    apply_event(paid, "stripe")

    assert Donation.objects.filter(provider_payment_id="in_2").count() == 1


def test_a_renewal_before_the_subscription_was_created_still_creates_everything_once():
    apply_event(renewal("sub_new", "in_first", at(seconds=2)), "stripe")
    apply_event(
        subscription_event(EventKind.RECURRING_STARTED, "sub_new", "incomplete", at()), "stripe"
    )
    apply_event(
        subscription_event(EventKind.RECURRING_UPDATED, "sub_new", "active", at(seconds=1)),
        "stripe",
    )
    apply_event(renewal("sub_new", "in_first", at(seconds=2), id="evt_again"), "stripe")

    recurring = RecurringDonation.objects.get()
    assert recurring.status == RecurringDonation.Status.ACTIVE
    assert (recurring.amount_minor, recurring.currency, recurring.frequency) == (
        1000,
        "usd",
        "monthly",
    )
    assert recurring.donor.email == "donor@example.org"
    assert recurring.donor.provider_customer_id == "cus_ledger"
    assert Donation.objects.get().status == Donation.Status.PAID


def test_a_subscription_event_for_a_known_customer_starts_the_gift_for_that_donor():
    donor = DonorFactory(provider_customer_id="cus_ledger")

    apply_event(subscription_event(EventKind.RECURRING_STARTED, "sub_9", "active", at()), "stripe")

    assert RecurringDonation.objects.get().donor == donor
    assert not Donation.objects.exists()  # the payment comes with its invoice


def test_cancellation_then_a_late_older_active_update_stays_cancelled(gift):
    apply_event(
        subscription_event(EventKind.RECURRING_CANCELLED, "sub_1", "canceled", at(days=10)),
        "stripe",
    )
    apply_event(
        subscription_event(EventKind.RECURRING_UPDATED, "sub_1", "active", at(days=5)), "stripe"
    )
    apply_event(renewal("sub_1", "in_late", at(days=6)), "stripe")

    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.CANCELLED
    assert gift.cancelled_at == at(days=10)
    # The older payment was real money: it is recorded, and the gift stays cancelled.
    assert Donation.objects.get(provider_payment_id="in_late").status == Donation.Status.PAID


def test_a_payment_after_cancellation_does_not_revive_the_gift(gift):
    apply_event(
        subscription_event(EventKind.RECURRING_CANCELLED, "sub_1", "canceled", at(days=10)),
        "stripe",
    )
    apply_event(renewal("sub_1", "in_open", at(days=11)), "stripe")

    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.CANCELLED


def test_only_a_newer_active_revives_a_cancelled_gift(gift):
    cancelled = at(days=10)
    apply_event(
        subscription_event(EventKind.RECURRING_CANCELLED, "sub_1", "canceled", cancelled),
        "stripe",
    )
    apply_event(
        subscription_event(EventKind.RECURRING_UPDATED, "sub_1", "active", cancelled), "stripe"
    )
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.CANCELLED

    apply_event(
        subscription_event(EventKind.RECURRING_UPDATED, "sub_1", "active", at(days=11)),
        "stripe",
    )
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE
    assert gift.cancelled_at is None


def test_a_cancellation_arriving_first_is_not_undone_by_the_older_payment():
    apply_event(
        subscription_event(
            EventKind.RECURRING_CANCELLED,
            "sub_gone",
            "canceled",
            at(days=3),
            metadata={"email": "donor@example.org"},
        ),
        "stripe",
    )
    apply_event(renewal("sub_gone", "in_gone", at()), "stripe")

    recurring = RecurringDonation.objects.get()
    assert recurring.status == RecurringDonation.Status.CANCELLED
    assert recurring.payments.get().status == Donation.Status.PAID


def test_the_cancellation_of_a_checkout_that_never_paid_records_no_gift():
    failed = DonationFactory(
        frequency="monthly",
        status=Donation.Status.FAILED,
        provider_payment_id="in_declined",
        paid_at=None,
    )

    apply_event(
        subscription_event(
            EventKind.RECURRING_CANCELLED,
            "sub_declined",
            "canceled",
            at(),
            payment_id="in_declined",
            metadata={"donation_id": str(failed.pk)},
        ),
        "stripe",
    )
    apply_event(renewal_failed("sub_declined", "in_declined", at()), "stripe")

    assert not RecurringDonation.objects.exists()
    failed.refresh_from_db()
    assert failed.status == Donation.Status.FAILED


def test_refund_then_a_late_payment_succeeded_stays_refunded():
    gift = DonationFactory(provider_payment_id="pi_r", amount_minor=2500)

    apply_event(
        event(EventKind.REFUNDED, at(days=2), payment_id="pi_r", amount_minor=2500), "stripe"
    )
    apply_event(
        event(
            EventKind.PAYMENT_SUCCEEDED,
            at(days=1),
            payment_id="pi_r",
            amount_minor=2500,
            currency="usd",
        ),
        "stripe",
    )

    gift.refresh_from_db()
    assert gift.status == Donation.Status.REFUNDED
    assert gift.refunded_at == at(days=2)


def test_a_partial_refund_leaves_the_gift_on_the_books():
    gift = DonationFactory(provider_payment_id="pi_p", amount_minor=2500)

    apply_event(event(EventKind.REFUNDED, at(), payment_id="pi_p", amount_minor=500), "stripe")

    gift.refresh_from_db()
    assert gift.status == Donation.Status.PAID


def test_a_failed_renewal_makes_the_gift_past_due_and_records_the_attempt(gift):
    apply_event(
        renewal_failed(
            "sub_1",
            "in_2",
            at(days=30),
            currency="usd",
            metadata={"failure_message": "Your card has expired."},
        ),
        "stripe",
    )

    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.PAST_DUE
    attempt = Donation.objects.get(provider_payment_id="in_2")
    assert attempt.status == Donation.Status.FAILED
    assert attempt.failure_message == "Your card has expired."


def test_a_renewal_after_past_due_makes_the_gift_active_again(gift):
    apply_event(renewal_failed("sub_1", "in_2", at(days=30)), "stripe")
    apply_event(renewal("sub_1", "in_2", at(days=33)), "stripe")

    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE
    assert Donation.objects.get(provider_payment_id="in_2").status == Donation.Status.PAID


def test_a_late_failure_does_not_undo_a_later_success(gift):
    apply_event(renewal("sub_1", "in_2", at(days=33)), "stripe")
    apply_event(renewal_failed("sub_1", "in_2", at(days=30)), "stripe")

    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE
    assert Donation.objects.get(provider_payment_id="in_2").status == Donation.Status.PAID


def test_a_newer_update_changes_the_amount_and_an_older_one_does_not(gift):
    apply_event(
        subscription_event(
            EventKind.RECURRING_UPDATED, "sub_1", "active", at(days=2), amount_minor=2000
        ),
        "stripe",
    )
    apply_event(
        subscription_event(
            EventKind.RECURRING_UPDATED, "sub_1", "active", at(days=1), amount_minor=1500
        ),
        "stripe",
    )

    gift.refresh_from_db()
    assert gift.amount_minor == 2000


def test_a_started_gift_never_goes_back_to_incomplete(gift):
    apply_event(
        subscription_event(EventKind.RECURRING_UPDATED, "sub_1", "incomplete", at(days=1)),
        "stripe",
    )

    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE


def test_a_reconcile_replay_of_the_same_state_is_a_no_op(gift):
    snapshot = [
        renewal("sub_1", "in_2", at(days=30), id="reconcile:in_2:paid"),
        subscription_event(
            EventKind.RECURRING_UPDATED,
            "sub_1",
            "active",
            at(days=31),
            id="reconcile:sub_1:active:samizdat-usd-1000-month:1790000000",
        ),
    ]
    for replayed in snapshot:
        assert accept_event("stripe", replayed)
    state = (
        list(Donation.objects.values().order_by("pk")),
        list(RecurringDonation.objects.values()),
    )

    assert [accept_event("stripe", replayed) for replayed in snapshot] == [False, False]
    for replayed in snapshot:  # even applied again directly, it changes nothing
        apply_event(replayed, "stripe")

    assert WebhookEvent.objects.count() == 2
    assert state == (
        list(Donation.objects.values().order_by("pk")),
        list(RecurringDonation.objects.values()),
    )


def test_a_first_payment_counts_one_completed_gift_for_its_appeal_variant():
    variant = AppealFactory().variants.get()
    donation = DonationFactory(
        status=Donation.Status.PENDING, provider_payment_id="", paid_at=None, variant=variant
    )

    # The checkout's answer, then the webhook for the same payment, twice.
    record_checkout_result(
        donation, CheckoutResult(CheckoutStatus.SUCCEEDED, payment_id="pi_counted")
    )
    for _ in range(2):
        apply_event(
            event(
                EventKind.PAYMENT_SUCCEEDED,
                timezone.now(),
                id="evt_counted",
                payment_id="pi_counted",
                metadata={"donation_id": str(donation.pk)},
            ),
            "stripe",
        )

    assert AppealStat.objects.get(variant=variant).completed == 1


def test_renewals_of_a_gift_from_an_appeal_do_not_count_again():
    variant = AppealFactory().variants.get()
    recurring = RecurringDonationFactory(provider_subscription_id="sub_v", variant=variant)
    first = DonationFactory(
        recurring=recurring,
        status=Donation.Status.PENDING,
        provider_payment_id="in_v1",
        paid_at=None,
        variant=variant,
    )

    apply_event(renewal("sub_v", "in_v1", at()), "stripe")
    apply_event(renewal("sub_v", "in_v2", at(days=30)), "stripe")
    apply_event(renewal("sub_v", "in_v3", at(days=60)), "stripe")

    first.refresh_from_db()
    assert first.status == Donation.Status.PAID
    assert Donation.objects.filter(recurring=recurring, status=Donation.Status.PAID).count() == 3
    assert sum(AppealStat.objects.filter(variant=variant).values_list("completed", flat=True)) == 1


def test_a_webhook_that_overtakes_the_checkout_answer_claims_the_checkout_donation():
    variant = AppealFactory().variants.get()
    donation = DonationFactory(
        frequency="monthly",
        status=Donation.Status.PENDING,
        provider_payment_id="",
        paid_at=None,
        variant=variant,
    )

    apply_event(
        renewal("sub_fast", "in_fast", at(), metadata={"donation_id": str(donation.pk)}),
        "stripe",
    )
    record_checkout_result(
        donation,
        CheckoutResult(
            CheckoutStatus.SUCCEEDED,
            payment_id="in_fast",
            subscription_id="sub_fast",
            customer_id="cus_fast",
        ),
    )

    donation.refresh_from_db()
    assert Donation.objects.get() == donation
    assert donation.status == Donation.Status.PAID
    assert donation.recurring.provider_subscription_id == "sub_fast"
    assert RecurringDonation.objects.get().variant == variant
    assert AppealStat.objects.get(variant=variant).completed == 1


def test_a_paid_donation_queues_its_receipt_once(django_capture_on_commit_callbacks, mailoutbox):
    donation = DonationFactory(status=Donation.Status.PENDING, provider_payment_id="", paid_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        record_checkout_result(
            donation, CheckoutResult(CheckoutStatus.SUCCEEDED, payment_id="pi_receipt")
        )
        apply_event(
            event(EventKind.PAYMENT_SUCCEEDED, timezone.now(), payment_id="pi_receipt"),
            "stripe",
        )

    assert [message.to for message in mailoutbox] == [[donation.donor.email]]


def test_a_first_payment_never_confirmed_fails_when_the_provider_gives_up():
    recurring = RecurringDonationFactory(
        provider_subscription_id="sub_3ds",
        status=RecurringDonation.Status.INCOMPLETE,
        status_changed_at=at(),
    )
    waiting = DonationFactory(
        recurring=recurring, status=Donation.Status.PENDING, provider_payment_id="in_3ds"
    )

    apply_event(
        subscription_event(
            EventKind.RECURRING_CANCELLED, "sub_3ds", "incomplete_expired", at(days=1)
        ),
        "stripe",
    )

    waiting.refresh_from_db()
    assert waiting.status == Donation.Status.FAILED
    assert waiting.paid_at is None
