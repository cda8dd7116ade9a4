"""How each appeal and its variants perform: impressions, clicks, completed gifts."""

from __future__ import annotations

import datetime

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import admin_charts, reports
from .common import SummaryReportView, format_percent

APPEAL_PERIODS = (7, 30, 90)


class AppealPerformanceView(SummaryReportView):
    page_title = _("Appeal results")
    header_icon = "tasks"
    template_name = "support/admin/appeal_performance.html"

    @cached_property
    def days(self) -> int:
        try:
            days = int(self.request.GET.get("days", 30))
        except ValueError:
            days = 30
        return days if days in APPEAL_PERIODS else 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        until = self.today
        since = until - datetime.timedelta(days=self.days - 1)
        appeals = reports.appeal_performance(since, until)
        rows = []
        chart_rows = []
        for appeal in appeals:
            best = appeal.chance_to_be_best or [None] * len(appeal.variants)
            for variant, chance in zip(appeal.variants, best, strict=True):
                rows.append({"appeal": appeal, "variant": variant, **rates(variant, chance)})
                # Only rates worth comparing get a bar; the others say why they have none.
                chart_rows.append(
                    (
                        f"{appeal.name} ({appeal.language}) · {variant.label}",
                        variant.conversion if variant.enough_data else None,
                    )
                )
        context.update(
            days=self.days,
            periods=[
                {"days": days, "current": days == self.days, "label": period_name(days)}
                for days in APPEAL_PERIODS
            ],
            since=since,
            until=until,
            appeals=[
                {
                    "appeal": appeal,
                    "total": appeal.total,
                    **rates(appeal.total),
                    "rows": [row for row in rows if row["appeal"] is appeal],
                }
                for appeal in appeals
            ],
            chart=admin_charts.horizontal_bars(chart_rows, format_rate) if chart_rows else None,
            min_impressions=reports.MIN_IMPRESSIONS,
        )
        return context


def format_rate(rate: float | None) -> str:
    return _("not enough data yet") if rate is None else format_percent(rate)


def rates(funnel: reports.Funnel, chance_to_be_best: float | None = None) -> dict:
    """A variant's (or an appeal's) rates as the report shows them: with its 95% interval once
    it has enough impressions to mean anything, else only the counts and "not enough data"."""
    if not funnel.enough_data:
        return {"enough_data": False}
    low, high = funnel.conversion_interval
    return {
        "enough_data": True,
        "click_through": format_percent(funnel.click_through),
        "conversion": format_percent(funnel.conversion),
        "interval": f"{format_percent(low)} – {format_percent(high)}",
        "best": format_percent(chance_to_be_best) if chance_to_be_best is not None else "",
    }


def period_name(days: int) -> str:
    return ngettext("Last %(days)d day", "Last %(days)d days", days) % {"days": days}
