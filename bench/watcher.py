"""Gifts paid to an address: the cost of a payment request, and the watcher's detections/s.

    .venv/bin/python -m bench.watcher [--requests 1000] [--runs 5]

Against the Bitcoin provider and the test suite's loopback Esplora server (tests/esplora.py),
on a throwaway SQLite database unless `make bench` runs it on its PostgreSQL one:

- payment requests: `--requests` one-time gifts opened one after another (a donor, a pending
  donation, a derived address checked as the newsroom's, the request row): requests/s;
- detection: every request's address paid and three blocks mined, then one watcher run records
  them all as paid (the transfer rows, the requests, the donations): payments detected per
  second with that many open requests (target: at least 200/s); then a run that finds nothing
  new, which is what cron repeats every minute.

Bitcoin's gap limit (20 unpaid addresses past the last paid one) is lifted for the bench: it
opens every request before any is paid, which a newsroom's readers never do at once.
Each round starts from empty tables; the figures are the median and range of `--runs` rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import say  # noqa: E402

TARGET_PER_SECOND = 200


def _setup(esplora_url: str):
    from django.conf import settings

    from samizdat.payments import registry
    from samizdat.support.giving import chain
    from tests.payments.test_bitcoin_vectors import ACCOUNT_ZPUB

    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        **settings.SAMIZDAT_PAYMENT_PROVIDERS,
        "bitcoin": {
            "CLASS": "samizdat.payments.providers.bitcoin.BitcoinProvider",
            "OPTIONS": {"account_key": ACCOUNT_ZPUB, "esplora_url": esplora_url},
        },
    }
    registry.reset()
    chain.GAP_LIMIT = 10**9
    return registry.get_provider("bitcoin")


def _empty_tables() -> None:
    from samizdat.support.models import (
        ChainTransfer,
        Donation,
        DonationForm,
        Donor,
        ExchangeRate,
        PaymentRequest,
        RecurringDonation,
    )

    # The other benches of the same run leave gifts behind, monthly ones included.
    for model in (
        ChainTransfer,
        PaymentRequest,
        Donation,
        RecurringDonation,
        Donor,
        ExchangeRate,
        DonationForm,
    ):
        model.objects.all().delete()
    DonationForm.objects.create(currency="usd", is_default=True)
    ExchangeRate.objects.create(coin="btc", currency="usd", minor_per_coin=6_100_000)


def one_round(esplora, provider, count: int) -> dict[str, float]:
    from samizdat.support.giving import chain

    _empty_tables()
    esplora.reset()
    started = time.perf_counter()
    requests = [
        chain.open_request(
            provider_name="bitcoin",
            amount_minor=2500,
            currency="usd",
            checkout_key=uuid.uuid4().hex,
            language="en",
        )
        for _ in range(count)
    ]
    opening = time.perf_counter() - started
    for request in requests:
        esplora.pay(request.address, request.amount_atomic)
    esplora.mine(provider.confirmations_required)

    started = time.perf_counter()
    report = chain.watch(provider)
    detecting = time.perf_counter() - started
    if len(report.confirmed) != count:
        raise SystemExit(f"the watcher found {len(report.confirmed)} of {count} payments")

    started = time.perf_counter()
    idle = chain.watch(provider)
    idle_seconds = time.perf_counter() - started
    if idle.confirmed or idle.new_transfers:
        raise SystemExit("a second run recorded something again")
    return {
        "requests_per_s": count / opening,
        "request_ms": 1000 * opening / count,
        "detected_per_s": count / detecting,
        "detect_s": detecting,
        "idle_s": idle_seconds,
    }


def run(count: int = 1000, runs: int = 5) -> dict[str, object]:
    from tests.esplora import Esplora

    esplora = Esplora()
    try:
        provider = _setup(esplora.url)
        say(f"Payments to an address: {count} Bitcoin requests, {runs} rounds (loopback Esplora)")
        rounds = []
        for n in range(runs):
            figures = one_round(esplora, provider, count)
            rounds.append(figures)
            say(
                f"  round {n + 1}: {figures['requests_per_s']:.0f} requests/s "
                f"({figures['request_ms']:.1f} ms each); {figures['detected_per_s']:.0f} "
                f"payments detected/s ({figures['detect_s']:.2f} s for {count}); a run with "
                f"nothing new {figures['idle_s']:.2f} s"
            )
    finally:
        esplora.close()
    summary = {
        key: (
            statistics.median(r[key] for r in rounds),
            min(r[key] for r in rounds),
            max(r[key] for r in rounds),
        )
        for key in rounds[0]
    }
    median, low, high = summary["detected_per_s"]
    say(
        f"  median {median:.0f} payments detected/s (range {low:.0f}–{high:.0f}; target ≥ "
        f"{TARGET_PER_SECOND}/s), {summary['requests_per_s'][0]:.0f} requests/s "
        f"({summary['request_ms'][0]:.1f} ms each)"
    )
    return {"count": count, "runs": runs, **summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import os

    with tempfile.TemporaryDirectory(prefix="samizdat-bench-watcher-") as scratch:
        os.environ["SAMIZDAT_DATA_DIR"] = scratch
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samizdat.settings")
        os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
        os.environ["SAMIZDAT_TASKS_BACKEND"] = "immediate"
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        say(f"SQLite database in {Path(scratch)}")
        run(args.requests, args.runs)


if __name__ == "__main__":
    main()
