"""Which appeals a reader's page carries.

The server renders every candidate's variants with their rules as data attributes; the browser
(support.js, localStorage) picks what to show. Nothing here depends on who reads, so the page
can be cached for everyone. Appeals, forms and the goal's progress are cached under generations
of their own (apps.py wires what moves them; "appeals" also follows the site's structure).
Pages show only a frame of the goal (giving/views.py: goal), so a gift changes no page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone
from wagtail.rich_text import expand_db_html

from samizdat.core import generations
from samizdat.newsroom.models import SectionPage

from ..models import Appeal, Campaign, Donation, DonationForm
from .goals import Progress, current_progress

CACHE_SECONDS = 60
APPEALS, FORMS, PROGRESS = "appeals", "forms", "progress"
_NO_CAMPAIGN = "none"


@dataclass(frozen=True)
class VariantCopy:
    id: int
    label: str
    headline: str
    body: str  # HTML with internal links already expanded
    button_label: str
    weight: int


@dataclass(frozen=True)
class AppealCopy:
    id: int
    kind: str
    snooze_days: int
    show_goal: bool
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    section_keys: frozenset[str]  # translation keys: a translated appeal keeps its sections
    domains: tuple[str, ...]
    variants: tuple[VariantCopy, ...]
    audience: str = ""
    thanks_headline: str = ""  # set only when current donors see a thank-you
    thanks_text: str = ""
    visit: str = ""
    sources: tuple[str, ...] = ()
    min_articles: int | None = None
    max_articles: int | None = None
    per_week: int | None = None

    def is_showing(self, now: datetime.datetime) -> bool:
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or now < self.ends_at
        )

    def fits(self, section_key: str | None, host: str) -> bool:
        if self.section_keys and section_key not in self.section_keys:
            return False
        return not self.domains or host in self.domains

    @property
    def specificity(self) -> int:
        """An appeal written for this section or domain beats one written for everywhere."""
        return bool(self.section_keys) + bool(self.domains)

    @property
    def rules(self) -> dict[str, str]:
        """What the browser checks before showing it, as data-* attributes (support.js)."""
        rules = {
            "data-audience": self.audience,
            "data-visit": self.visit,
            "data-from": " ".join(self.sources),
            "data-min": self.min_articles,
            "data-max": self.max_articles,
            "data-week": self.per_week,
        }
        found = {name: str(value) for name, value in rules.items() if value}
        if self.thanks_headline:
            found["data-donors"] = "thanks"
        return found

    @property
    def targeted(self) -> bool:
        """Written for some readers only (beyond what current donors see)."""
        return bool(set(self.rules) - {"data-donors"})

    @property
    def reaches_donors(self) -> bool:
        return self.audience == "donor" or (not self.audience and bool(self.thanks_headline))

    @property
    def for_unknown_reader(self) -> bool:
        """Could be what a browser that remembers nothing sees (or one without JavaScript)."""
        return self.audience in ("", "new") and self.visit != "returning" and not self.sources

    @property
    def first_variant(self) -> VariantCopy:
        return self.variants[0]


def _load(locale_id: int) -> list[AppealCopy]:
    appeals = (
        Appeal.objects.filter(locale_id=locale_id, live=True)
        .prefetch_related(
            "variants",
            Prefetch("sections", queryset=SectionPage.objects.only("id", "translation_key")),
        )
        .order_by("-pk")
    )
    found = []
    for appeal in appeals:
        # A variant with no share of readers is paused; an appeal with none left shows nothing.
        variants = tuple(
            VariantCopy(
                id=v.pk,
                label=v.label,
                headline=v.headline,
                body=expand_db_html(v.body),
                button_label=v.button_label,
                weight=v.weight,
            )
            for v in sorted(appeal.variants.all(), key=lambda v: (v.sort_order or 0, v.pk))
            if v.weight > 0
        )
        if not variants:
            continue
        thanks = appeal.donors_see == Appeal.DonorsSee.THANKS and not appeal.audience
        found.append(
            AppealCopy(
                id=appeal.pk,
                kind=appeal.kind,
                snooze_days=appeal.snooze_days,
                show_goal=appeal.show_goal,
                starts_at=appeal.starts_at,
                ends_at=appeal.ends_at,
                section_keys=frozenset(str(s.translation_key) for s in appeal.sections.all()),
                domains=tuple(appeal.domain_list),
                variants=variants,
                audience=appeal.audience,
                thanks_headline=appeal.thanks_headline if thanks else "",
                thanks_text=expand_db_html(appeal.thanks_text) if thanks else "",
                visit=appeal.visit,
                sources=tuple(appeal.source_list),
                min_articles=appeal.min_articles or None,
                max_articles=appeal.max_articles,
                per_week=appeal.per_week,
            )
        )
    return found


def register() -> None:
    generations.register(APPEALS, depends_on=["structure"])
    generations.register(FORMS)
    generations.register(PROGRESS)


def _cached(name: str, generation: str, compute):
    # A whole-site render (generations.snapshot) asks once per process, and each page still
    # counts as showing what it reads: the export renders again what shows a changed appeal.
    generations.note_read(generation)
    return generations.remembered(("support", name), lambda: _from_cache(name, generation, compute))


def _key(name: str, generation: str) -> str:
    return f"samizdat:support:{name}:{generations.current(generation)}"


def prefetch_for_page(locale_id: int) -> None:
    """Read which appeals a reader's page carries (its language's, and whether a campaign
    runs) in one round trip; what is missing is computed when it is asked for. Not the
    donation forms: a page that reads their generation is forgotten when they change."""
    memo = generations.request_memo()
    if memo is None:
        return
    keys = [_key(f"appeals:{locale_id}", APPEALS), _key("campaign", APPEALS)]
    wanted = [key for key in keys if key not in memo.values]
    if wanted:
        found = cache.get_many(wanted)
        memo.values.update({key: value for key, value in found.items() if value is not None})


def _from_cache(name: str, generation: str, compute):
    """The cache's value for `name` under its generation, read once per request."""
    key = _key(name, generation)
    memo = generations.request_memo()
    if memo is not None and key in memo.values:
        return memo.values[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    if memo is not None:
        memo.values[key] = value
    return value


def live_appeals(locale_id: int) -> list[AppealCopy]:
    return _cached(f"appeals:{locale_id}", APPEALS, lambda: _load(locale_id))


def goal_shown() -> bool:
    """Whether pages show the goal (a campaign is active): its figure is in the goal's frame."""
    return _cached("campaign", APPEALS, Campaign.objects.filter(active=True).exists)


def appeals_for(
    *,
    locale_id: int,
    section_key: str | None,
    host: str,
    now: datetime.datetime | None = None,
) -> dict[str, tuple[AppealCopy, ...]]:
    """The candidate appeals of each kind (modal, banner, end_of_article) this page carries, in
    the order the browser tries them: it shows the first whose rules fit it."""
    now = now or timezone.now()
    host = host.split(":")[0].lower()
    chosen: dict[str, list[AppealCopy]] = {}
    covered: set[tuple[str, str]] = set()  # (kind, "donors" or "others") every browser of
    candidates = [
        a for a in live_appeals(locale_id) if a.is_showing(now) and a.fits(section_key, host)
    ]
    # Most specific first (section, domain, then rules on who sees it), then the newest:
    # sorted() is stable over the newest-first list.
    for appeal in sorted(candidates, key=lambda a: (-a.specificity, not a.targeted)):
        reaches = {"donors"} if appeal.reaches_donors else set()
        if appeal.audience != "donor":
            reaches.add("others")
        # One that no browser would get to (an earlier one takes all it could) is not sent.
        if all((appeal.kind, group) in covered for group in reaches):
            continue
        chosen.setdefault(appeal.kind, []).append(appeal)
        if not appeal.targeted or appeal.audience == "donor" and len(appeal.rules) == 1:
            covered.update((appeal.kind, group) for group in reaches)
    return {kind: tuple(appeals) for kind, appeals in chosen.items()}


def without_script(candidates: tuple[AppealCopy, ...]) -> AppealCopy:
    """The end-of-article appeal shown before the browser decides, and without JavaScript:
    the first that a reader nobody knows could be shown, preferring one for everyone."""
    open_to_all = [a for a in candidates if a.for_unknown_reader]
    untargeted = [a for a in open_to_all if not a.targeted]
    return (untargeted or open_to_all or candidates)[0]


def donation_forms() -> list[DonationForm]:
    """The donation form's settings per currency, for rendering (validation reads the database)."""
    return _cached("forms", FORMS, lambda: list(DonationForm.objects.all()))


def goal_progress() -> Progress | None:
    value = _cached("goal-progress", PROGRESS, lambda: current_progress() or _NO_CAMPAIGN)
    return None if value == _NO_CAMPAIGN else value


def forget_progress() -> None:
    """After a gift is paid (here, or in the process that took its webhook): the goal's next
    answer shows it."""
    generations.bump(PROGRESS)


COUNTED_STATUSES = frozenset({"paid", "refunded"})


def gift_changed(sender, instance, update_fields=None, **_signal_kwargs) -> None:
    """The goal moved: a one-time gift was paid or refunded, or a recurring gift started,
    changed or ended. A pending gift or a receipt sent does not count, so a checkout that is
    only started forgets nothing."""
    if sender is Donation and (
        instance.status not in COUNTED_STATUSES
        or (update_fields is not None and "status" not in update_fields)
    ):
        return
    # Inside a transaction, once more when the gift is visible to readers' requests.
    forget_progress()
