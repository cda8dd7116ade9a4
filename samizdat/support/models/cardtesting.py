"""The card-testing defence's record of when it acted."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CardTestingEpisode(models.Model):
    """A time the card-testing defence acted (support/giving/cardtesting.py): for the newsroom to
    see in the admin. Counts only: nothing about who made the attempts."""

    class Trigger(models.TextChoices):
        SITE = "site", _("Declined card payments across the site")
        EMAIL = "email", _("Attempts with one e-mail address")
        CARD = "card", _("Attempts with one card")

    trigger = models.CharField(max_length=10, choices=Trigger.choices, verbose_name=_("trigger"))
    # True while card payments wait for a ticket; False for limits per e-mail or card alone.
    challenge = models.BooleanField(default=False, verbose_name=_("payments wait"))
    started_at = models.DateTimeField(default=timezone.now, verbose_name=_("started"))
    ends_at = models.DateTimeField(db_index=True, verbose_name=_("ends"))
    declines = models.PositiveIntegerField(default=0, verbose_name=_("declines since"))
    challenged = models.PositiveIntegerField(default=0, verbose_name=_("asked to wait"))
    # Also the number of the next turn a wait ticket must be for.
    admitted = models.PositiveIntegerField(default=0, verbose_name=_("let through"))
    refused = models.PositiveIntegerField(default=0, verbose_name=_("refused"))

    class Meta:
        verbose_name = _("card-testing episode")
        verbose_name_plural = _("card-testing episodes")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} ({self.started_at:%Y-%m-%d %H:%M})"
