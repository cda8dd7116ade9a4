"""The revenue team's figures: revenue by month, the goal, and the dashboard panel."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from samizdat.core.months import add_months, first_of_month

from ...donors import audit
from ...giving import goals
from ...models import Campaign, Donation
from ...money import minor_to_decimal
from .. import admin_charts, reports
from .common import (
    REPORT_CSS,
    SummaryReportView,
    can_see_revenue,
    chosen_currency,
    csv_response,
    donor_display,
    known_currencies,
    local_datetime,
)


class RevenueByMonthView(SummaryReportView):
    page_title = _("Revenue by month")
    header_icon = "calendar-alt"
    template_name = "support/admin/revenue_by_month.html"
    months = 12

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    @cached_property
    def currency(self) -> str:
        return chosen_currency(self.request)

    @cached_property
    def rows(self) -> list[reports.MonthRevenue]:
        return reports.revenue_by_month(self.currency, self.months, self.today)

    @cached_property
    def by_method(self) -> list[dict]:
        return [
            {
                "label": row.label,
                "total": reports.format_money(row.total_minor, self.currency),
                "payments": row.payments,
            }
            for row in reports.revenue_by_method(self.currency, self.months, self.today)
        ]

    def export_csv(self):
        header = [
            gettext("Month"),
            gettext("Currency"),
            gettext("One-time"),
            gettext("Recurring (monthly value)"),
            gettext("Total"),
            gettext("Recurring received"),
            gettext("Payments"),
        ]

        def amount(value: int):
            return minor_to_decimal(value, self.currency)

        rows = (
            [
                row.month.strftime("%Y-%m"),
                self.currency.upper(),
                amount(row.one_time_minor),
                amount(row.recurring_minor),
                amount(row.total_minor),
                amount(row.recurring_received_minor),
                row.payments,
            ]
            for row in self.rows
        )
        return csv_response(f"revenue-by-month-{self.currency}.csv", header, rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        currency = self.currency
        rows = self.rows

        def money(value: float) -> str:
            return reports.format_money(round(value), currency)

        # Cents on the axis are noise, unless the amounts are so small that they are all there is.
        whole = max((row.total_minor for row in rows), default=0) >= 1000

        def axis_money(value: float) -> str:
            return reports.format_money(round(value), currency, whole=whole)

        chart = admin_charts.stacked_columns(
            [formats.date_format(row.month, "M y") for row in rows],
            [
                admin_charts.Series(
                    "recurring",
                    gettext("Recurring (monthly value)"),
                    [row.recurring_minor for row in rows],
                ),
                admin_charts.Series(
                    "one-time", gettext("One-time"), [row.one_time_minor for row in rows]
                ),
            ],
            money,
            axis_format=axis_money,
        )
        totals = {
            "one_time": sum(r.one_time_minor for r in rows),
            "recurring": sum(r.recurring_minor for r in rows),
            "total": sum(r.total_minor for r in rows),
            "received": sum(r.recurring_received_minor for r in rows),
            "payments": sum(r.payments for r in rows),
        }
        context.update(
            by_method=self.by_method,
            currency=currency,
            currencies=known_currencies(),
            rows=[
                {
                    "month": row.month,
                    "one_time": money(row.one_time_minor),
                    "recurring": money(row.recurring_minor),
                    "total": money(row.total_minor),
                    "received": money(row.recurring_received_minor),
                    "payments": row.payments,
                }
                for row in rows
            ],
            totals={key: money(value) for key, value in totals.items() if key != "payments"},
            total_payments=totals["payments"],
            chart=chart,
            chart_description=self.describe(rows, money),
            csv_url=f"{self.request.path}?currency={currency}&export=csv",
        )
        return context

    def describe(self, rows: list[reports.MonthRevenue], money) -> str:
        best = max(rows, key=lambda r: r.total_minor)
        return gettext(
            "Monthly revenue in %(currency)s from %(first)s to %(last)s, one-time and "
            "recurring gifts stacked. The highest month was %(best)s with %(amount)s. "
            "The table below gives every figure."
        ) % {
            "currency": self.currency.upper(),
            "first": formats.date_format(rows[0].month, "YEAR_MONTH_FORMAT"),
            "last": formats.date_format(rows[-1].month, "YEAR_MONTH_FORMAT"),
            "best": formats.date_format(best.month, "YEAR_MONTH_FORMAT"),
            "amount": money(best.total_minor),
        }


class GoalView(SummaryReportView):
    page_title = _("Goal")
    header_icon = "success"
    template_name = "support/admin/goal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(goal_context(self.today))
        return context


def goal_context(today: datetime.date) -> dict:
    """The active campaign's month so far, split into what recurring and one-time gifts gave."""
    campaign = Campaign.objects.filter(active=True).first()
    if campaign is None:
        return {"campaign": None}
    progress = goals.month_progress(campaign, today)
    summary = reports.recurring_summary(campaign.currency)
    recurring = summary.monthly_recurring_minor
    next_month = add_months(first_of_month(today), 1)
    money = reports.format_money
    return {
        "campaign": campaign,
        "progress": progress,
        "raised": money(progress.raised_minor, campaign.currency),
        "goal": money(progress.goal_minor, campaign.currency),
        "remaining": money(max(0, progress.goal_minor - progress.raised_minor), campaign.currency),
        "recurring": money(recurring, campaign.currency),
        # Both figures come from the same counts, so the parts add up to the total.
        "one_time": money(progress.raised_minor - recurring, campaign.currency),
        "active_donors": summary.active.count,
        "days_left": (next_month - today).days,
        "month": formats.date_format(today, "YEAR_MONTH_FORMAT"),
        "bar_width": progress.percent,
    }


class RevenueDashboardPanel(Component):
    """This month's goal and the latest gifts, on the admin home page of the revenue team."""

    name = "reader_revenue"
    order = 90  # above Wagtail's own panels: the money is why the newsroom opens the admin
    template_name = "support/admin/dashboard_panel.html"

    class Media:
        css = {"all": [REPORT_CSS]}

    def render_html(self, parent_context=None):
        request = parent_context and parent_context.get("request")
        if request is None or not can_see_revenue(request.user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        latest = (
            Donation.objects.paid()
            .select_related("donor", "variant__appeal")
            .order_by("-paid_at")[:5]
        )
        names_shown = sum(1 for d in latest if not d.donor.anonymous and d.donor.name)
        request = (parent_context or {}).get("request")
        if names_shown and request is not None:  # names on the panel are personal data too
            audit.record(
                request.user,
                audit.Action.VIEW_REPORT,
                report="dashboard",
                records=names_shown,
            )
        return {
            **goal_context(today),
            "report_css": REPORT_CSS,
            "donations": [
                {
                    "when": local_datetime(d.paid_at),
                    "amount": reports.format_money(d.amount_minor, d.currency),
                    "frequency": d.get_frequency_display(),
                    "donor": donor_display(d.donor),
                }
                for d in latest
            ],
            "donations_url": reverse("revenue_donations:index"),
            "goal_url": reverse("revenue_goal:index"),
        }
