"""Newsletter subscribers, and what was sent to whom.

A subscriber is one address in one language; the address is encrypted at rest and found by
`email_hash`, a keyed hash. Once it stops receiving (unsubscribed, bounced, complained) the
address is erased and only the hash stays: enough to honour the opt-out, nothing to leak.
A Send is one newsletter going out; a Delivery is it to one subscriber, unique per pair, so a
retried batch never mails anyone twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samizdat.core.crypto import EncryptedTextField


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")

    # Encrypted at rest (samizdat/core/crypto.py). Erased (left empty) once the subscriber
    # stops receiving.
    email = EncryptedTextField(blank=True, verbose_name=_("e-mail"))
    email_hash = models.CharField(max_length=64, editable=False)
    language = models.CharField(max_length=10, verbose_name=_("language"))
    digest = models.BooleanField(default=True, verbose_name=_("daily digest"))
    breaking = models.BooleanField(default=False, verbose_name=_("breaking news"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, verbose_name=_("status")
    )
    # Exactly what the reader agreed to, in their language, when they confirmed.
    consent_text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    soft_bounces = models.PositiveIntegerField(default=0)
    # Signed into confirmation links; raised when the subscriber stops receiving, so that an
    # old confirmation link cannot undo an unsubscribe.
    link_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("subscriber")
        constraints = [
            models.UniqueConstraint(
                fields=["email_hash", "language"], name="newsletters_one_subscriber_per_language"
            )
        ]
        indexes = [models.Index(fields=["language", "status"])]

    def __str__(self) -> str:
        return f"Subscriber {self.pk} ({self.language}, {self.status})"

    @property
    def suppressed(self) -> bool:
        """Bounced or complained: we do not write to this address again, not even to confirm."""
        return self.status in (self.Status.BOUNCED, self.Status.COMPLAINED)


class Send(models.Model):
    class Kind(models.TextChoices):
        DIGEST = "digest", _("Daily digest")
        BREAKING = "breaking", _("Breaking news")
        # The ways in (mirrors, onion, other domains) after editors changed them: to everyone.
        SOS = "sos", _("New addresses")

    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    language = models.CharField(max_length=10, verbose_name=_("language"))
    # "digest:en:2025-05-01", "breaking:123", "sos:en:<previous>:<ways in>": starting the
    # same send twice is refused.
    key = models.CharField(max_length=100, unique=True, editable=False)
    subject = models.CharField(max_length=300, verbose_name=_("subject"))
    # Rendered once when the send starts: every recipient and every retried batch gets the
    # same stories, even if an article is edited while the send is going out.
    html_body = models.TextField()
    text_body = models.TextField()
    articles = models.ManyToManyField("newsroom.ArticlePage", related_name="+", blank=True)
    # Digest: the articles first published up to this moment; the next digest starts here.
    covers_until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("send")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "language", "covers_until"])]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    batch = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["send", "subscriber"], name="newsletters_one_delivery_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["send", "batch", "status"])]

    def __str__(self) -> str:
        return f"Delivery of send {self.send_id} to subscriber {self.subscriber_id}"


def sends_with_counts():
    """Sends with how many recipients each had, and how many were delivered, failed, waiting."""
    status = Delivery.Status
    # Meta.ordering does not apply to a grouped query: order explicitly.
    return Send.objects.order_by("-created_at", "-pk").annotate(
        recipients=Count("deliveries"),
        delivered=Count("deliveries", filter=Q(deliveries__status=status.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__status=status.FAILED)),
        skipped=Count("deliveries", filter=Q(deliveries__status=status.SKIPPED)),
        waiting=Count(
            "deliveries", filter=Q(deliveries__status__in=[status.PENDING, status.SENDING])
        ),
    )
