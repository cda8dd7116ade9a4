"""A private Monero chain for the tests: monerod in regtest mode and two wallet servers on
127.0.0.1 (samizdat/demo/monero.py), like tests/localstripe.py is for Stripe.

`monero_chain` gives each test session (each xdist worker) a chain of its own. Mining the
payer's first coins takes the longest, so it happens once per run: the first worker to need a
chain builds it into the run's shared temporary folder and every worker copies it, then starts
its own daemon and wallet servers on free ports. Tests share a worker's chain: each pays to
subaddresses of its own, so what others did does not show in its transfers.

Without monerod and monero-wallet-rpc (`apt-get install monero`) the tests that use it are
skipped, and fail under CI, where a skipped suite would hide a broken provider.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from samizdat.demo.monero import ChainError, Ports, RegtestMonero, copy_chain, missing_tools
from samizdat.payments import registry
from samizdat.payments.providers.monero import MoneroProvider

__all__ = ["monero_chain", "monero_provider", "monero_settings", "MoneroChain"]


class MoneroChain(RegtestMonero):
    """A worker's chain. Helpers, beside RegtestMonero's own (`daemon`, `payer`, `newsroom`):

    pay(address, amount_atomic, unlock_time=0) -> txid    in the pool until a block is mined
    mine(blocks=1) -> height
    reorg(depth, drop=False) -> txids     the last `depth` blocks replaced by `depth` + 1 others;
                                          their transactions back in the pool, or dropped
    provider(**options) -> MoneroProvider pointed at the newsroom's view-only wallet
    payer_address                         an address the newsroom does not own
    """

    def provider(self, **options) -> MoneroProvider:
        return MoneroProvider(**self.provider_options(**options))


def _require_monero() -> None:
    missing = missing_tools()
    if missing:
        message = f"{' and '.join(missing)} missing: apt-get install monero"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _started(make_chain, root: Path, template: Path | None = None) -> RegtestMonero:
    """A chain in `root` (copied from `template`), started on free ports. The ports are picked
    before the processes bind them, so another worker (or Chromium, or localstripe) may take
    one first: then it starts again on others."""
    for attempt in range(3):
        shutil.rmtree(root, ignore_errors=True)
        chain = make_chain()
        if template is not None:
            copy_chain(template, root)
        try:
            chain.start()
            return chain
        except ChainError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _template(tmp_path_factory) -> Path:
    """The run's funded, stopped chain, built by the first worker that asks (xdist workers
    share the folder above their own temporary folders)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent
    else:
        shared = tmp_path_factory.getbasetemp()
    root = shared / "monero-template"
    with _locked(shared / "monero-template.lock"):
        if not (root / "ready").exists():
            chain = _started(lambda: RegtestMonero(root, Ports.free()), root)
            try:
                # The early gift keeps the view-only wallet able to follow reorganisations.
                chain.set_up(fund=True, early_gift=True)
            finally:
                chain.stop()
            (root / "ready").touch()
    return root


@pytest.fixture(scope="session")
def monero_chain(tmp_path_factory) -> Iterator[MoneroChain]:
    """This worker's running chain (see MoneroChain for its helpers)."""
    _require_monero()
    template = _template(tmp_path_factory)
    root = tmp_path_factory.mktemp("monero")
    shutil.rmtree(root)
    chain = _started(lambda: MoneroChain(root, Ports.free()), root, template)
    try:
        chain.set_up(fund=True)
        # The provider refreshes the wallet itself; the wallet's own refresh every 20 s would
        # make a test's view of the pool depend on timing.
        chain.newsroom("auto_refresh", enable=False)
        yield chain
    finally:
        chain.stop()


@pytest.fixture
def monero_provider(monero_chain) -> MoneroProvider:
    """A MoneroProvider on this worker's view-only wallet, asking for 10 confirmations."""
    return monero_chain.provider()


@pytest.fixture
def monero_settings(settings, monero_chain) -> Iterator[dict]:
    """The "monero" provider configured, beside the others, on this worker's chain; yields its
    OPTIONS."""
    options = monero_chain.provider_options()
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        **settings.SAMIZDAT_PAYMENT_PROVIDERS,
        "monero": {"CLASS": f"{MoneroProvider.__module__}.MoneroProvider", "OPTIONS": options},
    }
    registry.reset()
    yield options
    registry.reset()
