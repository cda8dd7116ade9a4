"""Bitcoin behind the AddressProvider interface; the only module that imports `bip_utils`.

The server holds the BIP84 account's extended public key (zpub, vpub on test networks), never a
private key: it derives every receiving address m/84'/c'/a'/0/i and can spend nothing. Payments
are read from an Esplora server, ideally the newsroom's own: a public one learns what it watches.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from bip_utils import Bip44Changes, Bip44DepthError, Bip44Levels, Bip84, Bip84Coins

from samizdat.payments.base import (
    Coin,
    IncomingTransfer,
    PaymentMethod,
    ProviderUnavailable,
    ReceivingAddress,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Each network's coin in bip_utils: its key version bytes and its address prefix (bc1, tb1, bcrt1).
# A vpub does not say whether it is for testnet, signet or regtest: the `network` option does.
NETWORKS = {
    "mainnet": Bip84Coins.BITCOIN,
    "testnet": Bip84Coins.BITCOIN_TESTNET,
    "signet": Bip84Coins.BITCOIN_TESTNET,
    "regtest": Bip84Coins.BITCOIN_REGTEST,
}
# BIP32 puts hardened indices from 2**31 on; receiving addresses are the non-hardened ones below.
MAX_INDEX = 2**31 - 1
# BIP44's gap limit: how far past the highest index known to be handed out `owns` looks.
GAP_LIMIT = 20
# Esplora answers an address's transactions with all of its mempool ones and this many confirmed
# ones; a full page means there may be more behind /txs/chain/<last txid>.
CHAIN_PAGE = 25


class BitcoinProvider:
    name = "bitcoin"
    coin = Coin("btc", "Bitcoin", 8, "bitcoin")
    methods = (
        PaymentMethod(
            "bitcoin", "Bitcoin (BTC)", "bitcoin", needs_javascript=False, recurring=False
        ),
    )
    caller_chooses_index = True

    def __init__(
        self,
        account_key: str,
        esplora_url: str,
        confirmations_required: int = 3,
        timeout: float = 10,
        network: str = "",
        gap_limit: int = GAP_LIMIT,
        workers: int = 4,
    ):
        """`account_key`: the BIP84 account's zpub (mainnet) or vpub (testnet, signet, regtest).
        `network`: "mainnet", "testnet", "signet" or "regtest"; empty follows the key (a vpub
        is taken as testnet: set "regtest" for bcrt1 addresses). `gap_limit`: how many indices
        past the highest handed out `owns` derives. `workers`: requests to Esplora in flight at
        once, each on a keep-alive connection of its own. Raises ValueError for anything else."""
        self.network = _network_for(account_key, network)
        self._account = _account_key(account_key, self.network)
        self._external = self._account.Change(Bip44Changes.CHAIN_EXT)
        if not esplora_url:
            raise ValueError(
                "The Bitcoin provider needs an Esplora API to watch payments: set "
                "BITCOIN_ESPLORA_URL, e.g. http://127.0.0.1:3000 for the newsroom's own."
            )
        self.esplora_url = esplora_url.rstrip("/")
        self.confirmations_required = confirmations_required
        self.timeout = timeout
        self.gap_limit = gap_limit
        # Addresses derived so far, both ways; `owns` has looked at every index below _scanned.
        # Under a lock: a threaded web server shares the provider.
        self._by_index: dict[int, str] = {}
        self._index_of: dict[str, int] = {}
        self._scanned = 0
        self._highest_handed = -1
        self._lock = threading.Lock()
        # One keep-alive session per thread: requests.Session is not documented thread-safe.
        self._local = threading.local()
        self.workers = workers
        self._executor: ThreadPoolExecutor | None = None

    # Addresses -----------------------------------------------------------------------------

    def new_address(self, index: int | None, label: str = "") -> ReceivingAddress:
        """The receiving address at `index` on the external chain (m/84'/c'/a'/0/index)."""
        if index is None:
            raise ValueError("Bitcoin addresses are derived: the caller chooses the index.")
        if not 0 <= index <= MAX_INDEX:
            raise ValueError(f"A receiving address index is 0 to {MAX_INDEX}, not {index}.")
        with self._lock:
            self._highest_handed = max(self._highest_handed, index)
            return ReceivingAddress(self._address_at(index), index)

    def owns(self, address: str, handed_out: int | None = None) -> bool:
        """Whether `address` is one of the account's receiving addresses. Any address this
        process derived is; others are looked for among indices 0 to the highest handed out
        plus the gap limit (what a wallet restored from the key would scan). The highest is
        what this process gave out or was asked about in transfers, or `handed_out` when the
        caller knows more (e.g. the highest index among its payment requests)."""
        with self._lock:
            if handed_out is not None:
                self._highest_handed = max(self._highest_handed, handed_out)
            address = address.lower()  # bech32 is one case; QR codes carry it in capitals
            if address in self._index_of:
                return True
            bound = min(self._highest_handed + self.gap_limit, MAX_INDEX)
            while self._scanned <= bound:
                self._address_at(self._scanned)
                self._scanned += 1
            return address in self._index_of

    def _address_at(self, index: int) -> str:
        """Derived once per process: each costs a few hundred microseconds. Call with the lock."""
        address = self._by_index.get(index)
        if address is None:
            address = self._external.AddressIndex(index).PublicKey().ToAddress()
            self._by_index[index] = address
            self._index_of[address] = index
        return address

    # Payment links ---------------------------------------------------------------------------

    def payment_uri(self, address: str, amount_atomic: int, label: str = "") -> str:
        """A BIP21 link: bitcoin:ADDRESS?amount=0.00012345&label=…, the amount in exact decimal
        bitcoin (never a float: 12345 satoshi is 0.00012345, not 0.00012344999)."""
        if amount_atomic < 0:
            raise ValueError("A payment amount cannot be negative.")
        params = []
        if amount_atomic:
            params.append(f"amount={btc_text(amount_atomic)}")
        if label:
            params.append(f"label={quote(label, safe='')}")
        query = "?" + "&".join(params) if params else ""
        return f"{self.coin.uri_scheme}:{address}{query}"

    # What arrived ----------------------------------------------------------------------------

    def transfers(self, addresses: Iterable[ReceivingAddress]) -> list[IncomingTransfer]:
        """Every transaction paying these addresses, one IncomingTransfer per (txid, address):
        the outputs to that address summed, confirmations counted from the tip read once."""
        wanted = {a.address: a.index for a in addresses}
        if not wanted:
            return []
        with self._lock:
            self._highest_handed = max(self._highest_handed, *wanted.values())
        try:
            tip = int(self._get("/blocks/tip/height").text)
            pages = self._each(self._transactions, list(wanted))
            found = []
            for address, txs in zip(wanted, pages, strict=True):
                for tx in txs:
                    amount = sum(
                        out["value"]
                        for out in tx["vout"]
                        if out.get("scriptpubkey_address") == address
                    )
                    if amount > 0:  # else it only spends from the address
                        found.append(
                            IncomingTransfer(tx["txid"], address, amount, _confirmations(tx, tip))
                        )
        except (KeyError, TypeError, ValueError) as error:
            # A proxy's error page, or an API that is not Esplora's: nothing can be read.
            logger.error("Esplora at %s answered something unexpected: %r", self.esplora_url, error)
            raise ProviderUnavailable() from error
        return found

    def _transactions(self, address: str) -> list[dict[str, Any]]:
        """The address's transactions: the mempool's, then the confirmed ones page by page."""
        txs = self._get(f"/address/{address}/txs").json()
        page = [tx for tx in txs if tx["status"]["confirmed"]]
        while len(page) >= CHAIN_PAGE:
            page = self._get(f"/address/{address}/txs/chain/{page[-1]['txid']}").json()
            txs.extend(page)
        return txs

    def _each(self, read: Callable[[str], T], addresses: list[str]) -> list[T]:
        """read(address) for each address, `workers` at a time; the first failure stops all."""
        if self.workers <= 1 or len(addresses) <= 1:
            return [read(address) for address in addresses]
        with self._lock:
            if self._executor is None:
                # Its threads, and so their keep-alive sessions, live as long as the provider.
                self._executor = ThreadPoolExecutor(self.workers, "esplora")
        futures = [self._executor.submit(read, address) for address in addresses]
        try:
            return [future.result() for future in futures]
        finally:
            for future in futures:
                future.cancel()  # after a failure, the rest would only time out one by one

    def _session(self) -> requests.Session:
        session = requests.Session()
        # The environment's proxy (e.g. Tor's, for an onion Esplora) and CA bundle, read once:
        # requests would read them again on every request, a third of a loopback request's time.
        found = session.merge_environment_settings(self.esplora_url, {}, None, None, None)
        session.proxies, session.verify = found["proxies"], found["verify"]
        session.trust_env = False
        return session

    def _get(self, path: str) -> requests.Response:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._session()
        try:
            response = session.get(self.esplora_url + path, timeout=self.timeout)
        except requests.RequestException as error:
            logger.warning("Esplora at %s is not answering: %s", self.esplora_url, error)
            raise ProviderUnavailable() from error
        if response.status_code != 200:
            # A 400 is ours to fix (e.g. testnet addresses asked of a mainnet Esplora); 429 and
            # 5xx pass. Either way nothing can be read now.
            logger.log(
                logging.ERROR if response.status_code == 400 else logging.WARNING,
                "Esplora answered %s to %s: %s",
                response.status_code,
                path,
                response.text[:200],
            )
            raise ProviderUnavailable()
        return response


def btc_text(satoshi: int) -> str:
    """Satoshi as decimal bitcoin without trailing zeros: 12345 → "0.00012345", 10**8 → "1"."""
    whole, fraction = divmod(satoshi, 10**8)
    return f"{whole}.{fraction:08d}".rstrip("0").rstrip(".")


def _confirmations(tx: dict[str, Any], tip: int) -> int:
    status = tx.get("status", {})
    if not status.get("confirmed"):
        return 0
    # A block found between reading the tip and reading the address counts as one confirmation.
    return max(tip - status["block_height"] + 1, 1)


def _network_for(account_key: str, network: str) -> str:
    if network and network not in NETWORKS:
        raise ValueError(f"Unknown Bitcoin network {network!r}: one of {', '.join(NETWORKS)}.")
    prefix = account_key[:4]
    if prefix == "zpub":
        if network not in ("", "mainnet"):
            raise ValueError(f"A zpub is a mainnet key; a {network} account key is a vpub.")
        return "mainnet"
    if prefix == "vpub":
        if network == "mainnet":
            raise ValueError("A vpub is a test network key; a mainnet account key is a zpub.")
        return network or "testnet"
    if prefix in ("zprv", "vprv", "xprv", "yprv", "tprv", "uprv"):
        # Never echo it: this message may reach a log.
        raise ValueError(
            "BITCOIN_ACCOUNT_KEY is a private key. Give the server the account's public key "
            "(zpub) only: with a private key anyone who reads the server can spend the gifts."
        )
    if prefix in ("xpub", "ypub", "tpub", "upub"):
        raise ValueError(
            f"BITCOIN_ACCOUNT_KEY starts {prefix}: Samizdat takes a native segwit (BIP84) "
            "account's zpub (vpub on test networks), whose addresses start bc1q (tb1q)."
        )
    raise ValueError(
        "BITCOIN_ACCOUNT_KEY is not a BIP84 account key: expected a zpub (or vpub) as a wallet "
        "exports it, e.g. zpub6r…"
    )


def _account_key(account_key: str, network: str) -> Bip84:
    not_account = ValueError(
        "BITCOIN_ACCOUNT_KEY is not an account-level key (m/84'/0'/0'): export the account's "
        "zpub from the wallet, not the master key's or an address chain's."
    )
    try:
        account = Bip84.FromExtendedKey(account_key, NETWORKS[network])
    except Bip44DepthError:
        raise not_account from None
    except Exception as error:  # bip_utils raises several types for a malformed key
        raise ValueError(
            f"BITCOIN_ACCOUNT_KEY is not a valid extended public key ({type(error).__name__})."
        ) from None
    if account.Level() != Bip44Levels.ACCOUNT or not account.Bip32Object().Index().IsHardened():
        raise not_account
    return account
