"""`samizdat demo_chain`: pay and mine on the demo's private Monero chain (see run_demo).

samizdat demo_chain pay 'monero:8…?tx_amount=0.166666666667&tx_description=…'
samizdat demo_chain pay 'monero:…' --blocks 0     # leave it in the pool: "seen" first
samizdat demo_chain mine 10
samizdat demo_chain status
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samizdat.demo import monero
from samizdat.payments.providers.monero import xmr_text


class Command(BaseCommand):
    help = (
        "Pay a monero: link from the demo payer's wallet, or mine blocks, on `make demo`'s chain."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        pay = actions.add_parser("pay", help="Pay a monero: link and mine its confirmations.")
        pay.add_argument("uri", help="The payment page's monero: link, quoted.")
        pay.add_argument(
            "--blocks",
            type=int,
            default=None,
            help="Blocks to mine after paying (default: MONERO_CONFIRMATIONS, 10). 0 leaves "
            "the payment in the pool.",
        )
        mine = actions.add_parser("mine", help="Mine blocks.")
        mine.add_argument("blocks", type=int, nargs="?", default=1)
        actions.add_parser("status", help="The chain's height and the payer's balance.")

    def handle(self, *args, action: str, **options) -> None:
        try:
            chain = monero.running_demo_chain(settings.DATA_DIR, self._waiting)
            getattr(self, f"_{action}")(chain, **options)
        except monero.ChainError as error:
            raise CommandError(str(error)) from error

    def _pay(self, chain: monero.RegtestMonero, uri: str, blocks: int | None, **options) -> None:
        if not uri.startswith("monero:"):
            raise CommandError("Give the payment page's monero: link, in quotes.")
        if not chain.info.get("funded"):
            # `make demo` mines them in the background; this is after that failed.
            self._waiting()
            chain.set_up(fund=True)
        txid, address, amount = chain.pay_uri(uri)
        self.stdout.write(f"Paid {xmr_text(amount)} XMR to {address[:12]}…, transaction {txid}.")
        if blocks is None:
            blocks = int(os.environ.get("MONERO_CONFIRMATIONS", "10"))
        if blocks > 0:
            height = chain.mine(blocks)
            self.stdout.write(f"Mined {blocks} blocks (height {height}): the watcher records it.")
        else:
            self.stdout.write("It waits in the pool: `demo_chain mine 10` confirms it.")

    def _waiting(self) -> None:
        self.stdout.write("Waiting for the demo payer's first coins (once; a minute or less)…")

    def _mine(self, chain: monero.RegtestMonero, blocks: int, **options) -> None:
        if blocks < 1:
            raise CommandError("Mine at least one block.")
        self.stdout.write(f"Mined {blocks} blocks: height {chain.mine(blocks)}.")

    def _status(self, chain: monero.RegtestMonero, **options) -> None:
        balance = chain.payer("get_balance")
        self.stdout.write(
            f"Height {chain.height()}. The demo payer has "
            f"{xmr_text(balance['unlocked_balance'])} XMR to send "
            f"({xmr_text(balance['balance'])} in all)."
        )
