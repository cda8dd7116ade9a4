"""Factories for the reader's side of giving: what the revenue team sets up in the admin."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory
from wagtail.models import Locale

from samizdat.support.models import Appeal, AppealVariant, Campaign, DonationForm


class DonationFormFactory(DjangoModelFactory):
    """$2 minimum, $10,000 maximum, Once / Monthly / Annual with Monthly first."""

    class Meta:
        model = DonationForm
        django_get_or_create = ("currency",)

    currency = "usd"
    is_default = True
    default_frequency = "monthly"
    amounts_once = "10,25,50,100"
    amounts_monthly = "5,10,20,50"
    amounts_annual = "50,100,200,500"
    minimum_minor = 200
    maximum_minor = 1_000_000
    payment_methods = factory.LazyFunction(lambda: ["card", "apple_pay", "google_pay"])


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign

    name = "Ad-free since March"
    goal_minor = 1_000_000
    currency = "usd"
    active = True


class AppealFactory(DjangoModelFactory):
    """An appeal with one variant (A); pass variants=[{...}, …] for an A/B test."""

    class Meta:
        model = Appeal
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Appeal {n}")
    kind = Appeal.Kind.MODAL
    live = True
    snooze_days = 7
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="en"))

    @factory.post_generation
    def variants(self, create, extracted, **kwargs):
        for position, fields in enumerate(extracted or [{}]):
            AppealVariant.objects.create(
                appeal=self,
                sort_order=position,
                **{
                    "label": "AB"[position % 2],
                    "headline": "Enjoying ad-free journalism?",
                    "body": "<p>We dropped all ads in March. It costs us $10,000 a month.</p>",
                    "button_label": "Support us",
                    "weight": 1,
                    **fields,
                },
            )

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if extracted:
            self.sections.set(extracted)
