"""The card-testing defence on the revenue team's admin home page: when it acted, and how much."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.admin.ui.components import Component

from ...models import CardTestingEpisode
from .common import REPORT_CSS, can_see_revenue, local_datetime

SHOWN_DAYS = 30


class CardTestingPanel(Component):
    """Episodes of the last 30 days; nothing at all when there were none."""

    name = "card_testing"
    order = 95  # just below the revenue panel
    template_name = "support/admin/card_testing_panel.html"

    class Media:
        css = {"all": [REPORT_CSS]}

    def episodes(self) -> list[CardTestingEpisode]:
        since = timezone.now() - datetime.timedelta(days=SHOWN_DAYS)
        return list(CardTestingEpisode.objects.filter(ends_at__gte=since)[:10])

    def render_html(self, parent_context=None):
        request = (parent_context or {}).get("request")
        if request is None or not can_see_revenue(request.user) or not self.episodes():
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        return {
            "days": SHOWN_DAYS,
            "episodes": [
                {
                    "started": local_datetime(e.started_at),
                    "ends": local_datetime(e.ends_at),
                    "active": e.ends_at > now,
                    "trigger": e.get_trigger_display(),
                    "challenge": e.challenge,
                    "declines": e.declines,
                    "challenged": e.challenged,
                    "admitted": e.admitted,
                    "refused": e.refused,
                }
                for e in self.episodes()
            ],
        }
