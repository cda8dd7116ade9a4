"""How the ledger finds what a provider event is about: the donation, the checkout that started
it, the recurring gift, the donor, the appeal variant; and the locks that make events about one
payment or subscription take turns."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import TypeVar

from django.db import connection
from django.db.models import Model, Q, QuerySet

from samizdat.core.emails import email_hash, normalise_email
from samizdat.core.prepared import Prepared
from samizdat.ids import parse_id
from samizdat.payments.base import ProviderEvent

from ..models import AppealVariant, Donation, Donor, RecurringDonation

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)

# How long after its checkout a recurring gift's first payment can come (the bank's 3-D Secure,
# the provider's retries of a first invoice: a day at most); a renewal comes weeks later.
FIRST_PAYMENT = datetime.timedelta(days=7)


def find_donation(
    provider: str,
    payment_id: str,
    metadata: Mapping[str, str],
    first_payment_at: datetime.datetime | None = None,
) -> Donation | None:
    """The donation for a provider payment: by its id, else the checkout that started it
    (our donation id travels in the provider's metadata) if that has no other payment yet.

    A recurring gift's events all carry its checkout's id: given `first_payment_at` (the
    event's time), only an event from the days a first payment can take claims the checkout,
    so a renewal that overtook a first payment whose checkout answer was lost does not."""
    if payment_id:
        donation = next(iter(_DONATION_BY_PAYMENT(provider, payment_id)), None)
        if donation is not None:
            return donation
    donation_id = parse_id(str(metadata.get("donation_id") or ""))
    if donation_id is not None:
        donation = only_row(
            Donation.objects.select_for_update().filter(pk=donation_id, provider=provider)
        )
        if donation is None or donation.provider_payment_id not in ("", payment_id):
            return None
        if first_payment_at is None or first_payment_at - donation.created_at < FIRST_PAYMENT:
            return donation
    return None


def checkout_of(provider: str, metadata: Mapping[str, str]) -> Donation | None:
    """The checkout's donation our id in the provider's metadata names, whatever it paid."""
    raw = str(metadata.get("donation_id") or "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    return only_row(Donation.objects.select_related("donor").filter(pk=int(raw), provider=provider))


def only_row(rows: QuerySet[M]) -> M | None:
    """The row of a lookup by a unique key, or None: `.first()` without its ORDER BY, which
    costs compiling (the Meta ordering) and says nothing when at most one row matches."""
    return next(iter(rows.order_by()[:1]), None)


def lock(provider: str, *ids: str) -> None:
    """Take turns, until the transaction ends, with every other transaction about these
    provider ids (a subscription's, then a payment's: always in that order). So a refund
    parked by one transaction is seen by the one paying its payment, whichever commits first.
    PostgreSQL only; SQLite runs one writing transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return
    keys = [
        int.from_bytes(
            hashlib.blake2b(f"{provider}:{i}".encode(), digest_size=8).digest(), signed=True
        )
        for i in ids
        if i
    ]
    if keys:
        # One round trip; PostgreSQL evaluates the select list from left to right.
        calls = ", ".join(["pg_advisory_xact_lock(%s)"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {calls}", keys)


def locked_recurring(subscription_id: str) -> RecurringDonation | None:
    if not subscription_id:
        return None
    return next(iter(_RECURRING(subscription_id)), None)


def donor_for_event(event: ProviderEvent) -> Donor | None:
    """The donor who is the provider's customer, else the donor with the event's e-mail address
    (both looked up in one query), else a new donor if the event names an address."""
    email = event.metadata.get("email", "")
    digest = email_hash(email) if email else ""
    if event.customer_id and digest:
        found = _DONORS_BY_CUSTOMER_OR_EMAIL(event.customer_id, digest)
    elif event.customer_id:
        found = _DONORS_BY_CUSTOMER(event.customer_id)
    elif digest:
        found = _DONORS_BY_EMAIL(digest)
    else:
        return None
    donor = next(
        (d for d in found if event.customer_id and d.provider_customer_id == event.customer_id),
        None,
    )
    if donor is not None:
        return donor
    if not email:
        return None
    donor = next((d for d in found if d.email_hash == digest), None)
    if donor is None:
        anonymous = event.metadata.get("anonymous", "") in ("yes", "true", "1")
        donor = Donor.objects.create(
            email=normalise_email(email),
            email_hash=digest,
            name="" if anonymous else event.metadata.get("name", "")[:200],
            anonymous=anonymous,
            language=event.metadata.get("language") or "en",
            provider_customer_id=event.customer_id,
        )
    elif event.customer_id and not donor.provider_customer_id:
        donor.provider_customer_id = event.customer_id
        donor.save(update_fields=["provider_customer_id"])
    return donor


# The lookups every payment event makes, by the provider's ids: built and compiled once
# (core.prepared), as building them cost more CPU than running them.
_DONATION_BY_PAYMENT = Prepared(
    Donation,
    lambda provider, payment_id: (
        Donation.objects.select_for_update()
        .filter(provider=provider, provider_payment_id=payment_id)
        .order_by()[:1]
    ),
)
_RECURRING = Prepared(
    RecurringDonation,
    lambda subscription_id: (
        RecurringDonation.objects.select_for_update()
        .select_related("donor")
        .filter(provider_subscription_id=subscription_id)
        .order_by()[:1]
    ),
)


def _donors(lookup: Callable[..., Q]) -> Prepared[Donor]:
    # At most one row has the address (unique), so two rows always hold a customer's match.
    return Prepared(Donor, lambda *values: Donor.objects.filter(lookup(*values)).order_by("pk")[:2])


_DONORS_BY_CUSTOMER = _donors(lambda customer: Q(provider_customer_id=customer))
_DONORS_BY_EMAIL = _donors(lambda digest: Q(email_hash=digest))
_DONORS_BY_CUSTOMER_OR_EMAIL = _donors(
    lambda customer, digest: Q(provider_customer_id=customer) | Q(email_hash=digest)
)


def known_variant_id(metadata: Mapping[str, str]) -> int | None:
    variant_id = parse_id(str(metadata.get("variant_id") or ""))
    if variant_id is not None and AppealVariant.objects.filter(pk=variant_id).exists():
        return variant_id
    return None
