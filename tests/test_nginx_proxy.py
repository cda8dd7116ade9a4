"""Behind the README's nginx, a reader cannot choose the address the rate limits count.

The nginx block of README's "Running in production", as written there (bench/common.py puts in
this run's ports and folders), runs in front of the test server with the README's
SAMIZDAT_CLIENT_IP_HEADER. A card tester who writes a new X-Forwarded-For or X-Real-IP on every
request is still one client; a reader calling from another address has a budget of their own.
"""

from __future__ import annotations

import http.client
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from bench.common import free_port, readme_nginx_front, readme_production_env, run_nginx, stop


@pytest.fixture
def front(live_server, settings):
    """README's nginx in front of the live server, and the README's client-address header;
    yields nginx's port."""
    if shutil.which("nginx", path="/usr/sbin:/usr/bin") is None:
        # As the browser tests do without Chromium: skipped on a laptop, a failure in CI.
        missing = "nginx is not installed (apt-get install nginx; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    settings.SAMIZDAT_CLIENT_IP_HEADER = readme_production_env()["SAMIZDAT_CLIENT_IP_HEADER"]
    settings.SAMIZDAT_RATE_LIMIT = (10, 60)
    tmp = Path(tempfile.mkdtemp(prefix="samizdat-nginx-"))
    port = free_port()
    nginx = run_nginx(tmp, readme_nginx_front(tmp, port, urlsplit(live_server.url).port), [port])
    try:
        yield port
    finally:
        stop(nginx)
        shutil.rmtree(tmp, ignore_errors=True)


def post_checkout(port: int, n: int, source: str = "127.0.0.1") -> int:
    """One checkout POST through nginx from `source`, claiming a new address in every header
    a client can write; the status."""
    forged = f"198.51.100.{n % 250 + 1}"
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            reverse("support:checkout"),
            body="amount=5",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": f"203.0.113.{n % 250 + 1}, {forged}",
                "X-Real-IP": forged,
                "Forwarded": f"for={forged}",
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_forged_forwarding_headers_do_not_escape_the_checkout_rate_limit(front):
    statuses = [post_checkout(front, n) for n in range(11)]

    assert statuses[:10] == [200] * 10, statuses  # the form, with its errors
    assert statuses[10] == 429
    # Another reader, calling nginx from another address, is not slowed down by that one.
    assert post_checkout(front, 99, source="127.0.0.2") == 200
