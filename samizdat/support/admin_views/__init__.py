"""The revenue team's reports in the Wagtail admin.

Views stay thin: the arithmetic lives in reports.py and goals.py, the chart geometry in
admin_charts.py. Donor data is for the revenue team only, so every report asks for the
`support.view_donation` permission (the "Revenue team" group has it, Reporters and Editors don't).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from samizdat.payments import registry
from samizdat.payments.base import Frequency

from . import admin_charts, audit, chain, goals, reports
from .amount_fields import AmountFormField
from .donors import find_donor
from .method_fields import MethodsByEditionField
from .models import (
    FREQUENCY_CHOICES,
    Campaign,
    Donation,
    DonationForm,
    DonorNotice,
    PaymentRequest,
    RecurringDonation,
)
from .money import minor_to_decimal

REVENUE_PERMISSION = "support.view_donation"
REPORT_CSS = "support/admin/reports.css"
APPEAL_PERIODS = (7, 30, 90)


def can_see_revenue(user) -> bool:
    return user.is_active and user.has_perm(REVENUE_PERMISSION)


class RevenueTeamOnly:
    """Refuses everyone without `support.view_donation`; Wagtail turns the refusal into a
    redirect to the dashboard with a message."""

    def dispatch(self, request, *args, **kwargs):
        if not can_see_revenue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReportSearchForm(forms.Form):
    query = forms.CharField(max_length=254)

    def __init__(self, *args, label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["query"].label = label


class RevenueListingReport(RevenueTeamOnly, ReportView):
    """A filterable, exportable listing of gifts with the reports' stylesheet.

    A donor's address is searched for with a POST, never in a URL, where access logs and the
    browser's history would keep it: the answer is a redirect to the same listing filtered by
    the donor's id (or by the provider's id, for anything that is not an address), so that
    pagination, filters and exports carry on as for any other filter. Wagtail's own search box,
    which sends every keystroke in a GET, is off.
    """

    is_searchable = False
    paginate_by = 50
    results_template_name = "support/admin/report_results.html"
    search_label = _("Exact e-mail or payment id")
    # Parameters a new search replaces; the others (the filters) are kept.
    SEARCH_PARAMETERS = ("donor", "payment", "q", "p", "export", "_w_filter_fragment")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            # XLSX cells are already stored as text, never as formulas, by Wagtail.
            "donor": {self.FORMAT_CSV: spreadsheet_safe},
        }

    def search_url(self, **search) -> str:
        """This listing with its current filters and `search` in place of any earlier one."""
        params = self.request.GET.copy()
        for name in self.SEARCH_PARAMETERS:
            params.pop(name, None)
        params.update(search)
        return f"{self.index_url}?{params.urlencode()}" if params else self.index_url

    def post(self, request, *args, **kwargs):
        form = ReportSearchForm(request.POST, label=self.search_label)
        if form.is_valid():
            query = form.cleaned_data["query"].strip()
            if "@" not in query:
                return HttpResponseRedirect(self.search_url(payment=query))
            donor = find_donor(query)
            if donor is not None:
                return HttpResponseRedirect(self.search_url(donor=str(donor.pk)))
            form.add_error("query", gettext("No donor has this address."))
            self.found_nothing = True
        self.report_search_form = form
        return self.get(request, *args, **kwargs)

    def get_queryset(self):
        # A search that found no donor shows no gifts, not every gift under the error.
        queryset = super().get_queryset()
        return queryset.none() if getattr(self, "found_nothing", False) else queryset

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["media"] += forms.Media(css={"all": [REPORT_CSS]})
        context["report_search_form"] = getattr(
            self, "report_search_form", ReportSearchForm(label=self.search_label)
        )
        context["report_search_action"] = self.search_url()
        # An old bookmark or a hand-typed ?q=: it searches nothing, and says so.
        context["search_in_url"] = "q" in self.request.GET
        return context

    def render_to_response(self, context, **response_kwargs):
        # Donor names are personal data: every page of the listing and every export is logged.
        shown = context["object_list"]
        audit.record(
            self.request.user,
            audit.Action.EXPORT_REPORT if self.is_export else audit.Action.VIEW_REPORT,
            report=self.export_filename,
            filters=audit.safe_filters(self.request.GET),
            records=shown.count() if self.is_export else len(shown),
        )
        return super().render_to_response(context, **response_kwargs)


# Forms for the snippets -------------------------------------------------------------------------


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


# Shared helpers ---------------------------------------------------------------------------------


def known_currencies() -> list[str]:
    """Every currency the newsroom takes or has taken, for the currency pickers."""
    found = set(DonationForm.objects.values_list("currency", flat=True))
    found |= set(Campaign.objects.values_list("currency", flat=True))
    found |= set(Donation.objects.order_by().values_list("currency", flat=True).distinct())
    return sorted(c.lower() for c in found if c)


def default_currency() -> str:
    campaign = Campaign.objects.filter(active=True).first()
    if campaign:
        return campaign.currency
    form = DonationForm.objects.first()  # the default currency's form sorts first
    return form.currency if form else "usd"


def currency_choices() -> list[tuple[str, str]]:
    return [(c, c.upper()) for c in known_currencies()]


def chosen_currency(request) -> str:
    """The `currency` query parameter if the newsroom knows it, else its main currency."""
    requested = request.GET.get("currency", "").lower()
    return requested if requested in known_currencies() else default_currency()


def format_percent(rate: float | None) -> str:
    if rate is None:
        return "—"
    # Django's number_format truncates: round first, so 0.49% shows as 0.5%, not 0.4%.
    return f"{formats.number_format(round(rate * 100, 1), 1)}%"


def donor_display(donor) -> str:
    # The revenue team sees a name only when the donor gave one and did not ask for anonymity;
    # the address stays out of listings and exports.
    if donor.anonymous:
        return gettext("Anonymous")
    return donor.name or gettext("(no name given)")


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run: any reader can give under the name "=HYPERLINK(…)"."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def variant_display(variant) -> str:
    if variant is None:
        return ""
    return f"{variant.appeal.name} · {variant.label}"


def local_datetime(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def local_date(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


# Filters travel in the URL: an address typed there would too.
NO_ADDRESS_HERE = _("Not an e-mail address: search for those in the box above the list.")


class DonorSearchFilters(WagtailFilterSet):
    """What a search (RevenueListingReport.post) turns into: the donor found by the keyed
    hash of their exact address, or the provider's id of a payment or subscription."""

    donor = django_filters.NumberFilter(label=_("Donor id"), field_name="donor_id")
    payment = django_filters.CharFilter(
        label=_("Payment id"), method="filter_payment", help_text=NO_ADDRESS_HERE
    )
    id_lookups: tuple[str, ...] = ()

    def filter_payment(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if "@" in value:  # an address is never looked up from a URL
            return queryset.none()
        condition = Q()
        for lookup in self.id_lookups:
            condition |= Q(**{lookup: value.strip()})
        return queryset.filter(condition)


# Donations --------------------------------------------------------------------------------------


class DonationFilterSet(DonorSearchFilters):
    id_lookups = ("provider_payment_id", "recurring__provider_subscription_id")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Donation.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    frequency = django_filters.ChoiceFilter(
        label=_("Frequency"),
        choices=FREQUENCY_CHOICES,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    currency = django_filters.ChoiceFilter(
        label=_("Currency"), choices=currency_choices, empty_label=_("All")
    )
    date = django_filters.DateFromToRangeFilter(
        label=_("Date"), field_name="date", widget=DateRangePickerWidget
    )

    class Meta:
        model = Donation
        fields = []


class DonationsReportView(RevenueListingReport):
    page_title = _("Donations")
    header_icon = "table"
    model = Donation
    filterset_class = DonationFilterSet
    default_ordering = "-date"
    export_filename = "donations"
    list_export = [
        "date",
        "amount",
        "currency",
        "frequency",
        "status",
        "donor",
        "appeal_variant",
        "provider_payment_id",
    ]
    export_headings = {
        "date": _("Date"),
        "amount": _("Amount"),
        "currency": _("Currency"),
        "frequency": _("Frequency"),
        "status": _("Status"),
        "donor": _("Donor"),
        "appeal_variant": _("Appeal variant"),
        "provider_payment_id": _("Provider payment id"),
    }
    columns = [
        Column("date", label=_("Date"), accessor=lambda d: local_datetime(d.date), sort_key="date"),
        Column(
            "amount",
            label=_("Amount"),
            accessor=lambda d: reports.format_money(d.amount_minor, d.currency),
            sort_key="amount_minor",
        ),
        Column("frequency", label=_("Frequency"), accessor="get_frequency_display"),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda d: d.status == Donation.Status.PAID,
        ),
        Column("donor", label=_("Donor"), accessor=lambda d: donor_display(d.donor)),
        Column(
            "appeal_variant",
            label=_("Appeal variant"),
            accessor=lambda d: variant_display(d.variant),
        ),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The date a spreadsheet wants: local, to the minute, a real date cell in XLSX.
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "date": {
                self.FORMAT_CSV: lambda v: timezone.localtime(v).strftime("%Y-%m-%d %H:%M"),
                self.FORMAT_XLSX: lambda v: timezone.make_naive(timezone.localtime(v)),
            },
        }

    def get_base_queryset(self):
        # "Date" is when the money arrived, or when the attempt was made for gifts that never
        # got paid, so pending and failed gifts still sort and filter sensibly.
        return Donation.objects.select_related("donor", "variant__appeal").annotate(
            date=Coalesce("paid_at", "created_at")
        )

    def get_valid_orderings(self):
        return ["date", "-date", "amount_minor", "-amount_minor"]

    def to_row_dict(self, item):
        return {
            "date": item.date,
            "amount": minor_to_decimal(item.amount_minor, item.currency),
            "currency": item.currency.upper(),
            "frequency": item.get_frequency_display(),
            "status": item.get_status_display(),
            "donor": donor_display(item.donor),
            "appeal_variant": variant_display(item.variant),
            "provider_payment_id": item.provider_payment_id,
        }


# Recurring donors -------------------------------------------------------------------------------

RECURRING_TABS = (
    (RecurringDonation.Status.ACTIVE, _("Active")),
    (RecurringDonation.Status.PAST_DUE, _("Past due")),
    (RecurringDonation.Status.CANCELLED, _("Cancelled")),
)


class RecurringFilterSet(DonorSearchFilters):
    payment = django_filters.CharFilter(
        label=_("Subscription id"), method="filter_payment", help_text=NO_ADDRESS_HERE
    )
    id_lookups = ("provider_subscription_id",)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RECURRING_TABS, empty_label=_("All"), widget=forms.RadioSelect
    )
    frequency = django_filters.ChoiceFilter(
        label=_("Frequency"),
        choices=FREQUENCY_CHOICES[1:],
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    currency = django_filters.ChoiceFilter(
        label=_("Currency"), choices=currency_choices, empty_label=_("All")
    )

    class Meta:
        model = RecurringDonation
        fields = []


def period_label(recurring: RecurringDonation) -> str:
    amount = reports.format_money(recurring.amount_minor, recurring.currency)
    if recurring.frequency == Frequency.ANNUAL:
        return gettext("%(amount)s a year") % {"amount": amount}
    return gettext("%(amount)s a month") % {"amount": amount}


def next_renewal(recurring: RecurringDonation) -> datetime.datetime | None:
    if recurring.status == RecurringDonation.Status.CANCELLED:
        return None
    return recurring.current_period_end


class RecurringDonorsReportView(RevenueListingReport):
    page_title = _("Recurring donors")
    header_icon = "rotate"
    model = RecurringDonation
    filterset_class = RecurringFilterSet
    default_ordering = "-started_at"
    results_template_name = "support/admin/recurring_results.html"
    export_filename = "recurring-donors"
    search_label = _("Exact e-mail or subscription id")
    list_export = [
        "donor",
        "amount",
        "currency",
        "frequency",
        "monthly_value",
        "status",
        "started",
        "next_renewal",
        "cancelled",
        "provider_subscription_id",
    ]
    export_headings = {
        "donor": _("Donor"),
        "amount": _("Amount"),
        "currency": _("Currency"),
        "frequency": _("Frequency"),
        "monthly_value": _("Monthly value"),
        "status": _("Status"),
        "started": _("Started"),
        "next_renewal": _("Next renewal"),
        "cancelled": _("Cancelled"),
        "provider_subscription_id": _("Provider subscription id"),
    }
    columns = [
        Column("donor", label=_("Donor"), accessor=lambda r: donor_display(r.donor)),
        Column("amount", label=_("Gift"), accessor=period_label, sort_key="amount_minor"),
        Column(
            "monthly_value",
            label=_("Monthly value"),
            accessor=lambda r: reports.format_money(r.monthly_minor, r.currency),
        ),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda r: r.status == RecurringDonation.Status.ACTIVE,
        ),
        Column(
            "started",
            label=_("Started"),
            accessor=lambda r: local_date(r.started_at),
            sort_key="started_at",
        ),
        Column(
            "next_renewal",
            label=_("Next renewal"),
            accessor=lambda r: local_date(next_renewal(r)),
            sort_key="current_period_end",
        ),
        Column("cancelled", label=_("Cancelled"), accessor=lambda r: local_date(r.cancelled_at)),
        # How often the donor was told a renewal failed (support/dunning.py).
        Column("failure_emails", label=_("Payment-failed e-mails"), accessor="failure_emails"),
    ]

    def get_base_queryset(self):
        # An incomplete subscription is a checkout that never finished: not a donor yet.
        return (
            RecurringDonation.objects.started()
            .select_related("donor")
            .annotate(
                failure_emails=Count(
                    "notices", filter=Q(notices__kind=DonorNotice.Kind.PAYMENT_FAILED)
                )
            )
        )

    @cached_property
    def summary_currency(self) -> str:
        return chosen_currency(self.request)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        summary = reports.recurring_summary(self.summary_currency)
        context["summary"] = summary
        context["monthly_recurring"] = reports.format_money(
            summary.monthly_recurring_minor, summary.currency
        )
        context["past_due_value"] = reports.format_money(
            summary.past_due.monthly_minor, summary.currency
        )
        context["tabs"] = self.status_tabs()
        return context

    def status_tabs(self) -> list[dict]:
        """Links that switch the status filter, keeping the other filters and the search."""
        current = self.request.GET.get("status", "")
        tabs = []
        for value, label in (("", _("All")),) + RECURRING_TABS:
            params = self.request.GET.copy()
            params.pop("p", None)
            params.pop("status", None)
            if value:
                params["status"] = value
            tabs.append(
                {
                    "label": label,
                    "url": f"{self.index_url}?{params.urlencode()}",
                    "current": current == value,
                }
            )
        return tabs

    def to_row_dict(self, item):
        return {
            "donor": donor_display(item.donor),
            "amount": minor_to_decimal(item.amount_minor, item.currency),
            "currency": item.currency.upper(),
            "frequency": item.get_frequency_display(),
            "monthly_value": minor_to_decimal(item.monthly_minor, item.currency),
            "status": item.get_status_display(),
            "started": local_date(item.started_at),
            "next_renewal": local_date(next_renewal(item)),
            "cancelled": local_date(item.cancelled_at),
            "provider_subscription_id": item.provider_subscription_id,
        }


# Summary reports (no listing) -------------------------------------------------------------------


class SummaryReportView(RevenueTeamOnly, WagtailAdminTemplateMixin, TemplateView):
    """A report page: a heading, a few figures, a chart and the table behind it."""

    index_url_name: str | None = None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report_css"] = REPORT_CSS
        return context


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
    next_month = reports.add_months(reports.first_of_month(today), 1)
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


# Dashboard --------------------------------------------------------------------------------------


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
