"""The admin's field for a donation form's payment methods, per edition.

Per language, a row of menus offering only the methods configured providers take, and a line
on why; stored as DonationForm.methods_by_edition ({"ru": {"methods": [...], "why": "…"}}).
Menus rather than drag and drop: it works without the admin's scripts.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from .methods import configured_methods, method_label

WHY_MAX_LENGTH = 200


def editions() -> list[tuple[str, str]]:
    """(language code, name) of every edition, as settings.LANGUAGES lists them."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class MethodsByEditionWidget(forms.Widget):
    """Menus and a line of text per edition; their names are `<name>-<language>-<n>`."""

    # In the app's own templates folder: Django's form renderer looks only there.
    template_name = "support/admin/methods_by_edition.html"
    use_fieldset = True

    class Media:
        css = {"all": ["support/admin/methods.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {}
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        choices = [(m.key, method_label(m)) for m in configured_methods()]
        rows = []
        for code, language in editions():
            chosen = value.get(code) or {}
            keys = list(chosen.get("methods") or [])
            slots = []
            for position in range(len(choices)):
                selected = keys[position] if position < len(keys) else ""
                slots.append(
                    {
                        "name": f"{name}-{code}-{position}",
                        "id": f"{base_id}-{code}-{position}",
                        "label": gettext("Method %(position)d") % {"position": position + 1},
                        "choices": [
                            {"value": key, "label": label, "selected": key == selected}
                            for key, label in choices
                        ],
                    }
                )
            rows.append(
                {
                    "code": code,
                    "language": language,
                    "slots": slots,
                    "why": {
                        "name": f"{name}-{code}-why",
                        "id": f"{base_id}-{code}-why",
                        "value": chosen.get("why") or "",
                        "maxlength": WHY_MAX_LENGTH,
                    },
                }
            )
        context["widget"]["editions"] = rows
        return context

    def value_from_datadict(self, data, files, name) -> dict:
        slots = len(configured_methods())
        return {
            code: {
                "methods": [data.get(f"{name}-{code}-{n}", "") for n in range(slots)],
                "why": data.get(f"{name}-{code}-why", ""),
            }
            for code, _language in editions()
        }

    def value_omitted_from_data(self, data, files, name) -> bool:
        return not any(key.startswith(f"{name}-") for key in data)

    def id_for_label(self, id_):
        # The field's label names the group (a fieldset's legend); each menu has its own.
        return ""


class MethodsByEditionField(forms.Field):
    """Cleans to {language: {"methods": [...], "why": "..."}}, leaving out empty editions."""

    widget = MethodsByEditionWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Payment methods, per edition"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "For each edition, the ways to pay in the order its readers see them, and if "
                "you like one line on why, shown under them. Only methods this site is set up "
                "to take are offered. An edition with none chosen shows every one of them."
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value) -> dict:
        if not isinstance(value, dict):
            return {}
        configured = {m.key: m for m in configured_methods()}
        names = dict(editions())
        cleaned: dict[str, dict] = {}
        errors = []
        for code, chosen in value.items():
            if code not in names or not isinstance(chosen, dict):
                continue
            keys = [str(key) for key in chosen.get("methods") or [] if key]
            why = " ".join(str(chosen.get("why") or "").split())
            unknown = [key for key in keys if key not in configured]
            if unknown:
                errors.append(
                    gettext("%(language)s: this site does not take %(method)s.")
                    % {"language": names[code], "method": ", ".join(unknown)}
                )
            repeated = [key for n, key in enumerate(keys) if key in keys[:n]]
            if repeated:
                errors.append(
                    gettext("%(language)s: choose each method once (%(method)s is there twice).")
                    % {
                        "language": names[code],
                        "method": method_label(configured[repeated[0]])
                        if repeated[0] in configured
                        else repeated[0],
                    }
                )
            if len(why) > WHY_MAX_LENGTH:
                errors.append(
                    gettext("%(language)s: keep the line on why to %(count)d characters.")
                    % {"language": names[code], "count": WHY_MAX_LENGTH}
                )
            if why and not keys:
                errors.append(
                    gettext("%(language)s: choose the methods the line on why is about.")
                    % {"language": names[code]}
                )
            if keys or why:
                cleaned[code] = {"methods": keys, "why": why}
        if errors:
            raise ValidationError(errors)
        return cleaned

    def prepare_value(self, value):
        return value if isinstance(value, dict) else {}

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != (initial or {})
        except ValidationError:
            return True
