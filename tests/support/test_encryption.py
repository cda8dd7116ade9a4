"""Donors' and readers' addresses and names are encrypted at rest, under keys that can rotate."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from samizdat.core.crypto import DecryptionError
from samizdat.core.emails import email_hash
from samizdat.newsletters.models import Subscriber
from samizdat.newsletters.subscriptions import subscribe
from samizdat.support.donors.records import donor_for_checkout, find_donor
from samizdat.support.models import Donor, Reminder

pytestmark = pytest.mark.django_db

ADDRESS = "vera.secret@example.org"
NAME = "Vera Secret"
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def raw_rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def every_stored_value():
    """Every value of every column of every table, as the database holds it."""
    qn = connection.ops.quote_name
    for table in connection.introspection.table_names():
        for row in raw_rows(f"SELECT * FROM {qn(table)}"):  # noqa: S608
            for value in row:
                if isinstance(value, bytes | memoryview):
                    value = bytes(value).decode("utf-8", "replace")
                if isinstance(value, str):
                    yield table, value


def remind(address: str) -> Reminder:
    return Reminder.objects.create(
        email=address,
        email_hash=email_hash(address),
        remind_at=timezone.now() + datetime.timedelta(days=7),
        consent_text="Remind me once.",
    )


def test_the_database_never_holds_a_donors_address_or_name_in_clear():
    donor = donor_for_checkout(ADDRESS, NAME, False, "en")
    remind(ADDRESS)
    subscribe(ADDRESS, "en", digest=True, breaking=False)

    [(stored_email, stored_name)] = raw_rows("select email, name from support_donor")
    [(reminder_email,)] = raw_rows("select email from support_reminder")
    [(subscriber_email,)] = raw_rows("select email from newsletters_subscriber")
    for stored in (stored_email, stored_name, reminder_email, subscriber_email):
        assert stored.startswith("f1:")
        assert "vera" not in stored.lower() and "secret" not in stored.lower()
    # The same address encrypts differently every time: equal values do not show.
    assert len({stored_email, reminder_email, subscriber_email}) == 3

    leaks = [
        table
        for table, value in every_stored_value()
        if ADDRESS in value.lower() or NAME.lower() in value.lower()
    ]
    assert leaks == []

    # The application still reads the clear values.
    donor = Donor.objects.get(pk=donor.pk)
    assert (donor.email, donor.name) == (ADDRESS, NAME)
    assert Reminder.objects.get().email == ADDRESS
    assert Subscriber.objects.get().email == ADDRESS


def test_an_anonymous_donor_has_no_name_stored():
    donor = donor_for_checkout(ADDRESS, NAME, True, "en")

    assert raw_rows("select name from support_donor") == [("",)]
    assert Donor.objects.get(pk=donor.pk).name == ""
    assert Donor.objects.filter(name="").count() == 1


def test_donors_are_found_by_address_through_the_keyed_hash():
    donor = donor_for_checkout("  Vera.Secret@Example.org ", NAME, False, "en")

    assert find_donor(ADDRESS) == donor
    assert find_donor("someone.else@example.org") is None
    # A second checkout from the same address finds the same donor; only its payment may
    # rename them (tests/support/test_ledger.py).
    assert donor_for_checkout(ADDRESS, "V. S.", False, "en") == donor
    assert Donor.objects.get().name == NAME


def test_filtering_on_an_encrypted_field_is_refused_instead_of_finding_nothing():
    donor_for_checkout(ADDRESS, NAME, False, "en")

    with pytest.raises(FieldError, match="email_hash"):
        Donor.objects.filter(email=ADDRESS).count()
    with pytest.raises(FieldError):
        Donor.objects.filter(name__icontains="vera").count()


def test_key_rotation():
    with override_settings(SAMIZDAT_ENCRYPTION_KEYS=[KEY_A]):
        donor = donor_for_checkout(ADDRESS, NAME, False, "en")
        remind(ADDRESS)
        subscribe(ADDRESS, "en", digest=True, breaking=False)
        written_with_a = raw_rows("select email, name from support_donor")

    # A new key first: rows written with the old key still read.
    with override_settings(SAMIZDAT_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert Donor.objects.get(pk=donor.pk).email == ADDRESS
        output = io.StringIO()
        call_command("rotate_donor_keys", stdout=output)
    assert "3 rows re-encrypted" in output.getvalue()
    assert raw_rows("select email, name from support_donor") != written_with_a

    # Once rotated, the old key can go.
    with override_settings(SAMIZDAT_ENCRYPTION_KEYS=[KEY_B]):
        donor = Donor.objects.get(pk=donor.pk)
        assert (donor.email, donor.name) == (ADDRESS, NAME)
        assert Reminder.objects.get().email == ADDRESS
        assert Subscriber.objects.get().email == ADDRESS

    with override_settings(SAMIZDAT_ENCRYPTION_KEYS=[KEY_A]), pytest.raises(DecryptionError):
        Donor.objects.get(pk=donor.pk)


def test_a_wrong_key_is_a_clear_error_not_garbage():
    with override_settings(SAMIZDAT_ENCRYPTION_KEYS=[KEY_A]):
        donor = donor_for_checkout(ADDRESS, NAME, False, "en")

    with override_settings(SAMIZDAT_ENCRYPTION_KEYS=[KEY_B]):
        with pytest.raises(DecryptionError, match="SAMIZDAT_ENCRYPTION_KEYS"):
            Donor.objects.get(pk=donor.pk)
        # Lookups by hash do not need the key; reading the address does.
        assert Donor.objects.filter(email_hash=email_hash(ADDRESS)).exists()
