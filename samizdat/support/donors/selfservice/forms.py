"""The forms of self-service pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samizdat.payments.base import Frequency

from ...models import FREQUENCY_CHOICES, DonationForm, RecurringDonation
from ...money import AmountError, format_money, major_text, parse_amount


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)


def _form_settings(currency: str) -> DonationForm:
    # A currency the newsroom stopped offering keeps the model's default limits, so its
    # donors can still lower or raise their gift.
    return DonationForm.objects.filter(currency=currency).first() or DonationForm(currency=currency)


class ChangeGiftForm(forms.Form):
    amount = forms.CharField(label=gettext_lazy("Amount"), max_length=20)
    frequency = forms.ChoiceField(label=gettext_lazy("Frequency"))

    def __init__(self, recurring: RecurringDonation, *args, **kwargs) -> None:
        self.recurring = recurring
        self.limits = _form_settings(recurring.currency)
        kwargs.setdefault(
            "initial",
            {
                "amount": major_text(recurring.amount_minor),
                "frequency": recurring.frequency,
            },
        )
        # Several gifts can be on one page: each form's fields get their own names.
        kwargs.setdefault("prefix", f"gift-{recurring.pk}")
        super().__init__(*args, **kwargs)
        offered = set(self.limits.frequencies) | {recurring.frequency}
        self.fields["frequency"].choices = [
            (value, label)
            for value, label in FREQUENCY_CHOICES
            if value in offered and Frequency(value).recurring
        ]

    def clean_amount(self) -> int:
        """The same rules as the donation form: the newsroom's minimum and maximum."""
        try:
            amount_minor = parse_amount(self.cleaned_data["amount"])
        except AmountError as exc:
            raise forms.ValidationError(str(exc)) from exc
        currency = self.recurring.currency
        if amount_minor < self.limits.minimum_minor:
            raise forms.ValidationError(
                _("The smallest gift is %(minimum)s.")
                % {"minimum": format_money(self.limits.minimum_minor, currency)}
            )
        if amount_minor > self.limits.maximum_minor:
            raise forms.ValidationError(
                _("Online gifts go up to %(maximum)s. For a larger gift, please write to us.")
                % {"maximum": format_money(self.limits.maximum_minor, currency)}
            )
        return amount_minor

    @property
    def unchanged(self) -> bool:
        return (
            self.cleaned_data["amount"] == self.recurring.amount_minor
            and self.cleaned_data["frequency"] == self.recurring.frequency
        )
