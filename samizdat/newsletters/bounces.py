"""Bounces and complaints: addresses that cannot or do not want to receive stop receiving.

A hard bounce or a complaint stops every newsletter to the address at once, soft bounces after
conf.soft_bounce_limit(). They come by the `newsletter_bounce` command or the webhook
(views.bounces), signed with SAMIZDAT_NEWSLETTER_BOUNCE_SECRET:

    X-Samizdat-Timestamp: <unix time>
    X-Samizdat-Signature: hex(HMAC-SHA256(secret, "<unix time>.<raw body>"))

    {"type": "hard_bounce" | "soft_bounce" | "complaint", "email": "reader@example.org"}
    or {"events": [ …such objects… ]}
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.db.models import F

from samizdat.core.emails import email_hash
from samizdat.ids import parse_id

from . import conf
from .models import Subscriber
from .subscriptions import RECEIVING, stop

HARD = "hard_bounce"
SOFT = "soft_bounce"
COMPLAINT = "complaint"
KINDS = (HARD, SOFT, COMPLAINT)
# A signed notification older than this is refused: a captured one cannot be replayed later.
SIGNATURE_TOLERANCE = 5 * 60


def record(email: str, kind: str) -> int:
    """Apply one bounce or complaint. Returns how many subscriptions stopped receiving."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}: expected one of {', '.join(KINDS)}.")
    digest = email_hash(email)
    if kind == HARD:
        return stop(digest, Subscriber.Status.BOUNCED)
    if kind == COMPLAINT:
        return stop(digest, Subscriber.Status.COMPLAINED)
    Subscriber.objects.filter(email_hash=digest, status__in=RECEIVING).update(
        soft_bounces=F("soft_bounces") + 1
    )
    if Subscriber.objects.filter(
        email_hash=digest, status__in=RECEIVING, soft_bounces__gte=conf.soft_bounce_limit()
    ).exists():
        return stop(digest, Subscriber.Status.BOUNCED)
    return 0


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(
    secret: str, timestamp: str, received: str, body: bytes, now: float | None = None
) -> bool:
    sent_at = parse_id(timestamp)
    if not (secret and sent_at is not None and received):
        return False
    if abs((now or time.time()) - sent_at) > SIGNATURE_TOLERANCE:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), received.strip().lower())
