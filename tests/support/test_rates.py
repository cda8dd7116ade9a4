"""Exchange rates from a source the newsroom chose: `samizdat rates fetch`, against a rate
server on 127.0.0.1 (tests never need the network)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from samizdat.support.models import ExchangeRate

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate_server():
    """Answers every GET with whatever the test put in `answer` (bytes, or a JSON value)."""
    state = {"answer": {}, "status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = state["answer"]
            body = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(state["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_port}/simple/price"
    yield state
    server.shutdown()


def test_rates_are_recorded_for_configured_coins_and_offered_currencies(
    fakecoin, rate_server, capsys
):
    ExchangeRate.objects.all().delete()
    rate_server["answer"] = {
        "fkc": {"usd": 152.405, "EUR": 140, "jpy": 20000},  # no JPY form: left out
        "monero": {"usd": 150},  # a coin no provider takes here: left out
    }
    call_command("rates", "fetch", "--url", rate_server["url"])
    rate = ExchangeRate.objects.get()
    assert (rate.coin, rate.currency, rate.minor_per_coin) == ("fkc", "usd", 15241)
    assert rate.source == rate_server["url"]
    assert "1 FKC = 152.41 USD" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer",
    [{"fkc": {"usd": 0}}, {"fkc": {"usd": -3}}, {"fkc": {"usd": "lots"}}, b"<html>", [1, 2]],
)
def test_a_bad_answer_records_nothing(fakecoin, rate_server, answer):
    ExchangeRate.objects.all().delete()
    rate_server["answer"] = answer
    with pytest.raises(CommandError):
        call_command("rates", "fetch", "--url", rate_server["url"])
    assert not ExchangeRate.objects.exists()


def test_a_source_that_is_down_records_nothing(fakecoin, rate_server):
    ExchangeRate.objects.all().delete()
    rate_server["status"] = 503
    with pytest.raises(CommandError, match="did not answer"):
        call_command("rates", "fetch", "--url", rate_server["url"])
    assert not ExchangeRate.objects.exists()
