"""The donation form's context, shared by the support page's views and the article's form tag."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import get_language, gettext, ngettext

from samizdat.newsroom.models import ArticlePage
from samizdat.payments.base import Frequency

from .appeals import appeals_for, donation_forms
from .methods import shown_methods
from .models import FREQUENCY_CHOICES
from .money import AmountError, format_money, major_text, parse_amount

# What an <input type="number"> may hold: a "valid floating-point number".
HTML_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")


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


def page_appeals(context) -> dict | None:
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
