"""Subscribing with double opt-in, unsubscribing with one click, and forgetting stale sign-ups.

Nothing is sent until the owner followed the signed link mailed to the address, and the form
answers the same whatever it was given, so it tells nobody whether an address is subscribed.
Confirmation links expire and die on unsubscribing; unsubscribe links never expire, because
they must work as long as the e-mail carrying them exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from samizdat.core.emails import email_hash, normalise_email
from samizdat.core.mail import language_url, mail_language, send_mail_in_language
from samizdat.core.tokens import sign_id, unsign_id
from samizdat.newsroom.names import newsroom_name

from . import conf
from .models import Subscriber

CONFIRM_SALT = "samizdat.newsletters.confirm"
UNSUBSCRIBE_SALT = "samizdat.newsletters.unsubscribe"
# However often the form is sent for one address, its owner gets at most one confirmation
# e-mail in this time: nobody can flood someone's inbox through our form.
RESEND_AFTER = datetime.timedelta(minutes=10)

RECEIVING = (Subscriber.Status.PENDING, Subscriber.Status.ACTIVE)


def consent_text() -> str:
    """The words on the sign-up form, recorded in the reader's language when they confirm."""
    return gettext(
        "We will e-mail you the newsletters you ticked, with the full text of our stories, "
        "and nothing else. We keep only your address and your choice; one click in any "
        "newsletter unsubscribes you."
    )


# Signing up -----------------------------------------------------------------------------------


def subscribe(email: str, language: str, *, digest: bool, breaking: bool) -> None:
    """Ask the owner of `email` to confirm. Says nothing about what we knew of the address.

    Whatever the address's state, nothing changes until the link is followed: a stranger
    typing someone's address cannot subscribe, unsubscribe or re-subscribe them.
    """
    digest_hash = email_hash(email)
    subscriber = Subscriber.objects.filter(email_hash=digest_hash, language=language).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=normalise_email(email),
                    email_hash=digest_hash,
                    language=language,
                    digest=digest,
                    breaking=breaking,
                )
        except IntegrityError:  # the same address, sent a moment ago by a parallel request
            subscriber = Subscriber.objects.get(email_hash=digest_hash, language=language)
    if subscriber.suppressed:
        return
    now = timezone.now()
    recently = now - RESEND_AFTER
    # Claim the right to send with one conditional UPDATE: of two requests racing here, one
    # wins. The address goes back on the row: an unsubscribed one was erased.
    claimed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(confirmation_sent_at__gt=recently)
        .update(confirmation_sent_at=now, email=normalise_email(email))
    )
    if claimed:
        send_confirmation.enqueue(subscriber.pk, digest, breaking)


def confirm_token(subscriber: Subscriber, *, digest: bool, breaking: bool) -> str:
    # The choice travels in the link: an active subscriber's settings change only once the
    # owner of the address confirmed the new ones.
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"s": subscriber.pk, "v": subscriber.link_version, "d": digest, "b": breaking}
    )


@dataclass(frozen=True)
class Confirmation:
    subscriber: Subscriber
    digest: bool
    breaking: bool


def read_confirm_token(token: str) -> Confirmation | None:
    """What a valid, unexpired, unrevoked confirmation link asks for; None for anything else."""
    try:
        payload = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=conf.confirm_max_age()
        )
    except signing.BadSignature:  # forged, damaged or expired (SignatureExpired)
        return None
    if not isinstance(payload, dict) or not (payload.get("d") or payload.get("b")):
        return None
    subscriber = Subscriber.objects.filter(
        pk=payload.get("s"), link_version=payload.get("v")
    ).first()
    if subscriber is None or subscriber.suppressed or not subscriber.email:
        return None
    return Confirmation(subscriber, bool(payload["d"]), bool(payload["b"]))


def confirm(confirmation: Confirmation) -> Subscriber:
    """The owner of the address followed the link: from now on they receive what they chose."""
    subscriber = confirmation.subscriber
    with translation.override(mail_language(subscriber.language)):
        consent = consent_text()
    Subscriber.objects.filter(pk=subscriber.pk, link_version=subscriber.link_version).exclude(
        status__in=[Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED]
    ).update(
        status=Subscriber.Status.ACTIVE,
        digest=confirmation.digest,
        breaking=confirmation.breaking,
        consent_text=consent,
        confirmed_at=timezone.now(),
        stopped_at=None,
        soft_bounces=0,
    )
    subscriber.refresh_from_db()
    return subscriber


@task()
def send_confirmation(subscriber_id: int, digest: bool, breaking: bool) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.suppressed or not subscriber.email:
        return False
    # Signed here, not in the request: the link's lifetime counts from when the e-mail goes out.
    token = confirm_token(subscriber, digest=digest, breaking=breaking)
    send_mail_in_language(
        to=subscriber.email,
        template="newsletters/email/confirm",
        language=subscriber.language,
        context={
            "newsroom": newsroom_name(subscriber.language),
            "confirm_url": language_url(
                "newsletters:confirm", subscriber.language, {"token": token}
            ),
            "digest": digest,
            "breaking": breaking,
            "valid_days": max(1, conf.confirm_max_age() // (24 * 3600)),
        },
    )
    return True


# Unsubscribing --------------------------------------------------------------------------------


def unsubscribe_token(subscriber: Subscriber) -> str:
    return sign_id(subscriber.pk, UNSUBSCRIBE_SALT)


def subscriber_for_unsubscribe_token(token: str) -> Subscriber | None:
    pk = unsign_id(token, UNSUBSCRIBE_SALT)
    return None if pk is None else Subscriber.objects.filter(pk=pk).first()


def unsubscribe_url(subscriber: Subscriber) -> str:
    return language_url(
        "newsletters:unsubscribe", subscriber.language, {"token": unsubscribe_token(subscriber)}
    )


def stop(email_hash_: str, status: str) -> int:
    """No newsletter in any language goes to this address any more. Returns rows changed.

    The address is erased; its hash stays, so the opt-out (or the bounce) is remembered.
    """
    return Subscriber.objects.filter(email_hash=email_hash_, status__in=RECEIVING).update(
        status=status,
        stopped_at=timezone.now(),
        email="",
        link_version=F("link_version") + 1,
    )


def unsubscribe(subscriber: Subscriber) -> None:
    """The reader clicked unsubscribe: no newsletter of ours reaches that address again."""
    stop(subscriber.email_hash, Subscriber.Status.UNSUBSCRIBED)


# Erasure on request ---------------------------------------------------------------------------


def subscriptions_of(email_hash_: str) -> QuerySet[Subscriber]:
    """Every subscription of one address, in any language and any state."""
    return (
        Subscriber.objects.filter(email_hash=email_hash_)
        if email_hash_
        else Subscriber.objects.none()
    )


def export(email_hash_: str) -> list[dict]:
    """What an access request shows of the address's subscriptions."""

    def iso(value: datetime.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return [
        {
            "email": s.email,
            "language": s.language,
            "status": s.status,
            "digest": s.digest,
            "breaking": s.breaking,
            "consent_text": s.consent_text,
            "created_at": iso(s.created_at),
            "confirmed_at": iso(s.confirmed_at),
            "stopped_at": iso(s.stopped_at),
        }
        for s in subscriptions_of(email_hash_)
    ]


def count(email_hash_: str) -> int:
    return subscriptions_of(email_hash_).count()


def forget(email_hash_: str) -> int:
    """The owner of the address asked to be forgotten. Returns how many subscriptions went.

    Deleted, not stopped: `stop` keeps the hash to remember an opt-out, and a hash still tells
    whoever holds the key and the address that this person was a reader. Their deliveries go
    too (a refused one's error may quote the address), so a send's recipient counts drop by
    one. If they sign up again, they confirm like anyone new.
    """
    _, deleted = subscriptions_of(email_hash_).delete()
    return deleted.get(Subscriber._meta.label, 0)


# Housekeeping ---------------------------------------------------------------------------------


def forget_unconfirmed(now: datetime.datetime | None = None) -> int:
    """Addresses typed into the form but never confirmed, once their link has expired.

    Pending sign-ups are deleted; a former subscriber who asked to come back but did not
    confirm has their address erased again. Returns how many were forgotten.
    """
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=conf.confirm_max_age())
    deleted, _ = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, confirmation_sent_at__lt=expired
    ).delete()
    erased = (
        Subscriber.objects.filter(confirmation_sent_at__lt=expired)
        .exclude(status__in=RECEIVING)
        .exclude(email="")
        .update(email="")
    )
    return deleted + erased
