"""Appeals and the donation form on reader pages.

base.html calls {% appeal_overlays %} (banner, modal, the browser's config and support.js) and an
article's `after_article` block calls {% end_of_article_appeal %} (the letter and the form). Both
read one per-request choice of appeals, so they always agree.
"""

from __future__ import annotations

import re

from django import template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from samizdat.newsroom import structure
from samizdat.newsroom.models import ArticlePage
from samizdat.newsroom.templatetags.newsroom_tags import newsroom_name
from samizdat.payments.base import Frequency

from ..giving.appeals import appeals_for, donation_forms, goal_shown, without_script
from ..giving.forms import donation_form_context, remind_after_days
from ..giving.methods import configured_methods
from ..giving.upsell import offer_for
from ..models import Appeal
from ..money import format_money

register = template.Library()


@register.filter
def money(amount_minor: int, currency: str) -> str:
    return format_money(amount_minor, currency)


# "Give $2 a month", "Дать 5 € в месяц", "$50 a year": an appeal's button that names an amount
# and how often opens the form with both chosen. The words are the edition's, so they are read
# from the label: the first number is the amount; "month"/"year" (and their Russian forms) the
# frequency; a label naming no amount opens the form as it is.
_LABEL_AMOUNT = re.compile(
    r"(?<!\d)(\d{1,3}(?:[ ,\xa0\u202f]\d{3})+|\d{1,7})(?:[.,](\d{1,2}))?(?!\d)"
)
_LABEL_FREQUENCIES = (
    (Frequency.MONTHLY, re.compile(r"month|мес", re.IGNORECASE)),
    (Frequency.ANNUAL, re.compile(r"year|annual|\bгод|ежегод", re.IGNORECASE)),
)


def label_choice(label: str) -> dict[str, str]:
    """The amount and frequency an appeal's button label names, as a query for the form:
    {"amount": "2", "frequency": "monthly"}, or {} when it names no amount."""
    found = _LABEL_AMOUNT.search(label or "")
    if found is None:
        return {}
    frequency = next(
        (freq.value for freq, words in _LABEL_FREQUENCIES if words.search(label)),
        Frequency.ONCE.value,
    )
    whole = re.sub(r"\D", "", found.group(1))
    amount = f"{whole}.{found.group(2)}" if found.group(2) else whole
    return {"amount": amount, "frequency": frequency}


def _page_appeals(context) -> dict | None:
    """The appeals of this article page, chosen once per request."""
    request, page = context.get("request"), context.get("page")
    if request is None or not isinstance(page, ArticlePage):
        return None
    if not hasattr(request, "_support_appeals"):
        section = page.section
        request._support_appeals = appeals_for(
            locale_id=page.locale_id,
            section_key=str(section.translation_key) if section else None,
            host=request.get_host(),
        )
    return request._support_appeals


@register.inclusion_tag("support/upsell.html")
def upsell_offer(donation) -> dict:
    """The thank-you page's "make it monthly" offer after a one-time card gift (upsell.py)."""
    return {"offer": offer_for(donation)}


def checkout_origin(request) -> str:
    """Where support forms and counters go from this page: '' for this site itself.

    A static mirror cannot take a gift, so the mirror export (samizdat/reach/mirror/) renders
    its pages with the reachable address of the running site (SAMIZDAT_CHECKOUT_URL) in this
    WSGI key, which no HTTP header can set.
    """
    return request.META.get("samizdat.checkout_origin", "") if request is not None else ""


@register.simple_tag(takes_context=True)
def support_url(context, name: str) -> str:
    """{% url name %}, on the checkout origin when the page is rendered for a static mirror."""
    return checkout_origin(context.get("request")) + reverse(name)


@register.filter
def appeal_rules(appeal) -> str:
    """data-audience="new" data-min="3" …: who an appeal is for, for support.js to check."""
    return flatatt(appeal.rules)


def _support_url(appeals: dict, variant, origin: str = "") -> str:
    """Where an appeal's button leads: the end-of-article form on this page, or the support
    page. A button that names an amount leads to the support page with it chosen (without
    JavaScript the form on this page cannot be set; support.js sets it and stays here)."""
    choice = label_choice(variant.button_label)
    if Appeal.Kind.END_OF_ARTICLE in appeals and not choice:
        return "#support"
    return f"{origin}{reverse('support:support')}?{urlencode({'variant': variant.id, **choice})}"


@register.simple_tag(takes_context=True)
def appeal_overlays(context) -> str:
    """The top banner and the modal, hidden until support.js picks a variant to show."""
    appeals = _page_appeals(context)
    if not appeals:
        return ""
    origin = checkout_origin(context.get("request"))
    # The same for every page showing these appeals: a whole-site render (the static mirror)
    # makes them once per process (structure.snapshot); a reader's request every time.
    shown = tuple((kind, tuple(a.id for a in tried)) for kind, tried in appeals.items())
    return structure.remembered(
        ("appeal-overlays", shown, origin, get_language()),
        lambda: _render_overlays(context, appeals, origin),
    )


def _render_overlays(context, appeals: dict, origin: str) -> str:
    config = {
        "appeals": [
            {
                "id": appeal.id,
                "kind": kind,
                "snooze": appeal.snooze_days,
                "variants": [[v.id, v.weight] for v in appeal.variants],
            }
            for kind, tried in appeals.items()
            for appeal in tried
        ],
        "remindDays": remind_after_days(),
        "stats": origin + reverse("support:stats"),
        # Where an appeal's button leads when this browser is not shown the end-of-article one.
        "page": origin + reverse("support:support"),
    }
    needs_goal = any(a.show_goal for tried in appeals.values() for a in tried)
    overlays = {}
    for kind in (Appeal.Kind.BANNER, Appeal.Kind.MODAL):
        overlays[kind.value] = [
            {
                "appeal": appeal,
                "variants": [(v, _support_url(appeals, v, origin)) for v in appeal.variants],
            }
            for appeal in appeals.get(kind, ())
        ]
    return render_to_string(
        "support/overlays.html",
        {
            "banners": overlays["banner"],
            "modals": overlays["modal"],
            "config": config,
            "goal": needs_goal and goal_shown(),
        },
        request=context.get("request"),
    )


# The end-of-article letter and form are the same on every article that shows the same appeal,
# but for the article's id in one hidden field: rendered once, with this in its place, per
# process and per everything they are made of (the key below), then copied. The key holds the
# content itself (appeal copy, form settings, goal, language, checkout origin), not a version
# number, so an entry can never show outdated copy; it only stops being asked for.
_PAGE_ID_PLACEHOLDER = "\x00samizdat-page-id\x00"
_LETTERS: dict[tuple, str] = {}
_LETTERS_KEPT = 64


def _forms_signature() -> str:
    """What the donation form settings say, as a string fit for a key."""
    return repr(
        [
            sorted((k, v) for k, v in vars(form).items() if not k.startswith("_"))
            for form in donation_forms()
        ]
        # The methods the form lists are those configured now (tests change them).
        + [m.key for m in configured_methods()]
    )


@register.simple_tag(takes_context=True)
def end_of_article_appeal(context) -> str:
    """ "A message from <newsroom>": the letter, the goal, the donation form, Remind me later."""
    appeals = _page_appeals(context)
    tried = (appeals or {}).get(Appeal.Kind.END_OF_ARTICLE)
    if not tried:
        return ""
    request = context.get("request")
    goal = any(a.show_goal for a in tried) and goal_shown()
    newsroom = newsroom_name(context)
    key = (
        tried,
        goal,
        newsroom,
        get_language(),
        checkout_origin(request),
        remind_after_days(),
        _forms_signature(),
    )
    letter = _LETTERS.get(key)
    if letter is None:
        letter = _render_letter(tried, goal, newsroom, request)
        if len(_LETTERS) >= _LETTERS_KEPT:
            _LETTERS.clear()
        _LETTERS[key] = letter
    return mark_safe(letter.replace(_PAGE_ID_PLACEHOLDER, str(context["page"].pk)))


def _render_letter(tried, goal: bool, newsroom: str, request) -> str:
    shown = without_script(tried)
    form_context = donation_form_context(
        variant_id=shown.first_variant.id, page_id=_PAGE_ID_PLACEHOLDER
    )
    if form_context["gf"] is None:
        return ""
    return render_to_string(
        "support/end_of_article.html",
        {
            **form_context,
            "appeals": tried,
            "shown": shown,
            "goal": goal,
            "newsroom": newsroom,
        },
        request=request,
    )
