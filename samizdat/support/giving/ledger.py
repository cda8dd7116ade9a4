"""The ledger: the one place where what the payment provider says changes our records.

Providers deliver at least once, retry hours later and promise no order, so all of it is
idempotent and order-free:
- Records are found by the provider's ids: the same fact applied twice changes nothing.
- A payment goes pending -> paid or failed, failed -> paid, paid -> refunded; never paid ->
  failed, and refunded is final (only a chain reorganisation un-pays a gift: giving/chain.py).
- A recurring gift applies no event older than its status_changed_at; cancelled stays cancelled
  unless a strictly newer event says active; a started gift never goes back to incomplete.
- An appeal variant gets one completed gift: when the gift's first payment becomes paid.
- An event that overtook its payment or gift (a refund, the cancellation of an unpaid first
  payment, a renewal) is parked (payments.intake.park_event) and applied once that is recorded.
- A donor's name, anonymity and language change only when a gift is paid, never on a declined
  or abandoned checkout.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from samizdat.payments.base import (
    CheckoutResult,
    CheckoutStatus,
    EventKind,
    Frequency,
    PaymentError,
    PaymentProvider,
    ProviderEvent,
)
from samizdat.payments.intake import park_event, parked_events, unpark

from ..models import AppealStat, Donation, Donor, RecurringDonation
from . import dunning
from .ledger_lookups import (
    checkout_of,
    donor_for_event,
    find_donation,
    known_variant_id,
    lock,
    locked_recurring,
)
from .receipts import queue_receipt

logger = logging.getLogger(__name__)

Status = RecurringDonation.Status

# The provider's subscription states (Stripe's words; others map onto them) in ours.
RECURRING_STATUS = {
    "active": Status.ACTIVE,
    "trialing": Status.ACTIVE,
    "past_due": Status.PAST_DUE,
    "unpaid": Status.PAST_DUE,
    "paused": Status.PAST_DUE,
    "canceled": Status.CANCELLED,
    "cancelled": Status.CANCELLED,
    "incomplete_expired": Status.CANCELLED,
    "incomplete": Status.INCOMPLETE,
}
RECURRING_FREQUENCIES = {Frequency.MONTHLY.value, Frequency.ANNUAL.value}


def apply_event(event: ProviderEvent, provider: str) -> None:
    """Apply one provider event to our records. Safe to call again with the same event."""
    handler = _HANDLERS.get(event.kind)
    if handler is None:
        return
    # No savepoint: a failure here fails the caller's transaction too (accept_event stores the
    # event in it), which is what must happen; two round trips fewer per event.
    with transaction.atomic(savepoint=False):
        # Events about one subscription or one payment take turns, so two of them never both
        # find "nothing yet" and both create it (the second would fail and wait for a retry).
        lock(provider, event.subscription_id, event.payment_id)
        handler(event, provider)


def record_checkout_result(donation: Donation, result: CheckoutResult) -> Donation:
    """Record what the provider answered at checkout (or when asked again after 3-D Secure)."""
    # Provider event times are whole seconds: an event from this same second (say, the
    # cancellation of a gift just started) must not look older than the answer recorded now.
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        lock(donation.provider, result.subscription_id, result.payment_id)
        donation = Donation.objects.select_for_update().select_related("donor").get(pk=donation.pk)
        donor = donation.donor
        paid_now = result.status is CheckoutStatus.SUCCEEDED
        if paid_now and result.customer_id and donor.provider_customer_id != result.customer_id:
            # The latest customer is the one the provider will name in future events; an
            # unpaid checkout (anyone can type anyone's address) changes nothing about a donor.
            donor.provider_customer_id = result.customer_id
            donor.save(update_fields=["provider_customer_id"])
        donation.note_customer(result.customer_id)
        if result.payment_id:
            donation.claim_payment(result.payment_id)
        if (
            donation.frequency in RECURRING_FREQUENCIES
            and result.subscription_id
            and result.status is not CheckoutStatus.FAILED
        ):
            recurring = locked_recurring(result.subscription_id)
            succeeded = result.status is CheckoutStatus.SUCCEEDED
            started = recurring is None
            if recurring is None:
                recurring = RecurringDonation.objects.create(
                    donor=donor,
                    amount_minor=donation.amount_minor,
                    currency=donation.currency,
                    frequency=donation.frequency,
                    provider=donation.provider,
                    provider_subscription_id=result.subscription_id,
                    variant_id=donation.variant_id,
                    status=Status.ACTIVE if succeeded else Status.INCOMPLETE,
                    started_at=now,
                    status_changed_at=now,
                    current_period_end=result.current_period_end,
                )
            else:
                changed = recurring.extend_period(result.current_period_end)
                if succeeded and recurring.status != Status.CANCELLED:
                    changed |= recurring.set_status(Status.ACTIVE, now)
                if changed:
                    recurring.save()
            donation.link(recurring)
        else:
            started = False
        if result.status is CheckoutStatus.SUCCEEDED:
            _mark_paid(donation, now)
        elif result.status is CheckoutStatus.FAILED:
            donation.mark_failed(result.error_message or _default_failure())
        if started:
            _apply_waiting(donation.provider, recurring)
    return donation


def settle_pending(provider: PaymentProvider, older_than: datetime.datetime) -> Counter[str]:
    """Settle this provider's gifts still pending since before `older_than` (`reconcile`,
    after it replayed the provider's recent events): ask the provider about each payment it
    named, and fail the checkouts it never named, whose charge never reached it.

    Returns how many ended paid, failed, or still waiting (for the donor's bank, or for a
    provider that did not answer now)."""
    settled: Counter[str] = Counter()
    waiting = Donation.objects.pending().filter(provider=provider.name, created_at__lt=older_than)
    for donation in waiting.order_by("pk").iterator():
        if donation.provider_payment_id:
            try:
                result = provider.payment_status(donation.provider_payment_id)
            except PaymentError:
                settled["unanswered"] += 1
                continue
            donation = record_checkout_result(donation, result)
        else:
            with transaction.atomic():
                donation = Donation.objects.select_for_update().get(pk=donation.pk)
                if donation.status == Donation.Status.PENDING and not donation.provider_payment_id:
                    # The replay found no payment naming it: the charge never got there.
                    donation.mark_failed(_default_failure())
        settled[{"pending": "still waiting"}.get(donation.status, donation.status)] += 1
    return settled


# Payments of one-time gifts ------------------------------------------------------------------


def _payment_succeeded(event: ProviderEvent, provider: str) -> None:
    donation = find_donation(provider, event.payment_id, event.metadata)
    if donation is None:
        # Every checkout creates its Donation before it calls the provider, so this is a
        # payment made some other way (or a lost row): record it if we know who gave.
        donor = donor_for_event(event)
        if donor is None or not event.amount_minor or not event.currency:
            logger.warning("Paid %s matches no donation or donor; not recorded", event.payment_id)
            return
        donation = Donation.objects.create(
            donor=donor,
            amount_minor=event.amount_minor,
            currency=event.currency.lower(),
            frequency=Frequency.ONCE.value,
            provider=provider,
            provider_payment_id=event.payment_id,
            provider_customer_id=event.customer_id,
            variant_id=known_variant_id(event.metadata),
        )
    else:
        donation.claim_payment(event.payment_id)
        donation.note_customer(event.customer_id)
    _mark_paid(donation, event.occurred_at)


def _payment_failed(event: ProviderEvent, provider: str) -> None:
    donation = find_donation(provider, event.payment_id, event.metadata)
    if donation is None:
        return  # a failure of a payment we never recorded: nothing was given, nothing to undo
    donation.claim_payment(event.payment_id)
    donation.note_customer(event.customer_id)
    donation.mark_failed(event.metadata.get("failure_message") or _default_failure())


def _refunded(event: ProviderEvent, provider: str) -> None:
    if not event.payment_id:
        logger.info("A refund names no payment; not recorded")
        return
    donation = find_donation(provider, event.payment_id, {})
    if donation is None or donation.status in (Donation.Status.PENDING, Donation.Status.FAILED):
        # It overtook its payment (or the payment is one we have not recorded yet): applied
        # when that payment is paid (_paid), as if it had come after it.
        park_event(provider, event, waiting_for=event.payment_id)
        return
    _refund(donation, event)


def _refund(donation: Donation, event: ProviderEvent) -> None:
    if event.amount_minor is not None and event.amount_minor < donation.amount_minor:
        # Our records know whole gifts only; a partial refund is for the revenue team to see
        # at the provider, not a reason to take the whole gift off the books.
        logger.warning("Partial refund of donation %s not recorded", donation.pk)
        return
    donation.refund(event.occurred_at)


# Recurring gifts ----------------------------------------------------------------------------


def _recurring_paid(event: ProviderEvent, provider: str) -> None:
    recurring = locked_recurring(event.subscription_id)
    donation = find_donation(provider, event.payment_id, event.metadata, event.occurred_at)
    started = recurring is None
    if recurring is None:
        # The first we hear of this gift (its checkout's answer or its other events were lost,
        # or this renewal overtook them): the payment proves it is running.
        recurring = _start_recurring(event, provider, donation, Status.ACTIVE)
        if recurring is None:
            return
    else:
        changed = recurring.extend_period(event.current_period_end)
        # A payment shows a running gift, but does not revive a cancelled one: an invoice left
        # open at cancellation can still be paid, and the subscription stays cancelled.
        if recurring.status != Status.CANCELLED:
            changed |= recurring.set_status(Status.ACTIVE, event.occurred_at)
        if changed:
            recurring.save()
    if donation is not None:
        _mark_paid(_instalment(event, provider, recurring, donation), event.occurred_at)
    elif event.amount_minor:  # a zero invoice (a credit, a trial) pays nothing
        # A payment we had no record of (a renewal, or a gift whose checkout we never saw):
        # written paid at once, one INSERT instead of an INSERT and an UPDATE.
        _paid(_new_instalment(event, provider, recurring, paid_at=event.occurred_at))
    if started:
        _apply_waiting(provider, recurring)


def _recurring_payment_failed(event: ProviderEvent, provider: str) -> None:
    recurring = locked_recurring(event.subscription_id)
    donation = find_donation(provider, event.payment_id, event.metadata, event.occurred_at)
    message = event.metadata.get("failure_message") or _default_failure()
    if recurring is None:
        # A first payment that failed starts nothing; its checkout's donation shows why.
        if donation is not None:
            donation.claim_payment(event.payment_id)
            donation.note_customer(event.customer_id)
            donation.mark_failed(message)
        elif event.subscription_id and event.payment_id and event.amount_minor:
            # A payment we do not know of, for a gift we do not know yet: a renewal that
            # overtook the gift's other events. Applied once the gift is known.
            park_event(provider, event, waiting_for=event.subscription_id)
        return
    if recurring.is_live and recurring.set_status(Status.PAST_DUE, event.occurred_at):
        recurring.save()
    dunning.payment_failed(recurring, event)
    if donation is None and not (event.amount_minor and event.payment_id):
        return
    # An instalment we did not know is kept as a failed payment so the revenue team sees
    # renewals that did not go through; the provider retries the same invoice and a later
    # success marks it paid.
    _instalment(event, provider, recurring, donation).mark_failed(message)


def _instalment(
    event: ProviderEvent, provider: str, recurring: RecurringDonation, donation: Donation | None
) -> Donation:
    """The donation for this payment of a recurring gift: the one found, given its payment id
    and its gift, or a new one (a renewal) in the gift's name."""
    if donation is not None:
        donation.claim_payment(event.payment_id)
        donation.note_customer(event.customer_id)
        donation.link(recurring)
        return donation
    return _new_instalment(event, provider, recurring)


def _new_instalment(
    event: ProviderEvent,
    provider: str,
    recurring: RecurringDonation,
    paid_at: datetime.datetime | None = None,
) -> Donation:
    return Donation.objects.create(
        donor=recurring.donor,
        recurring=recurring,
        amount_minor=event.amount_minor,
        currency=(event.currency or recurring.currency).lower(),
        frequency=recurring.frequency,
        provider=provider,
        provider_payment_id=event.payment_id,
        provider_customer_id=event.customer_id,
        # Renewals give the appeal no new credit: the gift was completed once.
        variant=None,
        **({"status": Donation.Status.PAID, "paid_at": paid_at} if paid_at else {}),
    )


def _recurring_changed(event: ProviderEvent, provider: str) -> None:
    """Started, updated or cancelled: the subscription's own state."""
    if event.kind is EventKind.RECURRING_CANCELLED:
        status = Status.CANCELLED
    else:
        status = RECURRING_STATUS.get(event.subscription_status)
    recurring = locked_recurring(event.subscription_id)
    if recurring is None:
        if status is None or status == Status.INCOMPLETE:
            return  # a checkout still in progress: its answer or its first payment records it
        donation = find_donation(provider, event.payment_id, event.metadata, event.occurred_at)
        if (
            status == Status.CANCELLED
            and donation is not None
            and donation.status != Donation.Status.PAID
        ):
            # The end of a checkout whose first payment never went through, so nothing to
            # record; unless that payment is only late: then the gift ends once it is paid.
            if event.payment_id:
                park_event(provider, event, waiting_for=event.payment_id)
            return
        # Otherwise record it, even cancelled: an older "paid" arriving later must find the
        # gift cancelled rather than start it afresh.
        recurring = _start_recurring(event, provider, donation, status)
        if recurring is not None:
            _apply_waiting(provider, recurring)
        return
    previous = recurring.status
    changed = recurring.extend_period(event.current_period_end)
    if recurring.is_current(event.occurred_at):
        for field, value in (
            ("amount_minor", event.amount_minor),
            ("currency", event.currency.lower()),
            ("frequency", event.frequency.value if event.frequency else ""),
        ):
            if (
                value
                and getattr(recurring, field) != value
                and (field != "frequency" or value in RECURRING_FREQUENCIES)
            ):
                setattr(recurring, field, value)
                changed = True
    if status is not None:
        changed |= recurring.set_status(status, event.occurred_at)
    if changed:
        recurring.save()
    dunning.lapsed(recurring, previous)
    if previous == Status.INCOMPLETE and recurring.status == Status.CANCELLED:
        # The donor never finished confirming the first payment (3-D Secure) and the provider
        # gave up: that payment will not come.
        for donation in recurring.payments.select_for_update().pending():
            donation.mark_failed(gettext("The payment was not completed."))


def _start_recurring(
    event: ProviderEvent, provider: str, donation: Donation | None, status: str
) -> RecurringDonation | None:
    # The checkout that started it tells who gives, even when this event is about a later
    # payment than the checkout's (a renewal or a change that overtook the first payment).
    checkout = donation if donation is not None else checkout_of(provider, event.metadata)
    donor = checkout.donor if checkout is not None else donor_for_event(event)
    frequency = event.frequency.value if event.frequency else ""
    if not frequency and checkout is not None:
        frequency = checkout.frequency
    amount = event.amount_minor
    if donation is not None and event.kind is EventKind.RECURRING_PAID:
        amount = donation.amount_minor  # the gift's amount, not a prorated first invoice
    currency = event.currency or (checkout.currency if checkout is not None else "")
    if donor is None or frequency not in RECURRING_FREQUENCIES or not amount or not currency:
        logger.warning("Not enough known about subscription %s to record it", event.subscription_id)
        return None
    if event.customer_id and not donor.provider_customer_id:
        donor.provider_customer_id = event.customer_id
        donor.save(update_fields=["provider_customer_id"])
    return RecurringDonation.objects.create(
        donor=donor,
        amount_minor=amount,
        currency=currency.lower(),
        frequency=frequency,
        status=status,
        provider=provider,
        provider_subscription_id=event.subscription_id,
        variant_id=checkout.variant_id
        if checkout is not None
        else known_variant_id(event.metadata),
        started_at=event.occurred_at,
        current_period_end=event.current_period_end,
        status_changed_at=event.occurred_at,
        cancelled_at=event.occurred_at if status == Status.CANCELLED else None,
    )


# Payments: moving them ----------------------------------------------------------------------


def _mark_paid(donation: Donation, when: datetime.datetime) -> bool:
    if not donation.mark_paid(when):
        return False
    _paid(donation)
    return True


def _paid(donation: Donation) -> None:
    """What follows a donation becoming paid, once: the appeal's credit, the donor's name as
    the checkout gave it, the receipt, and the refunds that were waiting for this payment."""
    if donation.variant_id:
        # Only a gift's first payment carries the variant (renewals are created without),
        # and a donation becomes paid once: one completed gift per gift.
        AppealStat.count(donation.variant_id, "completed", day=timezone.localdate(donation.paid_at))
    _known_as_chosen(donation)
    # Queued even if a parked refund follows: the task sends nothing for a refunded gift.
    queue_receipt(donation.pk)
    lock(donation.provider, donation.provider_payment_id)
    waiting = parked_events(donation.provider, donation.provider_payment_id)
    for parked in waiting:
        if parked.kind is EventKind.REFUNDED:
            _refund(donation, parked)
        else:  # a cancellation that overtook the gift's first payment
            _recurring_changed(parked, donation.provider)
    if waiting:
        unpark(donation.provider, waiting)


def _apply_waiting(provider: str, recurring: RecurringDonation) -> None:
    """Apply what was parked until this gift was known (a failed renewal that overtook it)."""
    waiting = parked_events(provider, recurring.provider_subscription_id)
    for parked in waiting:
        _HANDLERS[parked.kind](parked, provider)
    if waiting:
        unpark(provider, waiting)


def _known_as_chosen(donation: Donation) -> None:
    """Give the donor the name, anonymity and language their checkout asked for, unless a
    later checkout of theirs is paid already (the latest gift says how they want to be known)."""
    if donation.checkout_anonymous is None:
        return  # a renewal, or a payment made outside checkout
    donor = Donor.objects.select_for_update().get(pk=donation.donor_id)
    later = (
        Donation.objects.filter(
            donor_id=donor.pk,
            checkout_anonymous__isnull=False,
        )
        .was_paid()
        .filter(
            Q(created_at__gt=donation.created_at)
            | Q(created_at=donation.created_at, pk__gt=donation.pk)
        )
        .exists()
    )
    if donor.anonymised_at is None and not later:
        donor.name = "" if donation.checkout_anonymous else donation.checkout_name
        donor.anonymous = donation.checkout_anonymous
        donor.language = donation.checkout_language or donor.language
        donor.provider_customer_id = donation.provider_customer_id or donor.provider_customer_id
        donor.save(update_fields=["name", "anonymous", "language", "provider_customer_id"])
    donation.donor = donor
    if donation.checkout_name:
        # Kept no longer than needed: the donor's record holds it now.
        donation.checkout_name = ""
        donation.save(update_fields=["checkout_name"])


def _default_failure() -> str:
    return gettext("The payment did not go through. Nothing was charged.")


_HANDLERS = {
    EventKind.PAYMENT_SUCCEEDED: _payment_succeeded,
    EventKind.PAYMENT_FAILED: _payment_failed,
    EventKind.RECURRING_PAID: _recurring_paid,
    EventKind.RECURRING_PAYMENT_FAILED: _recurring_payment_failed,
    EventKind.RECURRING_STARTED: _recurring_changed,
    EventKind.RECURRING_UPDATED: _recurring_changed,
    EventKind.RECURRING_CANCELLED: _recurring_changed,
    EventKind.REFUNDED: _refunded,
}
