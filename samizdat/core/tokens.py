"""Signed tokens for links in e-mails: what a link names cannot be forged or altered."""

from __future__ import annotations

from django.core import signing

from samizdat.ids import parse_id


def sign_id(pk: int, salt: str) -> str:
    # Not timestamped: an unsubscribe link has to keep working for as long as the e-mail exists.
    return signing.Signer(salt=salt).sign(str(pk))


def unsign_id(token: str, salt: str) -> int | None:
    """The id a valid token names; None for a forged or damaged one."""
    try:
        return parse_id(signing.Signer(salt=salt).unsign(token))
    except signing.BadSignature:
        return None


def unsign_object(token: str, salt: str, max_age: int) -> dict | None:
    """The payload of a valid, unexpired timestamped token; None for anything else."""
    try:
        payload = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except signing.BadSignature:  # forged, damaged or expired (SignatureExpired)
        return None
    return payload if isinstance(payload, dict) else None
