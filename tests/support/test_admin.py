"""The revenue team's admin: campaigns, appeals and forms to configure, reports to read,
and donor data kept from everyone else."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from samizdat.support.models import Campaign, Donation, DonationForm, RecurringDonation
from tests.support.factories import (
    AppealFactory,
    AppealStatFactory,
    AppealVariantFactory,
    CampaignFactory,
    DonationFactory,
    DonationFormFactory,
    DonorFactory,
    RecurringDonationFactory,
)

pytestmark = pytest.mark.django_db

REPORTS = [
    "revenue_donations:index",
    "revenue_recurring:index",
    "revenue_by_month:index",
    "revenue_goal:index",
    "revenue_appeals:index",
]
SNIPPET_LISTINGS = [
    "wagtailsnippets_support_campaign:list",
    "wagtailsnippets_support_appeal:list",
    "wagtailsnippets_support_donationform:list",
]


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def user_in(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@newsroom.test", "pw-12345")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chief", "chief@newsroom.test", "pw-chief-1")
    client.force_login(user)
    return client


@pytest.fixture
def revenue_client(client):
    client.force_login(user_in("Revenue team", "fundraiser"))
    return client


@pytest.fixture
def reporter_client(client):
    client.force_login(user_in("Reporters", "reporter"))
    return client


@pytest.fixture
def gifts():
    """A small month of gifts in two currencies, paid, failed and refunded."""
    CampaignFactory(currency="usd", goal_minor=1_000_000)
    DonationFormFactory(currency="usd")
    return {
        "paid": DonationFactory(
            donor=DonorFactory(email="ada@example.org", name="Ada Lovelace"),
            amount_minor=2500,
            paid_at=at(2026, 3, 2),
            provider_payment_id="pi_paid_ada",
        ),
        "monthly": DonationFactory(
            donor=DonorFactory(email="hidden@example.org", name="", anonymous=True),
            amount_minor=1000,
            frequency="monthly",
            paid_at=at(2026, 3, 5),
        ),
        "failed": DonationFactory(
            donor=DonorFactory(name="Failed Card"),
            amount_minor=5000,
            status=Donation.Status.FAILED,
            paid_at=None,
            created_at=at(2026, 3, 6),
        ),
        "refunded": DonationFactory(
            donor=DonorFactory(name="Changed Mind"),
            amount_minor=7000,
            status=Donation.Status.REFUNDED,
            paid_at=at(2026, 2, 10),
        ),
        "euro": DonationFactory(
            donor=DonorFactory(name="Euro Reader"),
            amount_minor=3000,
            currency="eur",
            paid_at=at(2026, 1, 20),
        ),
    }


def csv_rows(response) -> list[dict]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


# Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", REPORTS + SNIPPET_LISTINGS)
def test_a_superuser_can_open_every_report_and_setting(admin_client, gifts, url_name):
    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize("url_name", REPORTS + SNIPPET_LISTINGS)
def test_the_revenue_team_can_open_every_report_and_setting(revenue_client, gifts, url_name):
    assert revenue_client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    REPORTS
    + SNIPPET_LISTINGS
    + ["revenue_donations:index_results", "revenue_recurring:index_results"],
)
def test_a_reporter_cannot_see_donor_data(reporter_client, gifts, url_name):
    response = reporter_client.get(reverse(url_name))

    # Wagtail answers a refusal inside the admin with a redirect to the dashboard.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def test_a_reporter_cannot_export_donations_either(reporter_client, gifts):
    response = reporter_client.get(reverse("revenue_donations:index"), {"export": "csv"})

    assert response.status_code in (302, 403)
    assert "text/csv" not in response.get("Content-Type", "")


def test_a_reporter_sees_neither_the_menu_nor_the_dashboard_panel(reporter_client, gifts):
    page = reporter_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Reader revenue" not in page
    assert "Ada Lovelace" not in page


def test_the_revenue_team_dashboard_shows_the_goal_and_the_latest_gifts(revenue_client, gifts):
    page = revenue_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Reader revenue" in page
    assert "Ada Lovelace" in page
    assert "$25.00" in page
    assert "of $10,000.00 this month" in page
    # Failed gifts are not "gifts".
    assert "Failed Card" not in page


# Donations ----------------------------------------------------------------------------------


def test_the_donations_list_shows_amounts_with_currency_and_hides_anonymous_names(
    admin_client, gifts
):
    page = admin_client.get(reverse("revenue_donations:index")).content.decode()

    assert "$25.00" in page
    assert "€30.00" in page
    assert "Ada Lovelace" in page
    assert "Anonymous" in page
    assert "hidden@example.org" not in page  # addresses stay out of listings


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"status": "paid"}, ["Ada Lovelace", "Euro Reader"], ["Failed Card", "Changed Mind"]),
        ({"status": "failed"}, ["Failed Card"], ["Ada Lovelace", "Changed Mind"]),
        ({"frequency": "monthly"}, ["Anonymous"], ["Ada Lovelace", "Euro Reader"]),
        ({"currency": "eur"}, ["Euro Reader"], ["Ada Lovelace", "Failed Card"]),
        (
            {"date_from": "2026-03-01", "date_to": "2026-03-31"},
            ["Ada Lovelace", "Failed Card"],
            ["Changed Mind", "Euro Reader"],
        ),
    ],
)
def test_donations_can_be_filtered(admin_client, gifts, params, shown, hidden):
    page = admin_client.get(reverse("revenue_donations:index"), params).content.decode()

    for name in shown:
        assert name in page, name
    for name in hidden:
        assert name not in page, name


def test_the_filtered_results_fragment_answers_too(admin_client, gifts):
    response = admin_client.get(reverse("revenue_donations:index_results"), {"status": "failed"})

    assert response.status_code == 200
    assert "Failed Card" in response.content.decode()


def test_the_csv_export_holds_the_filtered_donations_and_nothing_else(admin_client, gifts):
    response = admin_client.get(
        reverse("revenue_donations:index"), {"status": "paid", "currency": "usd", "export": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [(r["Donor"], r["Amount"], r["Currency"], r["Status"]) for r in rows] == [
        ("Anonymous", "10.00", "USD", "Paid"),
        ("Ada Lovelace", "25.00", "USD", "Paid"),
    ]
    assert rows[1]["Date"] == "2026-03-02 12:00"
    assert rows[1]["Frequency"] == "Once"
    assert rows[1]["Provider payment id"] == "pi_paid_ada"
    assert "E-mail" not in rows[0]


def test_a_donor_name_cannot_smuggle_a_formula_into_the_csv(admin_client):
    DonationFactory(donor=DonorFactory(name='=HYPERLINK("http://evil.example","Click")'))

    response = admin_client.get(reverse("revenue_donations:index"), {"export": "csv"})

    assert csv_rows(response)[0]["Donor"] == '\'=HYPERLINK("http://evil.example","Click")'


def search(client, url_name: str, query: str):
    """The report's search box: a POST, answered with the listing it found."""
    return client.post(reverse(url_name), {"query": query}, follow=True)


def test_donations_export_to_xlsx_with_real_numbers_and_dates(admin_client, gifts):
    found = search(admin_client, "revenue_donations:index", "ada@example.org")
    response = admin_client.get(found.wsgi_request.get_full_path() + "&export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = list(sheet.values)
    assert header[:3] == ("Date", "Amount", "Currency")
    assert row[0] == datetime.datetime(2026, 3, 2, 12, 0)
    assert (row[1], row[2], row[5]) == (25, "USD", "Ada Lovelace")


def test_the_e_mail_search_finds_a_donor_by_the_exact_address_only(admin_client, gifts):
    url = "revenue_donations:index"

    exact = search(admin_client, url, "  ADA@example.org ").content.decode()
    fragment = search(admin_client, url, "ada@example").content.decode()

    assert "Ada Lovelace" in exact
    assert "Euro Reader" not in exact
    assert "Ada Lovelace" not in fragment


def test_a_donation_is_found_by_its_provider_payment_id(admin_client, gifts):
    page = search(admin_client, "revenue_donations:index", "pi_paid_ada").content.decode()

    assert "Ada Lovelace" in page
    assert "Changed Mind" not in page


def test_the_appeal_variant_that_earned_a_gift_is_shown(admin_client):
    variant = AppealVariantFactory(
        appeal=AppealFactory(name="Spring letter", variants=[]), label="B"
    )
    DonationFactory(variant=variant)

    page = admin_client.get(reverse("revenue_donations:index")).content.decode()

    assert "Spring letter · B" in page


# Recurring donors ---------------------------------------------------------------------------


@pytest.fixture
def recurring():
    CampaignFactory(currency="usd")
    return {
        "active": RecurringDonationFactory(
            donor=DonorFactory(name="Steady Monthly", email="steady@example.org"),
            amount_minor=1000,
            current_period_end=at(2026, 4, 2),
        ),
        "annual": RecurringDonationFactory(
            donor=DonorFactory(name="Once A Year"), amount_minor=12000, frequency="annual"
        ),
        "past_due": RecurringDonationFactory(
            donor=DonorFactory(name="Card Expired"), status=RecurringDonation.Status.PAST_DUE
        ),
        "cancelled": RecurringDonationFactory(
            donor=DonorFactory(name="Moved On"),
            status=RecurringDonation.Status.CANCELLED,
            cancelled_at=at(2026, 2, 1),
        ),
        "incomplete": RecurringDonationFactory(
            donor=DonorFactory(name="Never Finished"), status=RecurringDonation.Status.INCOMPLETE
        ),
    }


def test_recurring_donors_show_monthly_value_and_next_renewal(admin_client, recurring):
    page = admin_client.get(reverse("revenue_recurring:index")).content.decode()

    assert "$10.00 a month" in page
    assert "$120.00 a year" in page
    assert "Never Finished" not in page  # a checkout that never completed is not a donor
    # Monthly recurring revenue: $10 + $120/12 for the active ones.
    assert "$20.00" in page


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        ("active", ["Steady Monthly", "Once A Year"], ["Card Expired", "Moved On"]),
        ("past_due", ["Card Expired"], ["Steady Monthly", "Moved On"]),
        ("cancelled", ["Moved On"], ["Steady Monthly", "Card Expired"]),
    ],
)
def test_recurring_donors_by_status(admin_client, recurring, status, shown, hidden):
    page = admin_client.get(reverse("revenue_recurring:index"), {"status": status}).content.decode()

    for name in shown:
        assert name in page, name
    for name in hidden:
        assert name not in page, name


def test_recurring_donors_are_found_by_exact_e_mail(admin_client, recurring):
    page = search(admin_client, "revenue_recurring:index", "steady@example.org").content.decode()

    assert "Steady Monthly" in page
    assert "Once A Year" not in page


# Summary reports ----------------------------------------------------------------------------


def test_revenue_by_month_draws_an_accessible_chart_beside_its_table(admin_client, gifts):
    page = admin_client.get(reverse("revenue_by_month:index")).content.decode()

    assert '<svg class="sz-chart__svg"' in page
    assert 'role="img"' in page
    assert '<title id="revenue-chart-title">' in page
    assert '<desc id="revenue-chart-desc">' in page
    assert "<table" in page
    assert "<script" not in page.split('<div class="sz-report">')[1].split("</main>")[0]


def test_chart_coordinates_stay_numbers_in_a_russian_admin(client, gifts):
    user = get_user_model().objects.create_superuser("glavred", "g@newsroom.test", "pw-12345")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ru"
    profile.save()
    client.force_login(user)

    page = client.get(reverse("revenue_by_month:index")).content.decode()

    svg = page[page.index('<svg class="sz-chart__svg"') :].split("</svg>")[0]
    coordinates = re.findall(r' (?:x|y|width|height)="([^"]*)"', svg)
    assert len(coordinates) > 20
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), coordinates


def test_revenue_by_month_can_be_downloaded_as_csv(admin_client, gifts):
    response = admin_client.get(reverse("revenue_by_month:index"), {"export": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert len(rows) == 12
    assert rows[-1]["Month"] == timezone.localdate().strftime("%Y-%m")


def test_revenue_by_month_ignores_an_unknown_currency(admin_client, gifts):
    response = admin_client.get(reverse("revenue_by_month:index"), {"currency": "<xyz>"})

    assert response.status_code == 200
    assert "<xyz>" not in response.content.decode()


def test_the_goal_report_shows_this_months_progress(admin_client):
    CampaignFactory(name="Keep the lights on", goal_minor=1_000_000, currency="usd")
    RecurringDonationFactory(amount_minor=50000)
    DonationFactory(amount_minor=14200, paid_at=timezone.now())

    page = admin_client.get(reverse("revenue_goal:index")).content.decode()

    assert "Keep the lights on" in page
    assert "<strong>$642.00</strong> of $10,000.00 this month" in page
    assert 'aria-valuenow="6"' in page


def test_the_goal_report_without_a_campaign_offers_to_set_one_up(admin_client):
    page = admin_client.get(reverse("revenue_goal:index")).content.decode()

    assert "No campaign is active" in page


def test_appeal_results_show_conversion_per_variant_for_the_chosen_period(admin_client):
    today = timezone.localdate()
    variant = AppealVariantFactory(
        appeal=AppealFactory(name="Spring letter", variants=[]), label="A"
    )
    AppealStatFactory(variant=variant, day=today, impressions=1000, clicks=50, completed=10)
    AppealStatFactory(
        variant=variant, day=today - datetime.timedelta(days=20), impressions=1000, completed=90
    )

    week = admin_client.get(reverse("revenue_appeals:index"), {"days": 7}).content.decode()
    month = admin_client.get(reverse("revenue_appeals:index"), {"days": 30}).content.decode()

    assert "Spring letter" in week
    assert "1.0%" in week and "5.0%" in week  # conversion and click-through
    assert "5.0%" in month  # (10 + 90) / 2000
    assert '<svg class="sz-chart__svg"' in week


@pytest.mark.parametrize("nonsense", ["forever", "365", "-7", ""])
def test_appeal_results_for_a_nonsense_period_are_those_of_the_last_30_days(admin_client, nonsense):
    today = timezone.localdate()
    variant = AppealVariantFactory(
        appeal=AppealFactory(name="Spring letter", variants=[]), label="A"
    )
    AppealStatFactory(variant=variant, day=today, impressions=1000, completed=10)
    AppealStatFactory(
        variant=variant, day=today - datetime.timedelta(days=20), impressions=1000, completed=90
    )
    AppealStatFactory(
        variant=variant, day=today - datetime.timedelta(days=60), impressions=1000, completed=900
    )

    response = admin_client.get(reverse("revenue_appeals:index"), {"days": nonsense})

    assert response.status_code == 200
    page = response.content.decode()
    chosen = re.findall(r'<a href="\?days=(\d+)" aria-current="page">([^<]+)</a>', page)
    assert chosen == [("30", "Last 30 days")]
    assert "Spring letter" in page
    assert "5.0%" in page  # (10 + 90) / 2000: nothing from 60 days ago


# Settings -----------------------------------------------------------------------------------


def test_the_donation_forms_list_links_each_form_to_its_settings(revenue_client):
    form = DonationFormFactory(currency="eur")

    page = revenue_client.get(reverse("wagtailsnippets_support_donationform:list")).text

    edit = reverse("wagtailsnippets_support_donationform:edit", args=[form.pk])
    assert re.search(rf'<a [^>]*href="{edit}"[^>]*>\s*EUR\s*</a>', page), page[:3000]


def donation_form_data(**changes) -> dict:
    return {
        "currency": "USD",
        "offer_once": "on",
        "default_frequency": "once",
        "amounts_once": "10,25",
        "amounts_monthly": "5",
        "amounts_annual": "50",
        "minimum_minor": "2",
        "maximum_minor": "10000",
        **changes,
    }


def test_the_revenue_team_saves_donation_form_settings(revenue_client):
    response = revenue_client.post(
        reverse("wagtailsnippets_support_donationform:add"),
        donation_form_data(
            currency="EUR",
            offer_monthly="on",
            default_frequency="monthly",
            amounts_once="10,25,50",
            amounts_monthly="5,10,20",
            amounts_annual="50,100",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    form = DonationForm.objects.get()
    assert form.currency == "eur"
    # Typed in euros, kept in cents.
    assert (form.minimum_minor, form.maximum_minor) == (200, 1_000_000)


def test_a_maximum_below_the_minimum_is_refused(revenue_client):
    response = revenue_client.post(
        reverse("wagtailsnippets_support_donationform:add"),
        donation_form_data(minimum_minor="20", maximum_minor="5"),
    )

    assert response.status_code == 200
    assert "The maximum cannot be below the minimum." in response.content.decode()
    assert not DonationForm.objects.exists()


def test_the_campaign_form_shows_the_goal_in_dollars_not_cents(revenue_client):
    campaign = CampaignFactory(goal_minor=1_000_000, currency="usd")
    form = DonationFormFactory(currency="usd", minimum_minor=250, maximum_minor=500_000)

    page = revenue_client.get(
        reverse("wagtailsnippets_support_campaign:edit", args=[campaign.pk])
    ).content.decode()
    settings_page = revenue_client.get(
        reverse("wagtailsnippets_support_donationform:edit", args=[form.pk])
    ).content.decode()

    assert re.search(r'<input[^>]*name="goal_minor"[^>]*value="10000"', page), page[:3000]
    assert re.search(r'<input[^>]*name="minimum_minor"[^>]*value="2.50"', settings_page)
    assert re.search(r'<input[^>]*name="maximum_minor"[^>]*value="5000"', settings_page)


@pytest.mark.parametrize(
    ("typed", "stored"), [("10000", 1_000_000), ("10 000", 1_000_000), ("12500.50", 1_250_050)]
)
def test_the_revenue_team_types_the_goal_in_dollars(revenue_client, typed, stored):
    response = revenue_client.post(
        reverse("wagtailsnippets_support_campaign:add"),
        {"name": "Keep the lights on", "goal_minor": typed, "currency": "usd", "active": "on"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Campaign.objects.get().goal_minor == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ten thousand", "Enter the amount in numbers, like 25 or 25.50."),
        ("10,000", "Enter the amount in numbers, like 25 or 25.50."),  # a comma is decimal
        ("12.345", "Enter the amount in numbers, like 25 or 25.50."),
        ("0.50", "Enter at least 1."),
    ],
)
def test_a_goal_that_is_not_an_amount_is_refused_with_a_reason(revenue_client, typed, message):
    response = revenue_client.post(
        reverse("wagtailsnippets_support_campaign:add"),
        {"name": "Keep the lights on", "goal_minor": typed, "currency": "usd", "active": "on"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("currency", "message"),
    [
        ("JPY", "currencies with cents only"),  # the form would charge 100 x what was typed
        ("US$", "three-letter ISO code"),
    ],
)
def test_a_donation_form_in_a_currency_it_cannot_charge_is_refused(
    revenue_client, currency, message
):
    response = revenue_client.post(
        reverse("wagtailsnippets_support_donationform:add"), donation_form_data(currency=currency)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DonationForm.objects.exists()


def test_appeals_are_translatable_snippets_with_a_locale_switcher(admin_client):
    russian, _ = Locale.objects.get_or_create(language_code="ru")
    appeal = AppealVariantFactory(appeal=AppealFactory(name="Spring letter", variants=[])).appeal
    translation = appeal.copy_for_translation(russian)
    translation.name = "Весеннее письмо"
    translation.save()

    listing = admin_client.get(reverse("wagtailsnippets_support_appeal:list")).content.decode()
    editor = admin_client.get(
        reverse("wagtailsnippets_support_appeal:edit", args=[appeal.pk])
    ).content.decode()

    assert 'name="locale" value="ru"' in listing
    assert reverse("wagtailsnippets_support_appeal:edit", args=[translation.pk]) in editor


def test_the_reader_revenue_menu_groups_settings_and_reports(revenue_client):
    page = revenue_client.get(reverse("wagtailadmin_home")).content.decode()

    for label in ("Reader revenue", "Campaigns", "Appeals", "Donations", "Revenue by month"):
        assert label in page, label
