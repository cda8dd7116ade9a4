"""What every revenue report shares: the permission, the listing and summary page bases, the
currency menu, and how donors, dates and percentages are shown."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from ...donors import audit
from ...donors.records import find_donor
from ...models import Campaign, Donation, DonationForm

REVENUE_PERMISSION = "support.view_donation"
REPORT_CSS = "support/admin/reports.css"


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

    A donor's address is searched for with a POST, never in a URL (access logs and browser
    history keep those), answered by a redirect to the listing filtered by the donor's id or
    the provider's id. Wagtail's search box, which sends every keystroke in a GET, is off.
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
