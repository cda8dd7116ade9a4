"""Donor records: found by a keyed hash of the address, never by the address itself."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from samizdat.core.emails import email_hash, normalise_email

from ..models import Donor


def find_donor(email: str) -> Donor | None:
    return Donor.objects.filter(email_hash=email_hash(email)).first()


def donor_for_checkout(email: str, name: str, anonymous: bool, language: str) -> Donor:
    """The donor giving now: the same record for every gift from one address, as it is.

    A new address gets a new record with these details; a known one is never changed here.
    Anyone can type anyone's address into a checkout: only a paid gift says how its donor
    wants to be known (ledger._known_as_chosen).
    """
    digest = email_hash(email)
    donor = Donor.objects.filter(email_hash=digest).first()
    if donor is not None:
        return donor
    try:
        with transaction.atomic():
            return Donor.objects.create(
                email_hash=digest,
                email=normalise_email(email),
                name="" if anonymous else name.strip(),
                anonymous=anonymous,
                language=language,
            )
    except IntegrityError:  # the same address, created a moment ago by a parallel request
        return Donor.objects.get(email_hash=digest)
