"""Card testing behind the README's nginx, each attempt from a loopback address of its own: the
per-client limit sees a new reader every time, and the card-testing defence still holds."""

from __future__ import annotations

import http.client
import itertools
import time
from urllib.parse import urlencode

from samizdat.support.giving.forms import Gift, sign_gift
from samizdat.support.models import CardTestingEpisode
from tests.localstripe import card_token
from tests.support.factories import DonationFormFactory
from tests.support.test_card_testing import DECLINED, Calls
from tests.test_nginx_proxy import front  # noqa: F401  (the README's nginx, a fixture)

ATTEMPTS = 300


def post_pay(port: int, source: str, fields: dict[str, str]) -> int:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            "/en/support/pay/",
            body=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-Real-IP": source},
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_card_tests_from_many_addresses_behind_nginx_reach_the_provider_at_most_five_times(
    front,  # noqa: F811
    transactional_db,
    stripe_settings,
    localstripe,
    monkeypatch,
):
    DonationFormFactory(currency="usd")
    calls = Calls(monkeypatch)
    sources = (f"127.0.{b}.{c}" for b, c in itertools.product(range(1, 255), range(1, 255)))
    started = time.monotonic()
    statuses = set()
    for n, source in zip(range(ATTEMPTS), sources, strict=False):
        fields = {
            "token": sign_gift(Gift(500, "usd", "once")),
            "email": f"tester{n}@example.org",
            "payment_token": card_token(localstripe, DECLINED[n % len(DECLINED)]),
        }
        statuses.add(post_pay(front, source, fields))
    elapsed = time.monotonic() - started

    assert statuses == {200}  # never the per-client 429: every attempt is a new client to it
    assert calls.charges <= 5, f"{calls.charges} of {ATTEMPTS} reached the provider"
    assert CardTestingEpisode.objects.get(challenge=True).challenged == ATTEMPTS - calls.charges
    print(f"\n{calls.charges} of {ATTEMPTS} reached localstripe through nginx in {elapsed:.1f} s")
