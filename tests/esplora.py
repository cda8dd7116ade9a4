"""A loopback Esplora for the tests: the endpoints Samizdat's Bitcoin provider reads, answered in
Esplora's own JSON shapes (github.com/Blockstream/esplora/blob/master/API.md) from a chain in
memory that a test drives: pay into the mempool, mine, reorganise, go down and come back.

    txid = esplora.pay(address, 12_345)                   # into the mempool
    esplora.pay(a, 1_000, (b, 2_000), (foreign, 500))     # one transaction, several outputs
    esplora.mine(3)                                       # the mempool goes into the first block
    esplora.reorg(2)                                      # the last two blocks vanish
    esplora.down(); esplora.up()                          # 503s; or "refuse", "hang", "html"

One server per test session (per xdist worker), emptied before each test by the `esplora`
fixture; `esplora.url` is its base URL and `esplora.hits` counts the requests by endpoint.
A test module asks for it with `pytest_plugins = ["tests.esplora"]`.
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bip_utils import SegwitBech32Decoder

# Where the chain starts, so that heights look like a real test chain's and not like zero.
START_HEIGHT = 100
# Esplora's page sizes for an address's transactions.
MEMPOOL_PAGE = 50
CHAIN_PAGE = 25
# Whoever pays: every transaction spends one output of this (placeholder) address.
SENDER = "bc1qsenderxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"


@dataclass
class Block:
    height: int
    hash: str
    time: int
    txids: list[str] = field(default_factory=list)


@dataclass
class Tx:
    txid: str
    outputs: list[tuple[str, int]]
    block: Block | None = None  # None while in the mempool


class Esplora:
    """The chain and the server that shows it. Every method is safe to call from the test while
    the server's threads answer the provider."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0
        self.reset()
        self._start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # The chain -------------------------------------------------------------------------------

    def reset(self) -> None:
        """An empty chain at START_HEIGHT, up, with no requests counted."""
        with self._lock:
            self.blocks: list[Block] = []
            self.txs: dict[str, Tx] = {}
            self.mempool: list[str] = []  # oldest first
            self._by_address: dict[str, list[str]] = collections.defaultdict(list)
            self._txids = itertools.count(1)
            self.mode = "up"
            self._answer_before_down = 0
            self.hits: collections.Counter[str] = collections.Counter()
            self.requests = 0  # every request that arrived, answered or not

    @property
    def height(self) -> int:
        return START_HEIGHT + len(self.blocks)

    def pay(self, address: str, sats: int, *more_outputs: tuple[str, int]) -> str:
        """A transaction into the mempool paying `sats` to `address`, and each (address, sats)
        of `more_outputs` (an address may come twice: two outputs). Returns its txid."""
        outputs = [(address, sats), *more_outputs]
        with self._lock:
            txid = hashlib.sha256(f"tx{next(self._txids)}".encode()).hexdigest()
            self.txs[txid] = Tx(txid, outputs)
            self.mempool.append(txid)
            for paid in dict.fromkeys(a for a, _ in outputs):
                self._by_address[paid].append(txid)
            return txid

    def mine(self, n: int = 1) -> list[str]:
        """`n` blocks; the first takes the whole mempool. Returns their hashes."""
        hashes = []
        with self._lock:
            for _ in range(n):
                height = self.height + 1
                block = Block(
                    height,
                    hashlib.sha256(f"block{height}-{time.monotonic_ns()}".encode()).hexdigest(),
                    1_760_000_000 + 600 * height,
                    self.mempool,
                )
                for txid in block.txids:
                    self.txs[txid].block = block
                self.mempool = []
                self.blocks.append(block)
                hashes.append(block.hash)
        return hashes

    def reorg(self, depth: int, drop: bool = False) -> None:
        """The last `depth` blocks vanish (mine again for the longer chain): their transactions
        go back to the mempool, or, with `drop`, out of the chain altogether (double-spent)."""
        if not 0 < depth <= len(self.blocks):
            raise ValueError(f"Only the {len(self.blocks)} blocks mined in this test can go.")
        with self._lock:
            gone, self.blocks = self.blocks[-depth:], self.blocks[:-depth]
            returning = [txid for block in gone for txid in block.txids]
            for txid in returning:
                if drop:
                    tx = self.txs.pop(txid)
                    for address, _ in tx.outputs:
                        if txid in self._by_address[address]:
                            self._by_address[address].remove(txid)
                else:
                    self.txs[txid].block = None
            if not drop:
                self.mempool = returning + self.mempool

    # Being unreachable -----------------------------------------------------------------------

    def down(self, mode: str = "503", after: int = 0) -> None:
        """Unreachable, as `mode` says. 503: every request is answered 503; hang: answered never
        (the client times out); refuse: the port is closed and open connections are cut; html:
        a proxy's or captive portal's page is answered, 200 OK. With `after`, all but refuse
        start once that many more requests have been answered."""
        if mode not in ("503", "hang", "refuse", "html") or (after and mode == "refuse"):
            raise ValueError(mode)
        with self._lock:
            self.mode, self._answer_before_down = mode, after
        if mode == "refuse":
            self._stop()

    def up(self) -> None:
        if self.mode == "refuse":
            self._start(self.port)
        self.mode = "up"

    def close(self) -> None:
        self.mode = "up"
        self._stop()

    def _start(self, port: int = 0) -> None:
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.esplora = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # What the server answers -----------------------------------------------------------------

    def arrived(self) -> str:
        """Counts a request in; how to treat it: "up", or how it is down."""
        with self._lock:
            self.requests += 1
            if self._answer_before_down > 0:
                self._answer_before_down -= 1
                return "up"
            return self.mode

    def answer(self, path: str) -> tuple[int, str | dict | list]:
        with self._lock:
            for pattern, endpoint in ROUTES:
                match = pattern.fullmatch(path)
                if match:
                    self.hits[endpoint.__name__] += 1
                    return endpoint(self, *match.groups())
        return 404, "Not Found"

    def tip_height(self) -> tuple[int, str]:
        return 200, str(self.height)

    def tip_hash(self) -> tuple[int, str]:
        return 200, self.blocks[-1].hash if self.blocks else "00" * 32

    def transaction(self, txid: str) -> tuple[int, str | dict]:
        tx = self.txs.get(txid)
        return (200, self._tx_json(tx)) if tx else (404, "Transaction not found")

    def address_stats(self, address: str) -> tuple[int, dict]:
        stats = {"chain": _stats(), "mempool": _stats()}
        for tx in map(self.txs.get, self._by_address.get(address, ())):
            side = stats["chain" if tx.block else "mempool"]
            paid = [sats for a, sats in tx.outputs if a == address]
            side["funded_txo_count"] += len(paid)
            side["funded_txo_sum"] += sum(paid)
            side["tx_count"] += 1
        return 200, {
            "address": address,
            "chain_stats": stats["chain"],
            "mempool_stats": stats["mempool"],
        }

    def address_txs(self, address: str) -> tuple[int, list]:
        """Newest first: up to 50 from the mempool, then the first 25 confirmed."""
        mempool = [tx for tx in self._address_txs(address) if tx.block is None]
        return 200, [self._tx_json(tx) for tx in mempool[:MEMPOOL_PAGE]] + self._chain_page(
            address, None
        )

    def address_txs_chain(self, address: str, last_seen: str | None) -> tuple[int, list]:
        return 200, self._chain_page(address, last_seen)

    def _address_txs(self, address: str) -> list[Tx]:
        txs = [self.txs[txid] for txid in self._by_address.get(address, ())]
        # Newest first: the mempool (latest seen first), then by height, highest first.
        order = {txid: i for i, txid in enumerate(self.mempool)}
        return sorted(
            txs,
            key=lambda tx: (
                (0, -order[tx.txid]) if tx.block is None else (1, -tx.block.height, tx.txid)
            ),
        )

    def _chain_page(self, address: str, last_seen: str | None) -> list[dict]:
        confirmed = [tx for tx in self._address_txs(address) if tx.block is not None]
        if last_seen is not None:
            seen = [tx.txid for tx in confirmed]
            confirmed = confirmed[seen.index(last_seen) + 1 :] if last_seen in seen else []
        return [self._tx_json(tx) for tx in confirmed[:CHAIN_PAGE]]

    def _tx_json(self, tx: Tx) -> dict:
        status: dict = {"confirmed": False}
        if tx.block is not None:
            status = {
                "confirmed": True,
                "block_height": tx.block.height,
                "block_hash": tx.block.hash,
                "block_time": tx.block.time,
            }
        paid = sum(sats for _, sats in tx.outputs)
        fee = 141
        return {
            "txid": tx.txid,
            "version": 2,
            "locktime": 0,
            "vin": [
                {
                    "txid": hashlib.sha256(tx.txid.encode()).hexdigest(),
                    "vout": 0,
                    "prevout": _output(SENDER, paid + fee),
                    "scriptsig": "",
                    "scriptsig_asm": "",
                    "witness": ["30" * 36, "02" + "11" * 32],
                    "is_coinbase": False,
                    "sequence": 4294967293,
                }
            ],
            "vout": [_output(address, sats) for address, sats in tx.outputs],
            "size": 113 + 31 * len(tx.outputs),
            "weight": 440 + 124 * len(tx.outputs),
            "fee": fee,
            "status": status,
        }


def _stats() -> dict:
    return dict.fromkeys(
        ("funded_txo_count", "funded_txo_sum", "spent_txo_count", "spent_txo_sum", "tx_count"), 0
    )


def _output(address: str, sats: int) -> dict:
    """An output as Esplora shows it; the script is the address's real one where it decodes."""
    program = ""
    try:
        version, data = SegwitBech32Decoder.Decode(address.split("1", 1)[0], address)
        if version == 0 and len(data) == 20:
            program = data.hex()
    except Exception:
        pass
    return {
        "scriptpubkey": f"0014{program}" if program else "",
        "scriptpubkey_asm": f"OP_0 OP_PUSHBYTES_20 {program}" if program else "",
        "scriptpubkey_type": "v0_p2wpkh" if program else "unknown",
        "scriptpubkey_address": address,
        "value": sats,
    }


ROUTES = [
    (re.compile(r"/blocks/tip/height"), Esplora.tip_height),
    (re.compile(r"/blocks/tip/hash"), Esplora.tip_hash),
    (re.compile(r"/tx/([0-9a-f]{64})"), Esplora.transaction),
    (re.compile(r"/address/([^/]+)"), Esplora.address_stats),
    (re.compile(r"/address/([^/]+)/txs"), Esplora.address_txs),
    (re.compile(r"/address/([^/]+)/txs/chain(?:/([0-9a-f]{64}))?"), Esplora.address_txs_chain),
]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that timed out or a connection cut by down("refuse"): expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Esplora behind nginx
    # Without it, headers then body in two writes wait on delayed ACKs: 40 ms a request.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        esplora: Esplora = self.server.esplora  # type: ignore[attr-defined]
        mode = esplora.arrived()
        if mode == "refuse":
            self.close_connection = True  # a kept-alive connection from before down("refuse")
            return
        if mode == "hang":
            while esplora.mode == "hang":
                time.sleep(0.01)
            mode = esplora.mode
        if mode == "503":
            status, body = 503, "Service Unavailable"
        elif mode == "html":
            status, body = 200, "<html><body>Please sign in to use this network.</body></html>"
        else:
            status, body = esplora.answer(self.path.split("?", 1)[0])
        is_json = not isinstance(body, str)
        data = (json.dumps(body) if is_json else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if is_json else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:
        pass  # the tests' output stays the tests'


@pytest.fixture(scope="session")
def esplora_server():
    server = Esplora()
    yield server
    server.close()


@pytest.fixture
def esplora(esplora_server: Esplora) -> Esplora:
    """The session's loopback Esplora, emptied and up."""
    esplora_server.up()
    esplora_server.reset()
    return esplora_server
