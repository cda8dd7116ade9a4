"""The admin forms of the snippets editors set up giving with: donation forms, exchange rates
(and how a payment request's amounts are shown in its listing)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from samizdat.payments import registry

from ...amount_fields import AmountFormField
from ...giving import chain
from ...giving.method_fields import MethodsByEditionField
from ...models import PaymentRequest
from .. import reports


class DonationFormAdminForm(WagtailAdminModelForm):
    """The donation form settings, with each edition's payment methods as ordered menus of
    what the configured providers take, instead of raw JSON."""

    methods_by_edition = MethodsByEditionField()


class ExchangeRateAdminForm(WagtailAdminModelForm):
    """A rate as editors think of it: what one coin is worth, "152.40", in the currency."""

    coin = forms.ChoiceField(label=_("Coin"))
    minor_per_coin = AmountFormField(
        label=_("Value of one coin"),
        help_text=_(
            "In the currency below, like 152.40. Gifts in this coin are asked for and counted "
            "at the newest rate; check it daily, as coins move fast."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coins = {p.coin.code: p.coin.name for p in registry.address_providers()}
        self.fields["coin"].choices = [
            (code, f"{name} ({code.upper()})") for code, name in coins.items()
        ]
        self.fields["currency"].help_text = _("The donation form's currency, like USD.")

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().lower()

    def clean_minor_per_coin(self) -> int:
        value = self.cleaned_data["minor_per_coin"]
        if value is None or value <= 0:
            raise forms.ValidationError(_("A rate must be above zero."))
        return value


def payment_asked(request: PaymentRequest) -> str:
    coin = chain.coin_of(request)
    value = chain.value_of(request.amount_atomic, request.rate, coin)
    return (
        f"{chain.coin_text(request.amount_atomic, coin)} {coin.code.upper()} "
        f"({reports.format_money(value, request.rate.currency)})"
    )


def payment_received(request: PaymentRequest) -> str:
    """What arrived, and whether it was short of or over what was asked."""
    received = request.received_atomic + request.seen_atomic
    if not received:
        return "—"
    coin = chain.coin_of(request)
    text = f"{chain.coin_text(received, coin)} {coin.code.upper()}"
    if received < request.amount_atomic:
        return gettext("%(amount)s (underpaid)") % {"amount": text}
    if received > request.amount_atomic:
        return gettext("%(amount)s (overpaid)") % {"amount": text}
    return text
