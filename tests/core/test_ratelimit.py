"""Rate limits count each client once, across every worker process, under an address the client
cannot choose, and keep no address in clear nor beyond its window."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing

import pytest
from django.test import RequestFactory

from samizdat.core import ratelimit
from samizdat.core.ratelimit import client_ip, over_limit
from tests.pagecache.test_redis_backend import REDIS_URL, require_redis

# One process of a deployment: counts `hits` hits of one client from the given moment on, and
# prints how many were over the limit.
WORKER = """
import sys, time
import django
django.setup()
from samizdat.core.ratelimit import over_limit
scope, allowed, hits, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
while time.time() < start:
    time.sleep(0.001)
print(sum(over_limit(scope, "203.0.113.7", allowed, 60) for _ in range(hits)))
"""


@pytest.mark.parametrize("store", ["file", "redis"])
def test_two_worker_processes_counting_at_once_share_one_budget(tmp_path, store):
    """Three gunicorn workers each take 100 checkouts from one card tester, at the same time,
    from a fresh store: together they let 120 through, not 120 each, and lose no hit (three
    processes creating the file at once made one of them count a hit alone)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="samizdat.settings", SAMIZDAT_DATA_DIR=str(tmp_path))
    if store == "redis":
        require_redis()
        env["REDIS_URL"] = REDIS_URL
    scope = f"test-{uuid.uuid4().hex}"
    start = str(time.time() + 4)  # both processes ready by then
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, scope, "120", "100", start],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]

    assert all(worker.returncode == 0 for worker in workers), results
    assert sum(int(out) for out, _err in results) == 300 - 120
    if store == "file":
        assert (tmp_path / "ratelimit.sqlite3").exists()


def test_the_store_keeps_no_address_and_forgets_a_window_once_it_ends(settings, monkeypatch):
    store = settings.SAMIZDAT_RATE_LIMIT_STORE  # this test's own (tests/conftest.py)
    assert store is not None
    address = "203.0.113.77"

    assert [over_limit("checkout", address, 2, 60) for _ in range(3)] == [False, False, True]

    kept = b"".join(p.read_bytes() for p in store.parent.glob(store.name + "*"))
    assert address.encode() not in kept and b"checkout" not in kept
    # A minute later the window has ended: the count starts again, and the old one is gone.
    later = time.time() + 61
    monkeypatch.setattr(ratelimit, "_now", lambda: later)
    assert over_limit("checkout", "198.51.100.1", 2, 60) is False
    with closing(sqlite3.connect(store)) as db:
        assert db.execute("SELECT count(*) FROM hits").fetchone() == (1,)
    assert over_limit("checkout", address, 2, 60) is False


@pytest.mark.parametrize(
    ("forwarded", "trusted", "expected"),
    [
        # nginx appends the address it was called from: the client wrote what is left of it.
        ("6.6.6.6, 198.51.100.9", 1, "198.51.100.9"),
        ("6.6.6.6, 7.7.7.7, 198.51.100.9", 1, "198.51.100.9"),
        # A CDN in front of nginx: the CDN appended the reader, nginx the CDN.
        ("6.6.6.6, 198.51.100.9, 192.0.2.1", 2, "198.51.100.9"),
        # Fewer entries than proxies: the left-most was still written by one of them.
        ("198.51.100.9", 2, "198.51.100.9"),
        # Not an address: the proxy's, shared by all such requests, never the text sent.
        ("198.51.100.9, not-an-address", 1, "10.0.0.1"),
        ("", 1, "10.0.0.1"),
    ],
)
def test_the_client_address_is_what_the_nearest_trusted_proxy_saw(
    settings, forwarded, trusted, expected
):
    settings.SAMIZDAT_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.SAMIZDAT_TRUSTED_PROXIES = trusted
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_without_a_header_setting_no_header_is_believed(settings):
    settings.SAMIZDAT_CLIENT_IP_HEADER = ""
    request = RequestFactory().post(
        "/", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="6.6.6.6", HTTP_X_REAL_IP="6.6.6.6"
    )

    assert client_ip(request) == "192.0.2.5"
