"""E-mail addresses are looked up by a keyed hash, never by the address itself."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_hash(email: str) -> str:
    """HMAC-SHA256 of the normalised address under the deployment's lookup key."""
    key = settings.SAMIZDAT_LOOKUP_KEY.encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()
