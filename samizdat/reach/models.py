"""Reach under censorship: the "How to reach us" page, and the daily counts of "most read"."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.db.models.signals import post_migrate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .domains import align_primary_site_after_migrate, alternate_urls, onion_url
from .panels import MirrorChecksPanel

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class MirrorBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Address"))
    note = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Note"),
        help_text=_("E.g. 'updated every hour' or 'works without VPN in most regions'."),
    )

    class Meta:
        icon = "link"
        label = _("Mirror")


class ReachPage(Page):
    """How to reach us: current mirrors, the onion address, the newsletter, feeds, other ways.

    One per language edition, under its home page; editors keep the list of mirrors current
    as addresses get blocked and new ones go up.
    """

    intro = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        verbose_name=_("introduction"),
        help_text=_(
            "Why readers may need another way in, and what to do when a page will not open."
        ),
    )
    mirrors = StreamField(
        [("mirror", MirrorBlock())],
        blank=True,
        verbose_name=_("current mirrors"),
        help_text=_("Copies of the site on other addresses. Remove an address once it is blocked."),
    )
    onion_text = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        verbose_name=_("about the onion address"),
        help_text=_(
            "Shown with the onion address (set by the server's SAMIZDAT_ONION_HOST), "
            "e.g. how to get Tor Browser."
        ),
    )
    other_ways = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        verbose_name=_("other ways in"),
        help_text=_("Messenger channels, an e-mail address to ask for new mirrors, and so on."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("mirrors"),
        MirrorChecksPanel(heading=_("Which mirrors answer")),
        FieldPanel("onion_text"),
        MultiFieldPanel([FieldPanel("other_ways")], heading=_("Other ways in")),
    ]

    parent_page_types = ["newsroom.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("how to reach us page")

    @property
    def language_code(self) -> str:
        return self.locale.language_code

    def onion_url(self) -> str | None:
        """This edition's home on the onion host, if the server has one."""
        return onion_url(self._edition_prefix()) or None

    def other_domains(self) -> list[str]:
        """This edition's home on every alternate domain the server answers on."""
        return alternate_urls(self._edition_prefix())

    def newsletter_url(self) -> str:
        """The newsletter sign-up page of this edition: /<lang>/newsletter/."""
        with translation.override(self.language_code):
            try:
                return reverse("newsletters:subscribe")
            except NoReverseMatch:
                return f"{self._edition_prefix()}newsletter/"

    def _edition_prefix(self) -> str:
        with translation.override(self.language_code):
            return reverse("wagtail_serve", args=("",))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            onion_url=self.onion_url(),
            other_domains=self.other_domains(),
            newsletter_url=self.newsletter_url(),
        )
        return context


class PageViewCount(models.Model):
    """How many times a page was read on a day, in all. Nothing about who read it.

    Counted by a beacon the page's script sends (samizdat/reach/pageviews.py), so a page served
    from a cache still counts; with JavaScript off nothing is counted.
    """

    day = models.DateField(verbose_name=_("day"))
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    views = models.PositiveIntegerField(default=0, verbose_name=_("views"))

    class Meta:
        verbose_name = _("page views on a day")
        verbose_name_plural = _("page views by day")
        constraints = [
            models.UniqueConstraint(fields=["day", "page"], name="one_view_count_per_page_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} page {self.page_id}: {self.views}"

    @classmethod
    def count(cls, page_id: int, day=None) -> None:
        """One more view of the page today: one UPDATE, or an INSERT for the day's first."""
        day = day or timezone.localdate()
        if cls.objects.filter(day=day, page_id=page_id).update(views=F("views") + 1):
            return
        _row, created = cls.objects.get_or_create(day=day, page_id=page_id, defaults={"views": 1})
        if not created:  # another request inserted the day's row in between
            cls.objects.filter(day=day, page_id=page_id).update(views=F("views") + 1)


class MirrorCheck(models.Model):
    """The last answer a mirror gave `samizdat mirror check` run from one place (its vantage).

    Posted back by the check with a signed report (reach/views.py), shown to editors beside
    the list of mirrors. One row per place and mirror: the latest report replaces the last.
    """

    vantage = models.CharField(max_length=100, verbose_name=_("checked from"))
    url = models.CharField(max_length=500, verbose_name=_("mirror"))
    status = models.CharField(max_length=20, verbose_name=_("result"))
    ok = models.BooleanField(default=False)
    detail = models.CharField(max_length=300, blank=True)
    build = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(null=True, blank=True, verbose_name=_("built"))
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    checked_at = models.DateTimeField(verbose_name=_("checked"))

    class Meta:
        verbose_name = _("mirror check")
        ordering = ["url", "vantage"]
        constraints = [
            models.UniqueConstraint(
                fields=["vantage", "url"], name="one_check_per_place_and_mirror"
            )
        ]

    def __str__(self) -> str:
        return f"{self.url} from {self.vantage}: {self.status}"


post_migrate.connect(align_primary_site_after_migrate, dispatch_uid="reach.align_primary_site")
