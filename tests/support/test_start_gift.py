"""start_gift: the last line before money moves. A provider double records what it is asked."""

from __future__ import annotations

import uuid

import pytest

from samizdat.payments.base import (
    CheckoutRequest,
    CheckoutResult,
    CheckoutStatus,
    PaymentError,
    ProviderUnavailable,
)
from samizdat.support.giving.checkout import GiftStatus, confirm_gift, start_gift
from samizdat.support.models import Donation, Donor, RecurringDonation
from tests.support.factories import AppealFactory, DonationFormFactory

pytestmark = pytest.mark.django_db


class ProviderDouble:
    name = "stripe"

    def __init__(self, result: CheckoutResult | None = None, error: Exception | None = None):
        self.result = result or CheckoutResult(
            CheckoutStatus.SUCCEEDED, payment_id=f"pi_{uuid.uuid4().hex[:10]}", customer_id="cus_1"
        )
        self.error = error
        self.requests: list[CheckoutRequest] = []
        self.status_asked: list[str] = []
        self.status_result: CheckoutResult | None = None

    def start_checkout(self, request: CheckoutRequest) -> CheckoutResult:
        self.requests.append(request)
        if self.error:
            raise self.error
        return self.result

    def payment_status(self, payment_id: str) -> CheckoutResult:
        self.status_asked.append(payment_id)
        return self.status_result or self.result


@pytest.fixture(autouse=True)
def usd_form():
    return DonationFormFactory(currency="usd", offer_annual=False, minimum_minor=200)


def give(provider, **overrides):
    gift = {
        "amount_minor": 2500,
        "currency": "usd",
        "frequency": "once",
        "email": "Ada@Example.org",
        "name": "Ada",
        "anonymous": False,
        "language": "en",
        "payment_token": "tok_visa",
        "checkout_key": uuid.uuid4().hex,
        "provider": provider,
        **overrides,
    }
    return start_gift(**gift)


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"amount_minor": 199}, id="below the minimum"),
        pytest.param({"amount_minor": 0}, id="zero"),
        pytest.param({"amount_minor": -500}, id="negative"),
        pytest.param({"amount_minor": 1_000_001}, id="above the maximum"),
        pytest.param({"amount_minor": 25.0}, id="a float"),
        pytest.param({"amount_minor": "2500"}, id="a string"),
        pytest.param({"amount_minor": True}, id="a boolean"),
        pytest.param({"currency": "eur"}, id="a currency not offered"),
        pytest.param({"frequency": "annual"}, id="a frequency not offered"),
        pytest.param({"frequency": "weekly"}, id="not a frequency"),
        pytest.param({"checkout_key": ""}, id="no checkout key"),
        pytest.param({"checkout_key": "k" * 65}, id="a checkout key too long"),
        pytest.param({"email": ""}, id="no e-mail"),
        pytest.param({"variant_id": "1 OR 1=1"}, id="a tampered variant"),
    ],
)
def test_a_gift_the_form_does_not_offer_is_refused_and_changes_nothing(overrides):
    provider = ProviderDouble()

    with pytest.raises(ValueError):
        give(provider, **overrides)

    assert provider.requests == []
    assert not Donation.objects.exists()
    assert not Donor.objects.exists()


def test_a_paid_gift_is_recorded_with_what_the_provider_needs():
    variant = AppealFactory().variants.get()
    provider = ProviderDouble()

    outcome = give(provider, variant_id=variant.pk, language="ru", currency="USD")

    assert outcome.status == GiftStatus.PAID
    request = provider.requests[0]
    assert (request.amount_minor, request.currency, request.frequency) == (2500, "usd", "once")
    assert request.idempotency_key == outcome.donation.idempotency_key
    assert request.metadata == {
        "donation_id": str(outcome.donation.pk),
        "variant_id": str(variant.pk),
    }
    assert outcome.donation.variant == variant
    assert outcome.donation.donor.provider_customer_id == "cus_1"


def test_a_variant_that_no_longer_exists_gets_no_credit_but_the_gift_goes_through():
    outcome = give(ProviderDouble(), variant_id=987654)

    assert outcome.status == GiftStatus.PAID
    assert outcome.donation.variant is None


def test_the_provider_learns_which_gift_never_who_gives_it():
    """Samizdat sends the receipt itself: the provider needs no address, name or language."""
    provider = ProviderDouble()

    outcome = give(provider, name="Ada Lovelace", language="ru")

    request = provider.requests[0]
    assert (request.email, request.name, request.description) == ("", "", "")
    assert set(request.metadata) == {"donation_id", "variant_id"}
    donor = outcome.donation.donor
    assert (donor.email, donor.name, donor.language) == ("ada@example.org", "Ada Lovelace", "ru")


def test_an_anonymous_gift_sends_no_name():
    provider = ProviderDouble()

    outcome = give(provider, anonymous=True, name="Ada Lovelace")

    assert provider.requests[0].name == ""
    assert outcome.donation.donor.name == ""
    assert outcome.donation.donor.anonymous


def test_the_donation_exists_before_the_provider_is_asked():
    seen = []

    class Watching(ProviderDouble):
        def start_checkout(self, request):
            seen.append(Donation.objects.get(pk=int(request.metadata["donation_id"])).status)
            return super().start_checkout(request)

    give(Watching())

    assert seen == [Donation.Status.PENDING]


def test_a_second_submit_with_the_same_key_does_not_charge_again():
    provider = ProviderDouble()
    key = uuid.uuid4().hex

    first = give(provider, checkout_key=key)
    second = give(provider, checkout_key=key)

    assert len(provider.requests) == 1
    assert second.status == GiftStatus.PAID
    assert second.donation.pk == first.donation.pk


def test_a_second_submit_while_the_first_is_still_with_the_provider_waits():
    provider = ProviderDouble()
    key = uuid.uuid4().hex
    give(provider, checkout_key=key)
    Donation.objects.update(status=Donation.Status.PENDING, provider_payment_id="")

    outcome = give(provider, checkout_key=key)

    assert outcome.status == GiftStatus.PROCESSING
    assert len(provider.requests) == 1


def test_a_second_submit_of_a_gift_waiting_for_3d_secure_gets_the_secret_again():
    provider = ProviderDouble(
        CheckoutResult(
            CheckoutStatus.REQUIRES_ACTION, payment_id="pi_3ds", client_secret="pi_3ds_secret_x"
        )
    )
    key = uuid.uuid4().hex
    give(provider, checkout_key=key)

    outcome = give(provider, checkout_key=key)

    assert outcome.status == GiftStatus.REQUIRES_ACTION
    assert outcome.client_secret == "pi_3ds_secret_x"
    assert len(provider.requests) == 1
    assert provider.status_asked == ["pi_3ds"]


def test_the_same_key_with_a_different_gift_is_refused():
    provider = ProviderDouble()
    key = uuid.uuid4().hex
    give(provider, checkout_key=key)

    with pytest.raises(ValueError):
        give(provider, checkout_key=key, amount_minor=99_900)

    assert len(provider.requests) == 1
    assert Donation.objects.get().amount_minor == 2500


def test_a_refused_card_fails_the_gift_with_the_providers_message():
    provider = ProviderDouble(error=PaymentError("Your card was declined.", code="card_declined"))

    outcome = give(provider)

    assert outcome.status == GiftStatus.FAILED
    assert outcome.error_message == "Your card was declined."
    assert not outcome.retryable
    assert outcome.donation.status == Donation.Status.FAILED
    assert outcome.donation.failure_message == "Your card was declined."


def test_an_unreachable_provider_fails_the_gift_and_says_it_may_be_retried():
    provider = ProviderDouble(error=ProviderUnavailable())

    outcome = give(provider, frequency="monthly")

    assert outcome.status == GiftStatus.FAILED
    assert outcome.retryable
    assert "Nothing was charged" in outcome.error_message
    assert not RecurringDonation.objects.exists()
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()


def test_a_bug_is_not_swallowed_and_nothing_is_left_pending():
    provider = ProviderDouble(error=KeyError("oops"))

    with pytest.raises(KeyError):
        give(provider)

    assert Donation.objects.get().status == Donation.Status.FAILED


def test_a_monthly_gift_records_its_subscription():
    provider = ProviderDouble(
        CheckoutResult(
            CheckoutStatus.SUCCEEDED,
            payment_id="in_1",
            subscription_id="sub_1",
            customer_id="cus_1",
        )
    )

    outcome = give(provider, frequency="monthly", amount_minor=1000)

    assert outcome.status == GiftStatus.PAID
    assert outcome.recurring.provider_subscription_id == "sub_1"
    assert outcome.recurring.status == RecurringDonation.Status.ACTIVE
    assert outcome.donation.recurring == outcome.recurring


def test_confirming_after_3d_secure_records_the_payment():
    provider = ProviderDouble(
        CheckoutResult(CheckoutStatus.REQUIRES_ACTION, payment_id="pi_3ds", client_secret="s")
    )
    waiting = give(provider)
    provider.status_result = CheckoutResult(CheckoutStatus.SUCCEEDED, payment_id="pi_3ds")

    outcome = confirm_gift(waiting.donation, provider=provider)

    assert outcome.status == GiftStatus.PAID
    assert Donation.objects.get().status == Donation.Status.PAID
    # Confirming again asks nobody: the gift is settled.
    assert confirm_gift(outcome.donation, provider=provider).status == GiftStatus.PAID
    assert provider.status_asked == ["pi_3ds"]
