"""Donor data retention, export and erasure.

`anonymise_donor` serves both the retention purge and an erasure request: it removes what
identifies a person (address, name, address hash, customer ids, reminders, the webhook payloads
naming them, self-service links) and keeps every gift, so reports read the same afterwards.
An erasure (`erase_donor`) also cancels live recurring gifts and deletes every customer record
the provider holds for the donor, then removes what other apps keep under the donor's address
(newsletter subscriptions, through core.personal_data). The provider is asked first: if it
refuses, nothing here changes and staff try again. A purge never touches a live recurring gift.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from samizdat.core import personal_data
from samizdat.core.months import add_months
from samizdat.payments.base import PaymentError
from samizdat.payments.models import WebhookEvent
from samizdat.payments.registry import get_provider

from ..models import Donation, Donor, RecurringDonation, Reminder
from .selfservice import cancel_gift

logger = logging.getLogger(__name__)

DEFAULT_RETENTION = "3y"
# Webhook payloads are searched for a donor's provider ids this many ids at a time.
IDS_PER_QUERY = 50


# Retention periods ---------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Retention:
    """A period such as "3y", "18m", "6w" or "400d"."""

    count: int
    unit: str  # d, w, m or y

    @classmethod
    def parse(cls, text: str) -> Retention:
        match = _DURATION.match(str(text))
        if not match or int(match.group(1)) == 0:
            raise ValueError(
                f"{text!r} is not a retention period: write a whole number followed by "
                "d (days), w (weeks), m (months) or y (years), e.g. 3y, 18m or 400d."
            )
        return cls(int(match.group(1)), match.group(2).lower())

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """The moment `now` minus this period: data older than it goes."""
        if self.unit == "d":
            return now - datetime.timedelta(days=self.count)
        if self.unit == "w":
            return now - datetime.timedelta(weeks=self.count)
        months = self.count * (12 if self.unit == "y" else 1)
        first = add_months(now.date().replace(day=1), -months)
        # 31 March minus one month is the last day of February, not 3 March.
        last_day = (add_months(first, 1) - datetime.timedelta(days=1)).day
        return now.replace(year=first.year, month=first.month, day=min(now.day, last_day))


def default_retention() -> Retention:
    return Retention.parse(getattr(settings, "SAMIZDAT_DONOR_RETENTION", DEFAULT_RETENTION))


# Who goes ------------------------------------------------------------------------------------


def live_recurring(donor: Donor) -> QuerySet[RecurringDonation]:
    return donor.recurring.live()


def inactive_donors(cutoff: datetime.datetime) -> QuerySet[Donor]:
    """Donors not yet anonymised whose record, gifts and recurring gifts all saw their last
    activity before `cutoff`."""
    recent_gift = (
        Q(donations__created_at__gte=cutoff)
        | Q(donations__paid_at__gte=cutoff)
        | Q(donations__refunded_at__gte=cutoff)
    )
    recent_recurring = (
        Q(recurring__started_at__gte=cutoff)
        | Q(recurring__cancelled_at__gte=cutoff)
        | Q(recurring__status_changed_at__gte=cutoff)
        | Q(recurring__current_period_end__gte=cutoff)
    )
    return (
        Donor.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .exclude(recent_gift)
        .exclude(recent_recurring)
        .order_by("pk")
    )


def purge_candidates(cutoff: datetime.datetime) -> QuerySet[Donor]:
    """The inactive donors without a live recurring gift: those the purge anonymises."""
    return inactive_donors(cutoff).exclude(recurring__status__in=RecurringDonation.LIVE)


# What is stored about a donor ----------------------------------------------------------------


def provider_ids(donor: Donor) -> list[str]:
    """Every id the payment provider knows this donor's gifts by."""
    ids = {donor.provider_customer_id}
    for payment_and_customer in donor.donations.values_list(
        "provider_payment_id", "provider_customer_id"
    ):
        ids.update(payment_and_customer)
    ids.update(donor.recurring.values_list("provider_subscription_id", flat=True))
    return sorted(i for i in ids if i)


def events_about(ids: Iterable[str]) -> QuerySet[WebhookEvent]:
    """Stored provider events whose payload mentions one of `ids`."""
    ids = list(ids)
    if not ids:
        return WebhookEvent.objects.none()
    # Payloads are JSON: an id appears as a quoted string, whatever key holds it.
    text = WebhookEvent.objects.exclude(payload={}).annotate(_text=Cast("payload", TextField()))
    pks: set[int] = set()
    for start in range(0, len(ids), IDS_PER_QUERY):
        condition = Q()
        for provider_id in ids[start : start + IDS_PER_QUERY]:
            condition |= Q(_text__contains=f'"{provider_id}"')
        pks.update(text.filter(condition).values_list("pk", flat=True))
    return WebhookEvent.objects.filter(pk__in=pks)


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_donor_data(donor: Donor) -> dict:
    """Everything stored about a donor, decrypted, as JSON-ready data (an access request)."""
    reminders = Reminder.objects.filter(email_hash=donor.email_hash) if donor.email_hash else []
    return {
        "exported_at": timezone.now().isoformat(),
        "donor": {
            "id": donor.pk,
            "email": donor.email,
            "name": donor.name,
            "gives_anonymously": donor.anonymous,
            "language": donor.language,
            "provider_customer_id": donor.provider_customer_id,
            "created_at": _iso(donor.created_at),
            "anonymised_at": _iso(donor.anonymised_at),
        },
        "donations": [
            {
                "id": d.pk,
                "amount_minor": d.amount_minor,
                "currency": d.currency,
                "frequency": d.frequency,
                "status": d.status,
                "provider": d.provider,
                "provider_payment_id": d.provider_payment_id,
                "provider_customer_id": d.provider_customer_id,
                "recurring_donation_id": d.recurring_id,
                "appeal_variant_id": d.variant_id,
                "created_at": _iso(d.created_at),
                "paid_at": _iso(d.paid_at),
                "refunded_at": _iso(d.refunded_at),
                "failure_message": d.failure_message,
                "receipt_sent_at": _iso(d.receipt_sent_at),
                # What an unpaid checkout was told (applied to the donor once paid).
                "name_at_checkout": d.checkout_name,
                "paid_to_address": _payment_request(d),
            }
            for d in donor.donations.order_by("created_at", "pk").select_related("payment_request")
        ],
        "recurring_donations": [
            {
                "id": r.pk,
                "amount_minor": r.amount_minor,
                "currency": r.currency,
                "frequency": r.frequency,
                "status": r.status,
                "provider": r.provider,
                "provider_subscription_id": r.provider_subscription_id,
                "appeal_variant_id": r.variant_id,
                "started_at": _iso(r.started_at),
                "current_period_end": _iso(r.current_period_end),
                "cancelled_at": _iso(r.cancelled_at),
            }
            for r in donor.recurring.order_by("started_at", "pk")
        ],
        "reminders": [
            {
                "email": r.email,
                "language": r.language,
                "remind_at": _iso(r.remind_at),
                "consent_text": r.consent_text,
                "consented_at": _iso(r.consented_at),
                "sent_at": _iso(r.sent_at),
                "skipped_reason": r.skipped_reason,
                "unsubscribed_at": _iso(r.unsubscribed_at),
            }
            for r in reminders
        ],
        **{store.name: store.export(donor.email_hash or "") for store in personal_data.stores()},
        "payment_provider_events": [
            {
                "event_id": e.event_id,
                "type": e.type,
                "received_at": _iso(e.received_at),
                "payload": e.payload,
            }
            for e in events_about(provider_ids(donor)).order_by("received_at", "pk")
        ],
    }


# Anonymising ---------------------------------------------------------------------------------


def _payment_request(donation: Donation) -> dict | None:
    """A gift paid to an address: the address, what was asked and what arrived, and the
    transactions that paid it (public on their chain, but tied to the donor only here)."""
    request = getattr(donation, "payment_request", None)
    if request is None:
        return None
    return {
        "coin": request.coin,
        "address": request.address,
        "amount_asked_atomic": request.amount_atomic,
        "amount_received_atomic": request.received_atomic,
        "status": request.status,
        "rate_minor_per_coin": request.rate.minor_per_coin,
        "rate_currency": request.rate.currency,
        "created_at": _iso(request.created_at),
        "expires_at": _iso(request.expires_at),
        "transactions": [
            {"txid": t.txid, "amount_atomic": t.amount_atomic, "confirmations": t.confirmations}
            for t in request.transfers.order_by("first_seen_at", "pk")
        ],
    }


def anonymise_donor(donor: Donor, now: datetime.datetime | None = None) -> None:
    """Remove what identifies `donor`, keep their gifts (see the module's docstring).

    Refuses a donor with a live recurring gift: cancel it first.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if live_recurring(donor).exists():
            raise ValueError(
                f"Donor {donor.pk} has a live recurring gift: cancel it before anonymising."
            )
        if donor.email_hash:
            Reminder.objects.filter(email_hash=donor.email_hash).delete()
        events_about(provider_ids(donor)).update(payload={})
        donor.donations.exclude(provider_customer_id="").update(provider_customer_id="")
        donor.donations.exclude(checkout_name="").update(checkout_name="")
        Donor.objects.filter(pk=donor.pk).update(
            email="",
            name="",
            email_hash=None,
            anonymous=True,
            provider_customer_id="",
            links_version=F("links_version") + 1,  # every self-service link stops working
            anonymised_at=now,
        )
    donor.refresh_from_db()


@dataclass
class PurgeResult:
    cutoff: datetime.datetime
    donor_ids: list[int] = field(default_factory=list)
    kept_live: int = 0  # old donors kept because a recurring gift is still live
    reminders: int = 0
    webhook_payloads: int = 0
    customers: int = 0  # customer records deleted at the provider (would be, in a dry run)
    # Donors kept because the provider did not delete a customer record: id -> its reason.
    # The next run tries them again.
    kept_provider: dict[int, str] = field(default_factory=dict)

    @property
    def donors(self) -> int:
        return len(self.donor_ids)


def purge(retention: Retention, *, dry_run: bool = False, now=None) -> PurgeResult:
    """Anonymise every donor inactive for longer than `retention` after deleting their customer
    records at the payment provider, delete reminders due that long ago, and empty provider
    payloads received that long ago. A donor whose customer the provider does not delete (it
    is down, or no longer configured) is kept, with the reason, for the next run."""
    now = now or timezone.now()
    cutoff = retention.cutoff(now)
    result = PurgeResult(cutoff=cutoff)
    result.donor_ids = list(purge_candidates(cutoff).values_list("pk", flat=True))
    result.kept_live = (
        inactive_donors(cutoff)
        .filter(recurring__status__in=RecurringDonation.LIVE)
        .distinct()
        .count()
    )
    old_reminders = Reminder.objects.filter(remind_at__lt=cutoff)
    old_payloads = WebhookEvent.objects.filter(received_at__lt=cutoff).exclude(payload={})
    result.reminders = old_reminders.count()
    result.webhook_payloads = old_payloads.count()
    candidates = Donor.objects.filter(pk__in=result.donor_ids)
    if dry_run:
        result.customers = sum(len(customers(donor)) for donor in candidates.iterator())
        return result
    # Old payloads first: the per-donor search below then reads only the recent ones.
    old_payloads.update(payload={})
    old_reminders.delete()
    for donor in candidates.iterator():
        try:
            result.customers += delete_customers(donor)
        except CustomerNotDeleted as exc:
            logger.warning("Donor %s kept: %s", donor.pk, exc.message)
            result.kept_provider[donor.pk] = exc.message
            continue
        anonymise_donor(donor, now)
    result.donor_ids = [pk for pk in result.donor_ids if pk not in result.kept_provider]
    return result


# Erasure on request --------------------------------------------------------------------------


class CustomerNotDeleted(PaymentError):
    """The provider did not delete the donor's customer record; nothing was erased."""


@dataclass
class Erasure:
    cancelled: list[RecurringDonation]  # live recurring gifts cancelled with the provider
    subscriptions: int  # newsletter subscriptions removed


def newsletter_subscriptions(donor: Donor) -> int:
    """How many newsletter subscriptions an erasure of `donor` would remove."""
    return sum(store.count(donor.email_hash or "") for store in personal_data.stores())


def customer_provider(donor: Donor) -> str | None:
    """The provider holding the donor's latest customer: their latest gift's (None: the
    default)."""
    latest = donor.donations.order_by("-created_at", "-pk").values_list("provider", flat=True)
    return latest.first() or donor.recurring.values_list("provider", flat=True).first()


def customers(donor: Donor) -> list[tuple[str | None, str]]:
    """Every customer record a provider holds for the donor, as (provider, customer id), oldest
    first: each checkout made one (a declined one too), and the donor keeps only the latest.
    A provider of None is the default one."""
    found: dict[str, str | None] = {}
    rows = (
        donor.donations.exclude(provider_customer_id="")
        .order_by("created_at", "pk")
        .values_list("provider_customer_id", "provider")
    )
    for customer_id, provider in rows:
        found.setdefault(customer_id, provider)
    if donor.provider_customer_id and donor.provider_customer_id not in found:
        # Recorded before donations named their customer, or by an event without a donation.
        found[donor.provider_customer_id] = customer_provider(donor)
    return [(provider, customer_id) for customer_id, provider in found.items()]


def delete_customers(donor: Donor) -> int:
    """Delete every customer record the provider holds for the donor; how many there were.

    Raises CustomerNotDeleted at the first the provider does not delete. A retry asks again
    for those deleted already: the provider answers that they are gone, which is success."""
    found = customers(donor)
    for provider_name, customer_id in found:
        try:
            provider = get_provider(provider_name)
        except LookupError as exc:  # the provider of their gifts is configured no more
            raise CustomerNotDeleted(str(exc), "provider_not_configured") from exc
        try:
            provider.delete_customer(customer_id)
        except PaymentError as exc:
            raise CustomerNotDeleted(exc.message, exc.code, exc.retryable) from exc
    return len(found)


def erase_donor(donor: Donor) -> Erasure:
    """An erasure request: cancel the donor's live recurring gifts and delete their customer
    with the provider, then remove their newsletter subscriptions and anonymise them.

    Raises PaymentError if the provider refuses a cancellation, CustomerNotDeleted (a
    PaymentError) if it does not delete the customer; then nothing is erased here (gifts
    cancelled before the refusal stay cancelled, as they are at the provider).

    Cancelling rather than refusing: a donor who asks to be forgotten cannot also be charged
    every month, and nobody could send them a receipt or a link to stop it afterwards.
    """
    cancelled = []
    for recurring in live_recurring(donor):
        cancel_gift(recurring)
        cancelled.append(recurring)
    delete_customers(donor)  # before anonymising, which forgets the customer ids
    with transaction.atomic():
        subscriptions = sum(
            store.forget(donor.email_hash or "") for store in personal_data.stores()
        )
        anonymise_donor(donor)
    return Erasure(cancelled=cancelled, subscriptions=subscriptions)
