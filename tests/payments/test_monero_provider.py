"""MoneroProvider against a real monerod (regtest) and a view-only monero-wallet-rpc
(tests/monero.py); skipped without `apt-get install monero`, failed under CI."""

from __future__ import annotations

import socket
import time

import pytest

from samizdat.payments.base import IncomingTransfer, ProviderUnavailable, ReceivingAddress
from samizdat.payments.providers.monero import MoneroProvider, WalletError, xmr_text

XMR = 10**12


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_each_new_address_is_a_fresh_subaddress_the_wallet_owns(monero_provider, monero_chain):
    first = monero_provider.new_address(None, label="request-a")
    second = monero_provider.new_address(None, label="request-b")

    assert first.address != second.address
    assert second.index == first.index + 1
    assert first.address.startswith("8") and second.address.startswith("8")  # subaddresses
    assert monero_provider.owns(first.address) and monero_provider.owns(second.address)
    assert monero_provider.new_address(first.index) == first
    labels = monero_chain.newsroom("get_address", account_index=0, address_index=[first.index])
    assert labels["addresses"][0]["label"] == "request-a"


def test_another_wallets_address_is_not_owned(monero_provider, monero_chain):
    payer_subaddress = monero_chain.payer("create_address", account_index=0)["address"]

    assert not monero_provider.owns(monero_chain.payer_address)
    assert not monero_provider.owns(payer_subaddress)
    assert not monero_provider.owns("not an address")
    assert not monero_provider.owns(monero_chain.payer_address[:-1] + "x")  # checksum fails


def test_a_label_never_carries_an_email_address():
    provider = MoneroProvider(f"http://127.0.0.1:{_free_port()}")  # refused before any call
    with pytest.raises(ValueError):
        provider.new_address(None, label="reader@example.org")


def test_a_payment_is_seen_in_the_pool_then_counts_confirmations(monero_provider, monero_chain):
    address = monero_provider.new_address(None, label="request-pool")
    untouched = monero_provider.new_address(None, label="request-untouched")
    txid = monero_chain.pay(address.address, 1_234_567_890_123)

    assert monero_provider.transfers([address, untouched]) == [
        IncomingTransfer(txid, address.address, 1_234_567_890_123, 0)
    ]
    monero_chain.mine(1)
    assert monero_provider.transfers([address])[0].confirmations == 1
    monero_chain.mine(2)
    assert monero_provider.transfers([address]) == [
        IncomingTransfer(txid, address.address, 1_234_567_890_123, 3)
    ]
    assert monero_provider.transfers([untouched]) == []


def test_transfers_lists_each_payment_to_each_address_asked_about(monero_provider, monero_chain):
    one = monero_provider.new_address(None, label="request-one")
    two = monero_provider.new_address(None, label="request-two")
    first = monero_chain.pay(one.address, XMR)
    monero_chain.mine(1)
    second = monero_chain.pay(one.address, 2 * XMR)  # the reader paid the rest later
    third = monero_chain.pay(two.address, 3 * XMR)

    found = monero_provider.transfers([one, two])

    assert sorted(found, key=lambda t: t.amount_atomic) == [
        IncomingTransfer(first, one.address, XMR, 1),
        IncomingTransfer(second, one.address, 2 * XMR, 0),
        IncomingTransfer(third, two.address, 3 * XMR, 0),
    ]
    assert monero_provider.transfers([]) == []


def test_the_uris_amount_is_exact_to_the_piconero(monero_provider, monero_chain):
    address = monero_provider.new_address(None, label="request-uri").address
    amount = 98_765 * XMR + 432_109_876_543  # a float has 15 or 16 digits: 98765.43210987655

    uri = monero_provider.payment_uri(address, amount, label="The Lantern: gift R-12 & thanks")

    assert uri == (
        f"monero:{address}?tx_amount=98765.432109876543"
        "&tx_description=The%20Lantern%3A%20gift%20R-12%20%26%20thanks"
    )
    parsed = monero_chain.payer("parse_uri", uri=uri)["uri"]  # as a reader's wallet reads it
    assert parsed["address"] == address
    assert parsed["amount"] == amount
    assert parsed["tx_description"] == "The Lantern: gift R-12 & thanks"
    assert xmr_text(1) == "0.000000000001"
    with pytest.raises(ValueError):
        monero_provider.payment_uri(address, 0)


def test_a_wallet_that_is_down_makes_every_call_unavailable():
    provider = MoneroProvider(f"http://127.0.0.1:{_free_port()}", timeout=2)
    address = ReceivingAddress("8" + "A" * 94, 1)

    with pytest.raises(ProviderUnavailable):
        provider.new_address(None, label="request")
    with pytest.raises(ProviderUnavailable):
        provider.owns(address.address)
    with pytest.raises(ProviderUnavailable):
        provider.transfers([address])


def test_a_wallet_that_does_not_answer_in_time_is_unavailable():
    # The connection is accepted (the listen backlog), and nothing ever answers.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        provider = MoneroProvider(f"http://127.0.0.1:{server.getsockname()[1]}", timeout=1)
        started = time.monotonic()
        with pytest.raises(ProviderUnavailable):
            provider.transfers([ReceivingAddress("8" + "A" * 94, 1)])
        assert time.monotonic() - started < 3


def test_a_wrong_login_or_an_rpc_error_is_unavailable(monero_chain):
    wrong_login = monero_chain.provider(rpc_password="not-the-password")
    with pytest.raises(ProviderUnavailable):
        wrong_login.new_address(None, label="request")
    # monerod answers JSON-RPC too, with "Method not found" for a wallet's method.
    not_a_wallet = MoneroProvider(monero_chain.daemon_url)
    with pytest.raises(WalletError) as raised:
        not_a_wallet.new_address(None, label="request")
    assert isinstance(raised.value, ProviderUnavailable)
    assert "Nothing was recorded" in raised.value.message


def test_a_reorganisation_takes_a_confirmed_transfer_back_to_the_pool(
    monero_provider, monero_chain
):
    address = monero_provider.new_address(None, label="request-reorg")
    txid = monero_chain.pay(address.address, XMR)
    monero_chain.mine(2)
    assert monero_provider.transfers([address])[0].confirmations == 2

    assert txid in monero_chain.reorg(2)

    assert monero_provider.transfers([address]) == [IncomingTransfer(txid, address.address, XMR, 0)]
    monero_chain.mine(1)
    assert monero_provider.transfers([address])[0].confirmations == 1


def test_a_transfer_a_reorganisation_drops_is_absent(monero_provider, monero_chain):
    address = monero_provider.new_address(None, label="request-dropped")
    txid = monero_chain.pay(address.address, XMR)
    monero_chain.mine(3)
    assert monero_provider.transfers([address])[0].confirmations == 3

    assert txid in monero_chain.reorg(3, drop=True)

    assert monero_provider.transfers([address]) == []
    monero_chain.mine(1)
    assert monero_provider.transfers([address]) == []


def test_coins_the_payer_locked_count_as_unconfirmed(monero_provider, monero_chain):
    address = monero_provider.new_address(None, label="request-locked")
    txid = monero_chain.pay(address.address, XMR, unlock_time=monero_chain.height() + 1000)
    monero_chain.mine(12)

    assert monero_provider.transfers([address]) == [IncomingTransfer(txid, address.address, XMR, 0)]
