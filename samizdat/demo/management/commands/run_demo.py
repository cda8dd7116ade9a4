"""`samizdat run_demo`: the demo site with test-mode payments, in one command.

Starts localstripe (a fake, stateful Stripe on 127.0.0.1 that also serves a fake Stripe.js),
registers Samizdat's webhook with it, then runs the development server pointed at it. Ctrl-C
stops both. Nothing here reaches a real payment provider.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the demo site on HOST:PORT with localstripe on STRIPE_PORT for test payments."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--stripe-port", type=int, default=8420)

    def handle(self, *args, host: str, port: int, stripe_port: int, **options):
        executable = shutil.which("localstripe", path=os.path.dirname(sys.executable))
        if executable is None:
            raise CommandError("localstripe is not installed: pip install -e '.[dev]'")
        api_base = f"http://127.0.0.1:{stripe_port}"
        options = settings.SAMIZDAT_PAYMENT_PROVIDERS["stripe"]["OPTIONS"]
        stripe = subprocess.Popen(
            [executable, "--port", str(stripe_port), "--from-scratch"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self._wait_for(api_base, options["secret_key"])
            # localstripe signs its webhooks with this secret, as Stripe does with its own.
            requests.post(
                f"{api_base}/_config/webhooks/samizdat",
                json={
                    "url": f"http://{host}:{port}/payments/webhooks/stripe/",
                    "secret": options["webhook_secret"],
                },
                timeout=5,
            ).raise_for_status()
            self.stdout.write(
                f"Test payments: localstripe on {api_base} (card 4242 4242 4242 4242, any date "
                "and CVC; 4000 0000 0000 0002 is declined). Receipts print below."
            )
            env = {**os.environ, "STRIPE_API_BASE": api_base}
            server = subprocess.Popen(
                [sys.executable, "-m", "samizdat.cli", "runserver", f"{host}:{port}"], env=env
            )
            try:
                server.wait()
            except KeyboardInterrupt:
                server.terminate()
                server.wait()
        finally:
            stripe.terminate()
            stripe.wait()

    def _wait_for(self, api_base: str, secret_key: str) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{api_base}/v1/balance", auth=(secret_key, ""), timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise CommandError(f"localstripe did not start on {api_base}")
