"""The newsletters' settings: each from settings.py when set there, else from the environment.

Read on every use (not at import) so that tests and a settings change take effect at once.
"""

from __future__ import annotations

import os

from django.conf import settings


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value) if value is not None else os.environ.get(name, default)


def batch_size() -> int:
    """Recipients per background task: small enough that one task finishes in seconds."""
    return max(1, int(_setting("SAMIZDAT_NEWSLETTER_BATCH_SIZE", "200")))


def confirm_max_age() -> int:
    """How long a confirmation link works, in seconds (three days by default)."""
    return int(_setting("SAMIZDAT_NEWSLETTER_CONFIRM_MAX_AGE", str(3 * 24 * 3600)))


def bounce_secret() -> str:
    """The shared secret that signs bounce and complaint notifications. Empty: webhook off."""
    return _setting("SAMIZDAT_NEWSLETTER_BOUNCE_SECRET", "")


def soft_bounce_limit() -> int:
    """Soft bounces (mailbox full, server busy) after which an address gets no more mail."""
    return int(_setting("SAMIZDAT_NEWSLETTER_SOFT_BOUNCES", "3"))
