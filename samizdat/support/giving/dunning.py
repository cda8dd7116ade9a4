"""When a renewal fails: tell the donor a few times at most, and say goodbye kindly at the end.

Called by the ledger in the event's transaction. Each e-mail is first a DonorNotice under a
unique key (invoice and attempt, or the gift's one lapse), so a replayed event sends nothing
more; the e-mail goes out from a task once the transaction has committed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.timesince import timeuntil
from django_tasks import task

from samizdat.core.mail import language_url, mail_language
from samizdat.payments.base import ProviderEvent

from ..donors.gift_notices import per_period, send_about_gift
from ..donors.selfservice import can_update_card, card_link_max_age, make_card_token
from ..models import DonorNotice, RecurringDonation
from ..money import format_money

DEFAULT_EMAILS_PER_PAYMENT = 3  # settings.SAMIZDAT_DUNNING_EMAILS overrides it


def emails_per_payment() -> int:
    return int(getattr(settings, "SAMIZDAT_DUNNING_EMAILS", DEFAULT_EMAILS_PER_PAYMENT))


def payment_failed(recurring: RecurringDonation, event: ProviderEvent) -> None:
    """A renewal of a running gift failed: tell the donor, up to the configured number of
    times for one payment."""
    if recurring.status != RecurringDonation.Status.PAST_DUE or not event.payment_id:
        return
    try:
        attempt = max(1, int(event.metadata.get("attempt") or 1))
    except ValueError:
        attempt = 1
    if attempt > emails_per_payment():
        return
    notice, created = DonorNotice.objects.get_or_create(
        recurring=recurring,
        kind=DonorNotice.Kind.PAYMENT_FAILED,
        provider_payment_id=event.payment_id,
        attempt=attempt,
        defaults={"created_at": event.occurred_at},
    )
    if created:
        _send_after_commit(notice.pk, event.amount_minor or recurring.amount_minor)


def lapsed(recurring: RecurringDonation, previous_status: str) -> None:
    """The provider gave up on a gift that was past due (not the donor's own cancellation):
    one last, kind message."""
    if previous_status != RecurringDonation.Status.PAST_DUE:
        return
    if recurring.status != RecurringDonation.Status.CANCELLED:
        return
    notice, created = DonorNotice.objects.get_or_create(
        recurring=recurring,
        kind=DonorNotice.Kind.LAPSED,
        provider_payment_id="",
        attempt=0,
    )
    if created:
        _send_after_commit(notice.pk, recurring.amount_minor)


def _send_after_commit(notice_id: int, amount_minor: int) -> None:
    transaction.on_commit(lambda: send_notice.enqueue(notice_id, amount_minor))


@task()
def send_notice(notice_id: int, amount_minor: int) -> bool:
    notice = DonorNotice.objects.select_related("recurring__donor").filter(pk=notice_id).first()
    if notice is None:
        return False
    recurring = notice.recurring
    if (
        notice.kind == DonorNotice.Kind.PAYMENT_FAILED
        and recurring.status != RecurringDonation.Status.PAST_DUE
    ):
        return False  # paid, changed or ended since: the e-mail would be out of date
    language = mail_language(recurring.donor.language)
    context = {"failed_on": timezone.localtime(notice.created_at)}
    with translation.override(language):
        context["gift"] = per_period(
            recurring.amount_minor, recurring.currency, recurring.frequency
        )
        context["amount"] = format_money(amount_minor, recurring.currency)
        if notice.kind == DonorNotice.Kind.PAYMENT_FAILED and can_update_card(recurring):
            # Straight to this gift's card page, for days: signed now, as the e-mail goes out.
            token = make_card_token(recurring)
            context["card_url"] = language_url(
                "support:manage_card_link", language, {"card_token": token}
            )
            # "2 weeks": rounded down, so the e-mail never promises more than the link gives.
            now = timezone.now()
            context["card_link_works_for"] = timeuntil(
                now + datetime.timedelta(seconds=card_link_max_age()), now, depth=1
            )
    template = (
        "support/email/payment_failed"
        if notice.kind == DonorNotice.Kind.PAYMENT_FAILED
        else "support/email/gift_lapsed"
    )
    send_about_gift(
        recurring,
        template,
        language,
        {**context, "support_url": language_url("support:support", language)},
    )
    return True
