"""The donation form and the checkout step: what a reader typed, turned into a gift we can charge.

Readers type amounts in major units ("25", "25.50", "25,50"); everything past this module speaks
integer minor units. Every check here also runs in the browser, but only these count: a form can
be posted by anything.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from samizdat.ids import parse_id
from samizdat.payments.base import Frequency

from ..models import FREQUENCY_CHOICES, AppealVariant, DonationForm
from ..money import AmountError, format_money, major_text, parse_amount
from .appeals import donation_forms
from .methods import checkout_methods, shown_methods

TAMPERED = _("This form was changed after it was loaded. Please reload the page and try again.")
EXPIRED = _("This form has expired or was changed. Please start again.")


def offered_forms() -> list[DonationForm]:
    """The currencies we take, the default first (the model's ordering)."""
    return list(DonationForm.objects.all())


@dataclass(frozen=True)
class Gift:
    """What a reader chose, before they said who they are and how they pay."""

    amount_minor: int
    currency: str
    frequency: str
    variant_id: int | None = None
    page_id: int | None = None
    checkout_key: str = ""

    @property
    def display_amount(self) -> str:
        return format_money(self.amount_minor, self.currency)

    @property
    def is_recurring(self) -> bool:
        return Frequency(self.frequency).recurring

    @property
    def summary(self) -> str:
        """ "$10 monthly": what the donor is about to give, in their words."""
        amount = self.display_amount
        if self.frequency == Frequency.MONTHLY:
            return gettext("%(amount)s monthly") % {"amount": amount}
        if self.frequency == Frequency.ANNUAL:
            return gettext("%(amount)s annually") % {"amount": amount}
        return gettext("%(amount)s once") % {"amount": amount}


class GiftForm(forms.Form):
    """Step one: frequency, amount, currency, and which appeal the reader came from.

    The suggested amounts are radio groups per frequency (amount_once, amount_monthly,
    amount_annual) so that the form also works without JavaScript, where every group shows; the
    group of the chosen frequency counts. A typed custom amount wins over a suggested one.
    """

    currency = forms.CharField(
        max_length=3, error_messages={"required": _("We cannot take gifts in this currency.")}
    )
    frequency = forms.ChoiceField(
        choices=FREQUENCY_CHOICES,
        error_messages={
            "required": _("Choose how often you would like to give."),
            "invalid_choice": _(
                "Choose how often you would like to give: once, monthly or annually."
            ),
        },
    )
    amount_once = forms.CharField(required=False, max_length=20)
    amount_monthly = forms.CharField(required=False, max_length=20)
    amount_annual = forms.CharField(required=False, max_length=20)
    custom_amount = forms.CharField(required=False, max_length=20)
    variant = forms.CharField(required=False, max_length=20)
    page = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, donation_forms: list[DonationForm] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.donation_forms = offered_forms() if donation_forms is None else donation_forms
        self.settings: DonationForm | None = None
        self.gift: Gift | None = None

    def clean_currency(self) -> str:
        code = self.cleaned_data["currency"].lower()
        self.settings = next((f for f in self.donation_forms if f.currency == code), None)
        if self.settings is None:
            raise forms.ValidationError(_("We cannot take gifts in this currency."))
        return code

    def clean_variant(self) -> int | None:
        return self._hidden_id("variant", AppealVariant.objects)

    def clean_page(self) -> int | None:
        return self._hidden_id("page", Page.objects)

    def _hidden_id(self, name: str, queryset) -> int | None:
        # Hidden fields only say where a gift came from; one that names nothing was edited.
        raw = self.cleaned_data.get(name, "").strip()
        if not raw:
            return None
        pk = parse_id(raw)
        if pk is None or not queryset.filter(pk=pk).exists():
            raise forms.ValidationError(TAMPERED, code="tampered")
        return pk

    def clean(self):
        data = super().clean()
        settings, frequency = self.settings, data.get("frequency")
        if settings is None or not frequency:
            return data
        if frequency not in settings.frequencies:
            self.add_error(
                "frequency",
                _("%(frequency)s gifts are not offered in %(currency)s.")
                % {
                    "frequency": dict(FREQUENCY_CHOICES)[frequency],
                    "currency": settings.currency.upper(),
                },
            )
            return data
        typed = (data.get("custom_amount") or "").strip()
        chosen = typed or (data.get(f"amount_{frequency}") or "").strip()
        if not chosen:
            self.add_error("custom_amount", _("Choose an amount or type one."))
            return data
        try:
            amount_minor = parse_amount(chosen)
        except AmountError as exc:
            self.add_error("custom_amount", str(exc))
            return data
        if amount_minor <= 0:
            self.add_error("custom_amount", _("Enter an amount above zero."))
        elif amount_minor < settings.minimum_minor:
            self.add_error(
                "custom_amount",
                _("The smallest gift we can take is %(minimum)s.")
                % {"minimum": format_money(settings.minimum_minor, settings.currency)},
            )
        elif amount_minor > settings.maximum_minor:
            self.add_error(
                "custom_amount",
                _(
                    "Online gifts go up to %(maximum)s. For a larger gift, please write to us: "
                    "thank you!"
                )
                % {"maximum": format_money(settings.maximum_minor, settings.currency)},
            )
        if not self.errors:
            self.gift = Gift(
                amount_minor=amount_minor,
                currency=settings.currency,
                frequency=frequency,
                variant_id=data.get("variant"),
                page_id=data.get("page"),
            )
        return data


# The gift travels from the form to the payment in a signed token, not in hidden fields a
# reader (or a card tester) could edit; the salt keeps other signed values from passing as one.
CHECKOUT_SALT = "samizdat.support.checkout"
CHECKOUT_MAX_AGE = 3600


def sign_gift(gift: Gift) -> str:
    """A token for this gift with a fresh checkout key: one key per attempt to pay."""
    payload = {
        "a": gift.amount_minor,
        "c": gift.currency,
        "f": gift.frequency,
        "v": gift.variant_id,
        "p": gift.page_id,
        "k": uuid.uuid4().hex,
    }
    return signing.dumps(payload, salt=CHECKOUT_SALT, compress=True)


def read_gift(token: str) -> Gift:
    """The gift a token carries. Raises signing.BadSignature (SignatureExpired included)."""
    payload = signing.loads(token, salt=CHECKOUT_SALT, max_age=CHECKOUT_MAX_AGE)
    try:
        return Gift(
            amount_minor=int(payload["a"]),
            currency=str(payload["c"]),
            frequency=Frequency(payload["f"]).value,
            variant_id=payload.get("v"),
            page_id=payload.get("p"),
            checkout_key=str(payload["k"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed checkout token") from exc


class SignedGiftForm(forms.Form):
    """A step after the donation form: the gift comes back in its signed token (`self.gift`)."""

    token = forms.CharField(max_length=1000, error_messages={"required": EXPIRED})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gift: Gift | None = None

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        try:
            self.gift = read_gift(token)
        except signing.BadSignature as exc:
            raise forms.ValidationError(EXPIRED, code="expired") from exc
        return token


class CheckoutForm(SignedGiftForm):
    """Step two: who gives (e-mail for the receipt; a name only if they want one) and the card."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("For your receipt. We never share it."),
        error_messages={
            "required": _("Enter your e-mail address: we send your receipt there."),
            "invalid": _("Enter a valid e-mail address, like name@example.org."),
        },
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    anonymous = forms.BooleanField(label=_("Give anonymously"), required=False)
    payment_token = forms.CharField(
        max_length=500,
        required=False,
        error_messages={"required": _("Enter your card details.")},
    )

    def __init__(self, *args, require_payment: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_token"].required = require_payment

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self):
        data = super().clean()
        if data.get("anonymous"):
            # Anonymous means we keep no name at all, not a name we promise to hide.
            data["name"] = ""
        return data


class AddressCheckoutForm(SignedGiftForm):
    """Step two for a payment to an address: which coin, and an address only for a receipt."""

    method = forms.CharField(max_length=20, error_messages={"required": TAMPERED})
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter a valid e-mail address, like name@example.org.")},
    )

    def clean_method(self) -> str:
        method = self.cleaned_data["method"]
        currency = self.gift.currency if self.gift else ""
        language = get_language() or ""
        offered = {
            m.key: m.provider
            for m in checkout_methods(currency, language)
            if not m.needs_javascript
        }
        if method not in offered:
            raise forms.ValidationError(TAMPERED, code="tampered")
        return offered[method]


class RemindForm(forms.Form):
    """ "Remind me later": an optional address for one reminder, only with consent."""

    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter a valid e-mail address, like name@example.org.")},
    )
    consent = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("consent"):
            self.add_error(
                "consent", _("Tick the box to let us write to you, or leave the address empty.")
            )
        return data


# What the donation form template shows ------------------------------------------------------

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
