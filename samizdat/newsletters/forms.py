"""The sign-up form: an address and which newsletters. Checked here; the browser only helps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={"invalid": _("Enter a valid e-mail address, like name@example.org.")},
    )
    digest = forms.BooleanField(
        label=_("Daily digest: the day's stories, in full, every morning"),
        required=False,
        initial=True,
    )
    breaking = forms.BooleanField(
        label=_("Breaking news: a story as soon as it matters"), required=False
    )

    def clean(self):
        data = super().clean()
        if not (data.get("digest") or data.get("breaking")):
            raise forms.ValidationError(_("Tick at least one newsletter."))
        return data
