"""Factories for reminders, until tests/support/factories.py covers them."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from samizdat.support.donors import email_hash, normalise_email
from samizdat.support.models import Reminder


class ReminderFactory(DjangoModelFactory):
    """A reminder asked for a week ago, due now."""

    class Meta:
        model = Reminder

    email = factory.Sequence(lambda n: f"reminded{n}@example.org")
    email_hash = factory.LazyAttribute(lambda o: email_hash(normalise_email(o.email)))
    language = "en"
    consent_text = "Send me one reminder in 7 days."
    consented_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    remind_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
