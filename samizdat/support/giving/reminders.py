"""The one reminder a reader asked for ("Remind me later"), sent when it falls due.

A reminder is sent at most once: each run claims it with a conditional UPDATE before
sending, so cron and several workers may overlap safely. It is skipped when the reader gave
in the meantime (a paid donation from the same address after they asked), and never sent
once the address unsubscribed.
"""

from __future__ import annotations

import datetime
import logging

from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from samizdat.core.emails import email_hash, normalise_email
from samizdat.core.mail import language_url, mail_language, public_url, send_mail_in_language
from samizdat.core.tokens import sign_id, unsign_id
from samizdat.newsroom.names import newsroom_name

from ..models import Donation, Reminder

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "samizdat.support.reminders.unsubscribe"
SKIPPED_GAVE = "gave"
# One run sends at most this many; the next run (cron) carries on with the rest.
BATCH_SIZE = 500


# Asking for one ------------------------------------------------------------------------------


def ask_for_reminder(
    email: str, language: str, remind_at: datetime.datetime, consent: str
) -> Reminder:
    """Record that this address asked for one reminder at `remind_at`, agreeing to `consent`
    (the words they saw, in their language). Asking again moves the one pending reminder to
    the new date instead of adding a second."""
    digest = email_hash(email)
    pending = Reminder.objects.filter(email_hash=digest, **_pending()).first()
    fields = {
        "email": normalise_email(email),
        "language": language,
        "remind_at": remind_at,
        "consent_text": consent,
        "consented_at": timezone.now(),
    }
    if pending is None:
        return Reminder.objects.create(email_hash=digest, **fields)
    for name, value in fields.items():
        setattr(pending, name, value)
    pending.save()
    return pending


# Unsubscribe links ---------------------------------------------------------------------------


def unsubscribe_token(reminder: Reminder) -> str:
    return sign_id(reminder.pk, UNSUBSCRIBE_SALT)


def reminder_for_token(token: str) -> Reminder | None:
    pk = unsign_id(token, UNSUBSCRIBE_SALT)
    return None if pk is None else Reminder.objects.filter(pk=pk).first()


def unsubscribe_url(reminder: Reminder) -> str:
    return language_url(
        "support:reminder_unsubscribe",
        reminder.language,
        {"token": unsubscribe_token(reminder)},
    )


def unsubscribe(reminder: Reminder) -> None:
    """No reminder will go to this address: neither this one nor any other pending one."""
    Reminder.objects.filter(email_hash=reminder.email_hash, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )


# Sending -------------------------------------------------------------------------------------


def gave_since(email_hash: str, since: datetime.datetime) -> bool:
    return Donation.objects.paid().filter(donor__email_hash=email_hash, paid_at__gte=since).exists()


def _pending() -> dict:
    """The conditions under which a reminder may still be sent."""
    return {"sent_at__isnull": True, "skipped_reason": "", "unsubscribed_at__isnull": True}


@task()
def send_due_reminders() -> dict[str, int]:
    """Send every reminder that is due. Returns how many were sent, skipped and failed."""
    now = timezone.now()
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    due = list(
        Reminder.objects.filter(remind_at__lte=now, **_pending())
        .order_by("remind_at", "pk")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    for pk in due:
        outcome = _send_one(pk, now)
        if outcome:
            counts[outcome] += 1
    return counts


def _send_one(pk: int, now: datetime.datetime) -> str | None:
    reminder = Reminder.objects.filter(pk=pk, **_pending()).first()
    if reminder is None:  # another run got there first, or the reader unsubscribed
        return None
    if gave_since(reminder.email_hash, reminder.consented_at):
        skipped = Reminder.objects.filter(pk=pk, **_pending()).update(skipped_reason=SKIPPED_GAVE)
        return "skipped" if skipped else None
    # Claim first, send second: of two runs racing here only one updates the row.
    if not Reminder.objects.filter(pk=pk, **_pending()).update(sent_at=now):
        return None
    try:
        _send(reminder)
    except Exception:
        # Nobody got it: give the claim back so the next run tries again, and carry on with
        # the others rather than let one bad address hold up the batch.
        Reminder.objects.filter(pk=pk, sent_at=now).update(sent_at=None)
        logger.exception("Reminder %s could not be sent.", pk)
        return "failed"
    return "sent"


def _send(reminder: Reminder) -> None:
    language = mail_language(reminder.language)
    unsubscribe_link = unsubscribe_url(reminder)
    with translation.override(language):
        give_url = public_url(reverse("support:support"))
    send_mail_in_language(
        to=reminder.email,
        template="support/email/reminder",
        language=language,
        context={
            "newsroom": newsroom_name(language),
            "give_url": give_url,
            "unsubscribe_url": unsubscribe_link,
            "asked_at": timezone.localtime(reminder.consented_at),
        },
        # RFC 8058 one-click unsubscribe: mail clients POST to the link themselves.
        headers={
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
