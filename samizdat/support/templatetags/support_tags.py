"""Appeals and the donation form on reader pages.

base.html calls {% appeal_overlays %} (banner, modal, the browser's config and support.js) and an
article's `after_article` block calls {% end_of_article_appeal %} (the letter and the form). Both
read one per-request choice of appeals, so they always agree.
"""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from samizdat.newsroom import structure
from samizdat.newsroom.models import ArticlePage
from samizdat.newsroom.templatetags.newsroom_tags import newsroom_name
from samizdat.payments.base import Frequency

from ..appeals import appeals_for, donation_forms, goal_shown, without_script
from ..methods import configured_methods, shown_methods
from ..models import FREQUENCY_CHOICES, Appeal
from ..money import AmountError, format_money, major_text, parse_amount

# What an <input type="number"> may hold: a "valid floating-point number".
HTML_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")

register = template.Library()


def remind_after_days() -> int:
    """How long "Remind me later" hides appeals, and when the one reminder goes out."""
    return int(getattr(settings, "SAMIZDAT_REMIND_AFTER_DAYS", 7))


def consent_text(days: int) -> str:
    """The words next to the reminder's checkbox, recorded as the reader's consent."""
    return ngettext(
        "Send me one reminder by e-mail in %(days)d day. Nothing else; "
        "one click in it unsubscribes.",
        "Send me one reminder by e-mail in %(days)d days. Nothing else; "
        "one click in it unsubscribes.",
        days,
    ) % {"days": days}


@register.filter
def money(amount_minor: int, currency: str) -> str:
    return format_money(amount_minor, currency)


def amount_label(amount_minor: int, currency: str, frequency: str) -> str:
    """ "$10", "$10 /month", "$100 /year": a recurring amount says so wherever it is offered."""
    amount = format_money(amount_minor, currency)
    if frequency == Frequency.MONTHLY:
        return gettext("%(amount)s /month") % {"amount": amount}
    if frequency == Frequency.ANNUAL:
        return gettext("%(amount)s /year") % {"amount": amount}
    return amount


def per_frequency_labels() -> dict[str, str]:
    """amount_label's words for support.js, "%s" standing for the amount."""
    return {
        Frequency.ONCE.value: "%s",
        Frequency.MONTHLY.value: gettext("%(amount)s /month") % {"amount": "%s"},
        Frequency.ANNUAL.value: gettext("%(amount)s /year") % {"amount": "%s"},
    }


def asked_amount(data, form_settings, frequency: str) -> str:
    """The amount a link asked for (?amount=2&frequency=monthly), in major units as the form
    writes them, or "" when it is not one this form takes: not an amount, outside the minimum
    and maximum, or for a frequency this currency does not offer (a reader who clicked "Give $2
    a month" is never shown $2 once instead)."""
    raw = str(data.get("amount", "") or "")
    if not raw or (data.get("frequency") or frequency) != frequency:
        return ""
    try:
        minor = parse_amount(raw[:20])
    except AmountError:
        return ""
    if not form_settings.minimum_minor <= minor <= form_settings.maximum_minor:
        return ""
    return major_text(minor)


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


def donation_form_context(
    *,
    form=None,
    initial=None,
    variant_id=None,
    page_id=None,
) -> dict:
    """Everything the donation form template shows, from settings and what was posted.

    `form` is a bound GiftForm whose errors are shown; `initial` is a query string's choice
    (the checkout page's "change" link sends the reader back with theirs).
    """
    settings_list = donation_forms()
    if not settings_list:
        return {"gf": None}
    data = form.data if form is not None else (initial or {})
    posted_currency = str(data.get("currency", "")).lower()
    current = next((f for f in settings_list if f.currency == posted_currency), settings_list[0])
    if not current.frequencies:
        return {"gf": None}
    frequency = data.get("frequency")
    if frequency not in current.frequencies:
        frequency = (
            current.default_frequency
            if current.default_frequency in current.frequencies
            else current.frequencies[0]
        )
    custom = str(data.get("custom_amount", "") or "")
    if not HTML_NUMBER.fullmatch(custom):
        custom = ""  # a number field holds a number (the HTML standard); browsers drop the rest
    # From an appeal's button or the "change" link: preselect it, or type it in the custom field.
    wanted = "" if form is not None else asked_amount(data, current, frequency)
    labels = dict(FREQUENCY_CHOICES)

    currencies = []
    for settings_ in settings_list:
        selected = settings_ is current
        groups = []
        for freq in settings_.frequencies:
            amounts = [major_text(a) for a in settings_.suggested_minor(freq)]
            if not selected:
                chosen = None  # one radio per name can be checked: only the shown currency's
            elif form is not None:
                chosen = data.get(f"amount_{freq}")  # as posted
            elif freq == frequency and wanted:
                chosen = wanted
                if wanted not in amounts:
                    custom = wanted
            else:
                # Preselect the second suggestion: the middle of the range readers choose.
                chosen = amounts[min(1, len(amounts) - 1)] if amounts else None
            groups.append(
                {
                    "value": freq,
                    "label": labels[freq],
                    "amounts": [
                        {
                            "value": value,
                            "text": amount_label(minor, settings_.currency, freq),
                            "checked": value == chosen and not custom,
                        }
                        for value, minor in zip(
                            amounts, settings_.suggested_minor(freq), strict=True
                        )
                    ],
                }
            )
        currencies.append(
            {
                "code": settings_.currency,
                "selected": selected,
                "groups": groups,
                "frequencies": " ".join(settings_.frequencies),
                "default": settings_.default_frequency,
                "min": major_text(settings_.minimum_minor),
                "max": major_text(settings_.maximum_minor),
                "min_text": format_money(settings_.minimum_minor, settings_.currency),
                "max_text": format_money(settings_.maximum_minor, settings_.currency),
                # For support.js to name a typed amount: "$%s", or "%s $" in Russian.
                "money": format_money(100, settings_.currency).replace("1", "%s", 1),
            }
        )
    offered = {f for s in settings_list for f in s.frequencies}
    tabs = [
        {
            "value": value,
            "label": label,
            "checked": value == frequency,
            "hidden": value not in current.frequencies,
        }
        for value, label in FREQUENCY_CHOICES
        if value in offered
    ]
    errors = form.errors if form is not None else {}
    # Each currency's form lists its own methods; the reader's edition orders them.
    language = get_language() or settings.LANGUAGE_CODE
    for settings_, entry in zip(settings_list, currencies, strict=True):
        entry["methods"] = shown_methods(settings_, language)
    if form is not None:
        variant_id, page_id = data.get("variant"), data.get("page")
    return {
        "gf": {
            "tabs": tabs,
            "currencies": currencies,
            "current": currencies[settings_list.index(current)],
            "many_currencies": len(currencies) > 1,
            "custom": custom,
            "variant_id": variant_id or "",
            "page_id": page_id or "",
            "amount_errors": errors.get("custom_amount", []),
            "frequency_errors": errors.get("frequency", []),
            "currency_errors": errors.get("currency", []),
            "other_errors": [
                *errors.get("__all__", []),
                *errors.get("variant", []),
                *errors.get("page", []),
            ],
            "has_errors": bool(errors),
            "per": per_frequency_labels(),
        },
        "remind_days": remind_after_days(),
        "consent_text": consent_text(remind_after_days()),
    }


@register.inclusion_tag("support/upsell.html")
def upsell_offer(donation) -> dict:
    """The thank-you page's "make it monthly" offer after a one-time card gift (upsell.py)."""
    from ..upsell import offer_for  # upsell.py imports the views, which import these tags

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
