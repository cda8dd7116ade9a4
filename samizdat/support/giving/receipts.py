"""E-mailed receipts: one for every successful payment, in the donor's language.

The ledger calls queue_receipt() in the transaction that records a donation as paid. The task
may run more than once for one donation (a webhook replayed by reconcile, two workers, a
retry): a conditional UPDATE on receipt_sent_at decides which single run sends the e-mail.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from django.db import router, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import TaskResult, task

from samizdat.core.mail import language_url, mail_language, send_mail_in_language
from samizdat.newsroom.names import newsroom_name
from samizdat.payments.base import Frequency

from ..models import FREQUENCY_CHOICES, Donation
from ..money import format_money

logger = logging.getLogger(__name__)


class ReceiptKind(StrEnum):
    ONE_TIME = "one_time"
    FIRST = "first"  # the first payment of a recurring gift
    RENEWAL = "renewal"
    CHANGED = "changed"  # the first payment after the donor changed the amount or frequency


def queue_receipt(donation_id: int) -> None:
    """Queue the receipt of a donation being marked paid in the current transaction.

    With the database task backend (production) the task row commits with the paid status or
    not at all, so no receipt is lost or sent for a rolled-back payment; any other backend gets
    the task after the commit.
    """
    if _queued_in_our_database():
        send_receipt_later(donation_id)
    else:
        transaction.on_commit(lambda: send_receipt_later(donation_id))


def _queued_in_our_database() -> bool:
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(send_receipt.get_backend(), DatabaseBackend) and router.db_for_write(
        DBTaskResult
    ) == router.db_for_write(Donation)


def send_receipt_later(donation_id: int) -> TaskResult:
    """Queue the receipt for a paid donation.

    Call it after the transaction that marked the donation paid has committed, or inside it
    when tasks are stored in the same database (see queue_receipt): a worker must see the paid
    status when it sees the task.
    """
    return send_receipt.enqueue(donation_id)


@task()
def send_receipt(donation_id: int) -> bool:
    """Send the receipt for a paid donation unless one was sent already. True if sent now."""
    claimed_at = timezone.now()
    # Claim first, send second: of two runs racing here only one updates the row.
    claimed = Donation.objects.filter(
        pk=donation_id, status=Donation.Status.PAID, receipt_sent_at__isnull=True
    ).update(receipt_sent_at=claimed_at)
    if not claimed:
        return False
    donation = Donation.objects.select_related("donor", "recurring").get(pk=donation_id)
    try:
        _send(donation)
    except Exception:
        # Nobody got the receipt: give the claim back so a retry can send it.
        Donation.objects.filter(pk=donation_id, receipt_sent_at=claimed_at).update(
            receipt_sent_at=None
        )
        logger.exception("The receipt for donation %s could not be sent.", donation_id)
        raise
    return True


def receipt_kind(donation: Donation) -> ReceiptKind:
    if donation.recurring_id is None or donation.frequency == Frequency.ONCE:
        return ReceiptKind.ONE_TIME
    # Earlier successful payments of the same gift (refunded ones were paid too) make this
    # one a renewal. Failed attempts do not count: a retried first payment is still the first.
    paid_at = donation.paid_at or donation.created_at
    earlier = (
        Donation.objects.filter(recurring_id=donation.recurring_id, paid_at__isnull=False)
        .exclude(pk=donation.pk)
        .filter(Q(paid_at__lt=paid_at) | Q(paid_at=paid_at, pk__lt=donation.pk))
    )
    last = earlier.order_by("-paid_at", "-pk").values("amount_minor", "frequency").first()
    if last is None:
        return ReceiptKind.FIRST
    if (last["amount_minor"], last["frequency"]) != (donation.amount_minor, donation.frequency):
        return ReceiptKind.CHANGED
    return ReceiptKind.RENEWAL


def _send(donation: Donation) -> None:
    donor = donation.donor
    language = mail_language(donor.language)
    recurring = donation.recurring
    next_payment_at = None
    paid_at = donation.paid_at or donation.created_at
    if (
        recurring is not None
        and recurring.status == recurring.Status.ACTIVE
        and recurring.current_period_end is not None
        and recurring.current_period_end > paid_at
    ):
        next_payment_at = recurring.current_period_end
    with translation.override(language):
        # Digit grouping and the decimal mark follow the donor's language.
        amount = format_money(donation.amount_minor, donation.currency)
    send_mail_in_language(
        to=donor.email,
        template="support/email/receipt",
        language=language,
        context={
            "newsroom": newsroom_name(language),
            "donation": donation,
            "donor_name": "" if donor.anonymous else donor.name,
            "kind": receipt_kind(donation).value,
            "frequency": donation.frequency,
            "frequency_label": dict(FREQUENCY_CHOICES).get(donation.frequency, ""),
            "amount": amount,
            "paid_at": timezone.localtime(paid_at),
            "next_payment_at": next_payment_at,
            "reference": donation.provider_payment_id or f"#{donation.pk}",
            "manage_url": language_url("support:manage", language),
        },
    )
