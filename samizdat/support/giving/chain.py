"""Gifts paid to an address (Monero, Bitcoin): payment requests, exchange rates and the watcher.

`open_request` records a pending donation in the form's currency with a fresh address and the
amount at the newsroom's rate; `watch` records each transfer once, under (provider, txid,
address). The chain decides: a donation is paid while a transfer has the provider's
confirmations, worth every confirmed transfer at the request's rate (under- and over-payments
as they are); a transfer a reorganisation removes counts as seen again, one that vanishes for
nothing, so a gift is never counted twice nor kept on a chain that dropped it.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import requests
from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from samizdat.payments import registry
from samizdat.payments.base import (
    AddressProvider,
    Coin,
    IncomingTransfer,
    ProviderUnavailable,
    ReceivingAddress,
)

from ..donors.records import donor_for_checkout, find_donor
from ..models import (
    AppealStat,
    AppealVariant,
    ChainTransfer,
    Donation,
    DonationForm,
    Donor,
    ExchangeRate,
    PaymentRequest,
)
from ..money import MINOR_PER_MAJOR
from .appeals import forget_progress
from .checkout import validate_gift
from .receipts import queue_receipt

logger = logging.getLogger(__name__)

# BIP44's gap limit: a wallet restored from the account key stops looking after 20 unused
# addresses in a row, so no more than 20 unpaid ones are handed out past the last paid one.
GAP_LIMIT = 20
# How long after its expiry an unpaid address waits before it is handed out again: a payment
# that arrives that late is still recorded, against the newer request.
REUSE_AFTER = datetime.timedelta(days=7)
# A paid request stays watched this long for a reorganisation; an expired one, for a late payer.
REORG_WINDOW = datetime.timedelta(days=2)
LATE_WINDOW = datetime.timedelta(days=30)

Status = PaymentRequest.Status


class NoRate(ValueError):
    """The newsroom has set no rate for this coin and currency: the method cannot be offered."""


class RequestRefused(ValueError):
    """A payment request that cannot be made now; `message` is safe to show to the reader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Rates and amounts ------------------------------------------------------------------------------


def current_rate(coin: str, currency: str) -> ExchangeRate:
    rate = ExchangeRate.objects.filter(coin=coin.lower(), currency=currency.lower()).first()
    if rate is None:
        raise NoRate(f"No {coin.upper()}/{currency.upper()} rate is set.")
    return rate


def atomic_for(amount_minor: int, rate: ExchangeRate, coin: Coin) -> int:
    """What to ask for: the gift's amount in atomic units, rounded up so it is never short."""
    if rate.minor_per_coin <= 0:
        raise NoRate("A rate must be above zero.")
    numerator = amount_minor * coin.atomic_per_coin
    return -(-numerator // rate.minor_per_coin)


def value_of(amount_atomic: int, rate: ExchangeRate, coin: Coin) -> int:
    """What coins that arrived are worth in the rate's currency, in minor units (rounded down)."""
    return amount_atomic * rate.minor_per_coin // coin.atomic_per_coin


def coin_text(amount_atomic: int, coin: Coin) -> str:
    """1.5 XMR as "1.500000000000": every digit, no float, for the reader to type exactly."""
    whole, fraction = divmod(amount_atomic, coin.atomic_per_coin)
    return f"{whole}.{fraction:0{coin.decimals}d}"


# Coins a request may be in even when its provider is no longer configured (reports, exports).
KNOWN_COINS = {
    "xmr": Coin("xmr", "Monero", 12, "monero"),
    "btc": Coin("btc", "Bitcoin", 8, "bitcoin"),
}


def coin_of(request: PaymentRequest) -> Coin:
    try:
        return registry.get_provider(request.provider).coin
    except (LookupError, AttributeError):
        return KNOWN_COINS[request.coin]


# Opening a request ------------------------------------------------------------------------------


def address_provider(name: str) -> AddressProvider:
    try:
        provider = registry.get_provider(name)
    except LookupError as exc:
        raise RequestRefused(gettext("This way of paying is not available.")) from exc
    if not registry.is_address_provider(provider):
        raise RequestRefused(gettext("This way of paying is not available."))
    return provider


def open_request(
    *,
    provider_name: str,
    amount_minor: int,
    currency: str,
    checkout_key: str,
    language: str,
    email: str = "",
    variant_id: int | None = None,
    provider: AddressProvider | None = None,
    now: datetime.datetime | None = None,
) -> PaymentRequest:
    """A payment request for a one-time gift of `amount_minor` in `currency`. One checkout key
    is one request however often this is called with it (a double click, a reload).

    Raises ValueError for a gift the donation form does not offer, NoRate, RequestRefused (the
    gap limit), ProviderUnavailable (the wallet or API is not answering; nothing is recorded).
    """
    form, _frequency = validate_gift(amount_minor, currency, "once")
    provider = provider or address_provider(provider_name)
    checkout_key = (checkout_key or "").strip()
    if not checkout_key or len(checkout_key) > 64:
        raise ValueError("A checkout key of 1 to 64 characters is required.")
    existing = _request_for_key(checkout_key)
    if existing is not None:
        same = (
            existing.provider == provider.name
            and existing.donation.amount_minor == amount_minor
            and existing.donation.currency == form.currency
        )
        if not same:
            raise ValueError("This checkout was already submitted with different details.")
        return existing
    rate = current_rate(provider.coin.code, form.currency)
    amount_atomic = atomic_for(amount_minor, rate, provider.coin)
    if variant_id is not None and not AppealVariant.objects.filter(pk=variant_id).exists():
        variant_id = None
    now = now or timezone.now()
    expires_at = now + datetime.timedelta(hours=settings.SAMIZDAT_PAYMENT_REQUEST_HOURS)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    for _attempt in range(3):
        address = _address_for_request(provider, now)
        try:
            with transaction.atomic():
                donor = _donor(email, language)
                donation = Donation.objects.create(
                    donor=donor,
                    amount_minor=amount_minor,
                    currency=form.currency,
                    frequency="once",
                    provider=provider.name,
                    idempotency_key=checkout_key,
                    variant_id=variant_id,
                    created_at=now,
                )
                return PaymentRequest.objects.create(
                    donation=donation,
                    provider=provider.name,
                    coin=provider.coin.code,
                    address=address.address,
                    address_index=address.index,
                    amount_atomic=amount_atomic,
                    rate=rate,
                    created_at=now,
                    expires_at=expires_at,
                )
        except IntegrityError:
            # The same submit in a parallel request (the key), or the same address chosen by a
            # parallel request (the open address): find the first, or choose again.
            existing = _request_for_key(checkout_key)
            if existing is not None:
                return existing
    raise RequestRefused(gettext("We could not prepare an address just now. Please try again."))


def _request_for_key(checkout_key: str) -> PaymentRequest | None:
    return (
        PaymentRequest.objects.select_related("donation", "donation__donor")
        .filter(donation__idempotency_key=checkout_key)
        .first()
    )


def _donor(email: str, language: str) -> Donor:
    """Who gave: by address when the reader gave one for a receipt, else nobody we could find."""
    if email:
        # A donor who gave by card before keeps the name they chose then: this form asks none.
        return find_donor(email) or donor_for_checkout(email, "", True, language)
    return Donor.objects.create(email="", email_hash=None, anonymous=True, language=language)


def _address_for_request(provider: AddressProvider, now: datetime.datetime) -> ReceivingAddress:
    if not provider.caller_chooses_index:
        address = provider.new_address(None, label="samizdat")
    else:
        address = provider.new_address(_next_index(provider, now))
    if not provider.owns(address.address):
        # A wallet that hands out someone else's address is compromised or misconfigured:
        # never show a reader an address the newsroom cannot spend from.
        logger.error("The %s provider handed out an address that is not ours", provider.name)
        raise ProviderUnavailable(
            gettext("This way of paying is not available right now. Nothing was recorded.")
        )
    return address


def _next_index(provider: AddressProvider, now: datetime.datetime) -> int:
    """The index to hand out: an expired, never-paid address first, else the next new one
    within the gap limit."""
    mine = PaymentRequest.objects.filter(provider=provider.name)
    busy = mine.filter(Q(status__in=[Status.OPEN, Status.SEEN]) | Q(transfers__isnull=False))
    reusable = (
        mine.filter(status=Status.EXPIRED, expires_at__lte=now - REUSE_AFTER)
        .exclude(address_index__in=busy.values("address_index"))
        .order_by("address_index")
        .values_list("address_index", flat=True)
        .first()
    )
    if reusable is not None:
        return reusable
    last_paid = mine.filter(transfers__isnull=False).aggregate(i=Max("address_index"))["i"]
    highest = mine.aggregate(i=Max("address_index"))["i"]
    next_index = 0 if highest is None else highest + 1
    first_unpaid = 0 if last_paid is None else last_paid + 1
    if next_index - first_unpaid >= GAP_LIMIT:
        raise RequestRefused(
            gettext(
                "Too many Bitcoin gifts are waiting to be paid right now. Please try again "
                "later, or choose another way to give."
            )
        )
    return next_index


# Watching ---------------------------------------------------------------------------------------


@dataclass
class WatchReport:
    provider: str
    watched: int = 0
    new_transfers: int = 0
    confirmed: list[int] = field(default_factory=list)  # requests that became paid
    unconfirmed: list[int] = field(default_factory=list)  # paid requests a reorg took back
    expired: int = 0
    newly_paid: set[int] = field(default_factory=set)  # paid for the first time ever


def watched_requests(provider_name: str, now: datetime.datetime) -> list[PaymentRequest]:
    return list(
        PaymentRequest.objects.filter(provider=provider_name)
        .filter(
            Q(status__in=[Status.OPEN, Status.SEEN])
            | Q(status=Status.PAID, paid_at__gte=now - REORG_WINDOW)
            | Q(status=Status.EXPIRED, expires_at__gte=now - LATE_WINDOW)
        )
        .select_related("rate")
    )


def watch(provider: AddressProvider, now: datetime.datetime | None = None) -> WatchReport:
    """One detection run for one provider. Safe to repeat: a run that finds nothing new writes
    nothing. Raises ProviderUnavailable, having changed nothing, when the provider is down."""
    now = now or timezone.now()
    report = WatchReport(provider.name)
    requests = watched_requests(provider.name, now)
    report.watched = len(requests)
    if not requests:
        return report
    # The newest request on an address is the one a transfer pays (an address is handed out
    # again only long after its earlier request expired unpaid).
    by_address: dict[str, PaymentRequest] = {}
    for request in sorted(requests, key=lambda r: (r.created_at, r.pk)):
        by_address[request.address] = request
    addresses = [ReceivingAddress(r.address, r.address_index) for r in by_address.values()]
    found = provider.transfers(addresses)

    incoming: dict[int, list[IncomingTransfer]] = defaultdict(list)
    for transfer in found:
        request = by_address.get(transfer.address)
        if request is None or transfer.amount_atomic <= 0:
            continue  # not an address we asked about: never recorded
        incoming[request.pk].append(transfer)
    known: dict[int, list[ChainTransfer]] = defaultdict(list)
    for row in ChainTransfer.objects.filter(request__in=by_address.values()):
        known[row.request_id].append(row)

    changed = [
        request.pk
        for request in by_address.values()
        if not _unchanged(request, incoming.get(request.pk, []), known.get(request.pk, []), now)
    ]
    if changed:
        _apply(provider, changed, incoming, now, report)
    return report


def _unchanged(
    request: PaymentRequest,
    transfers: list[IncomingTransfer],
    rows: list[ChainTransfer],
    now: datetime.datetime,
) -> bool:
    """Nothing to write: the chain says what we recorded, and the request has not expired."""
    if request.status == Status.OPEN and now >= request.expires_at:
        return False
    stored = {(r.txid, r.address): r.confirmations for r in rows if r.present}
    return stored == {(t.txid, t.address): t.confirmations for t in transfers}


TRANSFER_FIELDS = ["amount_atomic", "confirmations", "confirmed", "confirmed_at", "present"]
REQUEST_FIELDS = ["received_atomic", "seen_atomic", "status", "seen_at", "paid_at"]
DONATION_FIELDS = ["amount_minor", "status", "paid_at"]


def _apply(
    provider: AddressProvider,
    request_pks: list[int],
    incoming: dict[int, list[IncomingTransfer]],
    now: datetime.datetime,
    report: WatchReport,
) -> None:
    """Record what changed for these requests, all in one transaction (one commit for a run,
    however many payments it found), with the requests locked against a parallel run."""
    required = provider.confirmations_required
    with transaction.atomic():
        requests = (
            PaymentRequest.objects.select_for_update()
            .select_related("rate", "donation", "donation__donor")
            .in_bulk(request_pks)
        )
        stored: dict[int, dict[tuple[str, str], ChainTransfer]] = defaultdict(dict)
        for row in ChainTransfer.objects.filter(request__in=request_pks):
            stored[row.request_id][(row.txid, row.address)] = row
        new_rows, changed_rows, changed_donations = [], [], []
        for pk, request in requests.items():
            rows = stored[pk]
            current = {(t.txid, t.address): t for t in incoming.get(pk, [])}
            for key, transfer in current.items():
                row = rows.get(key)
                if row is None:
                    row = ChainTransfer(
                        request=request,
                        provider=provider.name,
                        txid=transfer.txid,
                        address=transfer.address,
                        amount_atomic=transfer.amount_atomic,
                        first_seen_at=now,
                    )
                    rows[key] = row
                    new_rows.append(row)
                else:
                    changed_rows.append(row)
                row.amount_atomic = transfer.amount_atomic
                row.confirmations = transfer.confirmations
                row.present = True
                row.confirmed = transfer.confirmations >= required
                if row.confirmed and row.confirmed_at is None:
                    row.confirmed_at = now
            for key, row in rows.items():
                if key not in current and row.present:
                    # Gone from the chain and the pool: a reorganisation, or a double spend.
                    row.present = row.confirmed = False
                    changed_rows.append(row)
            if _settle(request, [r for r in rows.values() if r.present], now, report):
                changed_donations.append(request.donation)
        # A row another run stored meanwhile fails the unique constraint here: this run rolls
        # back whole, and the next one finds that row.
        ChainTransfer.objects.bulk_create(new_rows)
        _update(changed_rows, TRANSFER_FIELDS)
        _update(list(requests.values()), REQUEST_FIELDS)
        _update(changed_donations, DONATION_FIELDS)
        report.new_transfers += len(new_rows)
        for request in requests.values():
            if request.pk in report.newly_paid:
                donation = request.donation
                if donation.variant_id:
                    AppealStat.count(donation.variant_id, "completed", day=timezone.localdate(now))
                if donation.donor.email:
                    queue_receipt(donation.pk)
        if report.confirmed or report.unconfirmed:
            transaction.on_commit(forget_progress)


def _update(objects: list, fields: list[str]) -> None:
    """UPDATE … WHERE id = %s for each object, sent with executemany: Django's bulk_update
    builds a CASE expression per row and field, which cost more than the run's HTTP calls."""
    if not objects:
        return
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET "
        + ", ".join(f"{quote(c.column)} = %s" for c in columns)
        + f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    rows = [
        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _settle(
    request: PaymentRequest, present: list[ChainTransfer], now: datetime.datetime, report
) -> bool:
    """The request's and its donation's state from the transfers the chain shows now; whether
    the donation changed."""
    received = sum(r.amount_atomic for r in present if r.confirmed)
    seen = sum(r.amount_atomic for r in present if not r.confirmed)
    was_paid = request.status == Status.PAID
    if received:
        status = Status.PAID
    elif seen:
        status = Status.SEEN
    elif now >= request.expires_at:
        status = Status.EXPIRED
    else:
        status = Status.OPEN
    if status == Status.EXPIRED and request.status != Status.EXPIRED:
        report.expired += 1
    if present and request.seen_at is None:
        request.seen_at = now
    request.received_atomic, request.seen_atomic, request.status = received, seen, status
    if status == Status.PAID and request.paid_at is None:
        # The first time only: the appeal's credit and the receipt are given once, even if a
        # reorganisation takes the payment back and the chain confirms it again.
        request.paid_at = now
        report.newly_paid.add(request.pk)

    donation = request.donation
    if status == Status.PAID:
        donation.amount_minor = value_of(received, request.rate, coin_of(request))
        donation.mark_paid(now, save=False)
        if not was_paid:
            report.confirmed.append(request.pk)
        return True
    if was_paid:
        # A reorganisation took the confirmations away: not paid until they are back.
        donation.mark_unconfirmed(save=False)
        report.unconfirmed.append(request.pk)
        return True
    return False


def watch_all(now: datetime.datetime | None = None) -> list[WatchReport | ProviderUnavailable]:
    """One run for every configured address provider; one that is down does not stop the rest."""
    results: list[WatchReport | ProviderUnavailable] = []
    for provider in registry.address_providers():
        try:
            results.append(watch(provider, now))
        except ProviderUnavailable as exc:
            logger.warning("The %s provider is not answering: %s", provider.name, exc.message)
            results.append(exc)
    return results


# A rate source ----------------------------------------------------------------------------------

# Names a source may use for a coin besides its code (CoinGecko's simple price answer does).
COIN_NAMES = {"monero": "xmr", "bitcoin": "btc"}


def fetch_rates(url: str, timeout: float = 10.0) -> list[ExchangeRate]:
    """Read rates from a source the newsroom chose, and record them, signed with its address.

    The answer is JSON: {"xmr": {"usd": 152.4, "eur": 140.1}, "btc": {…}} (coin codes or names,
    currencies in lower or upper case, values per whole coin). Only coins of the configured
    providers and currencies of the donation forms are taken. Raises ValueError for an answer
    that is not that, and a zero or negative rate, recording nothing.
    """
    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        answer = json.loads(response.text, parse_float=Decimal, parse_int=Decimal)
    except (requests.RequestException, ValueError) as exc:
        raise ValueError(f"The rate source did not answer with rates: {exc}") from exc
    if not isinstance(answer, dict):
        raise ValueError("The rate source's answer is not a JSON object.")
    coins = {p.coin.code for p in registry.address_providers()}
    currencies = set(DonationForm.objects.values_list("currency", flat=True))
    now = timezone.now()
    rates = []
    for name, values in answer.items():
        code = COIN_NAMES.get(str(name).lower(), str(name).lower())
        if code not in coins or not isinstance(values, dict):
            continue
        for currency, value in values.items():
            currency = str(currency).lower()
            if currency not in currencies:
                continue
            try:
                minor = int((Decimal(value) * MINOR_PER_MAJOR).to_integral_value(ROUND_HALF_UP))
            except (InvalidOperation, TypeError, ValueError) as exc:
                raise ValueError(f"{code}/{currency}: {value!r} is not a number.") from exc
            if minor <= 0:
                raise ValueError(f"{code}/{currency}: a rate must be above zero.")
            rates.append(
                ExchangeRate(
                    coin=code, currency=currency, minor_per_coin=minor, set_at=now, source=url[:300]
                )
            )
    ExchangeRate.objects.bulk_create(rates)
    return rates
