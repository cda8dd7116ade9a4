"""Factories for reader revenue: donors, gifts, campaigns, forms, appeals and their counters,
reminders.

Money is in minor units (cents) and lower-case currency codes, as in the models.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Locale

from samizdat.core.emails import email_hash, normalise_email
from samizdat.payments.base import Frequency
from samizdat.support.models import (
    Appeal,
    AppealStat,
    AppealVariant,
    Campaign,
    Donation,
    DonationForm,
    Donor,
    RecurringDonation,
    Reminder,
)


class DonorFactory(DjangoModelFactory):
    class Meta:
        model = Donor

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    email_hash = factory.LazyAttribute(lambda donor: email_hash(donor.email))
    name = factory.Sequence(lambda n: f"Reader {n}")
    language = "en"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["email"] = normalise_email(kwargs["email"])
        return super()._create(model_class, *args, **kwargs)


class RecurringDonationFactory(DjangoModelFactory):
    """An active monthly gift of 10 USD."""

    class Meta:
        model = RecurringDonation

    donor = factory.SubFactory(DonorFactory)
    amount_minor = 1000
    currency = "usd"
    frequency = Frequency.MONTHLY.value
    status = RecurringDonation.Status.ACTIVE
    provider = "stripe"
    provider_subscription_id = factory.Sequence(lambda n: f"sub_test{n:06d}")
    started_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyFunction(timezone.now)


class DonationFactory(DjangoModelFactory):
    """A paid one-time gift of 25 USD, paid now. Pass recurring=… for an instalment."""

    class Meta:
        model = Donation

    donor = factory.LazyAttribute(
        lambda donation: donation.recurring.donor if donation.recurring else DonorFactory()
    )
    recurring = None
    amount_minor = factory.LazyAttribute(
        lambda donation: donation.recurring.amount_minor if donation.recurring else 2500
    )
    currency = factory.LazyAttribute(
        lambda donation: donation.recurring.currency if donation.recurring else "usd"
    )
    frequency = factory.LazyAttribute(
        lambda donation: (
            donation.recurring.frequency if donation.recurring else Frequency.ONCE.value
        )
    )
    status = Donation.Status.PAID
    provider = "stripe"
    provider_payment_id = factory.Sequence(lambda n: f"pi_test{n:06d}")
    paid_at = factory.LazyAttribute(
        lambda donation: timezone.now() if donation.status == Donation.Status.PAID else None
    )


class CampaignFactory(DjangoModelFactory):
    """The active campaign: 10,000 USD a month."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    goal_minor = 1_000_000
    currency = "usd"
    active = True


class DonationFormFactory(DjangoModelFactory):
    """USD, Once / Monthly / Annual with Monthly first, 2 USD minimum, 10,000 USD maximum."""

    class Meta:
        model = DonationForm
        django_get_or_create = ("currency",)

    currency = "usd"
    is_default = True
    default_frequency = Frequency.MONTHLY.value
    amounts_once = "10,25,50,100"
    amounts_monthly = "5,10,20,50"
    amounts_annual = "50,100,200,500"
    minimum_minor = 200
    maximum_minor = 1_000_000


class AppealVariantFactory(DjangoModelFactory):
    class Meta:
        model = AppealVariant

    appeal = factory.SubFactory("tests.support.factories.AppealFactory", variants=[])
    label = factory.Sequence(lambda n: "AB"[n % 2])
    headline = "Enjoying ad-free journalism?"
    body = "<p>We are funded by readers like you.</p>"
    button_label = "Support us"
    weight = 1


class AppealFactory(DjangoModelFactory):
    """A live end-of-article appeal in the default language, with one variant (A).

    Pass variants=[{...}, …] for an A/B test (each dict overrides AppealVariantFactory's fields
    for variant A, B, A…, in that order), variants=[] for an appeal without any, and
    sections=[…] for an appeal shown only there.
    """

    class Meta:
        model = Appeal
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Appeal {n}")
    kind = Appeal.Kind.END_OF_ARTICLE
    live = True
    locale = factory.LazyFunction(Locale.get_default)

    @factory.post_generation
    def variants(self, create, extracted, **kwargs):
        for position, fields in enumerate([{}] if extracted is None else extracted):
            AppealVariantFactory(
                appeal=self, sort_order=position, **{"label": "AB"[position % 2], **fields}
            )

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if extracted:
            self.sections.set(extracted)


class AppealStatFactory(DjangoModelFactory):
    """One day's counters for one appeal variant."""

    class Meta:
        model = AppealStat

    variant = factory.SubFactory(AppealVariantFactory)
    day = factory.LazyFunction(timezone.localdate)


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
