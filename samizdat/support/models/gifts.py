"""What readers gave: donors, their recurring gifts and payments, and the notices about them.

Money is always an integer of minor units (cents, kopecks) with a lower-case ISO 4217 code.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samizdat.core.crypto import EncryptedTextField
from samizdat.payments.base import Frequency

from .asking import FREQUENCY_CHOICES, AppealVariant

logger = logging.getLogger(__name__)


class Donor(models.Model):
    """The fewest facts that let us send a receipt and let the donor manage their gifts."""

    # Encrypted at rest (crypto.py): cannot be filtered on.
    email = EncryptedTextField(verbose_name=_("e-mail"))
    # A keyed hash of the normalised address: lookups never need the address itself.
    # None once the donor is anonymised (privacy.py): nothing can find them by address again.
    # NULL rather than "": the unique constraint allows any number of NULLs.
    email_hash = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    # Encrypted at rest; empty for an anonymous donor.
    name = EncryptedTextField(blank=True, verbose_name=_("name"))
    anonymous = models.BooleanField(default=False, verbose_name=_("gives anonymously"))
    language = models.CharField(max_length=10, default="en", verbose_name=_("language"))
    provider_customer_id = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Signed into every self-service link; raising it revokes all links already sent.
    links_version = models.PositiveIntegerField(default=0, editable=False)
    # Set when the purge or an erasure request removed the personal data; the gifts stay.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        permissions = [
            # Data requests (revenue/admin_views/data_requests.py): not the Revenue team's.
            ("export_donor", _("Can look up a donor and export their data")),
            ("erase_donor", _("Can erase a donor's personal data")),
        ]

    def __str__(self) -> str:
        return _("Anonymous donor") if self.anonymous else (self.name or self.email)


class RecurringDonationQuerySet(models.QuerySet):
    """Recurring gifts in the newsroom's words: `.live().in_currency("usd")`. Each filter has its
    `_q()` for use inside other filters, as wagtail's `live()` and `live_q()`."""

    def active_q(self) -> Q:
        return Q(status=self.model.Status.ACTIVE)

    def active(self) -> RecurringDonationQuerySet:
        return self.filter(self.active_q())

    def live_q(self) -> Q:
        return Q(status__in=self.model.LIVE)

    def live(self) -> RecurringDonationQuerySet:
        """Still giving: running, or past due while the provider retries."""
        return self.filter(self.live_q())

    def started_q(self) -> Q:
        return ~Q(status=self.model.Status.INCOMPLETE)

    def started(self) -> RecurringDonationQuerySet:
        """Gifts whose first payment went through, whatever became of them since."""
        return self.filter(self.started_q())

    def in_currency(self, currency: str) -> RecurringDonationQuerySet:
        return self.filter(currency=currency)

    def monthly_minor(self) -> int:
        """What these gifts bring in a month: annual ones summed, then divided by twelve, so the
        goal and the reports never disagree by a rounding cent."""
        by_frequency = dict(
            self.values("frequency")
            .annotate(total=Sum("amount_minor"))
            .values_list("frequency", "total")
        )
        return by_frequency.get(Frequency.MONTHLY, 0) + round(
            by_frequency.get(Frequency.ANNUAL, 0) / 12
        )

    def cancel(self, at: datetime.datetime) -> int:
        """Cancel those not cancelled yet, as of `at`; an event older than `at` cannot revive
        them (status_changed_at). One UPDATE, so a webhook at the same moment is not undone."""
        cancelled = self.model.Status.CANCELLED
        return self.exclude(status=cancelled).update(
            status=cancelled, cancelled_at=at, status_changed_at=at
        )


class RecurringDonation(models.Model):
    """A monthly or annual gift, as the provider's subscription."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Incomplete")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Past due")
        CANCELLED = "cancelled", _("Cancelled")

    # Still giving: the donor can change or cancel it, and the purge keeps the donor.
    LIVE = (Status.ACTIVE, Status.PAST_DUE)

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="recurring")
    amount_minor = models.PositiveIntegerField(verbose_name=_("amount"))
    currency = models.CharField(max_length=3)
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES[1:])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INCOMPLETE)
    provider = models.CharField(max_length=20, default="stripe")
    provider_subscription_id = models.CharField(max_length=100, unique=True)
    variant = models.ForeignKey(
        AppealVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The provider's time of the last status we applied: an older event never overrides it.
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = RecurringDonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recurring donation")
        verbose_name_plural = _("recurring donations")
        indexes = [models.Index(fields=["status", "currency"])]

    def __str__(self) -> str:
        return f"{self.amount_minor / 100:.2f} {self.currency.upper()} {self.frequency}"

    @property
    def monthly_minor(self) -> int:
        """What this gift is worth in a month: annual gifts count as one twelfth."""
        if self.frequency == Frequency.ANNUAL:
            return round(self.amount_minor / 12)
        return self.amount_minor

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    def is_current(self, at: datetime.datetime) -> bool:
        """Whether news from the provider dated `at` is not older than the status we hold."""
        return self.status_changed_at is None or at >= self.status_changed_at

    def set_status(self, status: str, at: datetime.datetime) -> bool:
        """Apply a status the provider reported at `at`, if it is not older than what we know.

        Returns whether the row changed (the caller saves). A status equal to the current one
        still moves status_changed_at forward, so a late older event cannot slip in between.
        """
        Status = self.Status
        if not self.is_current(at):
            return False
        leaving_cancelled = self.status == Status.CANCELLED and status != Status.CANCELLED
        if leaving_cancelled and (status != Status.ACTIVE or at == self.status_changed_at):
            return False  # only a strictly newer "active" revives a cancelled gift
        if status == Status.INCOMPLETE and self.status != Status.INCOMPLETE:
            return False
        if self.status == status and self.status_changed_at == at:
            return False
        if status == Status.CANCELLED and self.status != Status.CANCELLED:
            self.cancelled_at = at
        elif status != Status.CANCELLED:
            self.cancelled_at = None
        self.status = status
        self.status_changed_at = at
        return True

    def extend_period(self, period_end: datetime.datetime | None) -> bool:
        """Move the paid-for period's end forward (the caller saves); periods never go back, so
        the latest end wins whatever order events come in."""
        if period_end is None:
            return False
        if self.current_period_end is not None and period_end <= self.current_period_end:
            return False
        self.current_period_end = period_end
        return True

    def cancel(self, at: datetime.datetime) -> None:
        """Cancel this gift here, as of `at` (the donor stopped it; the provider agreed)."""
        if RecurringDonation.objects.filter(pk=self.pk).cancel(at):
            self.status = self.Status.CANCELLED
            self.cancelled_at = self.status_changed_at = at


class DonationQuerySet(models.QuerySet):
    """Payments in the newsroom's words: `.paid().one_time().in_month(today)`. Each filter has
    its `_q()` for use inside other filters, as wagtail's `live()` and `live_q()`."""

    def paid_q(self) -> Q:
        return Q(status=self.model.Status.PAID)

    def paid(self) -> DonationQuerySet:
        return self.filter(self.paid_q())

    def was_paid_q(self) -> Q:
        return Q(status__in=self.model.WAS_PAID)

    def was_paid(self) -> DonationQuerySet:
        """Paid, even if given back since."""
        return self.filter(self.was_paid_q())

    def pending_q(self) -> Q:
        return Q(status=self.model.Status.PENDING)

    def pending(self) -> DonationQuerySet:
        return self.filter(self.pending_q())

    def one_time_q(self) -> Q:
        return Q(frequency=Frequency.ONCE)

    def one_time(self) -> DonationQuerySet:
        return self.filter(self.one_time_q())

    def recurring(self) -> DonationQuerySet:
        """Instalments of monthly and annual gifts."""
        return self.exclude(self.one_time_q())

    def in_currency(self, currency: str) -> DonationQuerySet:
        return self.filter(currency=currency)

    def paid_between(self, start: datetime.datetime, end: datetime.datetime) -> DonationQuerySet:
        """Paid from `start` up to, not including, `end`."""
        return self.filter(paid_at__gte=start, paid_at__lt=end)

    def in_month(self, day: datetime.date) -> DonationQuerySet:
        """Paid in `day`'s month up to and including `day` (in the current time zone)."""
        start = timezone.make_aware(datetime.datetime(day.year, day.month, 1))
        return self.filter(paid_at__gte=start, paid_at__date__lte=day)


class Donation(models.Model):
    """One payment: a one-time gift, or one instalment of a recurring gift."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")

    # Money that came in, whether or not it was given back since.
    WAS_PAID = (Status.PAID, Status.REFUNDED)

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations")
    recurring = models.ForeignKey(
        RecurringDonation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    amount_minor = models.PositiveIntegerField(verbose_name=_("amount"))
    currency = models.CharField(max_length=3)
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    provider = models.CharField(max_length=20, default="stripe")
    # The provider's payment (one-time) or invoice (recurring) id; empty until it answers.
    provider_payment_id = models.CharField(max_length=100, blank=True)
    # The provider's customer that paid: a checkout makes a new one, so a donor who gave more
    # than once has several, and an erasure must delete every one (privacy.erase_donor).
    provider_customer_id = models.CharField(max_length=100, blank=True)
    # One checkout submit = one key: a double click or a retried request never pays twice.
    idempotency_key = models.CharField(max_length=64, unique=True, default=uuid.uuid4)
    variant = models.ForeignKey(
        AppealVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    # How the reader asked to be known at this checkout: the donor's record takes it only once
    # this gift is paid (ledger._known_as_chosen), so an unpaid checkout changes no donor.
    # The name is encrypted like the donor's and emptied once applied; None: no checkout.
    checkout_name = EncryptedTextField(blank=True, default="", editable=False)
    checkout_anonymous = models.BooleanField(null=True, blank=True, editable=False)
    checkout_language = models.CharField(max_length=10, blank=True, editable=False)

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"],
                condition=~Q(provider_payment_id=""),
                name="one_donation_per_provider_payment",
            )
        ]
        indexes = [models.Index(fields=["status", "paid_at"])]

    def __str__(self) -> str:
        return (
            f"{self.amount_minor / 100:.2f} {self.currency.upper()} ({self.get_status_display()})"
        )

    # The moves a payment makes, as the provider reports them: pending -> paid or failed,
    # failed -> paid (the provider is the truth), paid -> refunded. Paid never goes back to
    # failed and refunded is final. Each returns whether anything changed; save=False leaves
    # the writing to the caller (the chain watcher writes its rows together).

    def mark_paid(self, at: datetime.datetime, *, save: bool = True) -> bool:
        if self.status in self.WAS_PAID:
            return False
        self.status = self.Status.PAID
        self.paid_at = at
        self.failure_message = ""
        if save:
            self.save(update_fields=["status", "paid_at", "failure_message"])
        return True

    def mark_failed(self, message: str) -> bool:
        if self.status not in (self.Status.PENDING, self.Status.FAILED):
            return False
        message = message[:300]
        if self.status == self.Status.FAILED and self.failure_message == message:
            return False
        self.status = self.Status.FAILED
        self.failure_message = message
        self.save(update_fields=["status", "failure_message"])
        return True

    def refund(self, at: datetime.datetime) -> bool:
        if self.status != self.Status.PAID:
            return False
        self.status = self.Status.REFUNDED
        self.refunded_at = at
        self.save(update_fields=["status", "refunded_at"])
        return True

    def mark_unconfirmed(self, *, save: bool = True) -> bool:
        """Paid -> pending: a chain reorganisation took the payment's confirmations away."""
        if self.status != self.Status.PAID:
            return False
        self.status = self.Status.PENDING
        self.paid_at = None
        if save:
            self.save(update_fields=["status", "paid_at"])
        return True

    def claim_payment(self, payment_id: str) -> None:
        """Give this donation its provider payment id, once."""
        if not payment_id or self.provider_payment_id == payment_id:
            return
        if self.provider_payment_id:
            logger.warning(
                "Donation %s is %s, not %s", self.pk, self.provider_payment_id, payment_id
            )
            return
        taken = (
            Donation.objects.filter(provider=self.provider, provider_payment_id=payment_id)
            .exclude(pk=self.pk)
            .exists()
        )
        if taken:
            logger.error("Payment %s is already recorded on another donation", payment_id)
            return
        self.provider_payment_id = payment_id
        self.save(update_fields=["provider_payment_id"])

    def note_customer(self, customer_id: str) -> None:
        """Remember the provider's customer behind this payment, paid or not: each holds the
        donor's address at the provider until an erasure deletes it."""
        if customer_id and not self.provider_customer_id:
            self.provider_customer_id = customer_id
            self.save(update_fields=["provider_customer_id"])

    def link(self, recurring: RecurringDonation) -> None:
        """Make this payment an instalment of `recurring`."""
        if self.recurring_id != recurring.pk:
            self.recurring = recurring
            self.save(update_fields=["recurring"])


class DonorNotice(models.Model):
    """An e-mail sent to a donor about a recurring gift in trouble, kept so that no event,
    however often replayed, sends it twice: one per failed attempt at one invoice, and one
    "your gift has ended" per gift (support/giving/dunning.py)."""

    class Kind(models.TextChoices):
        PAYMENT_FAILED = "payment_failed", _("Payment failed")
        LAPSED = "lapsed", _("Gift ended")

    recurring = models.ForeignKey(
        RecurringDonation, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The provider's invoice and its attempt number; empty and 0 for a lapse.
    provider_payment_id = models.CharField(max_length=100, blank=True)
    attempt = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("donor notice")
        verbose_name_plural = _("donor notices")
        constraints = [
            models.UniqueConstraint(
                fields=["recurring", "kind", "provider_payment_id", "attempt"],
                name="one_notice_per_attempt",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.provider_payment_id} #{self.attempt}"
