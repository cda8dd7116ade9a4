"""localstripe for the tests: a stateful fake Stripe on 127.0.0.1, plus helpers.

tests/conftest.py registers this module as a plugin, so every test can ask for the fixtures.
`localstripe` runs one server per test session (per xdist worker); `stripe_settings` empties it
before each test and points Samizdat's Stripe provider at it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from samizdat.demo import localstripe as demo_localstripe
from samizdat.payments import registry
from samizdat.payments.base import CheckoutRequest, CheckoutResult, Frequency

SECRET_KEY = "sk_test_samizdat_localstripe"
PUBLISHABLE_KEY = "pk_test_samizdat_localstripe"
WEBHOOK_SECRET = "whsec_samizdat_localstripe"

CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000002"  # refused when attached to the customer
CARD_CHARGE_FAILS = "4000000000000341"  # attaches, then every charge fails
CARD_3DS = "4000002500003155"  # the bank asks for 3-D Secure


# Where each running localstripe writes its log: it reports every webhook delivery there.
_LOGS: dict[str, Path] = {}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _executable() -> str:
    beside_python = Path(sys.executable).with_name("localstripe")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("localstripe")
    if found is None:
        pytest.fail("localstripe is not installed: pip install localstripe")
    return found


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """The base URL of a localstripe started for this session, e.g. http://127.0.0.1:40123."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("localstripe") / "localstripe.log"
    with log_path.open("wb") as log:
        _executable()  # says how to install it if it is missing
        process = subprocess.Popen(
            # localstripe with the Stripe parameters it lacks (samizdat/demo/localstripe.py)
            demo_localstripe.command(port),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    base_url = f"http://127.0.0.1:{port}"
    _LOGS[base_url] = log_path
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"localstripe exited early:\n{log_path.read_text()}")
            try:
                requests.get(f"{base_url}/v1/balance", auth=(SECRET_KEY, ""), timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail(f"localstripe did not answer on {base_url}")
                time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def stripe_settings(settings, localstripe):
    """An empty localstripe and the Stripe provider pointed at it; yields its OPTIONS."""
    requests.delete(f"{localstripe}/_config/data", timeout=5).raise_for_status()
    options = {
        "secret_key": SECRET_KEY,
        "publishable_key": PUBLISHABLE_KEY,
        "webhook_secret": WEBHOOK_SECRET,
        "api_base": localstripe,
        "js_url": f"{localstripe}/js.stripe.com/v3/",
    }
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        "stripe": {"CLASS": "samizdat.payments.providers.stripe.StripeProvider", "OPTIONS": options}
    }
    registry.reset()
    yield options
    registry.reset()


def card_token(base_url: str, number: str = CARD_OK) -> str:
    """What Stripe.js createToken() gives the browser for this card number."""
    response = requests.post(
        f"{base_url}/v1/tokens",
        data={
            "key": PUBLISHABLE_KEY,
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "2034",
            "card[cvc]": "123",
        },
        timeout=5,
    )
    response.raise_for_status()
    return response.json()["id"]


def stripe_checkout(
    base_url: str,
    *,
    amount_minor: int,
    frequency: Frequency,
    email: str,
    name: str = "",
    card: str = CARD_OK,
    payment_token: str | None = None,
    idempotency_key: str | None = None,
    **fields,
) -> CheckoutResult:
    """A gift in USD straight through the Stripe provider (no records of ours), paid with the
    token Stripe.js gives for `card` unless `payment_token` says otherwise; a fresh idempotency
    key unless one is given. Needs `stripe_settings`."""
    return registry.get_provider("stripe").start_checkout(
        CheckoutRequest(
            amount_minor=amount_minor,
            currency="usd",
            frequency=frequency,
            email=email,
            name=name,
            payment_token=payment_token or card_token(base_url, card),
            idempotency_key=idempotency_key or uuid.uuid4().hex,
            **fields,
        )
    )


def stripe_get(base_url: str, path: str, **params) -> dict:
    """GET from localstripe's API with the secret key, e.g. stripe_get(url, "payment_intents")."""
    response = requests.get(
        f"{base_url}/v1/{path}", params=params, auth=(SECRET_KEY, ""), timeout=5
    )
    response.raise_for_status()
    return response.json()


def stripe_post(base_url: str, path: str, **data) -> dict:
    response = requests.post(f"{base_url}/v1/{path}", data=data, auth=(SECRET_KEY, ""), timeout=5)
    response.raise_for_status()
    return response.json()


def count_objects(base_url: str, kind: str) -> int:
    """How many of a kind of object localstripe holds (payment_intents, subscriptions…)."""
    params = {"limit": 100}
    if kind == "subscriptions":
        params["status"] = "all"
    return stripe_get(base_url, kind, **params)["total_count"]


def authenticate_3ds(base_url: str, client_secret: str, success: bool = True) -> dict:
    """What the bank's 3-D Secure page does once the donor confirmed (or refused)."""
    intent_id = client_secret.split("_secret_")[0]
    response = requests.post(
        f"{base_url}/v1/payment_intents/{intent_id}/_authenticate",
        params={"success": "true" if success else "false"},
        data={"key": PUBLISHABLE_KEY, "client_secret": client_secret},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()


def register_webhook(
    base_url: str, url: str, secret: str = WEBHOOK_SECRET, events: list[str] | None = None
) -> str:
    """Have localstripe deliver its events to `url`; returns the registration id."""
    webhook_id = "samizdat-tests"
    body = {"url": url, "secret": secret}
    if events is not None:
        body["events"] = events
    requests.post(f"{base_url}/_config/webhooks/{webhook_id}", json=body, timeout=5)
    return webhook_id


def webhook_deliveries(base_url: str, event_type: str) -> list[str]:
    """localstripe's report of each delivery of `event_type` so far, oldest first.

    Watching its log, rather than the database, keeps a test's polling from competing with the
    live server for the test database's locks.
    """
    lines = _LOGS[base_url].read_text(errors="replace").splitlines()
    return [line for line in lines if line.startswith(f'webhook "{event_type}"')]


def wait_for_delivery(base_url: str, event_type: str, after: int = 0, timeout: float = 10) -> str:
    """Wait (localstripe sends a second after the event) for delivery number `after` + 1."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        deliveries = webhook_deliveries(base_url, event_type)
        if len(deliveries) > after:
            return deliveries[after]
        time.sleep(0.2)
    pytest.fail(f"localstripe did not deliver {event_type} within {timeout} s")


def silence_webhook(base_url: str, webhook_id: str) -> None:
    """localstripe cannot forget a webhook: make it listen for an event that never happens."""
    requests.post(
        f"{base_url}/_config/webhooks/{webhook_id}",
        json={"url": "http://127.0.0.1:9/", "secret": "unused", "events": ["samizdat.never"]},
        timeout=5,
    )


def signed_stripe_event(
    payload: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """A webhook body and headers exactly as Stripe would send them, signed with `secret`.

    Stripe signs "<timestamp>.<body>" with HMAC-SHA256 (docs.stripe.com/webhooks#verify-manually).
    """
    return signed_body(json.dumps(payload).encode(), secret, timestamp)


def signed_body(
    body: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """Any body, even one that is not JSON, signed as Stripe signs events."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), b"%d.%s" % (timestamp, body), hashlib.sha256)
    header = f"t={timestamp},v1={signature.hexdigest()}"
    return body, {"Stripe-Signature": header, "Content-Type": "application/json"}


def stripe_event(event_type: str, obj: dict, event_id: str, created: int | None = None) -> dict:
    """A Stripe event envelope around `obj`."""
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": int(time.time()) if created is None else created,
        "api_version": "2017-08-15",
        "data": {"object": obj},
    }
