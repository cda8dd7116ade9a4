"""E-mails that confirm what a donor did to a recurring gift on the self-service page: a change
(what they give now, and from when) and a cancellation. Receipts (receipts.py) cover payments.

Sent by a task after the provider agreed, so the page answers without waiting for the mail
server; only ids and amounts go into the task, never an address.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from samizdat.core.mail import language_url, mail_language, send_mail_in_language
from samizdat.newsroom.names import newsroom_name
from samizdat.payments.base import Frequency

from ..models import RecurringDonation
from ..money import format_money


def per_period(amount_minor: int, currency: str, frequency: str) -> str:
    """ "$35 a month", "$300 a year", in the active language."""
    amount = format_money(amount_minor, currency)
    if frequency == Frequency.ANNUAL:
        return _("%(amount)s a year") % {"amount": amount}
    return _("%(amount)s a month") % {"amount": amount}


def send_about_gift(
    recurring: RecurringDonation, template: str, language: str, context: dict
) -> None:
    donor = recurring.donor
    send_mail_in_language(
        to=donor.email,
        template=template,
        language=language,
        context={
            "newsroom": newsroom_name(language),
            "donor_name": "" if donor.anonymous else donor.name,
            "manage_url": language_url("support:manage", language),
            **context,
        },
    )


@task()
def send_gift_changed(
    recurring_id: int, previous_amount_minor: int, previous_frequency: str, starts_at: str | None
) -> bool:
    """`starts_at`: ISO time of the first payment at the new amount, if the provider said."""
    recurring = RecurringDonation.objects.select_related("donor").filter(pk=recurring_id).first()
    if recurring is None:
        return False
    language = mail_language(recurring.donor.language)
    with translation.override(language):
        before = per_period(previous_amount_minor, recurring.currency, previous_frequency)
        after = per_period(recurring.amount_minor, recurring.currency, recurring.frequency)
    start = datetime.datetime.fromisoformat(starts_at) if starts_at else None
    send_about_gift(
        recurring,
        "support/email/gift_changed",
        language,
        {
            "before": before,
            "after": after,
            "starts_at": timezone.localtime(start) if start else None,
        },
    )
    return True


@task()
def send_gift_cancelled(recurring_id: int) -> bool:
    recurring = RecurringDonation.objects.select_related("donor").filter(pk=recurring_id).first()
    if recurring is None:
        return False
    language = mail_language(recurring.donor.language)
    with translation.override(language):
        gift = per_period(recurring.amount_minor, recurring.currency, recurring.frequency)
    send_about_gift(recurring, "support/email/gift_cancelled", language, {"gift": gift})
    return True
