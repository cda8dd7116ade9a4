"""Sending newsletters: a daily digest per language, or one story as breaking news.

A send records one Delivery per recipient in numbered batches, one task each. A batch claims
each delivery with a conditional UPDATE that also checks the subscriber still receives, so a
rerun or a second worker mails nobody twice and skips who left meanwhile. Delivery is at most
once: a task that died after the claim is not retried; when the mail server is unreachable the
claim is given back and `resume_unfinished` (the daily command) queues the batch again.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import Counter

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task
from wagtail.models import Locale

from samizdat.core.mail import mail_language
from samizdat.newsroom.models import ArticlePage
from samizdat.newsroom.names import newsroom_name
from samizdat.reach.ways_in import WaysIn, ways_in

from . import conf
from .content import Rendered, render_send, ways_in_context
from .models import Delivery, Send, Subscriber
from .subscriptions import unsubscribe_url

logger = logging.getLogger(__name__)

# A digest with more stories than this would be clipped by most mail clients; the rest are
# on the site and in the feeds.
DIGEST_MAX_ARTICLES = 30
# The first digest in a language covers this much of the past.
FIRST_DIGEST_COVERS = datetime.timedelta(days=1)
# Batches still unfinished this long after their send started are queued again.
RESUME_AFTER = datetime.timedelta(hours=1)

# Refusals that concern one recipient: recorded as failed, the batch carries on. Anything
# else (the server is down, the connection broke) stops the batch so it can be run again.
RECIPIENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


# Starting a send ------------------------------------------------------------------------------


def receiving(kind: str) -> dict:
    """Who receives a send of this kind: confirmed subscribers who chose it (the new
    addresses go to every confirmed subscriber)."""
    if kind == Send.Kind.SOS:
        return {"status": Subscriber.Status.ACTIVE}
    chose = "digest" if kind == Send.Kind.DIGEST else "breaking"
    return {"status": Subscriber.Status.ACTIVE, chose: True}


def recipients(kind: str, language: str):
    return Subscriber.objects.filter(language=language, **receiving(kind))


def start_digest(language: str, now: datetime.datetime | None = None) -> Send | None:
    """Start the day's digest of articles first published since the last one.

    Returns None when there is nothing new, or when today's digest already went out: cron
    running twice sends one digest.
    """
    now = now or timezone.now()
    key = f"digest:{language}:{timezone.localdate(now).isoformat()}"
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or Send.objects.filter(key=key).exists():
        return None
    previous = (
        Send.objects.filter(kind=Send.Kind.DIGEST, language=language)
        .order_by("-covers_until")
        .first()
    )
    since = previous.covers_until if previous else now - FIRST_DIGEST_COVERS
    articles = list(
        ArticlePage.objects.live_in(locale).filter(
            first_published_at__gt=since, first_published_at__lte=now
        )[:DIGEST_MAX_ARTICLES]
    )
    if not articles:
        return None
    return start_send(Send.Kind.DIGEST, language, key, articles, covers_until=now)


def start_breaking(article: ArticlePage, user=None) -> Send | None:
    """Send one story now to everyone in its language who asked for breaking news.

    Returns None if this article already went out as breaking news.
    """
    key = f"breaking:{article.pk}"
    if Send.objects.filter(key=key).exists():
        return None
    language = article.locale.language_code
    return start_send(
        Send.Kind.BREAKING, language, key, [article], covers_until=timezone.now(), user=user
    )


def start_send(
    kind, language, key, articles, *, covers_until, user=None, rendered: Rendered | None = None
) -> Send | None:
    # Rendered before the transaction, which would otherwise hold the database for it.
    if rendered is None:
        rendered = render_send(kind, language, articles, timezone.localdate(covers_until))
    size = conf.batch_size()
    try:
        with transaction.atomic():
            send = Send.objects.create(
                kind=kind,
                language=language,
                key=key,
                subject=rendered.subject,
                html_body=rendered.html,
                text_body=rendered.text,
                covers_until=covers_until,
                created_by=user if getattr(user, "pk", None) else None,
            )
            send.articles.set(articles)
            ids = list(recipients(kind, language).order_by("pk").values_list("pk", flat=True))
            Delivery.objects.bulk_create(
                [
                    Delivery(send=send, subscriber_id=pk, batch=position // size)
                    for position, pk in enumerate(ids)
                ],
                batch_size=1000,
            )
            send.batch_count = -(-len(ids) // size)  # ceiling division
            send.save(update_fields=["batch_count"])
    except IntegrityError:  # the same send, started a moment ago by another process
        return None
    # Queued after the commit above (or, under an outer transaction, in the same one as the
    # database task backend's rows): a worker never picks up a batch it cannot see.
    for batch in range(send.batch_count):
        send_batch.enqueue(send.pk, batch)
    return send


# Sending one batch ----------------------------------------------------------------------------


@task()
def send_batch(send_id: int, batch: int) -> dict[str, int]:
    """Mail every waiting delivery in one batch of a send. Safe to run more than once."""
    counts: Counter[str] = Counter()
    send = Send.objects.filter(pk=send_id).first()
    if send is None:
        return dict(counts)
    deliveries = list(
        Delivery.objects.filter(send=send, batch=batch, status=Delivery.Status.PENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    if not deliveries:
        return dict(counts)
    language = mail_language(send.language)
    with translation.override(language):
        newsroom = newsroom_name(language)
    # The footer carries the ways in as they are when the batch goes out, not when it started.
    ways = ways_in(language)
    connection = get_connection()
    # One connection for the whole batch; a backend that is not open when asked to send
    # would connect and disconnect for every message.
    connection.open()
    try:
        for delivery in deliveries:
            counts[_deliver(send, delivery, newsroom, connection, ways)] += 1
    finally:
        _close(connection)
    counts.pop(None, None)
    return dict(counts)


def _deliver(send: Send, delivery: Delivery, newsroom: str, connection, ways) -> str | None:
    waiting = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING)
    subscriber = delivery.subscriber
    # Claim first, send second: of two runs racing here only one updates the row, and only
    # while the subscriber still wants this kind of newsletter.
    still_receiving = {f"subscriber__{name}": value for name, value in receiving(send.kind).items()}
    if not waiting.filter(**still_receiving).update(status=Delivery.Status.SENDING):
        skipped = waiting.update(status=Delivery.Status.SKIPPED)
        return "skipped" if skipped else None
    try:
        message(send, subscriber, newsroom, connection, ways).send()
    except RECIPIENT_ERRORS as exc:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, error=str(exc)[:500]
        )
        logger.warning("Newsletter %s to subscriber %s refused: %s", send.pk, subscriber.pk, exc)
        return "failed"
    except Exception:
        # Nobody got it and the next one would fare no better: give the claim back and fail
        # the task, so that running the batch again carries on from here.
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
        raise
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    return "sent"


def message(
    send: Send,
    subscriber: Subscriber,
    newsroom: str,
    connection=None,
    ways: WaysIn | None = None,
):
    """One subscriber's copy: the send's stories with their own unsubscribe link, and the
    current ways in."""
    link = unsubscribe_url(subscriber)
    if ways is None:
        ways = ways_in(mail_language(send.language))
    context = {
        **ways_in_context(ways),
        "sos": send.kind == Send.Kind.SOS,
        "send": send,
        "newsroom": newsroom,
        "language": send.language,
        "unsubscribe_url": link,
        "digest": send.kind == Send.Kind.DIGEST,
    }
    with translation.override(mail_language(send.language)):
        text = render_to_string("newsletters/email/message.txt", context)
        html = render_to_string("newsletters/email/message.html", context)
    email = EmailMultiAlternatives(
        send.subject,
        text,
        to=[subscriber.email],
        connection=connection,
        # RFC 8058 one-click unsubscribe: mail clients POST to the link themselves.
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    return email


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # a connection that broke mid-batch cannot be closed politely
        logger.debug("Closing the mail connection failed.", exc_info=True)


# Catching up -------------------------------------------------------------------------------


def resume_unfinished(now: datetime.datetime | None = None) -> int:
    """Queue again every batch still waiting an hour after its send started. Returns how many.

    Running a batch again is harmless: deliveries already made are not repeated.
    """
    now = now or timezone.now()
    batches = (
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, send__created_at__lt=now - RESUME_AFTER
        )
        .values_list("send_id", "batch")
        .distinct()
        .order_by("send_id", "batch")
    )
    count = 0
    for send_id, batch in batches:
        send_batch.enqueue(send_id, batch)
        count += 1
    return count
