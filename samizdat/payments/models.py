from django.db import models
from django.db.models import Q
from django.utils import timezone


class WebhookEvent(models.Model):
    """Every provider event we accepted, stored before it is applied: a replay is a no-op."""

    class Status(models.TextChoices):
        APPLIED = "applied", "applied"
        # It needs something that has not happened yet (a refund of a payment not yet paid):
        # kept, with what applying it takes, until that happens (intake.park_event).
        PARKED = "parked", "parked"

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    kind = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    # Minimised on the way in (intake.minimise_payload): ids, amounts, statuses and times, never
    # who the donor is. Emptied when a donor it concerns is erased or it outlives the retention.
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    # A parked event: the provider payment id it waits for, and the translated event's ids,
    # amount and times (no metadata), so that it can be applied without asking the provider.
    waiting_for = models.CharField(max_length=100, blank=True)
    facts = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="one_row_per_event")
        ]
        indexes = [
            models.Index(
                fields=["provider", "waiting_for"],
                condition=Q(status="parked"),
                name="parked_events",
            )
        ]
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"
