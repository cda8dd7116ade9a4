"""Amounts the revenue team types in the admin: stored in minor units, typed and shown in major.

A goal of $10,000 is stored as 1000000 (cents, like every amount here: money.py) but the
campaign's form shows "10000" and takes "10000", "10 000" or "9999.50"; its errors name amounts
the same way ("Enter at least 1.").
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .money import MINOR_PER_MAJOR, AmountError, parse_amount, to_major


def major_text(amount_minor: int) -> str:
    """1000000 -> "10000", 1250 -> "12.50": as the admin's field shows it, without grouping
    (typed back, "10,000" would read as ten with a decimal comma)."""
    major = to_major(amount_minor)
    return f"{major:.0f}" if amount_minor % MINOR_PER_MAJOR == 0 else f"{major:.2f}"


class AmountFormField(forms.CharField):
    """Major units as typed ("25", "25.50", "25,50") -> minor units, exactly."""

    def __init__(self, *, min_value=None, max_value=None, step_size=None, **kwargs):
        # What the model's integer field would hand an IntegerField: the model's validators
        # check the minor units after this field has converted them.
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return major_text(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_amount(text)
        except AmountError as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True


class AmountField(models.PositiveIntegerField):
    """An amount in minor units that the admin's forms show and take in major units."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AmountFormField, **kwargs})


@deconstructible
class MinimumAmount:
    """At least `amount_minor`, said in major units: "Enter at least 1."."""

    code = "min_value"

    def __init__(self, amount_minor: int) -> None:
        self.amount_minor = amount_minor

    def __call__(self, value: int) -> None:
        if value is not None and value < self.amount_minor:
            raise ValidationError(
                _("Enter at least %(amount)s.") % {"amount": major_text(self.amount_minor)},
                code=self.code,
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MinimumAmount) and other.amount_minor == self.amount_minor

    def __hash__(self) -> int:
        return hash(self.amount_minor)
