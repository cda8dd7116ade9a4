"""What the newsroom asks for: the goal, the appeals and their figures, the donation form."""

from __future__ import annotations

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

from samizdat.payments.base import Frequency

from ..amount_fields import AmountField, MinimumAmount
from ..money import MINOR_PER_MAJOR, ZERO_DECIMAL_CURRENCIES

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
