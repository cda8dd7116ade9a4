"""Reader revenue: what the newsroom asks for, and what readers gave.

Money is always an integer of minor units (cents, kopecks) with a lower-case ISO 4217 code.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, TranslatableMixin

from samizdat.core.crypto import EncryptedTextField
from samizdat.payments.base import Frequency

from .amount_fields import AmountField, MinimumAmount
from .money import MINOR_PER_MAJOR, ZERO_DECIMAL_CURRENCIES

FREQUENCY_CHOICES = [
    (Frequency.ONCE.value, _("Once")),
    (Frequency.MONTHLY.value, _("Monthly")),
    (Frequency.ANNUAL.value, _("Annual")),
]


class Campaign(models.Model):
    """The monthly funding goal readers see: "$6,420 of $10,000 this month"."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    goal_minor = AmountField(
        verbose_name=_("monthly goal"),
        help_text=_("In the campaign's currency: 10000 for a goal of $10,000."),
        validators=[MinimumAmount(100)],
    )
    currency = models.CharField(max_length=3, default="usd", verbose_name=_("currency"))
    active = models.BooleanField(default=True, verbose_name=_("active"))

    panels = [
        FieldPanel("name"),
        FieldPanel("goal_minor"),
        FieldPanel("currency"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            # Readers see one goal at a time.
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.currency = self.currency.lower()


class Appeal(TranslatableMixin, ClusterableModel):
    """A way of asking: a modal, the end-of-article letter or a banner, in one language."""

    class Kind(models.TextChoices):
        MODAL = "modal", _("Modal over the page")
        END_OF_ARTICLE = "end_of_article", _("End-of-article appeal")
        BANNER = "banner", _("Top banner")

    name = models.CharField(max_length=200, verbose_name=_("internal name"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    live = models.BooleanField(default=True, verbose_name=_("live"))
    starts_at = models.DateTimeField(null=True, blank=True, verbose_name=_("shows from"))
    ends_at = models.DateTimeField(null=True, blank=True, verbose_name=_("shows until"))
    sections = models.ManyToManyField(
        "newsroom.SectionPage",
        blank=True,
        related_name="+",
        verbose_name=_("only in sections"),
        help_text=_("Leave empty to show everywhere."),
    )
    domains = models.CharField(
        max_length=500,
        blank=True,
        verbose_name=_("only on domains"),
        help_text=_("Comma-separated host names. Leave empty for every domain."),
    )
    snooze_days = models.PositiveSmallIntegerField(
        default=7,
        verbose_name=_("days it stays away once closed"),
    )
    show_goal = models.BooleanField(default=True, verbose_name=_("show the goal's progress"))

    # Who sees it: decided in the reader's browser from what it remembers (support.js), never
    # sent anywhere; the page carries these as data attributes (appeals.AppealCopy.rules).
    class Audience(models.TextChoices):
        EVERYONE = "", _("Everyone (current donors: see below)")
        NEW = "new", _("Readers who have not given")
        LAPSED = "lapsed", _("Lapsed donors")
        DONORS = "donor", _("Current donors")

    class DonorsSee(models.TextChoices):
        NOTHING = "hide", _("Nothing: the appeal is hidden from them")
        THANKS = "thanks", _("The thank-you below, instead of the appeal")

    class Visit(models.TextChoices):
        ANY = "", _("Any visit")
        FIRST = "first", _("First visit only")
        RETURNING = "returning", _("Returning readers only")

    audience = models.CharField(
        max_length=10, blank=True, default="", choices=Audience.choices, verbose_name=_("readers")
    )
    donors_see = models.CharField(
        max_length=10,
        default=DonorsSee.NOTHING,
        choices=DonorsSee.choices,
        verbose_name=_("what current donors see"),
        help_text=_(
            "A browser counts as a donor's once a gift made in it is paid, or once the donor "
            "opens their link to manage gifts there."
        ),
    )
    thanks_headline = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("thank-you headline"),
        help_text=_("e.g. Thank you for keeping us going"),
    )
    thanks_text = RichTextField(
        features=["bold", "italic", "link"], blank=True, verbose_name=_("thank-you text")
    )
    visit = models.CharField(
        max_length=10,
        blank=True,
        default="",
        choices=Visit.choices,
        verbose_name=_("visit"),
        help_text=_("A visit ends after 30 minutes without reading."),
    )
    sources = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("only for readers arriving from"),
        help_text=_(
            "utm_source values, comma-separated (e.g. newsletter): the appeal shows during a "
            "visit that began at a link carrying one. Leave empty for everyone."
        ),
    )
    min_articles = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("from the reader's article number"),
        help_text=_("Articles read this month in that browser, this one included."),
    )
    max_articles = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("up to article number")
    )
    per_week = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("show at most this many times a week"),
        help_text=_("Per browser, over the last seven days. Leave empty for no limit."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("live"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("sections"),
        FieldPanel("domains"),
        FieldRowPanel([FieldPanel("snooze_days"), FieldPanel("show_goal")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("audience"), FieldPanel("visit")]),
                FieldPanel("sources"),
                FieldRowPanel(
                    [
                        FieldPanel("min_articles"),
                        FieldPanel("max_articles"),
                        FieldPanel("per_week"),
                    ]
                ),
            ],
            heading=_("Who sees it (decided in the reader's browser)"),
        ),
        MultiFieldPanel(
            [FieldPanel("donors_see"), FieldPanel("thanks_headline"), FieldPanel("thanks_text")],
            heading=_("Current donors"),
        ),
        InlinePanel("variants", label=_("Variants (A/B)"), min_num=1),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return self.name

    @property
    def domain_list(self) -> list[str]:
        return [d.strip().lower() for d in self.domains.split(",") if d.strip()]

    @property
    def source_list(self) -> list[str]:
        return [s.strip().lower() for s in self.sources.split(",") if s.strip()]

    def clean(self) -> None:
        errors = {}
        if self.donors_see == self.DonorsSee.THANKS:
            if self.audience:
                errors["donors_see"] = _(
                    "Only an appeal for everyone can thank current donors: the readers chosen "
                    "above do not include them."
                )
            elif not self.thanks_headline.strip():
                errors["thanks_headline"] = _("Write the thank-you current donors will see.")
        if self.min_articles and self.max_articles and self.max_articles < self.min_articles:
            errors["max_articles"] = _("This cannot be below the first article number.")
        if any(not s.replace("-", "").replace("_", "").isalnum() for s in self.source_list):
            errors["sources"] = _("Letters, digits, - and _ only, separated by commas.")
        if errors:
            raise ValidationError(errors)

    def is_showing(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.live
            and (self.starts_at is None or self.starts_at <= now)
            and (self.ends_at is None or now < self.ends_at)
        )


class AppealVariant(Orderable):
    """One wording of an appeal; readers are split between variants at random in the browser."""

    appeal = ParentalKey(Appeal, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(max_length=20, default="A", verbose_name=_("label"))
    headline = models.CharField(
        max_length=200, verbose_name=_("headline"), help_text=_("e.g. Enjoying ad-free journalism?")
    )
    body = RichTextField(
        features=["bold", "italic", "link"],
        verbose_name=_("text"),
        help_text=_("Your reason, or your letter to readers."),
    )
    button_label = models.CharField(
        max_length=60, default=_("Support us"), verbose_name=_("button label")
    )
    weight = models.PositiveSmallIntegerField(default=1, verbose_name=_("share of readers"))

    panels = [
        FieldPanel("label"),
        FieldPanel("headline"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("button_label"), FieldPanel("weight")]),
    ]

    def __str__(self) -> str:
        return f"{self.appeal.name} · {self.label}"


class DonationForm(models.Model):
    """What the donation form offers in one currency."""

    currency = models.CharField(max_length=3, unique=True, verbose_name=_("currency"))
    is_default = models.BooleanField(default=False, verbose_name=_("default currency"))
    offer_once = models.BooleanField(default=True, verbose_name=_("offer Once"))
    offer_monthly = models.BooleanField(default=True, verbose_name=_("offer Monthly"))
    offer_annual = models.BooleanField(default=True, verbose_name=_("offer Annual"))
    default_frequency = models.CharField(
        max_length=10,
        choices=FREQUENCY_CHOICES,
        default=Frequency.MONTHLY.value,
        verbose_name=_("selected at first"),
    )
    amounts_once = models.CharField(
        max_length=200, default="10,25,50,100", verbose_name=_("suggested amounts, once")
    )
    amounts_monthly = models.CharField(
        max_length=200, default="5,10,20,50", verbose_name=_("suggested amounts, monthly")
    )
    amounts_annual = models.CharField(
        max_length=200, default="50,100,200,500", verbose_name=_("suggested amounts, annual")
    )
    minimum_minor = AmountField(
        default=200,
        verbose_name=_("minimum"),
        help_text=_("In the form's currency, like 2 or 2.50."),
        validators=[MinimumAmount(1)],
    )
    maximum_minor = AmountField(
        default=1_000_000,
        verbose_name=_("maximum"),
        help_text=_("Larger gifts are refused online; large donors talk to the newsroom."),
    )
    # {"ru": {"methods": ["monero", "bitcoin", "card"], "why": "…"}}: per edition (language),
    # the methods in the order its editors chose and one line on why. The keys are those of
    # PaymentMethod; what readers see is always cut down to what is configured (methods.py).
    methods_by_edition = models.JSONField(
        default=dict, blank=True, verbose_name=_("payment methods, per edition")
    )

    panels = [
        FieldRowPanel([FieldPanel("currency"), FieldPanel("is_default")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("offer_once"),
                        FieldPanel("offer_monthly"),
                        FieldPanel("offer_annual"),
                    ]
                ),
                FieldPanel("default_frequency"),
            ],
            heading=_("Frequencies"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("amounts_once"),
                FieldPanel("amounts_monthly"),
                FieldPanel("amounts_annual"),
            ],
            heading=_("Suggested amounts (whole units, comma-separated)"),
        ),
        FieldRowPanel([FieldPanel("minimum_minor"), FieldPanel("maximum_minor")]),
        FieldPanel("methods_by_edition"),
    ]

    class Meta:
        verbose_name = _("donation form")
        verbose_name_plural = _("donation forms")
        ordering = ["-is_default", "currency"]

    def __str__(self) -> str:
        return self.currency.upper()

    def clean(self) -> None:
        self.currency = self.currency.strip().lower()
        if not (len(self.currency) == 3 and self.currency.isascii() and self.currency.isalpha()):
            raise ValidationError({"currency": _("Use the three-letter ISO code, like USD.")})
        if self.currency in ZERO_DECIMAL_CURRENCIES:
            # Readers' amounts count 100 minor units to the unit (money.py): in yen the form
            # would charge a hundred times what the reader typed.
            raise ValidationError(
                {"currency": _("Donation forms take currencies with cents only, for now.")}
            )
        # None: what was typed is not an amount, and its field says so.
        limits = self.minimum_minor is not None and self.maximum_minor is not None
        if limits and self.maximum_minor < self.minimum_minor:
            raise ValidationError({"maximum_minor": _("The maximum cannot be below the minimum.")})
        if self.default_frequency not in self.frequencies:
            raise ValidationError(
                {"default_frequency": _("Offer the frequency selected at first.")}
            )
        for frequency in self.frequencies:
            try:
                amounts = self.suggested_minor(frequency)
            except ValueError as exc:
                raise ValidationError(
                    {f"amounts_{frequency}": _("Write whole amounts separated by commas.")}
                ) from exc
            if limits and any(a < self.minimum_minor or a > self.maximum_minor for a in amounts):
                raise ValidationError(
                    {
                        f"amounts_{frequency}": _(
                            "Every amount must be between the minimum and maximum."
                        )
                    }
                )

    @property
    def frequencies(self) -> list[str]:
        return [
            value
            for value, offered in (
                (Frequency.ONCE.value, self.offer_once),
                (Frequency.MONTHLY.value, self.offer_monthly),
                (Frequency.ANNUAL.value, self.offer_annual),
            )
            if offered
        ]

    def suggested_minor(self, frequency: str) -> list[int]:
        raw = getattr(self, f"amounts_{frequency}")
        return [int(part.strip()) * MINOR_PER_MAJOR for part in raw.split(",") if part.strip()]

    def edition_choice(self, language: str) -> tuple[list[str], str]:
        """The method keys this edition's editors chose, in their order, and their why-line."""
        chosen = (self.methods_by_edition or {}).get(language) or {}
        methods = [str(key) for key in chosen.get("methods") or [] if key]
        return methods, str(chosen.get("why") or "").strip()


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
            # Data requests (privacy_views.py): not granted to the Revenue team by default.
            ("export_donor", _("Can look up a donor and export their data")),
            ("erase_donor", _("Can erase a donor's personal data")),
        ]

    def __str__(self) -> str:
        return _("Anonymous donor") if self.anonymous else (self.name or self.email)


class RecurringDonation(models.Model):
    """A monthly or annual gift, as the provider's subscription."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Incomplete")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Past due")
        CANCELLED = "cancelled", _("Cancelled")

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


class Donation(models.Model):
    """One payment: a one-time gift, or one instalment of a recurring gift."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")

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


class DonorNotice(models.Model):
    """An e-mail sent to a donor about a recurring gift in trouble, kept so that no event,
    however often replayed, sends it twice: one per failed attempt at one invoice, and one
    "your gift has ended" per gift (support/dunning.py)."""

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


class AppealStat(models.Model):
    """Daily counters per appeal variant. Never per reader: no cookie, no IP, no id."""

    day = models.DateField()
    variant = models.ForeignKey(AppealVariant, on_delete=models.CASCADE, related_name="stats")
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("appeal statistics")
        verbose_name_plural = _("appeal statistics")
        constraints = [models.UniqueConstraint(fields=["day", "variant"], name="one_stat_per_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.variant_id}: {self.impressions}/{self.clicks}/{self.completed}"

    @classmethod
    def count(cls, variant_id: int, field: str, day=None) -> None:
        day = day or timezone.localdate()
        row, _created = cls.objects.get_or_create(day=day, variant_id=variant_id)
        cls.objects.filter(pk=row.pk).update(**{field: F(field) + 1})


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


def _new_reference() -> str:
    return uuid.uuid4().hex


class ExchangeRate(models.Model):
    """What one coin is worth in a currency, as the newsroom set it: the amount a payment
    request asks for, and the value a payment to an address is recorded at."""

    coin = models.CharField(max_length=10, verbose_name=_("coin"))  # "xmr", "btc"
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    # Minor units of the currency for one whole coin: 15000 = $150.00 per XMR.
    minor_per_coin = models.PositiveBigIntegerField(verbose_name=_("value of one coin"))
    set_at = models.DateTimeField(default=timezone.now, verbose_name=_("set at"))
    set_by = models.CharField(max_length=150, blank=True, verbose_name=_("set by"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("source"))

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["coin", "currency", "-set_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minor_per_coin__gt=0), name="exchange_rate_above_zero"
            )
        ]

    def __str__(self) -> str:
        return f"1 {self.coin.upper()} = {self.minor_per_coin / 100:.2f} {self.currency.upper()}"


class PaymentRequest(models.Model):
    """A gift to be paid to a fresh address: what the reader was asked to send, and what came.

    Its donation is created pending with the request and is paid once a transfer to the address
    has the provider's confirmations; its amount is then the value of what arrived (at the
    request's rate), so an under- or over-payment is recorded as it is.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for payment")
        SEEN = "seen", _("Seen, waiting for confirmations")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")

    donation = models.OneToOneField(
        Donation, on_delete=models.PROTECT, related_name="payment_request"
    )
    # A random reference in the status page's signed link: the page never shows an id.
    reference = models.CharField(max_length=32, unique=True, default=_new_reference)
    provider = models.CharField(max_length=20)  # "monero", "bitcoin"
    coin = models.CharField(max_length=10)
    address = models.CharField(max_length=120, db_index=True)
    address_index = models.PositiveIntegerField()
    amount_atomic = models.PositiveBigIntegerField()  # what the reader was asked to send
    received_atomic = models.PositiveBigIntegerField(default=0)  # confirmed, all transfers
    seen_atomic = models.PositiveBigIntegerField(default=0)  # not yet confirmed
    rate = models.ForeignKey(ExchangeRate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["provider", "status"])]
        constraints = [
            # An address serves one open request at a time; an expired, unpaid one may be
            # handed out again (Bitcoin's gap limit), so the rule holds only while it is open.
            models.UniqueConstraint(
                fields=["provider", "address"],
                condition=Q(status__in=["open", "seen"]),
                name="one_open_request_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.coin.upper()} {self.address[:12]}… ({self.get_status_display()})"


class ChainTransfer(models.Model):
    """One transfer to a payment request's address, as the watcher last saw it. One row per
    (provider, txid, address): a replayed detection run finds it and changes nothing."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="transfers")
    provider = models.CharField(max_length=20)
    txid = models.CharField(max_length=100)
    address = models.CharField(max_length=120)
    amount_atomic = models.PositiveBigIntegerField()
    confirmations = models.PositiveIntegerField(default=0)
    confirmed = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # False once the chain stopped showing it (a reorganisation dropped it from its block and
    # the pool): it counts for nothing until it comes back.
    present = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("chain transfer")
        verbose_name_plural = _("chain transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "txid", "address"], name="one_row_per_transfer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.txid[:12]}… → {self.address[:12]}… ({self.confirmations})"


class CardTestingEpisode(models.Model):
    """A time the card-testing defence acted (support/cardtesting.py): for the newsroom to see in
    the admin. Counts only: nothing about who made the attempts."""

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
