"""Reader revenue under load, in this process through Django's test client:

- checkout start: the donation form's payment step (POST /en/support/pay/) against localstripe,
  a fake Stripe on 127.0.0.1; each request creates a donor record and a PaymentIntent;
- webhook intake: signed Stripe events (invoice.paid for subscriptions never seen before, each
  creating a donor, a recurring gift and a donation) posted to /payments/webhooks/stripe/, then
  every one posted again to show that a replay changes nothing. Twice: with receipts queued
  for the worker (the production setting, SAMIZDAT_TASKS_BACKEND=database), and with receipts
  rendered and mailed (to nowhere) inside the request (the default immediate backend).
  Each run also prints one event's SQL statements and transactions, and the CPU time of this
  process per event, which the machine's other load skews less than events/s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from samizdat.demo import localstripe as demo_localstripe
from tests.localstripe import (
    PUBLISHABLE_KEY,
    SECRET_KEY,
    WEBHOOK_SECRET,
    card_token,
    signed_stripe_event,
    stripe_event,
)
from tests.localstripe import (  # the test suite's Stripe helpers: one way to sign events
    PUBLISHABLE_KEY as STRIPE_PUBLISHABLE,
)
from tests.localstripe import (
    SECRET_KEY as STRIPE_SECRET,
)
from tests.localstripe import (
    WEBHOOK_SECRET as STRIPE_WEBHOOK_SECRET,
)

from .common import executable, free_port, say, start_gunicorn, start_server, stop

CHECKOUTS = int(os.environ.get("BENCH_CHECKOUTS", "100"))
EVENTS = int(os.environ.get("BENCH_WEBHOOKS", "500"))
WEBHOOK_URL = "/payments/webhooks/stripe/"


def start_localstripe(log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    executable("localstripe")  # installed, or say so
    command = demo_localstripe.command(port)  # with the parameters it lacks
    return start_server(command, port, log), f"http://127.0.0.1:{port}"


def use_provider(api_base: str) -> None:
    """Point Samizdat's Stripe provider at localstripe, and lift the per-client rate limit
    (every request here comes from one address) and the per-card one."""
    from django.conf import settings

    from samizdat.payments import registry

    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        "stripe": {
            "CLASS": "samizdat.payments.providers.stripe.StripeProvider",
            "OPTIONS": {
                "secret_key": SECRET_KEY,
                "publishable_key": PUBLISHABLE_KEY,
                "webhook_secret": WEBHOOK_SECRET,
                "api_base": api_base,
                "js_url": f"{api_base}/js.stripe.com/v3/",
            },
        }
    }
    settings.SAMIZDAT_RATE_LIMIT = (10**9, 60)
    # And the card-testing limits: every checkout here pays with the one test card.
    settings.SAMIZDAT_CARD_TESTING = {"PER_CARD": 10**9, "PER_EMAIL": 10**9}
    registry.reset()


def checkout_starts(api_base: str, count: int = CHECKOUTS) -> dict[str, object]:
    """`count` one-time gifts through the payment step; card tokens are made beforehand, as
    the donor's browser makes them."""
    from django.test import Client

    from samizdat.support.giving.forms import Gift, sign_gift

    say(f"Checkout start: {count} POSTs of /en/support/pay/ against localstripe")
    forms = [
        {
            "token": sign_gift(Gift(1000 + n, "usd", "once")),
            "email": f"bench-{n}@example.org",
            "name": "",
            "payment_token": card_token(api_base),  # test card 4242 4242 4242 4242
        }
        for n in range(count + 1)
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    client.post("/en/support/pay/", forms.pop())  # warm up: imports, connection
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    for form in forms:
        statuses[client.post("/en/support/pay/", form).status_code] += 1
    seconds = time.perf_counter() - started
    rate = count / seconds
    say(f"  {rate:.1f} requests/s ({1000 / rate:.0f} ms each); answers: {dict(statuses)}")
    return {"rate": rate, "statuses": dict(statuses)}


def _invoice_paid(n: int, run: str) -> tuple[bytes, str]:
    """A subscription's first invoice, paid, for a donor Samizdat has never seen; signed."""
    invoice = {
        "id": f"in_bench_{run}_{n}",
        "object": "invoice",
        "customer": f"cus_bench_{run}_{n}",
        "customer_email": f"reader-{n}@example.org",
        "customer_name": f"Reader {n}",
        "amount_paid": 1000,
        "amount_due": 1000,
        "currency": "usd",
        "status": "paid",
        "parent": {
            "type": "subscription_details",
            "subscription_details": {
                "subscription": f"sub_bench_{run}_{n}",
                "metadata": {"language": "en", "frequency": "monthly"},
            },
        },
        "lines": {
            "data": [
                {
                    "period": {"start": 1790000000, "end": 1792592000},
                    "pricing": {"price_details": {"price": "samizdat-usd-1000-month"}},
                }
            ]
        },
    }
    body, headers = signed_stripe_event(
        stripe_event("invoice.paid", invoice, f"evt_bench_{run}_{n}")
    )
    return body, headers["Stripe-Signature"]


def _post_all(client, signed: list[tuple[bytes, str]]) -> tuple[float, Counter[str]]:
    """Post each signed event; wall seconds and the answers."""
    answers: Counter[str] = Counter()
    started = time.perf_counter()
    for body, signature in signed:
        response = client.post(
            WEBHOOK_URL,
            data=body,
            content_type="application/json",
            headers={"Stripe-Signature": signature},
        )
        answers[f"{response.status_code} {response.content.decode()[:20]}"] += 1
    return time.perf_counter() - started, answers


# The production setting (README: SAMIZDAT_TASKS_BACKEND=database): the receipt is queued for
# `samizdat db_worker`; and the default, which mails it inside the request.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def webhooks(count: int, tasks: str = "database") -> dict[str, object]:
    """`count` new subscriptions' invoice.paid events, then the same again (replays)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from samizdat.support.models import Donation, RecurringDonation

    say(
        f"Webhooks, receipts {'queued' if tasks == 'database' else 'sent in the request'} "
        f"(tasks backend {tasks}): {count} signed invoice.paid events, then the same again"
    )
    run = uuid.uuid4().hex[:8]
    signed = [_invoice_paid(n, run) for n in range(count)]
    client = Client(HTTP_HOST="127.0.0.1")
    backend = {"default": {"BACKEND": TASK_BACKENDS[tasks], "QUEUES": ["default"]}}
    with override_settings(TASKS=backend):
        _post_all(client, [_invoice_paid(-1, run)])  # warm up
        with CaptureQueriesContext(connection) as one_event:
            _post_all(client, [_invoice_paid(-2, run)])
        statements, transactions = _count_statements(one_event.captured_queries)
        before = (Donation.objects.count(), RecurringDonation.objects.count())
        cpu = time.process_time()
        seconds, answers = _post_all(client, signed)
        cpu = time.process_time() - cpu
        after = (Donation.objects.count(), RecurringDonation.objects.count())
        say(
            f"  {count / seconds:.0f} events/s (target: 200), {1000 * seconds / count:.1f} ms "
            f"each ({1000 * cpu / count:.1f} ms CPU in this process); {statements} SQL "
            f"statements, {transactions} commit(s) per event; load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        say(
            f"  answers {dict(answers)}; {after[0] - before[0]} donations, "
            f"{after[1] - before[1]} recurring gifts recorded"
        )
        replay_seconds, replay_answers = _post_all(client, signed)
    replayed = (Donation.objects.count(), RecurringDonation.objects.count())
    unchanged = replayed == after
    say(
        f"  replay: {count / replay_seconds:.0f} events/s; answers {dict(replay_answers)}; "
        f"records {'unchanged' if unchanged else 'CHANGED'}"
    )
    return {
        "rate": count / seconds,
        "cpu_ms": 1000 * cpu / count,
        "statements": statements,
        "transactions": transactions,
        "replay_rate": count / replay_seconds,
        "replay_noop": unchanged,
        "recorded": after[0] - before[0],
    }


# Providers deliver webhooks in parallel; gunicorn's workers take them on every core.
PARALLEL_WORKERS = int(os.environ.get("BENCH_WEBHOOK_WORKERS", "2"))
PARALLEL_SENDERS = 8


def webhooks_in_parallel(count: int, api_base: str) -> dict[str, object]:
    """`count` new subscriptions' invoice.paid events sent 8 at a time to gunicorn (README's
    production command, SAMIZDAT_TASKS_BACKEND=database), as a provider delivers them."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    from samizdat.support.models import Donation

    say(
        f"Webhooks in parallel: {count} signed invoice.paid events, {PARALLEL_SENDERS} at a "
        f"time, to gunicorn -w {PARALLEL_WORKERS} (receipts queued)"
    )
    run = uuid.uuid4().hex[:8]
    signed = [_invoice_paid(n, run) for n in range(count)]
    port = free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "samizdat.settings",
        "SAMIZDAT_TASKS_BACKEND": "database",
        "STRIPE_SECRET_KEY": STRIPE_SECRET,
        "STRIPE_PUBLISHABLE_KEY": STRIPE_PUBLISHABLE,
        "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
        "STRIPE_API_BASE": api_base,
    }
    tmp = Path(tempfile.mkdtemp(prefix="samizdat-bench-webhooks-"))
    server = start_gunicorn(port, tmp / "gunicorn.log", workers=PARALLEL_WORKERS, env=env)

    def post(event: tuple[bytes, str]) -> int:
        body, signature = event
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(
                "POST",
                WEBHOOK_URL,
                body=body,
                headers={"Content-Type": "application/json", "Stripe-Signature": signature},
            )
            return connection.getresponse().status
        finally:
            connection.close()

    try:
        # Warm every worker and the caches (each worker builds its prepared lookups once).
        warm = [_invoice_paid(-1 - n, run) for n in range(2 * PARALLEL_SENDERS)]
        with ThreadPoolExecutor(PARALLEL_SENDERS) as senders:
            list(senders.map(post, warm))
        before = Donation.objects.count()
        started = time.perf_counter()
        with ThreadPoolExecutor(PARALLEL_SENDERS) as senders:
            answers = Counter(senders.map(post, signed))
        seconds = time.perf_counter() - started
        recorded = Donation.objects.count() - before
    finally:
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    say(
        f"  {count / seconds:.0f} events/s (target: 200); answers {dict(answers)}; "
        f"{recorded} donations recorded; load average {os.getloadavg()[0]:.1f}"
    )
    return {"rate": count / seconds, "answers": dict(answers), "recorded": recorded}


def _count_statements(queries: list[dict]) -> tuple[int, int]:
    """SQL statements other than BEGIN/COMMIT, and writing transactions (a write outside
    BEGIN … COMMIT is a transaction of its own: one more commit to wait for)."""
    statements = transactions = 0
    inside = False
    for query in queries:
        sql = query["sql"].strip().upper()
        if sql == "BEGIN":
            inside, transactions = True, transactions + 1
        elif sql in ("COMMIT", "ROLLBACK"):
            inside = False
        else:
            statements += 1
            transactions += not inside and not sql.startswith("SELECT")
    return statements, transactions


def run() -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="samizdat-bench-stripe-"))
    process, api_base = start_localstripe(tmp / "localstripe.log")
    try:
        use_provider(api_base)
        return {
            "checkout": checkout_starts(api_base),
            "webhooks": webhooks(EVENTS, tasks="database"),
            "webhooks_immediate": webhooks(EVENTS, tasks="immediate"),
            "webhooks_parallel": webhooks_in_parallel(EVENTS, api_base),
        }
    finally:
        stop(process)
        shutil.rmtree(tmp, ignore_errors=True)
