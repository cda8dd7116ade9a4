from django.db import models
from django.utils import timezone


class WebhookEvent(models.Model):
    """Every provider event we accepted, stored before it is applied: a replay is a no-op."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    kind = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    # Minimised on the way in (intake.minimise_payload): ids, amounts, statuses and times, never
    # who the donor is. Emptied when a donor it concerns is erased or it outlives the retention.
    payload = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="one_row_per_event")
        ]
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"
