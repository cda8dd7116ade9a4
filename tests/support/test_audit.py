"""The audit log of donor personal data: every look is written down, and nobody rewrites it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from samizdat.support.donors import audit
from samizdat.support.models import AuditEntry, AuditLogIsAppendOnly
from tests.support.factories import DonationFactory, DonorFactory, RecurringDonationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit.record(None, audit.Action.PURGE, records=3, username="cron (command line)")


@pytest.fixture
def fundraiser():
    user = get_user_model().objects.create_user("fundraiser", "f@newsroom.test", "pw-12345")
    user.groups.add(Group.objects.get(name="Revenue team"))
    return user


@pytest.fixture
def revenue_client(client, fundraiser):
    client.force_login(fundraiser)
    return client


@pytest.fixture
def chief_client(client):
    chief = get_user_model().objects.create_superuser("chief", "chief@newsroom.test", "pw-chief-1")
    client.force_login(chief)
    return client


@pytest.fixture
def ada():
    donor = DonorFactory(email="ada@example.org", name="Ada Lovelace")
    DonationFactory(donor=donor, amount_minor=2500)
    DonationFactory(donor=DonorFactory(name="Ben Other"), amount_minor=1000)
    return donor


def only_entry() -> AuditEntry:
    return AuditEntry.objects.get()


def entry_text(entry: AuditEntry) -> str:
    return json.dumps([entry.username, entry.report, entry.filters, entry.donor_id], default=str)


# Nobody rewrites the log --------------------------------------------------------------------


def test_an_entry_cannot_be_changed_through_the_models(entry):
    entry.username = "someone else"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(records=0)

    assert AuditEntry.objects.get(pk=entry.pk).username == "cron (command line)"


def test_an_entry_cannot_be_deleted_through_the_models(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE support_auditentry SET username = 'someone else'",
        "UPDATE support_auditentry SET records = 0 WHERE id = %s",
        "DELETE FROM support_auditentry",
        "DELETE FROM support_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(entry, sql):
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk] if "%s" in sql else None)

    with connection.cursor() as cursor:
        cursor.execute("SELECT username, records FROM support_auditentry")
        assert cursor.fetchall() == [("cron (command line)", 3)]


def test_new_entries_can_still_be_written(entry):
    audit.record(None, audit.Action.PURGE, username="cron (command line)")

    assert AuditEntry.objects.count() == 2


# Reports that show donors are logged ----------------------------------------------------------


def test_opening_the_donations_report_is_logged_with_its_filters(revenue_client, fundraiser, ada):
    response = revenue_client.get(
        reverse("revenue_donations:index"), {"status": "paid", "currency": "usd"}
    )

    assert response.status_code == 200
    entry = only_entry()
    assert entry.action == AuditEntry.Action.VIEW_REPORT
    assert (entry.user_id, entry.username) == (fundraiser.pk, "fundraiser")
    assert entry.report == "donations"
    assert entry.filters == {"status": "paid", "currency": "usd"}
    assert entry.records == 2


def test_the_csv_export_is_logged_with_the_number_of_rows(revenue_client, ada):
    response = revenue_client.get(reverse("revenue_donations:index"), {"export": "csv"})
    b"".join(response.streaming_content)

    entry = only_entry()
    assert entry.action == AuditEntry.Action.EXPORT_REPORT
    assert (entry.report, entry.records, entry.filters) == ("donations", 2, {})


def test_a_search_by_address_is_logged_as_the_donor_found_not_the_address(revenue_client, ada):
    url = reverse("revenue_donations:index")
    found = revenue_client.post(url, {"query": "Ada@example.org"})
    response = revenue_client.get(found["Location"] + "&export=xlsx")
    b"".join(response.streaming_content)

    entry = only_entry()
    assert entry.filters == {"donor": str(ada.pk)}
    assert entry.records == 1
    assert "ada@example.org" not in entry_text(entry).lower()


def test_the_recurring_donors_report_and_its_results_fragment_are_logged(revenue_client):
    RecurringDonationFactory(donor=DonorFactory(name="Ruth Monthly"))

    revenue_client.get(reverse("revenue_recurring:index"))
    revenue_client.get(reverse("revenue_recurring:index_results"), {"status": "active"})

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.action, e.report, e.records) for e in entries] == [
        ("view_report", "recurring-donors", 1),
        ("view_report", "recurring-donors", 1),
    ]
    assert entries[1].filters == {"status": "active"}


def test_the_dashboard_logs_the_names_it_shows(revenue_client, ada):
    page = revenue_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Ada Lovelace" in page
    entry = only_entry()
    assert (entry.report, entry.records) == ("dashboard", 2)


def test_reports_without_donors_are_not_logged(revenue_client, ada):
    for name in ("revenue_by_month:index", "revenue_goal:index", "revenue_appeals:index"):
        assert revenue_client.get(reverse(name)).status_code == 200

    assert not AuditEntry.objects.exists()


# Reading the log ----------------------------------------------------------------------------


def test_superusers_read_the_log_and_filter_it(chief_client, entry):
    audit.record(None, audit.Action.EXPORT_DONOR, donor_id=42, username="officer")

    page = chief_client.get(reverse("donor_audit_log:index")).content.decode()
    assert "cron (command line)" in page
    assert "officer" in page

    filtered = chief_client.get(reverse("donor_audit_log:index"), {"action": "export_donor"})
    assert "officer" in filtered.content.decode()
    assert "cron (command line)" not in filtered.content.decode()


def test_the_revenue_team_cannot_read_the_log(revenue_client, entry):
    response = revenue_client.get(reverse("donor_audit_log:index"))

    assert response.status_code == 403
    assert "cron (command line)" not in response.content.decode()


def test_the_menu_shows_the_audit_log_to_superusers_only(chief_client, client, fundraiser):
    assert "Audit log" in chief_client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(fundraiser)
    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200  # the fundraiser's own dashboard, not a way out of it
    page = response.content.decode()
    assert "Reader revenue" in page and "Recurring donors" in page
    assert "Audit log" not in page
