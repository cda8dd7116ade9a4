"""Reading Stripe's subscriptions, invoices and plans, in the shape either API version sends."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from samizdat.ids import parse_id
from samizdat.payments.base import Frequency
from samizdat.payments.providers.stripe.client import id_of

# A time before the year 10000: the latest a signed event may name.
MAX_TIMESTAMP = 253_402_300_799

INTERVALS = {Frequency.MONTHLY: "month", Frequency.ANNUAL: "year"}
FREQUENCY_BY_INTERVAL = {interval: frequency for frequency, interval in INTERVALS.items()}
PRODUCT_NAMES = {Frequency.MONTHLY: "Monthly donation", Frequency.ANNUAL: "Annual donation"}
PLAN_ID = re.compile(
    r"^samizdat-(?P<currency>[a-z]{3})-(?P<amount>\d+)-(?P<interval>month|year)$", re.ASCII
)


def plan_id_for(amount_minor: int, currency: str, frequency: Frequency) -> str:
    """The one Plan for this amount, currency and interval: every donor giving it shares it."""
    return f"samizdat-{currency.lower()}-{amount_minor}-{INTERVALS[frequency]}"


def datetime_of(value: Any) -> datetime.datetime | None:
    """A Unix time from Stripe (an integer; a digit string from older payloads). Raises
    ValueError for anything else, and for times outside the years 1970-9999."""
    if value in (None, ""):
        return None
    seconds = parse_id(value) if isinstance(value, str) else value
    if type(seconds) is not int or not 0 <= seconds <= MAX_TIMESTAMP:
        raise ValueError("not a Unix time")
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def metadata_of(obj: Mapping) -> dict[str, str]:
    return {str(k): str(v) for k, v in (obj.get("metadata") or {}).items() if v is not None}


def first_item(subscription: Mapping) -> dict:
    items = subscription.get("items") or {}
    data = items.get("data") if isinstance(items, Mapping) else None
    return dict(data[0]) if data else {}


def frequency_of(interval: str | None, price_id: str = "", metadata: Mapping | None = None):
    if interval in FREQUENCY_BY_INTERVAL:
        return FREQUENCY_BY_INTERVAL[interval]
    match = PLAN_ID.match(price_id or "")
    if match:
        return FREQUENCY_BY_INTERVAL[match["interval"]]
    raw = (metadata or {}).get("frequency", "")
    return Frequency(raw) if raw in {f.value for f in Frequency} else None


def price_of(item: Mapping) -> tuple[str, int | None, str, str]:
    """(price id, unit amount, currency, interval) of a subscription item or invoice line."""
    plan = item.get("plan") or {}
    if isinstance(plan, Mapping) and plan:
        return id_of(plan), plan.get("amount"), plan.get("currency") or "", plan.get("interval")
    price = item.get("price") or {}
    if isinstance(price, Mapping) and price:
        recurring = price.get("recurring") or {}
        interval = recurring.get("interval")
        return id_of(price), price.get("unit_amount"), price.get("currency") or "", interval
    # Newer API versions describe invoice lines by price id only.
    pricing = (item.get("pricing") or {}).get("price_details") or {}
    price_id = id_of(pricing.get("price"))
    match = PLAN_ID.match(price_id)
    if match:
        return price_id, int(match["amount"]), match["currency"], match["interval"]
    return price_id, None, "", None


def period_end_of(subscription: Mapping) -> datetime.datetime | None:
    return datetime_of(
        subscription.get("current_period_end") or first_item(subscription).get("current_period_end")
    )


def invoice_subscription(invoice: Mapping) -> tuple[str, dict[str, str]]:
    """The subscription an invoice bills, and that subscription's metadata when included."""
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    legacy = invoice.get("subscription_details") or {}
    subscription_id = id_of(parent.get("subscription")) or id_of(invoice.get("subscription"))
    metadata = {}
    for source in (legacy.get("metadata"), parent.get("metadata")):
        metadata.update({str(k): str(v) for k, v in (source or {}).items() if v is not None})
    return subscription_id, metadata
