"""Donor data retention, export and erasure: personal data goes, the accounts stay exact."""

from __future__ import annotations

import datetime
import io
import json
import smtplib
import uuid

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from samizdat.core.crypto import EncryptedTextField
from samizdat.core.emails import email_hash
from samizdat.newsletters.models import Delivery, Send, Subscriber
from samizdat.payments.base import PaymentError, ProviderUnavailable
from samizdat.payments.models import WebhookEvent
from samizdat.support.donors.privacy import Retention, anonymise_donor
from samizdat.support.donors.records import find_donor
from samizdat.support.donors.selfservice import donor_for_token, email_manage_link, make_link_token
from samizdat.support.giving import goals
from samizdat.support.giving.checkout import GiftStatus, start_gift
from samizdat.support.giving.receipts import send_receipt_later
from samizdat.support.giving.reminders import send_due_reminders
from samizdat.support.models import AuditEntry, Donation, Donor, RecurringDonation, Reminder
from samizdat.support.revenue import reports
from tests.localstripe import card_token, signed_stripe_event, stripe_event, stripe_get
from tests.newsletters.conftest import subscriber
from tests.payments.test_stripe_provider import deliver_localstripe_events
from tests.support.factories import (
    CampaignFactory,
    DonationFactory,
    DonationFormFactory,
    DonorFactory,
    RecurringDonationFactory,
    ReminderFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def ago(days: int) -> datetime.datetime:
    return timezone.now() - days * DAY


def stored(donor: Donor) -> tuple:
    """The donor's row as the database holds it, not as the model decrypts it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT email, name, email_hash, provider_customer_id FROM support_donor WHERE id = %s",
            [donor.pk],
        )
        return cursor.fetchone()


def figures(today: datetime.date) -> tuple:
    """Everything the revenue team reads: five years of months, recurring summary, the goal."""
    campaign = CampaignFactory._meta.model.objects.get(active=True)
    return (
        reports.revenue_by_month("usd", 60, today),
        reports.recurring_summary("usd"),
        goals.month_progress(campaign, today),
    )


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("donors", "purge", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def donors(provider):
    """Four years of donors: one gone quiet (a customer at the recording fake provider), one
    giving now, one whose monthly gift is still live although nothing happened for years, one
    quiet for 500 days."""
    CampaignFactory(currency="usd", goal_minor=1_000_000)
    old = DonorFactory(
        email="old@example.org",
        name="Olga Old",
        provider_customer_id="cus_old",
        created_at=ago(1500),
    )
    DonationFactory(
        donor=old, amount_minor=5000, provider="fake", created_at=ago(1500), paid_at=ago(1500)
    )
    old_monthly = RecurringDonationFactory(
        donor=old,
        status=RecurringDonation.Status.CANCELLED,
        started_at=ago(1460),
        cancelled_at=ago(1400),
        status_changed_at=ago(1400),
        provider_subscription_id="sub_old",
    )
    DonationFactory(recurring=old_monthly, provider="fake", created_at=ago(1430), paid_at=ago(1430))
    ReminderFactory(email="old@example.org", consented_at=ago(1510), remind_at=ago(1503))
    WebhookEvent.objects.create(
        provider="stripe",
        event_id="evt_old",
        type="charge.succeeded",
        kind="payment_succeeded",
        occurred_at=ago(10),
        received_at=ago(10),  # recent, but it names the old donor's customer
        payload={"customer": "cus_old", "billing_details": {"name": "Olga Old"}},
    )

    recent = DonorFactory(email="recent@example.org", name="Rita Recent", created_at=ago(40))
    DonationFactory(donor=recent, amount_minor=2500, created_at=ago(0), paid_at=ago(0))

    live = DonorFactory(email="live@example.org", name="Lev Live", created_at=ago(1500))
    live_monthly = RecurringDonationFactory(
        donor=live,
        started_at=ago(1500),
        status_changed_at=ago(1500),
        current_period_end=None,
    )
    DonationFactory(recurring=live_monthly, created_at=ago(1500), paid_at=ago(1500))

    quiet = DonorFactory(email="quiet@example.org", name="Quinn Quiet", created_at=ago(500))
    DonationFactory(donor=quiet, amount_minor=4000, created_at=ago(500), paid_at=ago(500))
    return {"old": old, "recent": recent, "live": live, "quiet": quiet}


# Retention periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("400d", datetime.datetime(2025, 2, 24, 10, 0)),
        ("6w", datetime.datetime(2026, 2, 17, 10, 0)),
        ("18m", datetime.datetime(2024, 9, 30, 10, 0)),  # 31 September does not exist
        ("3y", datetime.datetime(2023, 3, 31, 10, 0)),
    ],
)
def test_a_retention_period_counts_back_in_days_weeks_months_or_years(text, expected):
    now = timezone.make_aware(datetime.datetime(2026, 3, 31, 10, 0))

    assert Retention.parse(text).cutoff(now) == timezone.make_aware(expected)


@pytest.mark.parametrize("text", ["", "3", "y", "0y", "3 years", "-1d", "1.5y"])
def test_a_retention_period_that_makes_no_sense_is_refused(text):
    with pytest.raises(ValueError, match="not a retention period"):
        Retention.parse(text)


# The purge --------------------------------------------------------------------------------------


def test_the_purge_removes_address_and_name_of_donors_quiet_for_longer_than_the_period(donors):
    output = purge("--older-than", "3y")

    assert "1 donor anonymised" in output
    old = donors["old"]
    assert stored(old) == ("", "", None, "")
    old.refresh_from_db()
    assert (old.email, old.name, old.anonymous) == ("", "", True)
    assert old.anonymised_at is not None
    assert find_donor("old@example.org") is None
    # The reminder asked for with the same address, and the provider's message naming them.
    assert Reminder.objects.count() == 0
    assert WebhookEvent.objects.get(event_id="evt_old").payload == {}


def test_the_purge_deletes_the_donors_customer_records_at_the_provider(donors, provider):
    output = purge("--older-than", "3y")

    assert provider.calls == [("delete_customer", "cus_old")]
    assert "1 customer record deleted at the payment provider" in output


def test_when_the_provider_is_down_the_purge_keeps_those_donors_and_says_so(donors, provider):
    """Quinn (quiet 500 days, no customer) goes; Olga's customer cannot be deleted, so Olga
    stays whole until a run that can; cron mails the failure."""
    provider.refuse_with = ProviderUnavailable()

    with pytest.raises(CommandError, match=rf"1 inactive donor kept: .*donor {donors['old'].pk}"):
        purge("--older-than", "400d")

    assert Donor.objects.get(pk=donors["old"].pk).email == "old@example.org"
    assert Donor.objects.get(pk=donors["quiet"].pk).anonymised_at is not None
    assert AuditEntry.objects.get(action=AuditEntry.Action.PURGE).records == 1

    provider.refuse_with = None
    purge("--older-than", "400d")

    assert Donor.objects.get(pk=donors["old"].pk).anonymised_at is not None


def test_the_purge_leaves_newsletter_subscriptions_alone(donors):
    subscriber("old@example.org")
    subscriber("old@example.org", "ru", status=Subscriber.Status.UNSUBSCRIBED, email="")

    purge("--older-than", "3y")

    assert Donor.objects.get(pk=donors["old"].pk).email == ""  # the donor did go
    kept = Subscriber.objects.filter(email_hash=email_hash("old@example.org"))
    assert sorted(kept.values_list("language", "email")) == [
        ("en", "old@example.org"),
        ("ru", ""),
    ]


def test_the_purge_keeps_every_gift_so_the_reports_and_the_goal_do_not_move(donors):
    today = timezone.localdate()
    before = figures(today)
    gifts_before = list(
        Donation.objects.order_by("pk").values_list(
            "pk", "amount_minor", "currency", "status", "paid_at", "variant_id", "donor_id"
        )
    )

    purge("--older-than", "3y")

    assert figures(today) == before
    assert before[0][-1].total_minor > 0  # the comparison is not between two empty reports
    assert sum(row.total_minor for row in before[0]) >= 5000 + 2500
    assert (
        list(
            Donation.objects.order_by("pk").values_list(
                "pk", "amount_minor", "currency", "status", "paid_at", "variant_id", "donor_id"
            )
        )
        == gifts_before
    )


def test_the_purge_never_touches_a_donor_whose_recurring_gift_is_live(donors):
    output = purge("--older-than", "3y")

    live = donors["live"]
    assert stored(live)[1:3] != ("", None)
    live.refresh_from_db()
    assert (live.email, live.name) == ("live@example.org", "Lev Live")
    assert "1 inactive donor kept: their recurring gift is still live." in output


def test_the_purge_keeps_donors_who_gave_within_the_period(donors):
    purge("--older-than", "3y")

    for key in ("recent", "quiet"):
        donor = Donor.objects.get(pk=donors[key].pk)
        assert donor.email == f"{key}@example.org"
        assert donor.anonymised_at is None


def test_without_older_than_the_purge_uses_the_configured_retention(donors, settings):
    settings.SAMIZDAT_DONOR_RETENTION = "400d"

    output = purge()

    assert "2 donors anonymised" in output
    assert Donor.objects.get(pk=donors["quiet"].pk).email == ""
    assert Donor.objects.get(pk=donors["recent"].pk).email == "recent@example.org"


def test_a_dry_run_says_what_would_go_and_changes_nothing(donors, provider):
    rows = {pk: stored(Donor(pk=pk)) for pk in Donor.objects.values_list("pk", flat=True)}

    output = purge("--older-than", "3y", "--dry-run")

    assert "Dry run, nothing changed" in output
    assert "anonymise 1 donor" in output
    assert f"donor ids: {donors['old'].pk}" in output
    assert "delete 1 customer record at the payment provider" in output
    assert "old@example.org" not in output
    assert {pk: stored(Donor(pk=pk)) for pk in rows} == rows
    assert Reminder.objects.count() == 1
    assert WebhookEvent.objects.get(event_id="evt_old").payload != {}
    assert not AuditEntry.objects.exists()
    assert provider.calls == []


def test_a_bad_period_is_refused_and_nothing_is_purged(donors):
    with pytest.raises(CommandError, match="not a retention period"):
        purge("--older-than", "three years")

    assert Donor.objects.filter(anonymised_at__isnull=False).count() == 0


def test_a_purge_run_is_written_to_the_audit_log(donors):
    purge("--older-than", "3y")

    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.PURGE
    assert entry.records == 1
    assert entry.filters["older_than"] == "3y"
    assert "(command line)" in entry.username


def test_the_purge_runs_through_the_samizdat_command_line(donors, monkeypatch):
    from samizdat import cli

    monkeypatch.setattr("sys.argv", ["samizdat", "donors", "purge", "--older-than", "3y"])
    # A command run from the command line closes the connections at the end: the test's own.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    cli.main()

    assert Donor.objects.get(pk=donors["old"].pk).anonymised_at is not None


def test_an_anonymised_donors_self_service_links_stop_working():
    donor = DonorFactory()
    token = make_link_token(donor)
    assert donor_for_token(token) == donor

    anonymise_donor(donor)

    assert donor_for_token(token) is None


def test_anonymising_refuses_a_donor_with_a_live_recurring_gift():
    gift = RecurringDonationFactory()

    with pytest.raises(ValueError, match="live recurring gift"):
        anonymise_donor(gift.donor)

    assert Donor.objects.get(pk=gift.donor.pk).email != ""


def test_an_anonymised_donor_who_gives_again_starts_a_new_record():
    from samizdat.support.donors.records import donor_for_checkout

    first = DonorFactory(email="back@example.org")
    anonymise_donor(first)

    again = donor_for_checkout("back@example.org", "Back Again", False, "en")

    assert again.pk != first.pk
    assert Donor.objects.get(pk=first.pk).email == ""


# Data requests in the admin ---------------------------------------------------------------------


def staff(username: str, *codenames: str):
    user = get_user_model().objects.create_user(username, f"{username}@newsroom.test", "pw-12345")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="support", codename__in=codenames),
    )
    return user


@pytest.fixture
def officer_client(client):
    """A member of staff who handles data requests."""
    client.force_login(staff("officer", "export_donor", "erase_donor"))
    return client


@pytest.fixture
def ada(provider):
    """A donor who gave once through the recording fake provider."""
    donor = DonorFactory(email="ada@example.org", name="Ada Lovelace", provider_customer_id="cus_a")
    DonationFactory(donor=donor, amount_minor=2500, provider="fake", provider_payment_id="pi_ada")
    ReminderFactory(email="ada@example.org")
    return donor


@pytest.fixture
def ada_reads_newsletters(ada):
    """Ada's digest in English (one delivery refused, its error quoting her address) and her
    Russian subscription she left; Grace reads the same digest."""
    mine = subscriber("ada@example.org")
    subscriber("ada@example.org", "ru", status=Subscriber.Status.UNSUBSCRIBED, email="")
    grace = subscriber("grace@example.org")
    send = Send.objects.create(
        kind=Send.Kind.DIGEST,
        language="en",
        key="digest:en:2026-01-05",
        subject="Morning digest",
        html_body="<p>News</p>",
        text_body="News",
        covers_until=timezone.now(),
    )
    Delivery.objects.create(
        send=send,
        subscriber=mine,
        batch=0,
        status=Delivery.Status.FAILED,
        error="550 <ada@example.org>: mailbox full",
    )
    Delivery.objects.create(send=send, subscriber=grace, batch=0, status=Delivery.Status.SENT)
    return grace


def assert_no_clear_address(entry: AuditEntry, *addresses: str) -> None:
    text = json.dumps(
        [entry.username, entry.report, entry.filters, entry.action, entry.donor_id], default=str
    )
    for address in addresses:
        assert address not in text


def test_staff_find_a_donor_by_exact_address_and_see_their_gifts(officer_client, ada):
    response = officer_client.post(reverse("donor_data:search"), {"email": " Ada@Example.org "})

    assert response.status_code == 302
    page = officer_client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "ada@example.org" in content
    assert "Ada Lovelace" in content
    assert "$25.00" in content
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.donor_id, entry.username) == ("view_donor", ada.pk, "officer")
    assert_no_clear_address(entry, "ada@example.org")


def test_an_unknown_or_partial_address_finds_nobody(officer_client, ada):
    for query in ("nobody@example.org", "ada@example"):
        response = officer_client.post(reverse("donor_data:search"), {"email": query})
        assert response.status_code == 200
        assert "Ada Lovelace" not in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_the_export_is_json_with_everything_stored_about_the_donor(officer_client, ada):
    response = officer_client.get(reverse("donor_data:export", args=[ada.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["donor"]["email"] == "ada@example.org"
    assert data["donor"]["name"] == "Ada Lovelace"
    assert data["donor"]["provider_customer_id"] == "cus_a"
    assert [(d["amount_minor"], d["provider_payment_id"]) for d in data["donations"]] == [
        (2500, "pi_ada")
    ]
    assert [r["email"] for r in data["reminders"]] == ["ada@example.org"]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.donor_id, entry.username) == ("export_donor", ada.pk, "officer")
    assert entry.records == 3  # the donor, a gift and a reminder
    assert_no_clear_address(entry, "ada@example.org")


def test_opening_the_erase_page_erases_nothing(officer_client, ada):
    response = officer_client.get(reverse("donor_data:erase", args=[ada.pk]))

    assert response.status_code == 200
    assert "Yes, erase this donor" in response.content.decode()
    assert Donor.objects.get(pk=ada.pk).email == "ada@example.org"
    assert not AuditEntry.objects.filter(action="erase_donor").exists()


def test_erasing_a_donor_keeps_their_gifts_without_address_or_name(officer_client, ada):
    response = officer_client.post(reverse("donor_data:erase", args=[ada.pk]))

    assert response.status_code == 302
    assert stored(ada) == ("", "", None, "")
    assert Reminder.objects.count() == 0
    gift = Donation.objects.get(donor=ada)
    assert (gift.amount_minor, gift.currency, gift.status) == (2500, "usd", "paid")
    entry = AuditEntry.objects.get(action="erase_donor")
    assert (entry.donor_id, entry.username) == (ada.pk, "officer")
    assert_no_clear_address(entry, "ada@example.org")


def test_the_erase_page_says_which_newsletter_subscriptions_and_customer_go_too(
    officer_client, ada, ada_reads_newsletters
):
    response = officer_client.get(reverse("donor_data:erase", args=[ada.pk]))

    content = " ".join(response.content.decode().split())
    assert "2 newsletter subscriptions with their e-mail address will be removed too" in content
    assert "Their customer record at the payment provider (cus_a) will be deleted too." in content
    assert Subscriber.objects.filter(email_hash=email_hash("ada@example.org")).count() == 2


def test_erasing_a_donor_removes_their_newsletter_subscriptions_and_no_one_elses(
    officer_client, ada, ada_reads_newsletters
):
    grace = ada_reads_newsletters

    response = officer_client.post(reverse("donor_data:erase", args=[ada.pk]), follow=True)

    assert "2 newsletter subscriptions with their address were removed" in response.text
    assert not Subscriber.objects.filter(email_hash=email_hash("ada@example.org")).exists()
    assert not Delivery.objects.filter(error__contains="ada@example.org").exists()
    assert list(Subscriber.objects.values_list("pk", "email", "status")) == [
        (grace.pk, "grace@example.org", Subscriber.Status.ACTIVE)
    ]
    assert Delivery.objects.get().subscriber == grace
    entry = AuditEntry.objects.get(action="erase_donor")
    assert entry.filters["newsletter_subscriptions_removed"] == 2


def test_erasing_a_donor_deletes_their_customer_at_the_provider(officer_client, ada, provider):
    officer_client.post(reverse("donor_data:erase", args=[ada.pk]))

    assert provider.calls == [("delete_customer", "cus_a")]
    assert stored(ada) == ("", "", None, "")


@pytest.fixture
def ada_gave_before(ada):
    """Two earlier checkouts of Ada's, each of which made a customer at the provider; the
    donor record names only the latest customer (cus_a)."""
    for days, customer_id, status in ((60, "cus_first", "paid"), (30, "cus_declined", "failed")):
        DonationFactory(
            donor=ada,
            provider="fake",
            provider_customer_id=customer_id,
            status=status,
            created_at=ago(days),
        )
    return ada


def test_the_erase_page_names_every_customer_of_a_donor_who_gave_more_than_once(
    officer_client, ada_gave_before
):
    response = officer_client.get(reverse("donor_data:erase", args=[ada_gave_before.pk]))

    content = " ".join(response.content.decode().split())
    assert (
        "Their 3 customer records at the payment provider (cus_first, cus_declined, cus_a) "
        "will be deleted too." in content
    )


def test_erasing_a_donor_who_gave_more_than_once_deletes_every_customer(
    officer_client, ada_gave_before, provider
):
    exported = officer_client.get(reverse("donor_data:export", args=[ada_gave_before.pk]))
    assert {d["provider_customer_id"] for d in exported.json()["donations"]} == {
        "",
        "cus_first",
        "cus_declined",
    }

    officer_client.post(reverse("donor_data:erase", args=[ada_gave_before.pk]))

    assert provider.calls == [
        ("delete_customer", "cus_first"),
        ("delete_customer", "cus_declined"),
        ("delete_customer", "cus_a"),
    ]
    assert stored(ada_gave_before) == ("", "", None, "")
    assert not Donation.objects.exclude(provider_customer_id="").exists()


def test_when_the_provider_is_down_nothing_is_erased_and_a_retry_erases(
    officer_client, ada, ada_reads_newsletters, provider
):
    provider.refuse_with = ProviderUnavailable()

    response = officer_client.post(reverse("donor_data:erase", args=[ada.pk]), follow=True)

    assert "did not delete the donor&#x27;s customer record" in response.text
    assert "Nothing was erased" in response.text
    assert stored(ada)[3] == "cus_a"
    assert Donor.objects.get(pk=ada.pk).email == "ada@example.org"
    assert Subscriber.objects.filter(email_hash=email_hash("ada@example.org")).count() == 2
    assert Reminder.objects.count() == 1
    assert not AuditEntry.objects.filter(action="erase_donor").exists()

    provider.refuse_with = None
    officer_client.post(reverse("donor_data:erase", args=[ada.pk]))

    assert stored(ada) == ("", "", None, "")
    assert not Subscriber.objects.filter(email_hash=email_hash("ada@example.org")).exists()


def test_a_provider_no_longer_configured_is_named_and_nothing_is_erased(officer_client, ada):
    ada.donations.update(provider="retired")

    response = officer_client.post(reverse("donor_data:erase", args=[ada.pk]), follow=True)

    assert response.status_code == 200
    assert "No payment provider named &#x27;retired&#x27; is configured" in response.text
    assert "Nothing was erased" in response.text
    assert Donor.objects.get(pk=ada.pk).email == "ada@example.org"


def test_erasure_needs_the_csrf_token(client, ada):
    client = client.__class__(enforce_csrf_checks=True)
    client.force_login(staff("officer", "export_donor", "erase_donor"))

    response = client.post(reverse("donor_data:erase", args=[ada.pk]))

    assert response.status_code == 403
    assert Donor.objects.get(pk=ada.pk).email == "ada@example.org"


def test_erasing_a_donor_cancels_their_live_recurring_gift_with_the_provider_first(
    officer_client, provider
):
    gift = RecurringDonationFactory(
        provider="fake", provider_subscription_id="sub_live", donor__provider_customer_id="cus_l"
    )
    page = officer_client.get(reverse("donor_data:erase", args=[gift.donor.pk]))
    assert "sub_live" in page.content.decode()  # staff see what will be cancelled

    officer_client.post(reverse("donor_data:erase", args=[gift.donor.pk]))

    assert provider.calls == [("cancel_recurring", "sub_live"), ("delete_customer", "cus_l")]
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.CANCELLED
    assert Donor.objects.get(pk=gift.donor.pk).email == ""


def test_when_the_provider_refuses_to_cancel_nothing_is_erased(officer_client, provider):
    gift = RecurringDonationFactory(provider="fake")
    provider.refuse_with = PaymentError("No such subscription")

    response = officer_client.post(reverse("donor_data:erase", args=[gift.donor.pk]), follow=True)

    assert "Nothing was erased" in response.content.decode()
    assert Donor.objects.get(pk=gift.donor.pk).email == gift.donor.email
    assert not AuditEntry.objects.filter(action="erase_donor").exists()


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "donor_data:search"),
        ("post", "donor_data:search"),
        ("get", "donor_data:donor"),
        ("get", "donor_data:export"),
        ("get", "donor_data:erase"),
        ("post", "donor_data:erase"),
    ],
)
def test_the_revenue_team_without_the_permission_is_refused(client, ada, method, url_name):
    user = staff("fundraiser")
    user.groups.add(Group.objects.get(name="Revenue team"))
    client.force_login(user)
    args = [] if url_name == "donor_data:search" else [ada.pk]

    response = getattr(client, method)(reverse(url_name, args=args))

    assert response.status_code == 403
    assert Donor.objects.get(pk=ada.pk).email == "ada@example.org"
    assert not AuditEntry.objects.exists()


def test_exporting_does_not_let_staff_erase(client, ada):
    client.force_login(staff("helper", "export_donor"))

    assert client.get(reverse("donor_data:donor", args=[ada.pk])).status_code == 200
    assert "Erase this donor" not in client.get(reverse("donor_data:donor", args=[ada.pk])).text
    assert client.post(reverse("donor_data:erase", args=[ada.pk])).status_code == 403
    assert Donor.objects.get(pk=ada.pk).email == "ada@example.org"


# No plaintext trace of a donor once erased, anywhere in the database -----------------------------

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DONOR_EMAIL = "Zlata.Donor@Example.org"
# Latin letters: JSON columns escape other scripts (\u0417…), which a grep would not find.
DONOR_NAME = "Zlata Kovalenko"
TRACES = (DONOR_EMAIL.lower(), DONOR_NAME.lower(), "kovalenko")


def database_dump() -> str:
    """Every row of every table as text, as a backup would hold it: SQLite's own dump, or on
    PostgreSQL each table's rows as the database writes them out."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} t")
            rows.extend(row[0] for row in cursor.fetchall())
    return "\n".join(rows)


def decrypted_columns() -> str:
    """What every encrypted column holds, decrypted: the dump shows only Fernet tokens."""
    values = []
    for model in django_apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            for row in model._base_manager.values_list(*fields):
                values.extend(str(value) for value in row)
    return "\n".join(values)


def run_queued_tasks() -> None:
    """What `samizdat db_worker` does with each waiting task: run it, store how it went."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.READY):
        worker.run_task(result)


def post_webhook(client, event: dict):
    body, headers = signed_stripe_event(event)
    return client.post(
        reverse("payments:webhook", args=["stripe"]),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": headers["Stripe-Signature"]},
    )


def test_after_an_erasure_no_table_holds_the_donors_address_or_name(
    client, stripe_settings, settings, mailoutbox
):
    """A card gift, a monthly one, their receipts and webhooks, a "remind me later" and a
    manage link; then an erasure, and Stripe's customer.deleted arriving after it. A dump of
    the database, every table, shows neither the donor's address nor their name."""
    settings.TASKS = DATABASE_TASKS  # receipts and links wait in the database, as in production
    localstripe = stripe_settings["api_base"]
    DonationFormFactory(currency="usd")
    ReminderFactory(email=DONOR_EMAIL.lower())
    for frequency in ("once", "monthly"):
        outcome = start_gift(
            amount_minor=2500,
            currency="usd",
            frequency=frequency,
            email=DONOR_EMAIL,
            name=DONOR_NAME,
            anonymous=False,
            language="ru",
            payment_token=card_token(localstripe),
            checkout_key=uuid.uuid4().hex,
        )
        assert outcome.status == GiftStatus.PAID
    donor = outcome.donation.donor
    email_manage_link(DONOR_EMAIL, "ru")
    run_queued_tasks()
    assert len(mailoutbox) == 3  # two receipts and the link: the tasks did run
    assert {r.status_code for r in deliver_localstripe_events(client, localstripe)} == {200}
    at_stripe = stripe_get(localstripe, "customers", limit=100)["data"]
    assert [(c["email"], c["name"]) for c in at_stripe] == [(None, None)] * 2  # nor does Stripe
    customers = [c["id"] for c in at_stripe]

    client.force_login(staff("officer", "export_donor", "erase_donor"))
    client.post(reverse("donor_data:search"), {"email": DONOR_EMAIL})
    assert client.post(reverse("donor_data:erase", args=[donor.pk])).status_code == 302
    assert Donor.objects.get(pk=donor.pk).anonymised_at is not None
    # What Stripe sends after the erasure: the cancellation and the deletions localstripe made,
    # then a customer.deleted as live Stripe sends it for a customer someone gave an address
    # and a name on Stripe's dashboard.
    assert {r.status_code for r in deliver_localstripe_events(client, localstripe)} == {200}
    late = stripe_event(
        "customer.deleted",
        {
            "id": customers[0],
            "object": "customer",
            "created": 1790000000,
            "email": DONOR_EMAIL.lower(),
            "name": DONOR_NAME,
            "description": f"{DONOR_NAME}, monthly donor",
            "address": {"line1": "Prospekt Mira 1", "city": "Moscow", "country": "RU"},
            "phone": "+7 495 000 00 00",
            "metadata": {"donation_id": str(outcome.donation.pk), "donor": DONOR_NAME},
        },
        "evt_late_customer_deleted",
    )
    assert post_webhook(client, late).status_code == 200

    dump = database_dump().lower()
    # The dump does see the rows: the late event, the gifts and the tasks are in it.
    assert "evt_late_customer_deleted" in dump and customers[0].lower() in dump
    assert outcome.donation.provider_payment_id.lower() in dump
    assert "send_manage_link" in dump
    assert [trace for trace in TRACES if trace in dump] == []
    decrypted = decrypted_columns().lower()
    assert [trace for trace in TRACES if trace in decrypted] == []


# Logs and stored task results name no address -----------------------------------------------------


class RefusingMailBackend:
    """A mail server that refuses the recipient, quoting the address as servers do."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        to = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({to: (550, f"5.1.1 <{to}>: no such mailbox".encode())})


def test_a_refused_receipt_or_link_is_logged_and_stored_without_the_address(settings, caplog):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailBackend"
    donor = DonorFactory(email=DONOR_EMAIL.lower(), name=DONOR_NAME)
    donation = DonationFactory(donor=donor)

    send_receipt_later(donation.pk)
    email_manage_link(DONOR_EMAIL, "en")
    run_queued_tasks()

    results = list(DBTaskResult.objects.all())
    assert [r.status for r in results] == [TaskResultStatus.FAILED] * 2
    stored = json.dumps(
        [[r.args_kwargs, r.return_value, r.exception_class_path, r.traceback] for r in results]
    ).lower()
    assert "smtprecipientsrefused (550)" in stored
    assert caplog.records  # the failures were logged, with their tracebacks
    assert "SMTPRecipientsRefused (550)" in caplog.text
    for trace in TRACES:
        assert trace not in stored
        assert trace not in caplog.text.lower()


def test_a_refused_reminder_is_logged_without_the_address(settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailBackend"
    ReminderFactory(email=DONOR_EMAIL.lower())

    assert send_due_reminders.call() == {"sent": 0, "skipped": 0, "failed": 1}

    assert "SMTPRecipientsRefused (550)" in caplog.text
    assert DONOR_EMAIL.lower() not in caplog.text.lower()
