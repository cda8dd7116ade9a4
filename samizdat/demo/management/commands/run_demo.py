"""`samizdat run_demo`: the demo site with test-mode payments, in one command.

Starts localstripe (a fake Stripe and Stripe.js on 127.0.0.1), registers the webhook with it and
runs the development server against it; Ctrl-C, SIGTERM or closing the terminal stops it all.
Nothing reaches a real payment provider. With Debian's `monero` it also runs a private chain
(kept in DATA_DIR/monero-regtest), the newsroom's view-only wallet and the payment watcher.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from samizdat.demo import localstripe, monero
from samizdat.reach.domains import align_primary_site
from samizdat.support.models import ExchangeRate


class Command(BaseCommand):
    help = "Run the demo site on HOST:PORT with localstripe on STRIPE_PORT for test payments."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--stripe-port", type=int, default=8420)
        parser.add_argument(
            "--monero-port",
            type=int,
            default=18480,
            help="The demo's Monero daemon; its two wallet servers take the next ports.",
        )

    def handle(self, *args, host: str, port: int, stripe_port: int, monero_port: int, **options):
        executable = shutil.which("localstripe", path=os.path.dirname(sys.executable))
        if executable is None:
            raise CommandError("localstripe is not installed: pip install -e '.[dev]'")
        # SIGTERM (a service manager, `kill`) and a closed terminal stop the demo as Ctrl-C does:
        # through the finally below, which stops every process this started.
        for stop_signal in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(stop_signal, _interrupt)
        public = demo_public_url(host, port)
        api_base = f"http://127.0.0.1:{stripe_port}"
        options = settings.SAMIZDAT_PAYMENT_PROVIDERS["stripe"]["OPTIONS"]
        processes: list[subprocess.Popen] = []
        chain = None
        try:
            processes.append(
                _start(
                    localstripe.command(stripe_port),  # with the Stripe parameters it lacks
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            self._wait_for(api_base, options["secret_key"])
            # localstripe signs its webhooks with this secret, as Stripe does with its own.
            requests.post(
                f"{api_base}/_config/webhooks/samizdat",
                json={
                    "url": f"{local_url(host, port)}/payments/webhooks/stripe/",
                    "secret": options["webhook_secret"],
                },
                timeout=5,
            ).raise_for_status()
            self.stdout.write(
                f"Test payments: localstripe on {api_base} (card 4242 4242 4242 4242, any date "
                "and CVC; 4000 0000 0000 0002 is declined). Receipts print below."
            )
            # Page links, feeds, sitemaps and e-mails name the address the demo answers on.
            env = {**os.environ, "STRIPE_API_BASE": api_base, "SAMIZDAT_PUBLIC_URL": public}
            with override_settings(WAGTAILADMIN_BASE_URL=public):
                align_primary_site()
            chain = self._start_monero(monero_port, env)
            server = _start(
                [sys.executable, "-m", "samizdat.cli", "runserver", f"{host}:{port}"], env=env
            )
            processes.append(server)
            if chain is not None and "watch_payments" in get_commands():
                # Records what reaches the payment requests' addresses, as cron would.
                # Its report of every run is left out; what it cannot reach still shows.
                processes.append(
                    _start(
                        [sys.executable, "-m", "samizdat.cli", "watch_payments", "--loop", "5"],
                        env=env,
                        stdout=subprocess.DEVNULL,
                    )
                )
            with contextlib.suppress(KeyboardInterrupt):
                server.wait()
        finally:
            for process in reversed(processes):
                _stop(process)
            if chain is not None:
                monero.stop_demo_chain(chain)

    def _start_monero(self, base_port: int, env: dict[str, str]) -> monero.RegtestMonero | None:
        """The demo's Monero chain, with the server's settings for it added to `env`; None
        (and a note) when monerod is not installed. It gets ready in the background: the
        server starts meanwhile, and the Monero checkout works once the chain answers."""
        missing = monero.missing_tools()
        if missing:
            self.stdout.write(
                f"note: Monero payments are off: {' and '.join(missing)} not found "
                f"({monero.INSTALL_HINT})"
            )
            return None
        first_run = not (settings.DATA_DIR / monero.DEMO_FOLDER / "wallets/info.json").exists()
        try:
            chain = monero.start_demo_chain(settings.DATA_DIR, base_port)
        except OSError as error:
            self.stderr.write(
                f"note: Monero payments are off: the demo chain did not start: {error}"
            )
            return None
        env.update(
            MONERO_WALLET_RPC_URL=chain.newsroom_url,
            MONERO_WALLET_RPC_USER=monero.NEWSROOM_USER,
            MONERO_WALLET_RPC_PASSWORD=chain.newsroom_password,
        )
        self.stdout.write(
            f"Test payments in Monero: a private regtest chain on 127.0.0.1:{base_port}, nothing "
            f"reaches the Monero network ({_demo_rates()}). Pay a payment page's monero: link "
            "from the demo payer's wallet with"
        )
        self.stdout.write(f"    {_samizdat_command()} demo_chain pay 'monero:…'")
        if first_run:
            self.stdout.write(
                "(This first run makes the demo's wallets and mines the payer's coins in the "
                "background, once: a minute or less. Monero checkout works once the newsroom's "
                "wallet is made, in some seconds; `demo_chain pay` waits for the coins.)"
            )
        threading.Thread(target=_set_up_quietly, args=(chain,), daemon=True).start()
        return chain

    def _wait_for(self, api_base: str, secret_key: str) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{api_base}/v1/balance", auth=(secret_key, ""), timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise CommandError(f"localstripe did not start on {api_base}")


def demo_public_url(host: str, port: int) -> str:
    """The address the demo's links and e-mails give: SAMIZDAT_PUBLIC_URL when it is set, else
    the one it answers on (a server listening on every interface is reached on loopback)."""
    configured = os.environ.get("SAMIZDAT_PUBLIC_URL", "").strip().rstrip("/")
    return configured or local_url(host, port)


def local_url(host: str, port: int) -> str:
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _start(command: list[str], **kwargs) -> subprocess.Popen:
    # A session of its own: the terminal's Ctrl-C reaches it only through run_demo (no
    # tracebacks), and stopping its process group also stops what it started in turn
    # (runserver's autoreloader runs the server in a child process).
    return subprocess.Popen(command, start_new_session=True, **kwargs)


def _stop(process: subprocess.Popen, grace: float = 10) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # Children that outlived their leader (the server the autoreloader started) go too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _demo_rates() -> str:
    """A demo exchange rate for XMR in each donation form's currency, unless one is set."""
    for currency, minor_per_coin in (("usd", 15_000), ("eur", 14_000)):
        if not ExchangeRate.objects.filter(coin="xmr", currency=currency).exists():
            ExchangeRate.objects.create(
                coin="xmr", currency=currency, minor_per_coin=minor_per_coin, source="demo"
            )
    rates = [ExchangeRate.objects.filter(coin="xmr", currency=c).first() for c in ("usd", "eur")]
    return "; ".join(str(rate) for rate in rates)


def _set_up_quietly(chain: monero.RegtestMonero) -> None:
    try:
        chain.wait_until_ready()
        chain.set_up(fund=True)
    except Exception as error:  # the demo runs on without Monero, or `demo_chain pay` retries
        if not chain.closing:  # not merely stopped by Ctrl-C
            print(f"note: the demo's Monero chain is not working: {error}", file=sys.stderr)


def _samizdat_command() -> str:
    beside_python = Path(sys.executable).with_name("samizdat")
    if beside_python.exists():
        return os.path.relpath(beside_python)
    return "samizdat"
