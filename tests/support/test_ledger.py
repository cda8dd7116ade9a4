"""The ledger: provider facts, in any order and any number of times, give the same records."""

from __future__ import annotations

import datetime
import functools
import itertools

import pytest
from django.db import transaction
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
from samizdat.support.giving.ledger import apply_event, record_checkout_result
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


# Events that overtake the payment they are about ----------------------------------------------


def paid_once(payment_id: str, when: datetime.datetime, donation=None, **fields) -> ProviderEvent:
    fields = {
        "payment_id": payment_id,
        "amount_minor": 2500,
        "currency": "usd",
        "frequency": Frequency.ONCE,
        "metadata": {"donation_id": str(donation.pk)} if donation else {},
        **fields,
    }
    return event(EventKind.PAYMENT_SUCCEEDED, when, **fields)


def refund(payment_id: str, when: datetime.datetime, amount: int = 2500, **fields):
    fields = {"payment_id": payment_id, "amount_minor": amount, "currency": "usd", **fields}
    return event(EventKind.REFUNDED, when, **fields)


def parked() -> list[str]:
    return list(
        WebhookEvent.objects.filter(status=WebhookEvent.Status.PARKED).values_list(
            "event_id", flat=True
        )
    )


def test_a_refund_that_overtakes_its_payment_is_applied_when_the_payment_arrives():
    variant = AppealFactory().variants.get()
    # The checkout's answer was lost: the donation does not know its payment id yet.
    donation = DonationFactory(
        status=Donation.Status.PENDING, provider_payment_id="", paid_at=None, variant=variant
    )

    assert accept_event("stripe", refund("pi_early", at(seconds=5), id="evt_refund"))
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING
    assert parked() == ["evt_refund"]

    accept_event("stripe", paid_once("pi_early", at(), donation))

    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert (donation.paid_at, donation.refunded_at) == (at(), at(seconds=5))
    # As if it had come in order: the appeal got its gift, and the refund is applied once.
    assert AppealStat.objects.get(variant=variant).completed == 1
    assert parked() == []
    assert not accept_event("stripe", refund("pi_early", at(seconds=5), id="evt_refund"))


def test_a_refund_of_a_pending_payment_waits_until_it_is_paid():
    donation = DonationFactory(
        status=Donation.Status.PENDING, provider_payment_id="pi_slow", paid_at=None
    )

    apply_event(refund("pi_slow", at(seconds=5)), "stripe")
    donation.refresh_from_db()
    assert (donation.status, donation.refunded_at) == (Donation.Status.PENDING, None)

    record_checkout_result(donation, CheckoutResult(CheckoutStatus.SUCCEEDED, payment_id="pi_slow"))

    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert donation.refunded_at == at(seconds=5)


def test_a_refund_of_a_renewal_not_yet_recorded_is_applied_when_the_renewal_arrives(gift):
    accept_event("stripe", refund("in_2", at(days=31), amount=1000))
    accept_event("stripe", renewal("sub_1", "in_2", at(days=30)))

    renewal_payment = Donation.objects.get(provider_payment_id="in_2")
    assert renewal_payment.status == Donation.Status.REFUNDED
    assert renewal_payment.refunded_at == at(days=31)
    assert parked() == []


def test_two_events_for_one_early_refund_refund_it_once():
    donation = DonationFactory(status=Donation.Status.PENDING, provider_payment_id="pi_twice")
    # Stripe sends charge.refunded and refund.updated for one refund.
    accept_event("stripe", refund("pi_twice", at(seconds=5), type="charge.refunded"))
    accept_event("stripe", refund("pi_twice", at(seconds=6), type="refund.updated"))

    accept_event("stripe", paid_once("pi_twice", at()))

    donation.refresh_from_db()
    assert (donation.status, donation.refunded_at) == (Donation.Status.REFUNDED, at(seconds=5))
    assert parked() == []


def test_a_partial_refund_that_overtakes_its_payment_leaves_the_gift_paid():
    donation = DonationFactory(status=Donation.Status.PENDING, provider_payment_id="pi_part")

    accept_event("stripe", refund("pi_part", at(seconds=5), amount=500))
    accept_event("stripe", paid_once("pi_part", at()))

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID


def test_a_refund_of_a_payment_that_failed_changes_nothing_until_a_retry_pays_it():
    donation = DonationFactory(status=Donation.Status.PENDING, provider_payment_id="pi_retry")
    apply_event(event(EventKind.PAYMENT_FAILED, at(), payment_id="pi_retry"), "stripe")

    apply_event(refund("pi_retry", at(seconds=9)), "stripe")
    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED

    apply_event(paid_once("pi_retry", at(seconds=5)), "stripe")
    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED


def test_a_cancellation_that_overtakes_the_first_payment_ends_the_gift_once_it_is_paid():
    donation = DonationFactory(
        frequency="monthly",
        status=Donation.Status.PENDING,
        provider_payment_id="in_first",
        paid_at=None,
    )
    metadata = {"donation_id": str(donation.pk)}

    apply_event(
        subscription_event(
            EventKind.RECURRING_CANCELLED,
            "sub_short",
            "canceled",
            at(days=20),
            payment_id="in_first",
            metadata=metadata,
        ),
        "stripe",
    )
    assert not RecurringDonation.objects.exists()
    apply_event(renewal("sub_short", "in_first", at(), metadata=metadata), "stripe")

    recurring = RecurringDonation.objects.get()
    assert recurring.status == RecurringDonation.Status.CANCELLED
    assert recurring.cancelled_at == at(days=20)
    donation.refresh_from_db()
    assert (donation.status, donation.recurring) == (Donation.Status.PAID, recurring)


def test_a_declined_renewal_that_overtakes_the_gift_counts_once_the_gift_is_known():
    donation = DonationFactory(
        frequency="monthly", status=Donation.Status.PENDING, provider_payment_id="in_one"
    )
    declined = renewal_failed(
        "sub_late", "in_two", at(days=30), metadata={"failure_message": "Card expired."}
    )

    apply_event(declined, "stripe")
    assert parked() == [declined.id]
    first = renewal("sub_late", "in_one", at(), metadata={"donation_id": str(donation.pk)})
    apply_event(first, "stripe")

    recurring = RecurringDonation.objects.get()
    assert recurring.status == RecurringDonation.Status.PAST_DUE
    attempt = Donation.objects.get(provider_payment_id="in_two")
    assert (attempt.status, attempt.failure_message) == (Donation.Status.FAILED, "Card expired.")
    assert parked() == []


# The same events in any order: every pair, both ways -------------------------------------------


def gift_events(once_id: int, monthly_id: int) -> dict[str, ProviderEvent]:
    """Everything that happens to a one-time gift (its first card declined, then paid, then
    refunded) and to a monthly gift (started, paid, a renewal declined then paid, changed, the
    renewal refunded, cancelled), with the provider's times, for checkouts `once_id` and
    `monthly_id`."""
    once = {"donation_id": str(once_id)}
    monthly = {"donation_id": str(monthly_id)}
    sub = functools.partial(subscription_event, payment_id="in_m1", metadata=monthly)
    return {
        "once declined": event(
            EventKind.PAYMENT_FAILED, at(), payment_id="pi_o", metadata=once, id="e1"
        ),
        "once paid": paid_once("pi_o", at(seconds=30), metadata=once, id="e2"),
        "once refunded": refund("pi_o", at(days=2), id="e3"),
        "sub created": sub(EventKind.RECURRING_STARTED, "sub_m", "incomplete", at(), id="e4"),
        "first invoice paid": renewal("sub_m", "in_m1", at(seconds=1), metadata=monthly, id="e5"),
        "sub active": sub(EventKind.RECURRING_UPDATED, "sub_m", "active", at(seconds=2), id="e6"),
        "renewal declined": renewal_failed(
            "sub_m", "in_m2", at(days=30, seconds=-3600), metadata=monthly, id="e11"
        ),
        "renewed": renewal("sub_m", "in_m2", at(days=30), metadata=monthly, id="e7"),
        "renewal refunded": refund("in_m2", at(days=31), amount=1000, id="e8"),
        "amount changed": sub(
            EventKind.RECURRING_UPDATED,
            "sub_m",
            "active",
            at(days=35),
            amount_minor=1500,
            payment_id="in_m2",
            id="e9",
        ),
        "cancelled": sub(
            EventKind.RECURRING_CANCELLED,
            "sub_m",
            "canceled",
            at(days=50),
            amount_minor=1500,
            payment_id="in_m2",
            id="e10",
        ),
    }


def ledger_state() -> dict:
    """What a reader, a donor and the revenue team would see of the records."""
    return {
        "donations": sorted(
            Donation.objects.values_list(
                "provider_payment_id",
                "status",
                "amount_minor",
                "frequency",
                "paid_at",
                "refunded_at",
                "recurring__provider_subscription_id",
                "variant_id",
            )
        ),
        "recurring": sorted(
            RecurringDonation.objects.values_list(
                "provider_subscription_id",
                "status",
                "amount_minor",
                "frequency",
                "current_period_end",
                "cancelled_at",
            )
        ),
        "completed": sorted(AppealStat.objects.values_list("variant_id", "completed")),
        "parked": sorted(parked()),
    }


def test_every_pair_of_a_gifts_events_ends_the_same_in_either_order():
    variant = AppealFactory().variants.get()
    names = list(gift_events(0, 0))
    differ = []
    for first, second in itertools.combinations(names, 2):
        outcomes = []
        for pair in ((first, second), (second, first)):
            with transaction.atomic():
                once = DonationFactory(
                    status=Donation.Status.PENDING, provider_payment_id="", variant=variant
                )
                # Its checkout's answer was lost too: only the provider's metadata names it.
                monthly = DonationFactory(
                    frequency="monthly",
                    amount_minor=1000,
                    status=Donation.Status.PENDING,
                    provider_payment_id="",
                    variant=variant,
                    created_at=at(),
                )
                events = gift_events(once.pk, monthly.pk)
                for name in pair:
                    accept_event("stripe", events[name])
                state = ledger_state()
                state["donations"] = [
                    row[:-1] + (row[-1] == variant.pk,) for row in state["donations"]
                ]
                outcomes.append(state)
                transaction.set_rollback(True)
        for key, value in outcomes[0].items():
            if outcomes[1][key] != value:
                differ.append(f"{first} / {second}: {key} {value} != {outcomes[1][key]}")

    assert not differ, "\n".join(differ)
