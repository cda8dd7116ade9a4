"""E-mailed receipts: one per successful payment, in the donor's language."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

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
from samizdat.support.giving.receipts import send_receipt, send_receipt_later
from samizdat.support.models import Donation, RecurringDonation

from .factories import DonationFactory, DonorFactory, RecurringDonationFactory

pytestmark = pytest.mark.django_db


def test_a_paid_one_time_gift_gets_one_receipt(mailoutbox):
    donor = DonorFactory(email="ada@example.org", name="Ada")
    donation = DonationFactory(donor=donor, amount_minor=2550, provider_payment_id="pi_receipt_1")

    send_receipt_later(donation.pk)

    assert len(mailoutbox) == 1
    receipt = mailoutbox[0]
    assert receipt.to == ["ada@example.org"]
    assert receipt.subject == "Thank you for your gift to Samizdat"
    assert "Dear Ada," in receipt.body
    assert "$25.50" in receipt.body
    assert "pi_receipt_1" in receipt.body
    assert "http://127.0.0.1:8000/en/support/manage/" in receipt.body
    html, mimetype = receipt.alternatives[0]
    assert mimetype == "text/html"
    assert "$25.50" in html
    assert 'href="http://127.0.0.1:8000/en/support/manage/"' in html
    donation.refresh_from_db()
    assert donation.receipt_sent_at is not None


def test_the_receipt_shows_the_date_and_frequency(mailoutbox):
    paid_at = datetime.datetime(2026, 3, 14, 12, tzinfo=datetime.UTC)
    donation = DonationFactory(paid_at=paid_at)

    send_receipt_later(donation.pk)

    assert "Date: March 14, 2026" in mailoutbox[0].body
    assert "Frequency: Once" in mailoutbox[0].body


def test_links_use_the_public_address(mailoutbox, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.org/"
    donation = DonationFactory()

    send_receipt_later(donation.pk)

    assert "https://news.example.org/en/support/manage/" in mailoutbox[0].body


def test_a_russian_donor_gets_a_russian_receipt(mailoutbox):
    donation = DonationFactory(donor=DonorFactory(language="ru"), amount_minor=1000)

    send_receipt_later(donation.pk)

    receipt = mailoutbox[0]
    assert receipt.subject == "Спасибо за ваше пожертвование изданию «Samizdat»"
    assert "Спасибо за пожертвование" in receipt.body
    assert "http://127.0.0.1:8000/ru/support/manage/" in receipt.body


def test_the_first_monthly_payment_thanks_for_the_monthly_gift(mailoutbox):
    next_month = datetime.datetime(2030, 1, 5, 12, tzinfo=datetime.UTC)
    gift = RecurringDonationFactory(amount_minor=1000, current_period_end=next_month)
    first = DonationFactory(recurring=gift)

    send_receipt_later(first.pk)

    receipt = mailoutbox[0]
    assert receipt.subject == "Thank you for your monthly gift to Samizdat"
    assert "Frequency: Monthly" in receipt.body
    assert "Next payment: Jan. 5, 2030" in receipt.body
    assert "To change or cancel your gift" in receipt.body


def test_a_renewal_says_the_gift_was_renewed(mailoutbox):
    gift = RecurringDonationFactory(frequency="annual", amount_minor=12000)
    a_year_ago = timezone.now() - datetime.timedelta(days=365)
    DonationFactory(donor=gift.donor, recurring=gift, frequency="annual", paid_at=a_year_ago)
    renewal = DonationFactory(
        donor=gift.donor, recurring=gift, frequency="annual", amount_minor=12000
    )

    send_receipt_later(renewal.pk)

    receipt = mailoutbox[0]
    assert receipt.subject == "Your annual gift to Samizdat was renewed"
    assert "Your annual gift of $120 to Samizdat was renewed." in receipt.body


def test_a_monthly_renewal_after_a_failed_attempt_is_still_a_renewal(mailoutbox):
    gift = RecurringDonationFactory()
    DonationFactory(recurring=gift, paid_at=timezone.now() - datetime.timedelta(days=31))
    DonationFactory(recurring=gift, status="failed")
    renewal = DonationFactory(recurring=gift)

    send_receipt_later(renewal.pk)

    assert mailoutbox[0].subject == "Your monthly gift to Samizdat was renewed"


def test_the_ledger_sends_the_receipt_once_the_payment_is_recorded(
    mailoutbox, django_capture_on_commit_callbacks
):
    donation = DonationFactory(status="pending", provider_payment_id="")
    paid = CheckoutResult(status=CheckoutStatus.SUCCEEDED, payment_id="pi_ledger_1")
    webhook = ProviderEvent(
        id="evt_ledger_1",
        kind=EventKind.PAYMENT_SUCCEEDED,
        type="payment_intent.succeeded",
        occurred_at=timezone.now(),
        payment_id="pi_ledger_1",
    )

    with django_capture_on_commit_callbacks(execute=True):
        record_checkout_result(donation, paid)
    with django_capture_on_commit_callbacks(execute=True):
        apply_event(webhook, "stripe")  # the webhook confirming the same payment

    assert len(mailoutbox) == 1
    assert "pi_ledger_1" in mailoutbox[0].body


def test_sending_twice_sends_one_receipt(mailoutbox):
    donation = DonationFactory()

    first = send_receipt_later(donation.pk)
    second = send_receipt_later(donation.pk)

    assert len(mailoutbox) == 1
    assert first.return_value is True
    assert second.return_value is False


def test_a_run_that_lost_the_race_sends_nothing(mailoutbox):
    # Another worker claimed the receipt a moment ago: the row already carries its stamp.
    donation = DonationFactory(receipt_sent_at=timezone.now())

    assert send_receipt.call(donation.pk) is False
    assert mailoutbox == []


@pytest.mark.parametrize("status", ["pending", "failed", "refunded"])
def test_an_unpaid_donation_gets_no_receipt(mailoutbox, status):
    donation = DonationFactory(status=status)

    send_receipt_later(donation.pk)

    assert mailoutbox == []
    assert Donation.objects.get(pk=donation.pk).receipt_sent_at is None


def test_a_receipt_that_could_not_be_sent_can_be_sent_again(mailoutbox, settings):
    donation = DonationFactory()
    settings.EMAIL_BACKEND = "tests.support.test_receipts.BrokenMailBackend"

    with pytest.raises(ConnectionError):
        send_receipt.call(donation.pk)
    assert Donation.objects.get(pk=donation.pk).receipt_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_receipt.call(donation.pk) is True
    assert len(mailoutbox) == 1


def test_an_anonymous_donor_is_greeted_without_a_name(mailoutbox):
    donor = DonorFactory(anonymous=True, name="")
    donation = DonationFactory(donor=donor)

    send_receipt_later(donation.pk)

    assert mailoutbox[0].body.startswith("Hello,")


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("the mail server is down")


# Receipts queued in our own database (SAMIZDAT_TASKS_BACKEND=database, as in production) ---

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def first_payment_webhook(event_id: str = "evt_first_payment") -> ProviderEvent:
    """A new monthly gift's first invoice, paid: the gift, its donor and the payment are new."""
    return ProviderEvent(
        id=event_id,
        kind=EventKind.RECURRING_PAID,
        type="invoice.paid",
        occurred_at=timezone.now().replace(microsecond=0),
        payment_id="in_first_payment",
        subscription_id="sub_first_payment",
        customer_id="cus_first_payment",
        amount_minor=1500,
        currency="usd",
        frequency=Frequency.MONTHLY,
        metadata={"email": "grace@example.org", "name": "Grace"},
    )


def queued_receipts() -> list[list]:
    return [
        result.args_kwargs["args"]
        for result in DBTaskResult.objects.filter(task_path=send_receipt.module_path)
    ]


def test_a_queued_receipt_is_written_with_the_payment_and_sent_by_the_worker(settings, mailoutbox):
    settings.TASKS = DATABASE_TASKS

    assert accept_event("stripe", first_payment_webhook()) is True
    assert accept_event("stripe", first_payment_webhook()) is False  # the provider's retry

    donation = Donation.objects.get(provider_payment_id="in_first_payment")
    assert donation.status == Donation.Status.PAID
    assert queued_receipts() == [[donation.pk]]
    assert mailoutbox == []  # nothing mailed inside the webhook's request
    for args in queued_receipts():  # what `samizdat db_worker` runs
        send_receipt.call(*args)
    assert [m.to for m in mailoutbox] == [["grace@example.org"]]


def test_a_payment_that_rolls_back_leaves_no_receipt_queued(settings, mailoutbox):
    settings.TASKS = DATABASE_TASKS
    settings.SAMIZDAT_PAYMENT_EVENT_HANDLER = "tests.support.test_receipts.apply_then_crash"

    with pytest.raises(RuntimeError):
        accept_event("stripe", first_payment_webhook())

    assert not Donation.objects.filter(provider_payment_id="in_first_payment").exists()
    assert queued_receipts() == []
    # The provider delivers it again: now it is applied, and its receipt queued, once.
    settings.SAMIZDAT_PAYMENT_EVENT_HANDLER = "samizdat.support.giving.ledger.apply_event"
    assert accept_event("stripe", first_payment_webhook()) is True
    assert len(queued_receipts()) == 1


def apply_then_crash(event: ProviderEvent, provider: str) -> None:
    apply_event(event, provider)
    raise RuntimeError("the process died before the commit")


def apply_slowly(event: ProviderEvent, provider: str) -> None:
    apply_event(event, provider)
    time.sleep(0.3)  # still inside the transaction: the other delivery arrives meanwhile


@pytest.mark.django_db(transaction=True)
def test_the_same_event_delivered_twice_at_once_records_one_payment_and_one_receipt(settings):
    """Both databases race, each in its own way. On PostgreSQL the second copy's insert waits on
    the unique index until the first copy commits. SQLite lets one transaction write at a time:
    the second copy waits for the lock, which the settings take as a transaction begins
    (IMMEDIATE); asked for at the first write after a read instead, it is refused ("database is
    locked") and the delivery fails."""
    settings.TASKS = DATABASE_TASKS
    settings.SAMIZDAT_PAYMENT_EVENT_HANDLER = "tests.support.test_receipts.apply_slowly"
    together = threading.Barrier(2)
    answers: list[bool | BaseException] = []
    in_flight: list[tuple[float, float]] = []

    def deliver() -> None:
        try:
            together.wait()
            started = time.monotonic()
            answers.append(accept_event("stripe", first_payment_webhook()))
            in_flight.append((started, time.monotonic()))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            answers.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answers, key=str) == [False, True]
    # The two copies overlapped: the second arrived while the first was being applied.
    assert max(start for start, _end in in_flight) < min(end for _start, end in in_flight)
    assert WebhookEvent.objects.filter(event_id="evt_first_payment").count() == 1
    assert Donation.objects.filter(provider_payment_id="in_first_payment").count() == 1
    assert (
        RecurringDonation.objects.filter(provider_subscription_id="sub_first_payment").count() == 1
    )
    assert len(queued_receipts()) == 1
