"""The demo newsroom's reader revenue: its goal, donation forms, appeals and a year of gifts.

The gifts are made up so that the revenue team's reports have something to show. They carry
the provider name "demo" and ids no payment provider knows, so `reconcile` never touches them.
"""

from __future__ import annotations

import datetime
import random
from types import ModuleType

from django.utils import timezone
from wagtail.models import Locale

from samizdat.payments.base import Frequency
from samizdat.support.donors.records import donor_for_checkout
from samizdat.support.models import (
    Appeal,
    AppealStat,
    AppealVariant,
    Campaign,
    Donation,
    DonationForm,
    RecurringDonation,
)

DEMO_PROVIDER = "demo"
DEMO_DONORS = 150


def load_revenue(
    content: ModuleType, locales: dict[str, Locale], now: datetime.datetime, add
) -> None:
    """Create what is missing; `add(what, n)` counts what was created for the loader's report."""
    if not Campaign.objects.exists():
        Campaign.objects.create(**content.CAMPAIGN, active=True)
        add("campaigns")
    for spec in content.DONATION_FORMS:
        form, created = DonationForm.objects.get_or_create(
            currency=spec["currency"], defaults={k: v for k, v in spec.items() if k != "currency"}
        )
        if created:
            add("donation forms")
        elif not form.methods_by_edition and spec.get("methods_by_edition"):
            # A demo loaded before editions ordered their methods gets the demo's order.
            form.methods_by_edition = spec["methods_by_edition"]
            form.save(update_fields=["methods_by_edition"])
    for spec in content.APPEALS:
        _load_appeal(spec, locales, add)
    if not Donation.objects.filter(provider=DEMO_PROVIDER).exists():
        _load_gifts(now, add)


def _load_appeal(spec: dict, locales: dict[str, Locale], add) -> None:
    original = None
    for code, locale in locales.items():
        appeal = Appeal.objects.filter(name=spec["name"], locale=locale).first()
        if appeal is None:
            appeal = Appeal(
                name=spec["name"],
                kind=spec["kind"],
                live=spec.get("live", True),
                snooze_days=spec["snooze_days"],
                locale=locale,
            )
            if original is not None:
                appeal.translation_key = original.translation_key
            appeal.save()
            for position, variant in enumerate(spec["variants"]):
                AppealVariant.objects.create(
                    appeal=appeal, sort_order=position, label=variant["label"], **variant[code]
                )
            add("appeals")
        original = original or appeal


def _load_gifts(now: datetime.datetime, add) -> None:
    """A year of made-up gifts in dollars, growing month by month, with appeal statistics."""
    rng = random.Random(1917)  # the same demo every time
    variants = list(AppealVariant.objects.filter(appeal__locale__language_code="en"))
    for n in range(DEMO_DONORS):
        language = "ru" if n % 3 else "en"
        anonymous = n % 5 == 0
        donor = donor_for_checkout(
            f"reader{n:02d}@demo.invalid",
            "" if anonymous else f"Demo Reader {n:02d}",
            anonymous,
            language,
        )
        started = now - datetime.timedelta(days=rng.randint(5, 360))
        variant = rng.choice(variants) if variants else None
        if n % 2 == 0:
            frequency = Frequency.ANNUAL if n % 6 == 0 else Frequency.MONTHLY
            amount = rng.choice([1000, 2500, 5000, 10000]) * (
                10 if frequency is Frequency.ANNUAL else 1
            )
            gift = RecurringDonation.objects.create(
                donor=donor,
                amount_minor=amount,
                currency="usd",
                frequency=frequency,
                status=RecurringDonation.Status.ACTIVE,
                provider=DEMO_PROVIDER,
                provider_subscription_id=f"demo_sub_{n:02d}",
                variant=variant,
                started_at=started,
            )
            step = 365 if frequency is Frequency.ANNUAL else 30
            paid_at, instalment = started, 0
            while paid_at <= now:
                _paid(
                    donor,
                    amount,
                    frequency,
                    f"demo_in_{n:02d}_{instalment}",
                    paid_at,
                    variant,
                    gift,
                )
                paid_at += datetime.timedelta(days=step)
                instalment += 1
            if n % 10 == 8:  # a donor who stopped: at the latest instalment
                gift.cancel(paid_at - datetime.timedelta(days=step))
            add("recurring gifts")
        else:
            amount = rng.choice([1000, 2500, 5000, 10000])
            _paid(donor, amount, Frequency.ONCE, f"demo_pi_{n:02d}", started, variant, None)
        add("donors")
    for variant in variants:
        for days_ago in range(30):
            impressions = rng.randint(200, 600)
            clicks = impressions * rng.randint(2, 6) // 100
            AppealStat.objects.update_or_create(
                day=(now - datetime.timedelta(days=days_ago)).date(),
                variant=variant,
                defaults={
                    "impressions": impressions,
                    "clicks": clicks,
                    "completed": clicks * rng.randint(10, 30) // 100,
                },
            )


def _paid(donor, amount, frequency, payment_id, paid_at, variant, recurring) -> Donation:
    donation = Donation(
        donor=donor,
        recurring=recurring,
        amount_minor=amount,
        currency="usd",
        frequency=frequency,
        provider=DEMO_PROVIDER,
        provider_payment_id=payment_id,
        variant=variant,
        created_at=paid_at,
        # The demo sends no receipts for made-up gifts.
        receipt_sent_at=min(paid_at, timezone.now()),
    )
    donation.mark_paid(paid_at, save=False)
    donation.save()
    return donation
