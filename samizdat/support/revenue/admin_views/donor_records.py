"""Donor records for the revenue team: every donation, and the recurring donors."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column, StatusTagColumn

from samizdat.payments.base import Frequency

from ...models import FREQUENCY_CHOICES, Donation, DonorNotice, RecurringDonation
from ...money import minor_to_decimal
from .. import reports
from .common import (
    NO_ADDRESS_HERE,
    DonorSearchFilters,
    RevenueListingReport,
    chosen_currency,
    currency_choices,
    donor_display,
    local_date,
    local_datetime,
    variant_display,
)


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
        # How often the donor was told a renewal failed (support/giving/dunning.py).
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
