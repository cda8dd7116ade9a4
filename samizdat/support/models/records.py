"""What is kept about readers outside their gifts: reminders they asked for, and the
append-only log of staff looking at donor data."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samizdat.core.crypto import EncryptedTextField


class Reminder(models.Model):
    """A reader who asked, once, to be reminded to give later."""

    email = EncryptedTextField()  # encrypted at rest: look reminders up by email_hash
    email_hash = models.CharField(max_length=64, db_index=True, editable=False)
    language = models.CharField(max_length=10, default="en")
    remind_at = models.DateTimeField()
    consent_text = models.TextField()  # exactly what the reader agreed to
    consented_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_reason = models.CharField(max_length=100, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["sent_at", "remind_at"])]

    def __str__(self) -> str:
        return f"Reminder due {self.remind_at:%Y-%m-%d}"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly

    def delete(self):
        raise AuditLogIsAppendOnly

    # bulk_update goes through update(); bulk_create only inserts, which is allowed.


class AuditLogIsAppendOnly(Exception):
    """Audit entries are written once and never changed or removed (the database agrees)."""

    def __init__(self, message: str = "Audit log entries cannot be changed or deleted."):
        super().__init__(message)


class AuditEntry(models.Model):
    """One look at, export of, or change to donor personal data by a member of staff (or the
    purge). Append-only: see audit.py, and the database triggers of migration 0005.

    Never holds a donor's address or name: donors are named by id.
    """

    class Action(models.TextChoices):
        VIEW_DONOR = "view_donor", _("Viewed a donor")
        EXPORT_DONOR = "export_donor", _("Exported a donor's data")
        ERASE_DONOR = "erase_donor", _("Erased a donor")
        VIEW_REPORT = "view_report", _("Viewed a report")
        EXPORT_REPORT = "export_report", _("Exported a report")
        PURGE = "purge", _("Purged old donor data")

    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("when"))
    # Plain columns, not foreign keys: deleting a user or a donor must not touch the log.
    user_id = models.IntegerField(null=True, blank=True, verbose_name=_("user id"))
    username = models.CharField(max_length=150, blank=True, verbose_name=_("who"))
    action = models.CharField(max_length=20, choices=Action.choices, verbose_name=_("action"))
    donor_id = models.IntegerField(null=True, blank=True, db_index=True, verbose_name=_("donor"))
    report = models.CharField(max_length=100, blank=True, verbose_name=_("report"))
    filters = models.JSONField(default=dict, blank=True, verbose_name=_("filters"))
    records = models.PositiveIntegerField(default=0, verbose_name=_("records"))

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)  # nobody adds, changes or deletes entries by hand

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly
