"""Reader revenue in the Wagtail admin: one "Reader revenue" menu with what the newsroom
configures (campaigns, appeals, donation forms) and what the revenue team reads (reports)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.functional import cached_property, lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from samizdat.payments import registry

from .models import Appeal, Campaign, DonationForm, ExchangeRate, PaymentRequest
from .revenue import reports
from .revenue.admin_views import (
    appeal_stats,
    cardtesting,
    common,
    data_requests,
    donor_records,
    revenue,
    settings_forms,
)


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "crosshairs"
    menu_label = _("Campaigns")
    list_display = [
        "name",
        # The goal as money, not as a number of cents.
        Column(
            "goal_minor",
            label=_("Monthly goal"),
            accessor=lambda c: reports.format_money(c.goal_minor, c.currency),
        ),
        BooleanColumn("active", label=_("Active")),
    ]
    list_filter = ["active"]
    search_fields = ["name"]


class AppealViewSet(SnippetViewSet):
    """Appeals are translatable: the listing and editor get Wagtail's locale switcher."""

    model = Appeal
    icon = "openquote"
    menu_label = _("Appeals")
    list_display = [
        "name",
        "kind",
        "audience",
        BooleanColumn("live", label=_("Live")),
        "starts_at",
        "ends_at",
    ]
    list_filter = ["kind", "live", "audience"]
    search_fields = ["name"]


def card_statement_help() -> str:
    """What donors' card statements say, for whoever edits the form: anyone who sees a
    statement reads it, so editors should know and ask for a neutral one."""
    suffixes = [
        getattr(registry.get_provider(name), "statement_descriptor_suffix", None)
        for name in settings.SAMIZDAT_PAYMENT_PROVIDERS
    ]
    suffix = next((s for s in suffixes if s), None)
    if suffix:
        text = gettext(
            "Donors' card statements show the Stripe account's shortened descriptor, then "
            "“%(suffix)s” (STRIPE_STATEMENT_DESCRIPTOR_SUFFIX). Anyone who sees a statement "
            "reads it: keep it neutral, not the newsroom's name and nothing political."
        )
    elif any(s is not None for s in suffixes):
        text = gettext(
            "Donors' card statements show the Stripe account's statement descriptor, and "
            "anyone who sees a statement reads it. Ask whoever runs the site to set "
            "STRIPE_STATEMENT_DESCRIPTOR_SUFFIX to a neutral word: not the newsroom's name "
            "and nothing political."
        )
    else:
        return ""  # no card provider: no statement line
    return format_html("<p>{}</p>", text % {"suffix": suffix} if suffix else text)


class DonationFormViewSet(SnippetViewSet):
    model = DonationForm
    icon = "form"
    menu_label = _("Donation forms")
    list_display = [
        # The first column links to the form's settings, as a title would.
        TitleColumn(
            "currency",
            label=_("Currency"),
            accessor=lambda f: f.currency.upper(),
            url_name="wagtailsnippets_support_donationform:edit",
        ),
        BooleanColumn("is_default", label=_("Default currency")),
        "default_frequency",
        Column(
            "minimum_minor",
            label=_("Minimum"),
            accessor=lambda f: reports.format_money(f.minimum_minor, f.currency),
        ),
    ]
    edit_handler = ObjectList(
        [
            *DonationForm.panels,
            HelpPanel(lazy(card_statement_help, str)(), heading=_("Card statements")),
        ],
        base_form_class=settings_forms.DonationFormAdminForm,
    )


class ExchangeRateViewSet(SnippetViewSet):
    """Rates are added, never edited: each gift keeps the rate it was asked for at."""

    model = ExchangeRate
    icon = "resubmit"
    menu_label = _("Exchange rates")
    list_display = [
        Column("coin", label=_("Coin"), accessor=lambda r: r.coin.upper()),
        Column(
            "minor_per_coin",
            label=_("Value of one coin"),
            accessor=lambda r: reports.format_money(r.minor_per_coin, r.currency),
        ),
        "set_at",
        "set_by",
    ]
    list_filter = ["coin", "currency"]
    edit_handler = ObjectList(
        [FieldPanel("coin"), FieldPanel("minor_per_coin"), FieldPanel("currency")],
        base_form_class=settings_forms.ExchangeRateAdminForm,
    )


class PaymentRequestViewSet(SnippetViewSet):
    """What readers were asked to send to an address, and what arrived."""

    model = PaymentRequest
    icon = "link"
    menu_label = _("Payments to addresses")
    inspect_view_enabled = True
    list_display = [
        Column("created_at", label=_("Asked")),
        Column("coin", label=_("Coin"), accessor=lambda r: r.coin.upper()),
        Column("asked", label=_("Asked for"), accessor=settings_forms.payment_asked),
        Column("status", label=_("Status"), accessor=lambda r: r.get_status_display()),
        Column("received", label=_("Received"), accessor=settings_forms.payment_received),
    ]
    list_filter = ["status", "provider"]


@hooks.register("after_create_snippet")
def remember_who_set_a_rate(request, instance):
    if isinstance(instance, ExchangeRate):
        ExchangeRate.objects.filter(pk=instance.pk).update(set_by=request.user.get_username())


class RevenueReportViewSet(ViewSet):
    """One report: its page, the AJAX results fragment for listings, and a menu item that
    only the revenue team sees."""

    view_class: type = None
    listing = False

    def get_urlpatterns(self):
        index_url_name = self.get_url_name("index")
        if not self.listing:
            return [path("", self.view_class.as_view(index_url_name=index_url_name), name="index")]
        kwargs = {
            "index_url_name": index_url_name,
            "index_results_url_name": self.get_url_name("index_results"),
        }
        return [
            path("", self.view_class.as_view(**kwargs), name="index"),
            path(
                "results/",
                self.view_class.as_view(results_only=True, **kwargs),
                name="index_results",
            ),
        ]

    @cached_property
    def menu_item_class(self):
        class RevenueMenuItem(MenuItem):
            def is_shown(self, request):
                return common.can_see_revenue(request.user)

        return RevenueMenuItem


class ReaderRevenueGroup(SnippetViewSetGroup):
    menu_label = _("Reader revenue")
    menu_name = "reader-revenue"
    menu_icon = "bars"
    menu_order = 450  # after Documents, before Snippets and Reports
    items = (
        CampaignViewSet,
        AppealViewSet,
        DonationFormViewSet,
        ExchangeRateViewSet,
        PaymentRequestViewSet,
        RevenueReportViewSet(
            "revenue_donations",
            url_prefix="reader-revenue/donations",
            view_class=donor_records.DonationsReportView,
            listing=True,
            menu_label=_("Donations"),
            icon="table",
        ),
        RevenueReportViewSet(
            "revenue_recurring",
            url_prefix="reader-revenue/recurring",
            view_class=donor_records.RecurringDonorsReportView,
            listing=True,
            menu_label=_("Recurring donors"),
            icon="rotate",
        ),
        RevenueReportViewSet(
            "revenue_by_month",
            url_prefix="reader-revenue/by-month",
            view_class=revenue.RevenueByMonthView,
            menu_label=_("Revenue by month"),
            icon="calendar-alt",
        ),
        RevenueReportViewSet(
            "revenue_goal",
            url_prefix="reader-revenue/goal",
            view_class=revenue.GoalView,
            menu_label=_("Goal"),
            icon="success",
        ),
        RevenueReportViewSet(
            "revenue_appeals",
            url_prefix="reader-revenue/appeals",
            view_class=appeal_stats.AppealPerformanceView,
            menu_label=_("Appeal results"),
            icon="tasks",
        ),
        # Data requests (export, erasure) and the audit log: admin_views/data_requests.py.
        data_requests.donor_data_viewset(),
        data_requests.audit_log_viewset(),
    )


register_snippet(ReaderRevenueGroup)


@hooks.register("construct_homepage_panels")
def add_revenue_panel(request, panels):
    if common.can_see_revenue(request.user):
        panels.append(revenue.RevenueDashboardPanel())
        panels.append(cardtesting.CardTestingPanel())


@hooks.register("register_permissions")
def revenue_permissions():
    # Lets an administrator grant donor data to a group from Wagtail's group editor.
    # (Campaigns, appeals and forms register their own add/change/delete permissions.)
    return Permission.objects.filter(
        content_type__app_label="support",
        codename__in=[
            "view_donation",
            "view_recurringdonation",
            "view_donor",
            "view_appealstat",
            "export_donor",
            "erase_donor",
        ],
    )
