"""The one reminder a reader asked for: sent once when due, never after they gave."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samizdat.support.giving.reminders import send_due_reminders, unsubscribe_token
from samizdat.support.models import Reminder

from .factories import DonationFactory, DonorFactory, ReminderFactory

pytestmark = pytest.mark.django_db


def unsubscribe_link(message) -> str:
    return re.search(
        r"<http://127\.0\.0\.1:8000(/\S+)>", message.extra_headers["List-Unsubscribe"]
    )[1]


def test_a_due_reminder_is_sent_once_with_a_one_click_unsubscribe(mailoutbox):
    reminder = ReminderFactory(email="reader@example.org")

    first = send_due_reminders.call()
    second = send_due_reminders.call()

    assert first == {"sent": 1, "skipped": 0, "failed": 0}
    assert second == {"sent": 0, "skipped": 0, "failed": 0}
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["reader@example.org"]
    assert message.subject == "Your reminder from Samizdat"
    assert "http://127.0.0.1:8000/en/support/" in message.body
    token = unsubscribe_token(reminder)
    url = f"http://127.0.0.1:8000/en/support/manage/reminders/unsubscribe/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    reminder.refresh_from_db()
    assert reminder.sent_at is not None


def test_a_reminder_that_is_not_due_yet_waits(mailoutbox):
    reminder = ReminderFactory(remind_at=timezone.now() + datetime.timedelta(days=1))

    send_due_reminders.call()

    assert mailoutbox == []
    reminder.refresh_from_db()
    assert reminder.sent_at is None


def test_no_reminder_for_someone_who_gave_in_the_meantime(mailoutbox):
    reminder = ReminderFactory(email="Reader@Example.org")
    donor = DonorFactory(email="reader@example.org")
    DonationFactory(donor=donor, paid_at=timezone.now() - datetime.timedelta(days=2))

    counts = send_due_reminders.call()

    assert counts["skipped"] == 1
    assert mailoutbox == []
    reminder.refresh_from_db()
    assert reminder.skipped_reason == "gave"
    assert reminder.sent_at is None


def test_a_gift_from_before_the_request_does_not_cancel_the_reminder(mailoutbox):
    ReminderFactory(email="reader@example.org")
    donor = DonorFactory(email="reader@example.org")
    DonationFactory(donor=donor, paid_at=timezone.now() - datetime.timedelta(days=30))
    DonationFactory(donor=donor, status="failed", paid_at=None)

    send_due_reminders.call()

    assert len(mailoutbox) == 1


def test_the_reminder_is_in_the_readers_language(mailoutbox):
    ReminderFactory(language="ru")

    send_due_reminders.call()

    assert mailoutbox[0].subject == "Ваше напоминание от издания «Samizdat»"
    assert "/ru/support/manage/reminders/unsubscribe/" in unsubscribe_link(mailoutbox[0])


def test_one_click_unsubscribe_works_without_a_form_token(mailoutbox):
    reminder = ReminderFactory()
    send_due_reminders.call()
    # The same address asked again later: unsubscribing stops that one too.
    later = ReminderFactory(
        email=reminder.email, remind_at=timezone.now() + datetime.timedelta(days=7)
    )

    # What a mail client does with List-Unsubscribe-Post: no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_link(mailoutbox[0]), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert Reminder.objects.get(pk=reminder.pk).unsubscribed_at is not None
    assert Reminder.objects.get(pk=later.pk).unsubscribed_at is not None


def test_opening_the_unsubscribe_link_only_asks_for_confirmation(client):
    reminder = ReminderFactory(remind_at=timezone.now() + datetime.timedelta(days=3))
    url = reverse("support:reminder_unsubscribe", kwargs={"token": unsubscribe_token(reminder)})

    response = client.get(url)

    assert response.status_code == 200
    assert f'action="{url}"' in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.unsubscribed_at is None


def test_an_unsubscribed_reader_gets_no_reminder(client, mailoutbox):
    reminder = ReminderFactory()
    client.post(
        reverse("support:reminder_unsubscribe", kwargs={"token": unsubscribe_token(reminder)})
    )

    send_due_reminders.call()

    assert mailoutbox == []


def test_a_forged_unsubscribe_link_does_nothing(client):
    reminder = ReminderFactory()
    forged = f"{reminder.pk}:{'x' * 43}"

    response = client.post(reverse("support:reminder_unsubscribe", kwargs={"token": forged}))

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.unsubscribed_at is None


def test_a_reminder_that_could_not_be_sent_is_tried_again(mailoutbox, settings):
    reminder = ReminderFactory()
    settings.EMAIL_BACKEND = "tests.support.test_receipts.BrokenMailBackend"

    assert send_due_reminders.call()["failed"] == 1
    assert Reminder.objects.get(pk=reminder.pk).sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due_reminders.call()["sent"] == 1


def test_the_cron_command_sends_the_due_reminders(mailoutbox, capsys):
    ReminderFactory()

    call_command("send_reminders")

    assert len(mailoutbox) == 1
    assert "1 sent" in capsys.readouterr().out


def test_the_cron_command_can_send_from_its_own_process(mailoutbox, capsys):
    ReminderFactory()

    call_command("send_reminders", "--now")

    assert len(mailoutbox) == 1
