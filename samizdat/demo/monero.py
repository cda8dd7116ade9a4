"""A private Monero chain on 127.0.0.1 for `make demo` and the tests (Debian's `monero` package).

monerod in regtest mode, offline, blocks mined on request, with two wallet RPC servers: the
payer's wallet, standing in for a reader's, and the newsroom's view-only wallet, which
MoneroProvider talks to as in production. The newsroom's full wallet is made once beside the
payer's only to derive that view-only copy.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from requests.auth import HTTPDigestAuth

MONEROD = "monerod"
WALLET_RPC = "monero-wallet-rpc"
INSTALL_HINT = "apt-get install monero"
ATOMIC_PER_XMR = 10**12
# Coinbase outputs unlock after 60 blocks and a transfer needs 15 unlocked decoys besides its
# own input (ring size 16): at 80 blocks, 20 outputs are unlocked.
FIRST_BLOCKS = 80
# With only coinbase outputs to pick decoys from, a regtest wallet can spend minutes looking for
# unlocked ones; the payer splits some coins into outputs of its own, unlocked 10 blocks later
# (a transaction has at most 16 outputs: these, one early gift and the change).
SPLIT_OUTPUTS = 14
SPLIT_AMOUNT = 2 * ATOMIC_PER_XMR
SPENDABLE_AGE = 10
NEWSROOM_USER = "samizdat"


class ChainError(RuntimeError):
    """The regtest chain did not start, or a daemon or wallet refused a request."""


def missing_tools() -> list[str]:
    return [tool for tool in (MONEROD, WALLET_RPC) if shutil.which(tool) is None]


def json_rpc(
    url: str,
    method: str,
    params: dict[str, Any] | None = None,
    *,
    auth: HTTPDigestAuth | None = None,
    timeout: float = 120,
) -> dict[str, Any]:
    """Call `method` at a monerod or monero-wallet-rpc base URL; its result, or ChainError."""
    body = {"jsonrpc": "2.0", "id": "0", "method": method, "params": params or {}}
    response = requests.post(f"{url}/json_rpc", json=body, auth=auth, timeout=timeout)
    response.raise_for_status()
    answer = response.json()
    if "error" in answer:
        raise ChainError(f"{method}: {answer['error'].get('message')}")
    return answer["result"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    # Linux: a test run or demo that is killed outright takes its daemons with it.
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass(frozen=True)
class Ports:
    daemon: int
    p2p: int
    payer: int
    newsroom: int

    @classmethod
    def free(cls) -> Ports:
        return cls(_free_port(), _free_port(), _free_port(), _free_port())

    @classmethod
    def from_base(cls, base: int) -> Ports:
        return cls(base, base + 1, base + 2, base + 3)


class RegtestMonero:
    """The chain and both wallet servers, their files under `root`:

    chain/      monerod's database (kept between runs: --keep-fakechain)
    wallets/    the payer's wallet, and the newsroom's full wallet
    view-only/  the newsroom's view-only wallet, all its wallet server can open
    """

    def __init__(self, root: Path, ports: Ports, newsroom_password: str | None = None):
        self.root = Path(root)
        self.ports = ports
        # The newsroom's wallet server asks for a login, as a production one should.
        self.newsroom_password = newsroom_password or secrets.token_urlsafe(18)
        self._processes: list[subprocess.Popen] = []
        self.closing = False  # its owner is stopping it: failures meanwhile are expected
        self._logs: list[Path] = []
        self.info: dict[str, Any] = {}

    # Where things are ---------------------------------------------------------------------------

    @property
    def daemon_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.daemon}"

    @property
    def payer_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.payer}"

    @property
    def newsroom_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.newsroom}"

    @property
    def newsroom_auth(self) -> HTTPDigestAuth:
        return HTTPDigestAuth(NEWSROOM_USER, self.newsroom_password)

    @property
    def payer_address(self) -> str:
        return self.info["payer_address"]

    @property
    def newsroom_address(self) -> str:
        return self.info["newsroom_address"]

    def provider_options(self, **overrides: Any) -> dict[str, Any]:
        """MoneroProvider's OPTIONS for the newsroom's view-only wallet."""
        options = {
            "wallet_rpc_url": self.newsroom_url,
            "rpc_user": NEWSROOM_USER,
            "rpc_password": self.newsroom_password,
            "confirmations_required": 10,
            # A loaded test machine can take seconds over a wallet's refresh after a reorg.
            "timeout": 30,
        }
        return {**options, **overrides}

    # Processes --------------------------------------------------------------------------------

    def start(self, timeout: float = 60) -> None:
        """Start monerod and both wallet servers and wait until each answers."""
        self.spawn()
        self.wait_until_ready(timeout)

    def spawn(self) -> None:
        """Start monerod and both wallet servers (they answer a second or two later)."""
        for folder in ("chain", "wallets", "view-only"):
            if not (self.root / "wallets/info.json").exists():
                # Nothing yet, or a first set-up that was interrupted: begin afresh, or the
                # chain's coins would belong to a wallet that is gone.
                shutil.rmtree(self.root / folder, ignore_errors=True)
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        self._spawn(
            "chain/monerod.log",
            [
                MONEROD, "--regtest", "--offline", "--fixed-difficulty", "1", "--keep-fakechain",
                "--data-dir", str(self.root / "chain"),
                "--log-file", str(self.root / "chain/monerod.log"), "--max-log-file-size", "0",
                "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port", str(self.ports.daemon),
                "--p2p-bind-ip", "127.0.0.1", "--p2p-bind-port", str(self.ports.p2p),
                # No TLS: making its self-signed certificate costs each server 2.5 s at start.
                "--rpc-ssl", "disabled", "--no-zmq", "--no-igd", "--non-interactive",
            ],
        )  # fmt: skip
        self._spawn_wallet_server("wallets", "payer", self.ports.payer, ["--disable-rpc-login"])
        self._spawn_wallet_server(
            "view-only",
            "newsroom",
            self.ports.newsroom,
            ["--rpc-login", f"{NEWSROOM_USER}:{self.newsroom_password}"],
        )

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Wait until all three answer; ChainError (all stopped) if one exits or stays silent."""
        deadline = time.monotonic() + timeout
        for url, auth in (
            (self.daemon_url, None),
            (self.payer_url, None),
            (self.newsroom_url, self.newsroom_auth),
        ):
            self._wait_for(url, auth, deadline)

    def _spawn_wallet_server(self, folder: str, wallet: str, port: int, login: list[str]) -> None:
        wallet_dir = self.root / folder
        if (wallet_dir / f"{wallet}.keys").exists():
            # Opened while the daemon starts: opening a wallet costs a second or more, most of
            # it an RSA key the wallet makes for a messaging client we never use.
            which = ["--wallet-file", str(wallet_dir / wallet), "--password", ""]
        else:
            which = ["--wallet-dir", str(wallet_dir)]
        self._spawn(
            f"{folder}/wallet-rpc.log",
            [
                WALLET_RPC, "--daemon-address", f"127.0.0.1:{self.ports.daemon}",
                "--trusted-daemon", "--daemon-ssl", "disabled",
                "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port", str(port), "--rpc-ssl", "disabled",
                *login, *which,
                "--shared-ringdb-dir", str(wallet_dir / "ringdb"),
                "--log-file", str(wallet_dir / "wallet-rpc.log"), "--max-log-file-size", "0",
                "--non-interactive",
            ],
        )  # fmt: skip

    def _spawn(self, log: str, command: list[str]) -> None:
        self._logs.append(self.root / log)
        self._processes.append(
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        )

    def _wait_for(self, url: str, auth: HTTPDigestAuth | None, deadline: float) -> None:
        while True:
            for process, log in zip(self._processes, self._logs, strict=True):
                if process.poll() is not None:
                    self.stop()
                    raise ChainError(f"{process.args[0]} exited:\n{_tail(log)}")
            try:
                json_rpc(url, "get_version", auth=auth, timeout=2)
                return
            except (requests.ConnectionError, requests.Timeout) as error:
                if time.monotonic() > deadline:
                    self.stop()
                    raise ChainError(f"{url} did not answer") from error
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop every process (the wallet servers store their wallets on the way out)."""
        for process in reversed(self._processes):
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # A wallet server busy in a transfer ignores SIGTERM.
                process.kill()
                process.wait()
        self._processes.clear()
        self._logs.clear()

    # Calls ------------------------------------------------------------------------------------

    def daemon(self, method: str, **params: Any) -> dict[str, Any]:
        return json_rpc(self.daemon_url, method, params)

    def daemon_other(self, path: str, **params: Any) -> dict[str, Any]:
        """monerod's calls outside /json_rpc (pop_blocks, get_transactions…)."""
        response = requests.post(f"{self.daemon_url}/{path}", json=params, timeout=120)
        response.raise_for_status()
        answer = response.json()
        if answer.get("status") != "OK":
            raise ChainError(f"{path}: {answer.get('status')}")
        return answer

    def payer(self, method: str, **params: Any) -> dict[str, Any]:
        return json_rpc(self.payer_url, method, params)

    def newsroom(self, method: str, **params: Any) -> dict[str, Any]:
        return json_rpc(self.newsroom_url, method, params, auth=self.newsroom_auth)

    # Wallets ----------------------------------------------------------------------------------

    def set_up(self, fund: bool = True, early_gift: bool = False) -> None:
        """Open both wallets, creating them the first time; with `fund`, also give the payer
        coins it can send (the first time: about 90 blocks; see _fund for `early_gift`).
        Another process calling it meanwhile waits for this one."""
        with self._lock():
            info_path = self.root / "wallets/info.json"
            if info_path.exists():
                # start() opened both wallets.
                self.info = json.loads(info_path.read_text())
            else:
                self._create_wallets(mine_meanwhile=fund)
            if fund and not self.info.get("funded"):
                self._fund(early_gift)

    def wait_for_set_up(self, waiting: Callable[[], None] = lambda: None) -> None:
        """Wait while another process sets this chain up (calling `waiting` first if it must),
        then read its wallets' addresses; ChainError if it has none."""
        with self._lock(waiting):
            try:
                self.info = json.loads((self.root / "wallets/info.json").read_text())
            except OSError as error:
                raise ChainError("The chain's wallets have not been made.") from error

    def _create_wallets(self, mine_meanwhile: bool) -> None:
        self.payer("create_wallet", filename="payer", password="", language="English")
        self.info["payer_address"] = self.payer("get_address")["address"]
        # Mining is the daemon's work: it goes on while the other wallets are made.
        miner = _Background(self._mine_to, FIRST_BLOCKS) if mine_meanwhile else None
        try:
            self.payer("close_wallet")
            self.payer("create_wallet", filename="newsroom", password="", language="English")
            address = self.payer("get_address")["address"]
            view_key = self.payer("query_key", key_type="view_key")["key"]
            self.payer("close_wallet")
            self.payer("open_wallet", filename="payer", password="")
            self.newsroom(
                "generate_from_keys",
                filename="newsroom",
                address=address,
                viewkey=view_key,
                password="",
                restore_height=0,
            )
        finally:
            if miner is not None:
                miner.join()
        self.info.update(newsroom_address=address, funded=False)
        self._save_info()

    def _fund(self, early_gift: bool) -> None:
        """Mine the payer its first coins and split some into outputs of its own.

        `early_gift` also pays the newsroom once, for the tests' reorganisations: a wallet that
        saves itself forgets the hashes of blocks below its oldest incoming transfer or its
        network's last checkpoint, whichever is lower, and then cannot follow a reorganisation
        there. On mainnet the checkpoints are far behind; a regtest chain needs that old gift.
        """
        self._mine_to(FIRST_BLOCKS)
        self.payer("refresh")
        destinations = [{"amount": SPLIT_AMOUNT, "address": self.payer_address}]
        destinations *= SPLIT_OUTPUTS
        if early_gift:
            gift = self.newsroom("create_address", account_index=0, label="early gift")
            destinations.append({"amount": ATOMIC_PER_XMR, "address": gift["address"]})
        self.payer("transfer", destinations=destinations)
        self.mine(SPENDABLE_AGE)
        self.store()
        self.info["funded"] = True
        self._save_info()

    def _save_info(self) -> None:
        (self.root / "wallets/info.json").write_text(json.dumps(self.info, indent=2))

    @contextlib.contextmanager
    def _lock(self, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
        with (self.root / "set-up.lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting()
                fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def store(self) -> None:
        """Bring both wallets up to the chain's tip and write them to disk."""
        for call in (self.payer, self.newsroom):
            call("refresh")
            call("store")

    # The chain --------------------------------------------------------------------------------

    def height(self) -> int:
        return self.daemon("get_block_count")["count"]

    def mine(self, blocks: int = 1) -> int:
        """Mine `blocks` blocks (to the payer), with whatever waits in the pool; the new height
        (the number of blocks, as `height`)."""
        if blocks <= 0:
            return self.height()
        self._fresh_template()
        result = self.daemon(
            "generateblocks", amount_of_blocks=blocks, wallet_address=self.payer_address
        )
        return result["height"] + 1  # generateblocks answers the last block's height

    def _mine_to(self, height: int) -> None:
        self.mine(height - self.height())

    def pay(self, address: str, amount_atomic: int, unlock_time: int = 0) -> str:
        """Send `amount_atomic` piconero from the payer to `address`; the txid. The transaction
        waits in the pool until a block is mined."""
        self.payer("refresh")
        destinations = [{"amount": amount_atomic, "address": address}]
        try:
            result = self.payer("transfer", destinations=destinations, unlock_time=unlock_time)
        except ChainError as error:
            if "enough" not in str(error):
                raise
            # The payer's change is locked for 10 blocks after each payment.
            self.mine(SPENDABLE_AGE)
            self.payer("refresh")
            result = self.payer("transfer", destinations=destinations, unlock_time=unlock_time)
        self._wait_until_minable(result["tx_hash"])
        return result["tx_hash"]

    def _wait_until_minable(self, txid: str, timeout: float = 30) -> None:
        """Wait until the next block would take the transaction, so that `mine` confirms it (a
        new one first passes through Dandelion++'s stem state, which the daemon leaves when it
        finds no peer to relay it to: briefly, longer on a busy machine)."""
        deadline = time.monotonic() + timeout
        while txid not in self._fresh_template():  # a block lists its transactions' ids
            if time.monotonic() > deadline:
                raise ChainError(f"Transaction {txid} is not taken into blocks.")
            time.sleep(0.05)

    def _fresh_template(self) -> str:
        # monerod keeps its last block template until the pool or the chain changes, and a
        # transaction that arrives while it builds one can miss both: a template asked with a
        # new extra nonce is built afresh, and leaves no stale one behind for generateblocks.
        return self.daemon(
            "get_block_template",
            wallet_address=self.payer_address,
            extra_nonce=secrets.token_hex(8),
        )["blocktemplate_blob"]

    def pay_uri(self, uri: str) -> tuple[str, str, int]:
        """Pay a monero: URI as a reader's wallet would; (txid, address, amount_atomic)."""
        parsed = self.payer("parse_uri", uri=uri)["uri"]
        amount = int(parsed.get("amount") or 0)
        if amount <= 0:
            raise ChainError("The URI names no amount.")
        return self.pay(parsed["address"], amount), parsed["address"], amount

    def reorg(self, depth: int, drop: bool = False) -> list[str]:
        """A reorganisation: the last `depth` blocks are replaced by `depth` + 1 others, without
        their transactions, which go back to the pool (or are dropped, as a double spend would
        be). Returns those transactions' ids."""
        top = self.height() - 1
        txids = [
            txid
            for height in range(top - depth + 1, top + 1)
            for txid in self.daemon("get_block", height=height).get("tx_hashes", [])
        ]
        blobs = []
        if txids:
            found = self.daemon_other("get_transactions", txs_hashes=txids, decode_as_json=False)
            blobs = [tx["as_hex"] for tx in found.get("txs", [])]
        self.daemon_other("pop_blocks", nblocks=depth)
        if txids:
            # pop_blocks puts them back in the pool, where the next blocks would take them.
            self.daemon("flush_txpool", txids=txids)
        self.mine(depth + 1)
        if not drop:
            for blob in blobs:
                self.daemon_other("send_raw_transaction", tx_as_hex=blob, do_not_relay=False)
            for txid in txids:
                self._wait_until_minable(txid)
        return txids


# The demo's chain ------------------------------------------------------------------------------

DEMO_FOLDER = "monero-regtest"
DEMO_STATE = "demo.json"  # the running demo's ports, for `samizdat demo_chain`


def start_demo_chain(data_dir: Path, base_port: int) -> RegtestMonero:
    """The demo's chain under DATA_DIR/monero-regtest, kept between runs, its processes started
    on ports base_port to base_port + 3. The caller then runs `wait_until_ready` and `set_up`
    in the background: the first time, set_up makes the wallets (some seconds) and mines the
    payer's coins (a minute or less); later, they answer in a few seconds."""
    root = Path(data_dir) / DEMO_FOLDER
    chain = RegtestMonero(root, Ports.from_base(base_port))
    chain.spawn()
    (root / DEMO_STATE).write_text(json.dumps({"base_port": base_port}))
    return chain


def stop_demo_chain(chain: RegtestMonero) -> None:
    chain.closing = True
    (chain.root / DEMO_STATE).unlink(missing_ok=True)
    chain.stop()


def running_demo_chain(data_dir: Path, waiting: Callable[[], None] = lambda: None) -> RegtestMonero:
    """The chain `make demo` is running, once its wallets are made; ChainError if none."""
    root = Path(data_dir) / DEMO_FOLDER
    try:
        state = json.loads((root / DEMO_STATE).read_text())
    except (OSError, ValueError) as error:
        raise ChainError(
            "The demo's Monero chain is not running: start it with `make demo`."
        ) from error
    chain = RegtestMonero(root, Ports.from_base(state["base_port"]))
    try:
        chain.height()
    except requests.RequestException as error:
        raise ChainError(
            "The demo's Monero chain is not answering: is `make demo` running?"
        ) from error
    chain.wait_for_set_up(waiting)
    return chain


def copy_chain(source: Path, destination: Path) -> None:
    """A stopped chain's files copied, for another RegtestMonero to run on other ports."""
    shutil.copytree(
        source, destination, ignore=shutil.ignore_patterns("*.log", "*.lock", "lock.mdb")
    )


class _Background(threading.Thread):
    """A call in another thread whose exception `join` raises."""

    def __init__(self, target, *args, **kwargs):
        super().__init__(daemon=True)
        self._call = (target, args, kwargs)
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        target, args, kwargs = self._call
        try:
            target(*args, **kwargs)
        except BaseException as error:  # handed to join()
            self._error = error

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self._error is not None:
            raise self._error


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
