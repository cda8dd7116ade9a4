"""An address provider double with a chain in memory: tests of payment requests and the watcher
that need no daemon. The real providers are tested against monerod and an Esplora server."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from samizdat.payments.base import (
    Coin,
    IncomingTransfer,
    PaymentMethod,
    ProviderUnavailable,
    ReceivingAddress,
)


class FakeChain:
    name = "fakecoin"
    coin = Coin("fkc", "Fakecoin", 8, "fakecoin")
    methods = (
        PaymentMethod(
            "fakecoin", "Fakecoin (FKC)", "fakecoin", needs_javascript=False, recurring=False
        ),
    )

    def __init__(self, confirmations_required: int = 3, caller_chooses_index: bool = True):
        self.confirmations_required = confirmations_required
        self.caller_chooses_index = caller_chooses_index
        self.height = 100
        # txid -> (address, amount, height or None while in the pool)
        self.txs: dict[str, tuple[str, int, int | None]] = {}
        self.down = False
        self.foreign_addresses = False  # the wallet hands out an address that is not ours
        self.answers_for_all = False  # transfers() names addresses nobody asked about
        self.handed: list[int] = []
        self.calls = 0
        self._next = itertools.count()
        self._txids = itertools.count(1)

    @staticmethod
    def address_at(index: int) -> str:
        return f"fkc1q{index:06d}"

    def new_address(self, index: int | None, label: str = "") -> ReceivingAddress:
        self._check()
        if index is None:
            index = next(self._next)
        self.handed.append(index)
        address = f"evil{index}" if self.foreign_addresses else self.address_at(index)
        return ReceivingAddress(address, index)

    def owns(self, address: str) -> bool:
        return address.startswith("fkc1q")

    def payment_uri(self, address: str, amount_atomic: int, label: str = "") -> str:
        return f"fakecoin:{address}?amount={amount_atomic}"

    def transfers(self, addresses: Iterable[ReceivingAddress]) -> list[IncomingTransfer]:
        self._check()
        self.calls += 1
        wanted = {a.address for a in addresses}
        return [
            IncomingTransfer(
                txid, address, amount, 0 if height is None else self.height - height + 1
            )
            for txid, (address, amount, height) in self.txs.items()
            if address in wanted or self.answers_for_all
        ]

    # What the chain does --------------------------------------------------------------------

    def pay(self, address: str, amount_atomic: int) -> str:
        txid = f"tx{next(self._txids):04d}"
        self.txs[txid] = (address, amount_atomic, None)
        return txid

    def mine(self, blocks: int = 1) -> None:
        for txid, (address, amount, height) in self.txs.items():
            if height is None:
                self.txs[txid] = (address, amount, self.height + 1)
        self.height += blocks

    def reorg(self, depth: int, drop: bool = False) -> None:
        """The last `depth` blocks vanish: their transactions go back to the pool, or away."""
        self.height -= depth
        for txid, (address, amount, height) in list(self.txs.items()):
            if height is not None and height > self.height:
                if drop:
                    del self.txs[txid]
                else:
                    self.txs[txid] = (address, amount, None)

    def _check(self) -> None:
        if self.down:
            raise ProviderUnavailable("The fake wallet is not answering.")
