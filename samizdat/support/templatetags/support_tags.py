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
from samizdat.newsroom.templatetags.newsroom_tags import newsroom_name

from ..appeals import donation_forms, goal_shown, without_script
from ..donation_form import donation_form_context, label_choice, page_appeals, remind_after_days
from ..methods import configured_methods
from ..models import Appeal
from ..money import format_money
from ..upsell import offer_for

# What an <input type="number"> may hold: a "valid floating-point number".
HTML_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")

register = template.Library()


@register.filter
def money(amount_minor: int, currency: str) -> str:
    return format_money(amount_minor, currency)


@register.inclusion_tag("support/upsell.html")
def upsell_offer(donation) -> dict:
    """The thank-you page's "make it monthly" offer after a one-time card gift (upsell.py)."""
    return {"offer": offer_for(donation)}


def checkout_origin(request) -> str:
    """Where support forms and counters go from this page: '' for this site itself.

    A static mirror cannot take a gift, so the mirror export (samizdat/reach/mirror.py) renders
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
    appeals = page_appeals(context)
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
    appeals = page_appeals(context)
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
