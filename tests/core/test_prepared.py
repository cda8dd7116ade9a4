"""Prepared lookups: the ORM's query built once, then run with each call's values, giving
what the QuerySet itself gives."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from samizdat.core.prepared import Prepared
from samizdat.support.models import RecurringDonation
from tests.support.factories import DonorFactory, RecurringDonationFactory

pytestmark = pytest.mark.django_db


def gifts_of(subscription_id: str):
    return (
        RecurringDonation.objects.select_for_update()
        .select_related("donor")
        .filter(provider="stripe", provider_subscription_id=subscription_id)
        .order_by("pk")
    )


def test_a_prepared_lookup_gives_the_querysets_rows_with_their_related_objects():
    donor = DonorFactory(email="lookup@example.org", name="Looked Up")
    gift = RecurringDonationFactory(donor=donor, provider_subscription_id="sub_one")
    RecurringDonationFactory(provider_subscription_id="sub_other")
    lookup = Prepared(RecurringDonation, gifts_of)

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        (found,) = lookup("sub_one")
        # The donor came with it (select_related), its address decrypted: no other query.
        assert found.donor.email == "lookup@example.org"
        assert found.donor.name == "Looked Up"
    assert len(queries) == 1
    with transaction.atomic():
        (expected,) = gifts_of("sub_one")
    fields = [f.attname for f in RecurringDonation._meta.concrete_fields]
    assert [getattr(found, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert found.pk == gift.pk
    assert found._state.adding is False and found._state.db == "default"


def test_each_call_runs_with_its_own_values_and_the_queryset_is_built_once():
    RecurringDonationFactory(provider_subscription_id="sub_a", amount_minor=500)
    RecurringDonationFactory(provider_subscription_id="sub_b", amount_minor=700)
    built = []

    def build(subscription_id):
        built.append(subscription_id)
        return gifts_of(subscription_id)

    lookup = Prepared(RecurringDonation, build)
    with transaction.atomic():
        assert [g.amount_minor for g in lookup("sub_a")] == [500]
        assert [g.amount_minor for g in lookup("sub_b")] == [700]
        assert lookup("sub_c") == []
    assert len(built) == 1


def test_a_value_is_sent_as_a_parameter_never_as_sql():
    RecurringDonationFactory(provider_subscription_id="sub_a")
    lookup = Prepared(RecurringDonation, gifts_of)
    with transaction.atomic():
        assert lookup("sub_a' OR '1'='1") == []
        assert lookup("x') OR 1=1 --") == []
        assert len(lookup("sub_a")) == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_locking_lookup_does_what_the_queryset_does():
    RecurringDonationFactory(provider_subscription_id="sub_a")
    lookup = Prepared(RecurringDonation, gifts_of)
    with transaction.atomic():
        lookup("sub_a")  # compiled inside a transaction, as the ledger first runs it

    def outcome(run):
        try:
            return len(run())
        except TransactionManagementError:
            return "refused"

    # Where the database locks rows (PostgreSQL), Django refuses a lock that would end at once.
    expected = "refused" if connection.features.has_select_for_update else 1
    assert outcome(lambda: list(gifts_of("sub_a"))) == expected
    assert outcome(lambda: lookup("sub_a")) == expected


def test_a_lookup_refuses_what_it_cannot_prepare():
    with transaction.atomic():
        with pytest.raises(TypeError):
            Prepared(RecurringDonation, gifts_of)(42)
        unused = Prepared(RecurringDonation, lambda a, b: gifts_of(a))
        with pytest.raises(ValueError, match=r"\[1\]"):
            unused("sub_a", "sub_b")
