"""Donor data requests and the audit log, in the Wagtail admin.

A donor who asks what we hold about them, or asks to be forgotten: staff with
`support.export_donor` find them by their exact address (through the keyed hash, as the reports
do), see their page and download everything stored about them as JSON; staff with
`support.erase_donor` erase them. Neither permission belongs to the Revenue team by default;
an administrator grants them in Settings → Groups. Superusers read the audit log.

The rules live in donors/privacy.py and donors/audit.py; these views check permissions, log
and render.
"""

from __future__ import annotations

import json

import django_filters
from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet

from samizdat.payments.base import PaymentError

from ...donors import audit, privacy
from ...donors.records import find_donor
from ...models import AuditEntry, Donor
from .. import reports
from .common import REPORT_CSS, local_datetime
from .donor_records import period_label

EXPORT_PERMISSION = "support.export_donor"
ERASE_PERMISSION = "support.erase_donor"


def can_look_up_donors(user) -> bool:
    return user.is_active and user.has_perm(EXPORT_PERMISSION)


def can_erase_donors(user) -> bool:
    return user.is_active and user.has_perm(ERASE_PERMISSION)


def can_read_audit_log(user) -> bool:
    return user.is_active and user.is_superuser


def forbidden(request) -> HttpResponse:
    # A plain 403 rather than PermissionDenied, which Wagtail turns into a redirect to the
    # dashboard: whoever asks for donor data without the right is told so, not bounced.
    return render(request, "support/admin/forbidden.html", status=403)


class DonorDataView(WagtailAdminTemplateMixin, TemplateView):
    """A page of the donor data section: refuses (403) whoever `allowed` says no to."""

    header_icon = "user"
    allowed = staticmethod(can_look_up_donors)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("donor_data:search"), "label": gettext("Donor data requests")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report_css"] = REPORT_CSS
        return context


class DonorSearchForm(forms.Form):
    email = forms.EmailField(
        label=_("The donor's exact e-mail address"),
        help_text=_("Addresses are stored encrypted: only the whole address finds a donor."),
    )


class DonorSearchView(DonorDataView):
    page_title = _("Donor data requests")
    template_name = "support/admin/donor_search.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    # POST, so that the address stays out of access logs and the browser's history.
    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=DonorSearchForm()))

    def post(self, request, *args, **kwargs):
        form = DonorSearchForm(request.POST)
        if form.is_valid():
            donor = find_donor(form.cleaned_data["email"])
            if donor is not None:
                return HttpResponseRedirect(reverse("donor_data:donor", args=[donor.pk]))
            form.add_error("email", gettext("No donor has this address."))
        return self.render_to_response(self.get_context_data(form=form))


class DonorMixin:
    @cached_property
    def donor(self) -> Donor:
        return get_object_or_404(Donor, pk=self.kwargs["pk"])

    def get_page_title(self):
        return gettext("Donor %(id)s") % {"id": self.donor.pk}

    def donor_url(self) -> str:
        return reverse("donor_data:donor", args=[self.donor.pk])


class DonorPageView(DonorMixin, DonorDataView):
    template_name = "support/admin/donor.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data()
        audit.record(request.user, audit.Action.VIEW_DONOR, donor_id=self.donor.pk, records=1)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        donor = self.donor
        context.update(
            donor=donor,
            donations=[
                {
                    "donation": d,
                    "when": local_datetime(d.paid_at or d.created_at),
                    "amount": reports.format_money(d.amount_minor, d.currency),
                }
                for d in donor.donations.order_by("-created_at")
            ],
            recurring=[
                {"gift": r, "amount": period_label(r), "started": local_datetime(r.started_at)}
                for r in donor.recurring.order_by("-started_at")
            ],
            can_erase=can_erase_donors(self.request.user),
        )
        return context


class DonorExportView(DonorMixin, DonorDataView):
    """Everything stored about the donor, decrypted, as a JSON download."""

    def get(self, request, *args, **kwargs):
        data = privacy.export_donor_data(self.donor)
        records = 1 + sum(
            len(data[key])
            for key in (
                "donations",
                "recurring_donations",
                "reminders",
                "newsletter_subscriptions",
                "payment_provider_events",
            )
        )
        audit.record(
            request.user, audit.Action.EXPORT_DONOR, donor_id=self.donor.pk, records=records
        )
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="donor-{self.donor.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response


class DonorEraseView(DonorMixin, DonorDataView):
    """GET asks for confirmation; only a POST (with Django's CSRF check) erases."""

    template_name = "support/admin/donor_erase.html"
    header_icon = "bin"
    allowed = staticmethod(can_erase_donors)

    def get_page_title(self):
        return gettext("Erase donor %(id)s") % {"id": self.donor.pk}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            donor=self.donor,
            to_cancel=[
                {"gift": r, "amount": period_label(r)} for r in privacy.live_recurring(self.donor)
            ],
            gifts=self.donor.donations.count(),
            subscriptions=privacy.newsletter_subscriptions(self.donor),
            customers=[customer_id for _provider, customer_id in privacy.customers(self.donor)],
        )
        return context

    def post(self, request, *args, **kwargs):
        donor = self.donor
        if donor.anonymised_at is not None:
            messages.info(request, gettext("This donor was already erased."))
            return HttpResponseRedirect(self.donor_url())
        try:
            erasure = privacy.erase_donor(donor)
        except PaymentError as exc:
            if isinstance(exc, privacy.CustomerNotDeleted):
                refusal = gettext(
                    "The payment provider did not delete the donor's customer record "
                    "(%(reason)s). Nothing was erased; try again later."
                )
            else:
                refusal = gettext(
                    "The payment provider did not cancel a recurring gift (%(reason)s). "
                    "Nothing was erased; try again later."
                )
            messages.error(request, refusal % {"reason": exc.message})
            return HttpResponseRedirect(self.donor_url())
        audit.record(
            request.user,
            audit.Action.ERASE_DONOR,
            donor_id=donor.pk,
            records=1,
            filters={
                "recurring_cancelled": [r.pk for r in erasure.cancelled],
                "newsletter_subscriptions_removed": erasure.subscriptions,
            },
        )
        messages.success(
            request,
            ngettext(
                "Donor %(id)s erased: their address and name are gone, and %(count)s "
                "newsletter subscription with their address was removed. Their gifts stay "
                "anonymously in the accounts.",
                "Donor %(id)s erased: their address and name are gone, and %(count)s "
                "newsletter subscriptions with their address were removed. Their gifts stay "
                "anonymously in the accounts.",
                erasure.subscriptions,
            )
            % {"id": donor.pk, "count": erasure.subscriptions},
        )
        return HttpResponseRedirect(self.donor_url())


# The audit log ---------------------------------------------------------------------------------


class AuditFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditEntry.Action.choices, empty_label=_("All")
    )
    at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    username = django_filters.CharFilter(label=_("Who"), lookup_expr="iexact")
    donor_id = django_filters.NumberFilter(label=_("Donor id"))

    class Meta:
        model = AuditEntry
        fields = []


class AuditLogView(ReportView):
    """Read-only: there is no view that adds, changes or deletes an entry."""

    page_title = _("Donor data audit log")
    header_icon = "history"
    model = AuditEntry
    filterset_class = AuditFilterSet
    paginate_by = 100
    columns = [
        Column("at", label=_("When"), accessor=lambda e: local_datetime(e.at)),
        Column("username", label=_("Who")),
        Column("action", label=_("Action"), accessor="get_action_display"),
        Column("donor_id", label=_("Donor id")),
        Column("report", label=_("Report")),
        Column(
            "filters",
            label=_("Filters"),
            accessor=lambda e: json.dumps(e.filters, ensure_ascii=False) if e.filters else "",
        ),
        Column("records", label=_("Records")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_read_audit_log(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return AuditEntry.objects.all()


# Registration ----------------------------------------------------------------------------------


class DonorDataViewSet(ViewSet):
    icon = "user"
    menu_label = _("Donor data requests")

    def get_urlpatterns(self):
        return [
            path("", DonorSearchView.as_view(), name="search"),
            path("<int:pk>/", DonorPageView.as_view(), name="donor"),
            path("<int:pk>/export/", DonorExportView.as_view(), name="export"),
            path("<int:pk>/erase/", DonorEraseView.as_view(), name="erase"),
        ]

    @cached_property
    def menu_item_class(self):
        class DonorDataMenuItem(MenuItem):
            def is_shown(self, request):
                return can_look_up_donors(request.user)

        return DonorDataMenuItem


class AuditLogViewSet(ViewSet):
    icon = "history"
    menu_label = _("Audit log")

    def get_urlpatterns(self):
        kwargs = {
            "index_url_name": self.get_url_name("index"),
            "index_results_url_name": self.get_url_name("index_results"),
        }
        return [
            path("", AuditLogView.as_view(**kwargs), name="index"),
            path(
                "results/", AuditLogView.as_view(results_only=True, **kwargs), name="index_results"
            ),
        ]

    @cached_property
    def menu_item_class(self):
        class AuditMenuItem(MenuItem):
            def is_shown(self, request):
                return can_read_audit_log(request.user)

        return AuditMenuItem


def donor_data_viewset() -> DonorDataViewSet:
    return DonorDataViewSet("donor_data", url_prefix="reader-revenue/donor-data")


def audit_log_viewset() -> AuditLogViewSet:
    return AuditLogViewSet("donor_audit_log", url_prefix="reader-revenue/audit-log")
