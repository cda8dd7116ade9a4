"""Monero behind the AddressProvider interface, through a view-only wallet's monero-wallet-rpc.

The wallet (the newsroom's address and private view key) hands out a fresh subaddress of
account 0 per gift and sees what reached it; it can spend nothing. A call that cannot complete
raises ProviderUnavailable (WalletError for a JSON-RPC error): the reader sees no detail, and
nothing logged names an address's label. `transfers` refreshes first so a block just mined
counts. A transaction a reorganisation returns to the pool is absent until mined again (not at 0
confirmations); coins locked by unlock_time stay at 0 confirmations, never paid before spendable.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Collection, Iterable
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from django.utils.translation import gettext
from requests.auth import HTTPDigestAuth

from samizdat.payments.base import (
    Coin,
    IncomingTransfer,
    PaymentMethod,
    ProviderUnavailable,
    ReceivingAddress,
)

logger = logging.getLogger(__name__)

ACCOUNT = 0
# monero-wallet-rpc's code for an address that is malformed or not the wallet's.
WRONG_ADDRESS = -2
# Monero's base58 alphabet: an address (95 characters), subaddress or integrated address.
ADDRESS = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{95,106}$")


class WalletError(ProviderUnavailable):
    """The wallet server answered with a JSON-RPC error."""

    def __init__(self, code: int, wallet_message: str, method: str):
        super().__init__(_unavailable_message())
        self.code = code
        self.wallet_message = wallet_message
        self.method = method


def _unavailable_message() -> str:
    # The checkout's own words for a way of paying that is down (support/giving/chain_views.py).
    return gettext("This way of paying is not available right now. Nothing was recorded.")


class MoneroProvider:
    name = "monero"
    coin = Coin("xmr", "Monero", 12, "monero")
    methods = (
        PaymentMethod("monero", "Monero (XMR)", "monero", needs_javascript=False, recurring=False),
    )
    caller_chooses_index = False

    def __init__(
        self,
        wallet_rpc_url: str,
        rpc_user: str = "",
        rpc_password: str = "",
        confirmations_required: int = 10,
        timeout: float = 5,
    ):
        """`wallet_rpc_url`: monero-wallet-rpc's address, e.g. http://127.0.0.1:18083 (a trailing
        /json_rpc is accepted). `rpc_user` and `rpc_password`: its --rpc-login, sent with HTTP
        digest authentication. `timeout`: seconds to wait for any one answer."""
        url = wallet_rpc_url.strip().rstrip("/")
        url = url.removesuffix("/json_rpc")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"MONERO_WALLET_RPC_URL must be http(s)://host:port, not {url!r}")
        self.endpoint = f"{url}/json_rpc"
        # For the log: never the login.
        self.where = f"{parts.scheme}://{parts.hostname}:{parts.port or ''}".rstrip(":")
        self.auth = HTTPDigestAuth(rpc_user, rpc_password) if rpc_user else None
        self.confirmations_required = confirmations_required
        self.timeout = timeout
        self._local = threading.local()

    # The interface ----------------------------------------------------------------------------

    def new_address(self, index: int | None, label: str = "") -> ReceivingAddress:
        """A new subaddress of account 0 (the wallet picks the next index), or with `index` the
        one the wallet handed out at that index. `label` is kept in the wallet file to find the
        gift again: a request's reference, never a donor's name or address."""
        if index is not None:
            result = self._call("get_address", account_index=ACCOUNT, address_index=[index])
            found = [a for a in result.get("addresses", []) if a.get("address_index") == index]
            if not found:
                raise WalletError(0, f"no subaddress {index}", "get_address")
            return ReceivingAddress(found[0]["address"], index)
        label = " ".join(label.split())[:100]
        if "@" in label:
            raise ValueError("A subaddress label names a payment request, never a donor.")
        result = self._call("create_address", account_index=ACCOUNT, label=label)
        # Written now: a wallet server that crashed before its next save would otherwise hand
        # the same subaddress out again. (Saving trims the wallet's record of blocks below the
        # network's last checkpoint, far behind any reorganisation on mainnet: tests/monero.py.)
        self._call("store")
        return ReceivingAddress(result["address"], int(result["address_index"]))

    def owns(self, address: str) -> bool:
        """Whether this is one of account 0's addresses (the wallet knows every subaddress it
        handed out, and the next ones ahead of them)."""
        if not isinstance(address, str) or not ADDRESS.match(address):
            return False
        try:
            result = self._call("get_address_index", quiet_codes=(WRONG_ADDRESS,), address=address)
        except WalletError as error:
            if error.code == WRONG_ADDRESS:
                return False
            raise
        return result.get("index", {}).get("major") == ACCOUNT

    def payment_uri(self, address: str, amount_atomic: int, label: str = "") -> str:
        """monero:ADDRESS?tx_amount=1.500000000000&tx_description=…, every digit of the amount
        written out (no float, as wallets read it back to the piconero)."""
        if not ADDRESS.match(address):
            raise ValueError("Not a Monero address.")
        if amount_atomic <= 0:
            raise ValueError("A payment URI asks for an amount above zero.")
        uri = f"{self.coin.uri_scheme}:{address}?tx_amount={xmr_text(amount_atomic)}"
        if label:
            uri += f"&tx_description={quote(label, safe='')}"
        return uri

    def transfers(self, addresses: Iterable[ReceivingAddress]) -> list[IncomingTransfer]:
        """Every incoming transfer to these subaddresses, mined or waiting in the pool."""
        wanted = {a.index: a.address for a in addresses}
        if not wanted:
            return []
        self._call("refresh")
        result = self._call(
            "get_transfers",
            account_index=ACCOUNT,
            subaddr_indices=sorted(wanted),
            **{"in": True, "pool": True},
        )
        found: dict[tuple[str, str], IncomingTransfer] = {}
        # Pool first, so that a transaction listed both ways keeps its mined state.
        for kind in ("pool", "in"):
            for entry in result.get(kind, []):
                index = entry.get("subaddr_index", {})
                if index.get("major") != ACCOUNT or index.get("minor") not in wanted:
                    continue
                address = wanted[index["minor"]]
                if entry.get("address") and entry["address"] != address:
                    # The wallet's subaddress at this index is not the one we gave out: another
                    # wallet behind the same URL. Record nothing rather than a wrong gift.
                    logger.error(
                        "The Monero wallet at %s is not the one that handed out subaddress %d",
                        self.where,
                        index["minor"],
                    )
                    continue
                confirmations = 0 if kind == "pool" else max(int(entry.get("confirmations", 1)), 1)
                if int(entry.get("unlock_time") or 0) and entry.get("locked", True):
                    # Coins the payer locked (until a height or a date, as the wallet judges).
                    confirmations = 0
                found[(entry["txid"], address)] = IncomingTransfer(
                    entry["txid"], address, int(entry["amount"]), confirmations
                )
        return list(found.values())

    # Talking to the wallet --------------------------------------------------------------------

    def _call(self, method: str, quiet_codes: Collection[int] = (), **params: Any) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.auth = self.auth
        body = {"jsonrpc": "2.0", "id": "0", "method": method, "params": params}
        try:
            response = session.post(self.endpoint, json=body, timeout=self.timeout)
        except requests.Timeout as error:
            logger.warning(
                "The Monero wallet at %s did not answer %s within %s s",
                self.where, method, self.timeout,
            )  # fmt: skip
            raise ProviderUnavailable(_unavailable_message()) from error
        except requests.RequestException as error:
            logger.warning("The Monero wallet at %s is not answering: %s", self.where, error)
            raise ProviderUnavailable(_unavailable_message()) from error
        if response.status_code == 401:
            logger.error(
                "The Monero wallet at %s refused the login: check MONERO_WALLET_RPC_USER and "
                "MONERO_WALLET_RPC_PASSWORD",
                self.where,
            )
            raise ProviderUnavailable(_unavailable_message())
        try:
            response.raise_for_status()
            answer = response.json()
        except (requests.HTTPError, ValueError) as error:
            logger.error(
                "The Monero wallet at %s answered %s to %s: %s",
                self.where, response.status_code, method, response.text[:200],
            )  # fmt: skip
            raise ProviderUnavailable(_unavailable_message()) from error
        if "error" in answer:
            code = int(answer["error"].get("code", 0))
            message = str(answer["error"].get("message", ""))
            if code not in quiet_codes:
                logger.error(
                    "The Monero wallet at %s refused %s: %s (%d)", self.where, method, message, code
                )
            raise WalletError(code, message, method)
        return answer.get("result", {})


def xmr_text(piconero: int) -> str:
    """Piconero as XMR with all twelve decimals: 1234567890000 → "1.234567890000"."""
    whole, fraction = divmod(piconero, MoneroProvider.coin.atomic_per_coin)
    return f"{whole}.{fraction:0{MoneroProvider.coin.decimals}d}"
