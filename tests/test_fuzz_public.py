"""Whatever anyone sends to a public URL, the answer is never a 5xx.

A property-based fuzz test (Hypothesis): every URL pattern outside the admin is a target, listed
in TARGETS, or in EXEMPT with the reason; `test_every_public_url_is_fuzzed_or_exempt` fails when
an endpoint is added to the URLconf and to neither. Each target draws requests from its real
field names and path parameters, with values that are plausible (a valid signed token, an id
that exists), hostile (digits of other scripts, "²", NUL, huge numbers, 50,000 characters,
empty, repeated fields) or arbitrary text and bytes; the webhooks get correctly signed bodies
whose fields are replaced by arbitrary JSON.

    SAMIZDAT_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_fuzz_public.py

sends at least 10,000 requests (the default, about 1,000, is what CI runs), and prints how many
got which status. Runs are deterministic (derandomised, no example database), so CI is not
flaky; SAMIZDAT_FUZZ_SEED=<n> explores other inputs. Each request comes from a new address with
no rate limit spent, so no limit turns the fuzzing into a run of 429s.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import operator
import os
import reprlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from samizdat.newsletters import subscriptions
from samizdat.newsroom.listing import cursor
from samizdat.support.donors import selfservice
from samizdat.support.giving import chain, reminders
from samizdat.support.giving.forms import Gift, sign_gift
from samizdat.support.giving.upsell import offer_for
from samizdat.support.giving.views import CONFIRM_SALT, thanks_url
from samizdat.support.models import Appeal, Donation, ExchangeRate
from tests.factories import publish
from tests.localstripe import (
    CARD_DECLINED,
    CARD_OK,
    PUBLISHABLE_KEY,
    SECRET_KEY,
    WEBHOOK_SECRET,
    card_token,
    signed_body,
)
from tests.support import fake_coins
from tests.support.factories import (
    AppealFactory,
    DonationFactory,
    DonationFormFactory,
    RecurringDonationFactory,
    ReminderFactory,
)

TOTAL_EXAMPLES = int(os.environ.get("SAMIZDAT_FUZZ_EXAMPLES", "1000"))
FUZZ_SEED = os.environ.get("SAMIZDAT_FUZZ_SEED", "")
BOUNCE_SECRET = "fuzz-bounce-secret"
MIRROR_SECRET = "fuzz-mirror-secret"

# Values -----------------------------------------------------------------------------------------

# Characters str.isdigit() accepts and int() refuses or reads as another number.
UNICODE_DIGITS = "²³¹⁰₃٣١۳߃०১੧૧୧௧౧೧൧๑໑༡၁႑០᠑１𝟙"
EDGES = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1,5",
    "1e9",
    "NaN",
    "Infinity",
    "0x1F",
    "²",
    "٣",
    "１",
    "9" * 25,
    "9" * 5000,
    "\x00",
    "%00",
    "\u202e",
    "\ufeff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "null",
    "[]",
    "@",
    "a@b",
    "x" * 300,
]


# What broke before, offered to every field as often as a plausible value.
HOSTILE = ["²", "1²", "٣", "9" * 25, "\x00", "", "-1"]


def digits() -> st.SearchStrategy[str]:
    """A number in any script's digits: what str.isdigit() accepts."""
    return st.text(alphabet=UNICODE_DIGITS + "0123456789", min_size=1, max_size=12)


def junk() -> st.SearchStrategy[str]:
    """Text nobody should send: arbitrary, hostile, or huge."""
    return st.one_of(
        st.sampled_from(EDGES),
        st.text(max_size=30),
        digits(),
        st.text(alphabet=UNICODE_DIGITS + "0123456789.,-+ ", min_size=1, max_size=20),
        st.integers(-(2**80), 2**80).map(str),
        st.builds(operator.mul, st.text(min_size=1, max_size=2), st.integers(1_000, 50_000)),
    )


def value(*plausible) -> st.SearchStrategy[str]:
    """One of the plausible values (strategies or constants), a number in odd digits, or junk."""
    options = [p if isinstance(p, st.SearchStrategy) else st.just(p) for p in plausible]
    return st.one_of(*options, st.sampled_from(HOSTILE), digits(), junk())


def json_values() -> st.SearchStrategy:
    leaves = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | junk()
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
        ),
        max_leaves=6,
    )


def segment(*plausible) -> st.SearchStrategy[str]:
    """A path parameter, quoted as a browser would send it."""
    return value(*plausible).map(lambda text: quote(text, safe="") or "x")


RAW_CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=koi8-r",
    "application/x-www-form-urlencoded; charset=no-such-charset",
    "multipart/form-data; boundary=fuzz",
    "multipart/form-data",
    "application/json",
    "text/plain",
]


# Requests ---------------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    data: dict | bytes | None = None
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def form(data, fields: dict[str, st.SearchStrategy]) -> dict:
    """A form body: most of the real fields, sometimes one twice, sometimes others besides."""
    body: dict = {}
    for name, strategy in fields.items():
        if data.draw(st.integers(0, 9)):
            body[name] = data.draw(strategy)
            if not data.draw(st.integers(0, 19)):
                body[name] = [body[name], data.draw(junk())]
    body.update(data.draw(st.dictionaries(st.text(min_size=1, max_size=8), junk(), max_size=2)))
    return body


def post(data, path: str, fields: dict[str, st.SearchStrategy]) -> Request:
    """A POST of the form, or now and then of bytes in some content type."""
    if not data.draw(st.integers(0, 9)):
        body = data.draw(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
        return Request("POST", path, body, data.draw(st.sampled_from(RAW_CONTENT_TYPES)))
    return Request("POST", path, form(data, fields))


def get(data, path: str, fields: dict[str, st.SearchStrategy]) -> Request:
    return Request("GET", path, form(data, fields))


def get_or_post(data, path: str, fields: dict[str, st.SearchStrategy]) -> Request:
    return data.draw(st.sampled_from([get, post]))(data, path, fields)


def lang(data) -> str:
    return data.draw(st.sampled_from(["en", "ru"]))


# What exists: ids, tokens and pages worth aiming at ---------------------------------------------


@dataclass
class World:
    urls: list[str]
    variant_id: int
    article_id: int
    donation: Donation
    recurring_id: int
    manage_token: str
    card_link_token: str  # a failed renewal's e-mail link to the gift's card page
    payment_reference: str
    subscriber_confirm: str
    subscriber_unsubscribe: str
    reminder_token: str
    card_tokens: list[str]
    upsell_token: str  # the thank-you page's "make it monthly" offer for `donation`
    list_cursor: str = ""  # "Older stories" from the story: a list page's `?before=`
    counter: list[int] = field(default_factory=lambda: [0])

    def gift_token(self) -> st.SearchStrategy[str]:
        gifts = st.sampled_from(
            [Gift(2500, "usd", "once", self.variant_id), Gift(1000, "usd", "monthly")]
        )
        return gifts.map(sign_gift)


@pytest.fixture
def world(newsroom, settings, localstripe) -> World:
    requests.delete(f"{localstripe}/_config/data", timeout=5).raise_for_status()
    stripe = {
        "CLASS": "samizdat.payments.providers.stripe.StripeProvider",
        "OPTIONS": {
            "secret_key": SECRET_KEY,
            "publishable_key": PUBLISHABLE_KEY,
            "webhook_secret": WEBHOOK_SECRET,
            "api_base": localstripe,
            "js_url": f"{localstripe}/js.stripe.com/v3/",
            "max_network_retries": 0,
        },
    }
    fake_coins.configure(
        settings, stripe=stripe, monero=fake_coins.MONERO, bitcoin=fake_coins.BITCOIN
    )
    settings.SAMIZDAT_NEWSLETTER_BOUNCE_SECRET = BOUNCE_SECRET
    settings.SAMIZDAT_MIRROR_CHECK_SECRET = MIRROR_SECRET
    DonationFormFactory(currency="usd", minimum_minor=200)
    for coin in ("xmr", "btc"):
        ExchangeRate.objects.create(coin=coin, currency="usd", minor_per_coin=20_000)
    variant = AppealFactory(kind=Appeal.Kind.MODAL).variants.get()
    AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE)
    article = newsroom.article("The ferry strike", tags=["ferries"])
    from samizdat.reach.models import ReachPage

    reach = ReachPage(title="How to reach us", slug="how-to-reach-us", intro="<p>Mirrors.</p>")
    newsroom.homes["en"].add_child(instance=reach)
    publish(reach)
    recurring = RecurringDonationFactory(provider="stripe")
    donation = DonationFactory(donor=recurring.donor, provider="stripe")
    payment = chain.open_request(
        provider_name="monero", amount_minor=2500, currency="usd", checkout_key="k", language="en"
    )
    subscriptions.subscribe("reader@example.org", "en", digest=True, breaking=False)
    subscriber = subscriptions.Subscriber.objects.get()
    pages = ["/en/", "/ru/", article.url, newsroom.section("news").url, reach.url]
    routes = ["search/", "tags/ferries/", "feed/rss/", "feed/atom/"]
    return World(
        urls=pages + [f"/{code}/{route}" for code in ("en", "ru") for route in routes],
        variant_id=variant.pk,
        article_id=article.pk,
        donation=donation,
        recurring_id=recurring.pk,
        manage_token=selfservice.make_link_token(recurring.donor),
        card_link_token=selfservice.make_card_token(recurring),
        payment_reference=payment.reference,
        subscriber_confirm=subscriptions.confirm_token(subscriber, digest=True, breaking=True),
        subscriber_unsubscribe=subscriptions.unsubscribe_token(subscriber),
        reminder_token=reminders.unsubscribe_token(ReminderFactory()),
        card_tokens=[card_token(localstripe, CARD_OK), card_token(localstripe, CARD_DECLINED)],
        upsell_token=offer_for(donation).token,
        list_cursor=cursor(article),
    )


# Targets: one per URL pattern, keyed by the pattern as the URLconf spells it ------------------


def support_page(data, w: World) -> Request:
    fields = {
        "frequency": value("once", "monthly", "annual"),
        "amount": value("25", "10.50"),
        "currency": value("usd", "USD", "eur"),
        "variant": value(str(w.variant_id)),
        "page": value(str(w.article_id)),
    }
    return get(data, f"/{lang(data)}/support/", fields)


def checkout(data, w: World) -> Request:
    fields = {
        "currency": value("usd", "eur"),
        "frequency": value("once", "monthly", "annual"),
        "amount_once": value("25", "5"),
        "amount_monthly": value("10"),
        "amount_annual": value("100"),
        "custom_amount": value("12.50", "1", "1000000", "25,00"),
        "variant": value(str(w.variant_id)),
        "page": value(str(w.article_id)),
    }
    return get_or_post(data, f"/{lang(data)}/support/checkout/", fields)


def pay(data, w: World) -> Request:
    fields = {
        "token": value(w.gift_token()),
        "email": value("donor@example.org"),
        "name": value("Ada"),
        "anonymous": value("on", "1"),
        "payment_token": value(*w.card_tokens, "tok_nonexistent", "pm_x"),
    }
    return post(data, f"/{lang(data)}/support/pay/", fields)


def confirm(data, w: World) -> Request:
    fields = {
        "ref": value(signing.dumps(w.donation.pk, salt=CONFIRM_SALT)),
        "token": value(w.gift_token()),
    }
    return post(data, f"/{lang(data)}/support/confirm/", fields)


def pay_to_address(data, w: World) -> Request:
    fields = {
        "token": value(w.gift_token()),
        "method": value("monero", "bitcoin", "card"),
        "email": value("donor@example.org"),
    }
    return post(data, f"/{lang(data)}/support/pay/address/", fields)


def payment_page(data, w: World) -> Request:
    reference = data.draw(segment(w.payment_reference))
    return get(data, f"/{lang(data)}/support/payment/{reference}/", {})


def thanks(data, w: World) -> Request:
    ref = data.draw(segment(thanks_url(w.donation).rstrip("/").rsplit("/", 1)[-1]))
    return get(data, f"/{lang(data)}/support/thanks/{ref}/", {})


def remind(data, w: World) -> Request:
    fields = {"email": value("reader@example.org"), "consent": value("1", "on")}
    return post(data, f"/{lang(data)}/support/remind/", fields)


def stats(data, w: World) -> Request:
    fields = {"v": value(str(w.variant_id)), "e": value("impression", "click")}
    return post(data, f"/{lang(data)}/support/stats/", fields)


def upsell(data, w: World) -> Request:
    from samizdat.support.giving.upsell import UPSELL_SALT

    other_amount = signing.dumps({"d": w.donation.pk, "a": 1}, salt=UPSELL_SALT)
    fields = {"token": value(w.upsell_token, other_amount), "choice": value("monthly", "remind")}
    return post(data, f"/{lang(data)}/support/upsell/", fields)


def giving_safely(data, w: World) -> Request:
    return get(data, f"/{lang(data)}/support/giving-safely/", {"method": value("monero")})


def goal(data, w: World) -> Request:
    return get_or_post(data, f"/{lang(data)}/support/goal/", {"campaign": value("1")})


def manage(data, w: World) -> Request:
    fields = {"email": value("donor@example.org")}
    return get_or_post(data, f"/{lang(data)}/support/manage/", fields)


def manage_gifts(data, w: World) -> Request:
    token = data.draw(segment(w.manage_token))
    fields = {"done": value("changed", "cancelled")}
    return get(data, f"/{lang(data)}/support/manage/{token}/", fields)


def _gift_path(data, w: World, action: str) -> tuple[str, int]:
    token = data.draw(segment(w.manage_token))
    pk = data.draw(st.sampled_from([w.recurring_id]) | st.integers(0, 10**20))
    return f"/{lang(data)}/support/manage/{token}/gifts/{pk}/{action}/", pk


def manage_change(data, w: World) -> Request:
    path, pk = _gift_path(data, w, "change")
    fields = {
        f"gift-{pk}-amount": value("15", "0.5", "1000000"),
        f"gift-{pk}-frequency": value("monthly", "annual", "once"),
    }
    return post(data, path, fields)


def manage_cancel(data, w: World) -> Request:
    path, _pk = _gift_path(data, w, "cancel")
    return get_or_post(data, path, {})


def manage_card(data, w: World) -> Request:
    path, _pk = _gift_path(data, w, "card")
    return get_or_post(data, path, {"setup_id": value("seti_x"), "form_token": value("x")})


def manage_yearly(data, w: World) -> Request:
    token = data.draw(segment(w.manage_token))
    year = data.draw(st.sampled_from([2025, 2026]) | st.integers(0, 10**20))
    return get(data, f"/{lang(data)}/support/manage/{token}/receipts/{year}/", {})


def manage_card_link(data, w: World) -> Request:
    token = data.draw(segment(w.card_link_token))
    fields = {"setup_id": value("seti_x"), "form_token": value("x"), "done": value("card")}
    return get_or_post(data, f"/{lang(data)}/support/manage/card/{token}/", fields)


def reminder_unsubscribe(data, w: World) -> Request:
    token = data.draw(segment(w.reminder_token))
    return get_or_post(data, f"/{lang(data)}/support/manage/reminders/unsubscribe/{token}/", {})


def viewed(data, w: World) -> Request:
    page_id = data.draw(st.sampled_from([w.article_id]) | st.integers(0, 10**30))
    return post(data, f"/{lang(data)}/reach/viewed/{page_id}/", {})


def subscribe(data, w: World) -> Request:
    fields = {
        "email": value("reader@example.org"),
        "digest": value("on"),
        "breaking": value("on"),
        "consent": value("on"),
    }
    return get_or_post(data, f"/{lang(data)}/newsletter/", fields)


def newsletter_confirm(data, w: World) -> Request:
    token = data.draw(segment(w.subscriber_confirm))
    return get_or_post(data, f"/{lang(data)}/newsletter/confirm/{token}/", {})


def newsletter_unsubscribe(data, w: World) -> Request:
    token = data.draw(segment(w.subscriber_unsubscribe))
    return get_or_post(data, f"/{lang(data)}/newsletter/unsubscribe/{token}/", {})


def reader_pages(data, w: World) -> Request:
    """Wagtail's pages and their routes (search, tags, feeds), and paths that name nothing."""
    chosen = st.sampled_from(w.urls)
    made_up = st.builds(
        lambda code, parts: f"/{code}/" + "".join(quote(p, safe="") + "/" for p in parts),
        st.sampled_from(["en", "ru"]),
        st.lists(value("news", "search", "tags", "feed"), min_size=1, max_size=3),
    )
    path = data.draw(chosen | made_up)
    fields = {
        "page": value("2", "0", "-1"),
        "q": value("ferry", "страйк"),
        "p": value("1"),
        "before": value(w.list_cursor, "20260102T101500.000000_1"),
        "after": value(w.list_cursor),
    }
    return data.draw(st.sampled_from([get, get, post]))(data, path, fields)


def page_password(data, w: World) -> Request:
    first, second = data.draw(st.integers(0, 10**20)), data.draw(st.integers(0, 10**20))
    path = f"/{lang(data)}/_util/authenticate_with_password/{first}/{second}/"
    return get_or_post(data, path, {"password": value("secret"), "return_url": value("/en/")})


def page_login(data, w: World) -> Request:
    fields = {"username": value("admin"), "password": value("pw"), "next": value("/en/")}
    return get_or_post(data, f"/{lang(data)}/_util/login/", fields)


def robots(data, w: World) -> Request:
    return get(data, "/robots.txt", {})


def sitemap(data, w: World) -> Request:
    return get(data, "/sitemap.xml", {"p": value("1", "2", "0")})


def news_sitemap(data, w: World) -> Request:
    return get(data, "/sitemap-news.xml", {})


def documents(data, w: World) -> Request:
    number = data.draw(st.integers(0, 10**20))
    return get(data, f"/documents/{number}/{data.draw(segment('report.pdf'))}", {})


def document_password(data, w: World) -> Request:
    number = data.draw(st.integers(0, 10**20))
    path = f"/documents/authenticate_with_password/{number}/"
    return get_or_post(data, path, {"password": value("secret"), "return_url": value("/")})


def media(data, w: World) -> Request:
    parts = data.draw(st.lists(value("images", "..", "original_images"), min_size=1, max_size=3))
    return get(data, "/media/" + "/".join(quote(p, safe="") for p in parts), {})


def _signature(data, secret: str, body: bytes, sign) -> dict[str, str]:
    """Mostly a valid signature of now; sometimes stale, early, wrong, or nonsense."""
    kind = data.draw(st.sampled_from(["now"] * 6 + ["past", "future", "wrong", "junk", "digits"]))
    offset = {"past": -3600, "future": 3600}.get(kind, 0)
    if kind == "junk":
        return {"t": data.draw(junk()), "v": data.draw(junk())}
    if kind == "digits":  # a time in digits int() refuses or misreads
        return {"t": data.draw(st.text(UNICODE_DIGITS, min_size=1, max_size=12)), "v": "0" * 64}
    return sign("whsec_wrong" if kind == "wrong" else secret, int(time.time()) + offset, body)


def _mutated(data, template: dict) -> bytes:
    """The template as JSON with up to three of its values (at any depth) replaced, or bytes."""
    if not data.draw(st.integers(0, 9)):
        return data.draw(st.binary(max_size=300))
    paths: list[tuple] = []

    def walk(node, path):
        paths.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if isinstance(child, dict | list):
                walk(child, (*path, key))
            else:
                paths.append((*path, key))

    walk(template, ())
    for path in data.draw(st.lists(st.sampled_from(paths[1:]), max_size=3)):
        target = template
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = data.draw(json_values())
        except (IndexError, KeyError, TypeError):
            continue  # an earlier change replaced what this path led through
    return json.dumps(template).encode()


def _event_templates(w: World, event_id: str) -> list[dict]:
    from tests.payments.test_webhooks import (
        intent_succeeded,
        invoice_paid,
        refund_updated,
        subscription_updated,
    )

    charge = {"id": "ch_f", "object": "charge", "payment_intent": "pi_f", "amount_refunded": 100}
    charge |= {"currency": "usd", "customer": "cus_f", "invoice": None}
    refunded = {**refund_updated(event_id), "type": "charge.refunded"}
    refunded["data"] = {"object": charge}
    return [
        intent_succeeded(w.donation, event_id),
        invoice_paid(event_id, f"in_{event_id}"),
        subscription_updated(event_id),
        refund_updated(event_id),
        refunded,
        {**subscription_updated(event_id), "type": "customer.subscription.deleted"},
    ]


def _stripe_signature(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {"Stripe-Signature": signed_body(body, secret, timestamp)[1]["Stripe-Signature"]}


def webhook(data, w: World) -> Request:
    w.counter[0] += 1
    templates = _event_templates(w, f"evt_fuzz_{w.counter[0]}")
    body = _mutated(data, data.draw(st.sampled_from(templates)))
    signature = _signature(data, WEBHOOK_SECRET, body, _stripe_signature)
    if "t" in signature:
        signature = {"Stripe-Signature": f"t={signature['t']},v1={signature['v']}"}
    provider = data.draw(st.sampled_from(["stripe"] * 8 + ["monero", "paypal"]))
    return Request("POST", f"/payments/webhooks/{provider}/", body, "application/json", signature)


def _bounce_signature(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    digest = hmac.new(secret.encode(), b"%d.%s" % (timestamp, body), hashlib.sha256).hexdigest()
    return {"X-Samizdat-Timestamp": str(timestamp), "X-Samizdat-Signature": digest}


def bounces(data, w: World) -> Request:
    notice = {"type": "hard_bounce", "email": "reader@example.org"}
    template = data.draw(st.sampled_from([notice, {"events": [notice, dict(notice)]}]))
    body = _mutated(data, json.loads(json.dumps(template)))
    headers = _signature(data, BOUNCE_SECRET, body, _bounce_signature)
    if "t" in headers:
        headers = {"X-Samizdat-Timestamp": headers["t"], "X-Samizdat-Signature": headers["v"]}
    return Request("POST", "/newsletters/bounces/", body, "application/json", headers)


def _mirror_signature(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    from samizdat.reach import mirror_check

    signed = mirror_check.signature(secret, str(timestamp), body)
    return {mirror_check.TIMESTAMP_HEADER: str(timestamp), mirror_check.SIGNATURE_HEADER: signed}


def mirror_report(data, w: World) -> Request:
    from samizdat.reach import mirror_check

    result = {"url": "https://mirror.example/", "status": "current", "http_status": 200}
    result |= {"seconds": 0.5, "build": "b1", "checked_at": "2026-01-01T00:00:00+00:00"}
    body = _mutated(data, {"vantage": "fuzz", "results": [result, dict(result)]})
    headers = _signature(data, MIRROR_SECRET, body, _mirror_signature)
    if "t" in headers:
        headers = {
            mirror_check.TIMESTAMP_HEADER: headers["t"],
            mirror_check.SIGNATURE_HEADER: headers["v"],
        }
    return Request("POST", f"/{lang(data)}/reach/mirror-checks/", body, "application/json", headers)


TARGETS: dict[str, Callable] = {
    "<lang>/support/": support_page,
    "<lang>/support/giving-safely/": giving_safely,
    "<lang>/support/goal/": goal,
    "<lang>/support/checkout/": checkout,
    "<lang>/support/pay/": pay,
    "<lang>/support/confirm/": confirm,
    "<lang>/support/pay/address/": pay_to_address,
    "<lang>/support/payment/<str:reference>/": payment_page,
    "<lang>/support/thanks/<str:ref>/": thanks,
    "<lang>/support/remind/": remind,
    "<lang>/support/stats/": stats,
    "<lang>/support/upsell/": upsell,
    "<lang>/support/manage/": manage,
    "<lang>/support/manage/reminders/unsubscribe/<str:token>/": reminder_unsubscribe,
    "<lang>/support/manage/<str:token>/": manage_gifts,
    "<lang>/support/manage/<str:token>/gifts/<id:pk>/change/": manage_change,
    "<lang>/support/manage/<str:token>/gifts/<id:pk>/cancel/": manage_cancel,
    "<lang>/support/manage/<str:token>/gifts/<id:pk>/card/": manage_card,
    "<lang>/support/manage/<str:token>/receipts/<int:year>/": manage_yearly,
    "<lang>/support/manage/card/<str:card_token>/": manage_card_link,
    "<lang>/reach/viewed/<id:page_id>/": viewed,
    "<lang>/reach/mirror-checks/": mirror_report,
    "<lang>/newsletter/": subscribe,
    "<lang>/newsletter/confirm/<str:token>/": newsletter_confirm,
    "<lang>/newsletter/unsubscribe/<str:token>/": newsletter_unsubscribe,
    "<lang>/_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        page_password
    ),
    "<lang>/_util/login/": page_login,
    "<lang>/^((?:[\\w\\-]+/)*)$": reader_pages,
    "robots.txt": robots,
    "sitemap.xml": sitemap,
    "sitemap-news.xml": news_sitemap,
    "payments/webhooks/<slug:provider>/": webhook,
    "newsletters/bounces/": bounces,
    "documents/^(\\d+)/(.*)$": documents,
    "documents/authenticate_with_password/<int:restriction_id>/": document_password,
    "^media/(?P<path>.*)$": media,
}
# Patterns not fuzzed here, and why.
EXEMPT: dict[str, str] = {
    "admin/": "Wagtail's admin: staff only, behind a login; not a reader-facing endpoint",
}


def url_patterns(patterns=None, prefix: str = ""):
    """Every URL pattern, as "<lang>/support/stats/", "payments/webhooks/<slug:provider>/"…"""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if isinstance(pattern.pattern, LocalePrefixPattern):
                here = "<lang>/"
            else:
                here = str(pattern.pattern)
            if prefix + here in EXEMPT:
                yield prefix + here
                continue
            yield from url_patterns(pattern.url_patterns, prefix + here)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_public_url_is_fuzzed_or_exempt():
    patterns = set(url_patterns())

    assert patterns - TARGETS.keys() - EXEMPT.keys() == set(), "fuzz these, or say why not"
    # The media route exists only where Django serves uploads (settings.SERVE_MEDIA).
    assert TARGETS.keys() - patterns <= {"^media/(?P<path>.*)$"}, "no such URL any more"


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("POST", f"/en/reach/viewed/{'9' * 25}/", 404),
        ("POST", f"/en/support/manage/token/gifts/{'9' * 25}/change/", 404),
        # Not found, outside the language prefixes: the language middleware redirects it.
        ("GET", f"/media/{'a' * 300}", 302),
        ("POST", "/payments/webhooks/monero/", 404),
        ("GET", f"/en/support/payment/{'a' * 31}%00/", 404),
    ],
)
def test_what_the_fuzzing_found_stays_fixed(world, settings, method, path, status):
    # Each was a 500: a query overflowing its integer, a file name too long for the disk, a
    # provider without webhooks, a NUL that PostgreSQL refuses.
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)

    assert Client().generic(method, path).status_code == status


@pytest.mark.parametrize(
    "path, header",
    [
        ("/newsletters/bounces/", "X-Samizdat-Timestamp"),
        ("/en/reach/mirror-checks/", "X-Samizdat-Timestamp"),
    ],
)
@pytest.mark.parametrize("timestamp", ["²", "١٧٩٠٠٠٠٠٠٠", "9" * 5000])
def test_a_signed_endpoint_refuses_a_time_in_other_digits(db, settings, path, header, timestamp):
    settings.SAMIZDAT_NEWSLETTER_BOUNCE_SECRET = BOUNCE_SECRET
    settings.SAMIZDAT_MIRROR_CHECK_SECRET = MIRROR_SECRET
    headers = {header: timestamp, "X-Samizdat-Signature": "0" * 64}

    response = Client().post(path, b"{}", content_type="application/json", headers=headers)

    assert response.status_code == 403


# The property -----------------------------------------------------------------------------------

# Requests sent, per target and status: the run shows that the fuzzing reached the views (not
# a wall of 429s or 404s).
SENT: dict[str, Counter] = {}


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if SENT and reporter is not None and capture is not None:
        statuses = sum(SENT.values(), Counter())
        shares = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nfuzz: {statuses.total()} requests to {len(SENT)} endpoints ({shares})"
            )


def send(client: Client, request: Request, address: str):
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.headers.items()}
    headers["REMOTE_ADDR"] = address
    if isinstance(request.data, bytes):
        return client.generic(
            request.method,
            request.path,
            request.data,
            content_type=request.content_type,
            **headers,
        )
    if request.method == "GET":
        return client.get(request.path, request.data or {}, **headers)
    return client.post(request.path, request.data or {}, **headers)


def examples_each() -> int:
    return max(10, -(-TOTAL_EXAMPLES // len(TARGETS)))  # rounded up: at least the total


def fuzzing(test):
    """Hypothesis as this suite uses it: deterministic unless a seed is given."""
    configured = settings(
        max_examples=examples_each(),
        deadline=None,
        database=None,
        derandomize=not FUZZ_SEED,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )(test)
    return seed(int(FUZZ_SEED))(configured) if FUZZ_SEED else configured


@pytest.mark.parametrize("pattern", TARGETS)
@fuzzing
@given(data=st.data())
def test_no_input_makes_a_public_url_answer_5xx(world, pattern, data):
    if pattern.startswith("^media/") and not _serves_media():
        return
    request = TARGETS[pattern](data, world)
    _forget_rate_limits()
    world.counter[0] += 1
    n = world.counter[0]

    response = send(Client(), request, address=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # a streamed body fails while it is read

    SENT.setdefault(pattern, Counter())[response.status_code] += 1
    assert response.status_code < 500, (
        f"{request.method} {reprlib.repr(request.path)} answered {response.status_code}: "
        f"{response.content[:300]!r}"
    )


def _forget_rate_limits() -> None:
    """Rate limits count per test, not per example: each request starts with none spent (a
    new client address as well), or most of the run would be answered 429."""
    from django.conf import settings as django_settings

    cache.clear()
    store = getattr(django_settings, "SAMIZDAT_RATE_LIMIT_STORE", None)
    if store:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)


def _serves_media() -> bool:
    from django.conf import settings as django_settings

    return bool(django_settings.SERVE_MEDIA)
