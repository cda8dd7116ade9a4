"""`samizdat watch_payments`: record what reached the addresses of Monero and Bitcoin gifts.

Run it every minute from cron, or once with `--loop SECONDS` under systemd. A run asks each
configured address provider once about every address it watches and writes only what changed,
so running it twice, or two at once, records each transfer once. A provider that is down is
reported (the command exits with an error for cron to mail) and caught up on the next run.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from samizdat.payments.base import ProviderUnavailable
from samizdat.support.giving.chain import watch_all


class Command(BaseCommand):
    help = "Look for payments to the addresses of open Monero and Bitcoin gifts."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="Keep watching, one run every SECONDS, instead of running once.",
        )

    def handle(self, *args, loop: float | None = None, **options) -> None:
        if loop is None:
            if not self._run():
                raise CommandError("A payment provider did not answer; the next run catches up.")
            return
        if loop <= 0:
            raise CommandError("--loop takes a number of seconds above zero.")
        while True:
            started = time.monotonic()
            self._run()
            close_old_connections()
            time.sleep(max(0.0, loop - (time.monotonic() - started)))

    def _run(self) -> bool:
        ok = True
        for result in watch_all():
            if isinstance(result, ProviderUnavailable):
                self.stderr.write(f"not answering: {result.message}")
                ok = False
                continue
            self.stdout.write(
                f"{result.provider}: {result.watched} watched, {result.new_transfers} new "
                f"transfers, {len(result.confirmed)} paid, {len(result.unconfirmed)} back to "
                f"seen, {result.expired} expired"
            )
        return ok
