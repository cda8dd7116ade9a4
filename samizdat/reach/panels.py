"""The last mirror checks, beside the list of mirrors in the "How to reach us" editor."""

from __future__ import annotations

from django.apps import apps
from wagtail.admin.panels import Panel


def _same(url: str) -> str:
    return url.strip().rstrip("/").lower()


def checks_for(urls: list[str]) -> list[dict]:
    """Each listed mirror with its last answers (one per place it was checked from), then
    mirrors that were checked but are no longer listed."""
    # By name: models.py puts this panel in the editor, so it cannot be imported from here.
    checks = apps.get_model("reach", "MirrorCheck").objects.order_by("url", "vantage")
    found: dict[str, list] = {}
    for check in checks:
        found.setdefault(_same(check.url), []).append(check)
    rows = [{"url": url, "listed": True, "checks": found.pop(_same(url), [])} for url in urls]
    rows += [{"url": checks[0].url, "listed": False, "checks": checks} for checks in found.values()]
    return rows


class MirrorChecksPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "reach/admin/mirror_checks_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            mirrors = getattr(self.instance, "mirrors", None) or []
            urls = [block.value["url"] for block in mirrors if block.value.get("url")]
            context["rows"] = checks_for(urls)
            return context
