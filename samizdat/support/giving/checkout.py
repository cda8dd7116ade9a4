"""Taking a gift: what the checkout view calls once the reader pressed "Give".

The order matters. The Donation row is written (pending, under the submit's checkout key)
*before* the provider is asked to charge, so a double click, a retried POST or a second tab finds
it and never charges again; and it is only marked paid when the provider says the money moved.
Nothing here holds a database transaction open while waiting for the provider.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from samizdat.core.emails import email_hash
from samizdat.payments import registry
from samizdat.payments.base import (
    CheckoutRequest,
    CheckoutResult,
    CheckoutStatus,
    Frequency,
    OutcomeUnknown,
    PaymentError,
    PaymentProvider,
)

from ..donors.records import donor_for_checkout
from ..models import AppealVariant, Donation, DonationForm, RecurringDonation
from . import ledger

logger = logging.getLogger(__name__)


class GiftStatus(StrEnum):
    PAID = "paid"
    REQUIRES_ACTION = "requires_action"  # the browser must finish 3-D Secure with client_secret
    # The provider has not decided yet, or did not answer in time: a webhook or `reconcile`
    # will tell us. Never thanked as paid.
    PROCESSING = "processing"
    FAILED = "failed"


@dataclass(frozen=True)
class GiftOutcome:
    status: GiftStatus
    donation: Donation
    recurring: RecurringDonation | None = None
    client_secret: str = ""
    error_message: str = ""  # safe to show to the donor, in their language
    retryable: bool = False  # the provider was unreachable: the donor may try again


def validate_gift(
    amount_minor: int, currency: str, frequency: str
) -> tuple[DonationForm, Frequency]:
    """Refuse what the donation form does not offer (ValueError); the form checks first, this
    is the last line before money moves."""
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise ValueError("The amount must be a whole number of minor units.")
    if not isinstance(currency, str) or not currency.strip():
        raise ValueError("A currency is required.")
    form = DonationForm.objects.filter(currency=currency.strip().lower()).first()
    if form is None:
        raise ValueError(f"Gifts in {currency!r} are not offered.")
    try:
        chosen = Frequency(frequency)
    except ValueError as exc:
        raise ValueError(f"{frequency!r} is not a frequency.") from exc
    if chosen.value not in form.frequencies:
        raise ValueError(f"{chosen.value} gifts are not offered in {form.currency}.")
    if not form.minimum_minor <= amount_minor <= form.maximum_minor:
        raise ValueError(
            f"The amount must be between {form.minimum_minor} and {form.maximum_minor}."
        )
    return form, chosen


def start_gift(
    *,
    amount_minor: int,
    currency: str,
    frequency: str,
    email: str,
    name: str,
    anonymous: bool,
    language: str,
    payment_token: str,
    checkout_key: str,
    variant_id: int | None = None,
    provider: PaymentProvider | None = None,
    saved_payment_id: str = "",
) -> GiftOutcome:
    """Charge once or start a recurring gift. One checkout_key = one charge, however often
    this is called with it. Raises ValueError for a gift the form does not offer.

    `saved_payment_id`: start the recurring gift on the card that paid this earlier one-time
    payment (the thank-you page's "make it monthly", upsell.py) instead of `payment_token`."""
    form, chosen = validate_gift(amount_minor, currency, frequency)
    currency = form.currency
    checkout_key = (checkout_key or "").strip()
    if not checkout_key or len(checkout_key) > 64:
        raise ValueError("A checkout key of 1 to 64 characters is required.")
    if not email or "@" not in email:
        raise ValueError("An e-mail address is required for the receipt.")
    provider = provider or registry.get_provider()
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    existing = Donation.objects.filter(idempotency_key=checkout_key).first()
    if existing is not None:
        return _replay(existing, provider, amount_minor, currency, chosen, email)

    if variant_id is not None:
        if isinstance(variant_id, bool) or not isinstance(variant_id, int):
            raise ValueError("The appeal variant must be an id.")
        if not AppealVariant.objects.filter(pk=variant_id).exists():
            variant_id = None  # an appeal edited away since the page was cached: no credit
    # A new address starts as an anonymous donor; the name and choices typed here reach the
    # donor's record only when this gift is paid (ledger._known_as_chosen).
    donor = donor_for_checkout(email, "", True, language)
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                donor=donor,
                amount_minor=amount_minor,
                currency=currency,
                frequency=chosen.value,
                provider=provider.name,
                idempotency_key=checkout_key,
                variant_id=variant_id,
                checkout_name="" if anonymous else (name or "").strip()[:200],
                checkout_anonymous=bool(anonymous),
                checkout_language=language,
            )
    except IntegrityError:
        # The same submit, a moment ago, in a parallel request.
        existing = Donation.objects.get(idempotency_key=checkout_key)
        return _replay(existing, provider, amount_minor, currency, chosen, email)

    # The provider learns which gift this is, never who gave it: Samizdat sends the receipt
    # itself, so no address or name needs to reach the provider's records.
    request = CheckoutRequest(
        amount_minor=amount_minor,
        currency=currency,
        frequency=chosen,
        email="",
        name="",
        payment_token=payment_token or "",
        idempotency_key=checkout_key,
        metadata={"donation_id": str(donation.pk), "variant_id": str(variant_id or "")},
    )
    try:
        # The provider's messages reach the donor: in the donor's language.
        with translation.override(language):
            if saved_payment_id:
                result = provider.start_recurring_with_saved_method(request, saved_payment_id)
            else:
                result = provider.start_checkout(request)
    except OutcomeUnknown as exc:
        # The charge was sent and no answer came in time: it may have been made. The gift
        # stays pending (never thanked, never failed) until the provider's webhook or
        # `reconcile` says which; the donor sees that we are still confirming.
        donation = ledger.record_checkout_result(
            donation, CheckoutResult(CheckoutStatus.PROCESSING, customer_id=exc.customer_id)
        )
        return GiftOutcome(GiftStatus.PROCESSING, donation, error_message=exc.message)
    except PaymentError as exc:
        donation = ledger.record_checkout_result(
            donation,
            CheckoutResult(
                CheckoutStatus.FAILED, error_message=exc.message, customer_id=exc.customer_id
            ),
        )
        return GiftOutcome(
            GiftStatus.FAILED,
            donation,
            error_message=exc.message,
            retryable=exc.retryable,
        )
    except Exception:
        # A bug, not a refusal: say nothing was recorded as paid and let it be seen. If the
        # provider did charge, its webhook (or `reconcile`) marks this donation paid.
        ledger.record_checkout_result(
            donation, CheckoutResult(CheckoutStatus.FAILED, error_message=_unexpected())
        )
        raise
    donation = ledger.record_checkout_result(donation, result)
    return _outcome(donation, result)


def confirm_gift(donation: Donation, provider: PaymentProvider | None = None) -> GiftOutcome:
    """After the browser finished 3-D Secure: ask the provider where the payment stands."""
    donation.refresh_from_db()
    if donation.status != Donation.Status.PENDING or not donation.provider_payment_id:
        return _outcome(donation, None)
    provider = provider or registry.get_provider(donation.provider)
    try:
        with translation.override(donation.donor.language):
            result = provider.payment_status(donation.provider_payment_id)
    except PaymentError as exc:
        # Unknown for now, not failed: the provider's webhook will settle it.
        return GiftOutcome(
            GiftStatus.PROCESSING,
            donation,
            recurring=donation.recurring,
            error_message=exc.message,
            retryable=True,
        )
    donation = ledger.record_checkout_result(donation, result)
    return _outcome(donation, result)


def _replay(
    donation: Donation,
    provider: PaymentProvider,
    amount_minor: int,
    currency: str,
    frequency: Frequency,
    email: str,
) -> GiftOutcome:
    """The outcome of a submit we already took: never a second charge."""
    same = (
        donation.amount_minor == amount_minor
        and donation.currency == currency
        and donation.frequency == frequency.value
        and donation.donor.email_hash == email_hash(email)
    )
    if not same:
        # One key, two different gifts: a tampered form, not a double click.
        raise ValueError("This checkout was already submitted with different details.")
    if donation.status == Donation.Status.PENDING and donation.provider_payment_id:
        try:
            result = provider.payment_status(donation.provider_payment_id)
        except PaymentError:
            return _outcome(donation, None)
        donation = ledger.record_checkout_result(donation, result)
        return _outcome(donation, result)
    return _outcome(donation, None)


def _outcome(donation: Donation, result: CheckoutResult | None) -> GiftOutcome:
    """What the donor sees follows our record (the provider's word, as recorded)."""
    recurring = donation.recurring
    if donation.status in Donation.WAS_PAID:
        return GiftOutcome(GiftStatus.PAID, donation, recurring)
    if donation.status == Donation.Status.FAILED:
        return GiftOutcome(
            GiftStatus.FAILED,
            donation,
            recurring,
            error_message=donation.failure_message or _unexpected(),
        )
    if result is not None and result.status is CheckoutStatus.REQUIRES_ACTION:
        return GiftOutcome(
            GiftStatus.REQUIRES_ACTION, donation, recurring, client_secret=result.client_secret
        )
    return GiftOutcome(GiftStatus.PROCESSING, donation, recurring)


def _unexpected() -> str:
    return gettext("Something went wrong on our side. Nothing was charged; please try again.")
