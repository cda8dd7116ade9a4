"""The Bitcoin provider: addresses from the account zpub alone, payments read from a loopback
Esplora (tests/esplora.py)."""

from __future__ import annotations

import time

import pytest
import requests

from samizdat.payments.base import ProviderUnavailable, ReceivingAddress
from samizdat.payments.providers.bitcoin import BitcoinProvider
from tests.payments.test_bitcoin_vectors import ACCOUNT_ZPRV, ACCOUNT_ZPUB

# BIP84's vectors for account 0 of "abandon … about" (see test_bitcoin_vectors.py).
FIRST = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"
SECOND = "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g"
FIRST_CHANGE = "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el"
# The same mnemonic at m/84'/1'/0' (testnet, signet, regtest), and its first receiving address.
ACCOUNT_VPUB = (
    "vpub5Y6cjg78GGuNLsaPhmYsiw4gYX3HoQiRBiSwDaBXKUafCt9bNwWQiitDk5VZ5BVxYnQdwoTyXSs2JHRPAgjA"
    "vtbBrf8ZhDYe2jWAqvZVnsc"
)
# Keys of the same mnemonic that are not a BIP84 account's public key.
MASTER_ZPUB = (
    "zpub6jftahH18ngZxLmXaKw3GSZzZsszmt9WqedkyZdezFtWRFBZqsQH5hyUmb4pCEeZGmVfQuP5bedXTB8is6fT"
    "v19U1GQRyQUKQGUTzyHACMF"
)
RECEIVE_CHAIN_ZPUB = (
    "zpub6u4KbU8TSgNuZSxzv7HaGq5Tk361gMHdZxnM4UYuwzg5CMLcNytzhobitV4Zq6vWtWHpG9QijsigkxAzXvQW"
    "yLRfLq1L7VxPP1tky1hPfD4"
)
BIP44_XPUB = (
    "xpub6BosfCnifzxcFwrSzQiqu2DBVTshkCXacvNsWGYJVVhhawA7d4R5WSWGFNbi8Aw6ZRc1brxMyWMzG3DSSSSo"
    "ekkudhUd9yLb6qx39T9nMdj"
)
# Account 1's first receiving address: the same wallet, not this account.
OTHER_ACCOUNT = "bc1qku0qh0mc00y8tk0n65x2tqw4trlspak0fnjmfz"
INDEX_30 = "bc1qvy9t2k673tsp6wdwpym3m29sz829nuac9jccc9"


@pytest.fixture
def bitcoin(esplora) -> BitcoinProvider:
    return BitcoinProvider(ACCOUNT_ZPUB, esplora.url, confirmations_required=3, timeout=2)


def handed_out(provider: BitcoinProvider, count: int) -> list[ReceivingAddress]:
    return [provider.new_address(i) for i in range(count)]


# Addresses -----------------------------------------------------------------------------------


def test_the_account_zpub_gives_bip84s_receiving_addresses(bitcoin):
    assert bitcoin.new_address(0) == ReceivingAddress(FIRST, 0)
    assert bitcoin.new_address(1) == ReceivingAddress(SECOND, 1)
    assert bitcoin.new_address(30).address == INDEX_30


def test_the_provider_describes_bitcoin(bitcoin):
    assert bitcoin.name == "bitcoin"
    assert bitcoin.coin.code == "btc" and bitcoin.coin.atomic_per_coin == 100_000_000
    assert [m.key for m in bitcoin.methods] == ["bitcoin"]
    assert not bitcoin.methods[0].needs_javascript and not bitcoin.methods[0].recurring
    assert bitcoin.caller_chooses_index and bitcoin.confirmations_required == 3


def test_a_vpub_gives_testnet_addresses_and_regtest_is_an_option():
    testnet = BitcoinProvider(ACCOUNT_VPUB, "http://127.0.0.1:9")
    regtest = BitcoinProvider(ACCOUNT_VPUB, "http://127.0.0.1:9", network="regtest")
    assert testnet.network == "testnet"
    assert testnet.new_address(0).address == "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl"
    assert regtest.new_address(0).address == "bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk"


@pytest.mark.parametrize(
    "key, network, says",
    [
        (ACCOUNT_ZPRV, "", "private key"),
        (BIP44_XPUB, "", "starts xpub"),
        (MASTER_ZPUB, "", "not an account-level key"),
        (RECEIVE_CHAIN_ZPUB, "", "not an account-level key"),
        (ACCOUNT_ZPUB[:-1] + "t", "", "not a valid extended public key"),
        ("abandon abandon abandon", "", "not a BIP84 account key"),
        (ACCOUNT_ZPUB, "testnet", "a zpub is a mainnet key"),
        (ACCOUNT_VPUB, "mainnet", "a vpub is a test network key"),
        (ACCOUNT_VPUB, "litecoin", "unknown bitcoin network"),
    ],
    ids=["zprv", "xpub", "master", "chain", "typo", "words", "zpub-testnet", "vpub-main", "ltc"],
)
def test_anything_but_a_bip84_account_public_key_is_refused(key, network, says):
    with pytest.raises(ValueError) as refused:
        BitcoinProvider(key, "http://127.0.0.1:9", network=network)
    message = str(refused.value)
    assert says.lower() in message.lower()
    assert key[4:] not in message  # a key, above all a private one, never reaches a log


def test_an_esplora_url_is_required():
    with pytest.raises(ValueError, match="BITCOIN_ESPLORA_URL"):
        BitcoinProvider(ACCOUNT_ZPUB, "")


def test_owns_the_addresses_handed_out_and_no_others(bitcoin):
    for address in handed_out(bitcoin, 3):
        assert bitcoin.owns(address.address)
    assert bitcoin.owns(FIRST.upper())  # as a QR code carries it
    assert not bitcoin.owns(FIRST_CHANGE)  # the wallet's change chain is never handed out
    assert not bitcoin.owns(OTHER_ACCOUNT)
    assert not bitcoin.owns("tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl")


def test_owns_looks_a_gap_limit_past_the_highest_index_handed_out(bitcoin):
    handed_out(bitcoin, 5)
    assert not bitcoin.owns(INDEX_30)  # index 30 is past 4 + 20
    assert bitcoin.owns(INDEX_30, handed_out=12)  # the caller has handed out up to 12


# Payment links -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "satoshi, amount",
    [
        (12_345, "0.00012345"),
        (1, "0.00000001"),
        (29, "0.00000029"),  # a float would print 2.9e-07
        (100_000_000, "1"),
        (150_000_000, "1.5"),
        (123_456_789, "1.23456789"),
        (2_099_999_997_690_000, "20999999.9769"),  # the most there will ever be
    ],
)
def test_the_payment_uri_carries_the_exact_amount_in_bitcoin(bitcoin, satoshi, amount):
    assert bitcoin.payment_uri(FIRST, satoshi) == f"bitcoin:{FIRST}?amount={amount}"


def test_the_payment_uri_escapes_its_label(bitcoin):
    uri = bitcoin.payment_uri(FIRST, 50_000, label="The Lantern & co: gift")
    assert uri == f"bitcoin:{FIRST}?amount=0.0005&label=The%20Lantern%20%26%20co%3A%20gift"


# What arrived --------------------------------------------------------------------------------


def test_a_payment_is_seen_in_the_mempool_then_counts_confirmations(bitcoin, esplora):
    addresses = handed_out(bitcoin, 3)
    assert bitcoin.transfers(addresses) == []
    txid = esplora.pay(SECOND, 12_345)
    [transfer] = bitcoin.transfers(addresses)
    assert (transfer.txid, transfer.address, transfer.amount_atomic) == (txid, SECOND, 12_345)
    assert transfer.confirmations == 0
    esplora.mine()
    assert [t.confirmations for t in bitcoin.transfers(addresses)] == [1]
    esplora.mine(2)
    assert [t.confirmations for t in bitcoin.transfers(addresses)] == [3]


def test_one_transaction_paying_two_addresses_is_two_transfers(bitcoin, esplora):
    addresses = handed_out(bitcoin, 2)
    txid = esplora.pay(FIRST, 1_000, (SECOND, 2_000), (OTHER_ACCOUNT, 5_000), (FIRST, 500))
    found = {(t.txid, t.address): t.amount_atomic for t in bitcoin.transfers(addresses)}
    # The change to someone else is not ours; two outputs to one address are one transfer.
    assert found == {(txid, FIRST): 1_500, (txid, SECOND): 2_000}


def test_a_reorganisation_takes_confirmations_away(bitcoin, esplora):
    addresses = handed_out(bitcoin, 1)
    esplora.pay(FIRST, 10_000)
    esplora.mine(3)
    assert [t.confirmations for t in bitcoin.transfers(addresses)] == [3]
    esplora.reorg(2)
    assert [t.confirmations for t in bitcoin.transfers(addresses)] == [1]
    esplora.reorg(1)  # its block is gone: back in the mempool
    assert [t.confirmations for t in bitcoin.transfers(addresses)] == [0]
    esplora.mine()
    esplora.reorg(1, drop=True)  # and now double-spent away
    assert bitcoin.transfers(addresses) == []


def test_an_address_with_many_payments_is_read_page_by_page(bitcoin, esplora):
    addresses = handed_out(bitcoin, 1)
    for i in range(60):  # Esplora shows 25 confirmed at a time
        esplora.pay(FIRST, 1_000 + i)
        esplora.mine()
    esplora.pay(FIRST, 7)
    found = bitcoin.transfers(addresses)
    assert len({t.txid for t in found}) == 61
    assert sorted(t.confirmations for t in found) == list(range(61))
    assert esplora.hits["address_txs_chain"] == 2


def test_watching_many_addresses_reads_the_tip_once(bitcoin, esplora):
    addresses = handed_out(bitcoin, 30)
    esplora.pay(addresses[7].address, 5_000)
    bitcoin.transfers(addresses)
    assert esplora.hits == {"tip_height": 1, "address_txs": 30}


@pytest.mark.parametrize("mode", ["503", "refuse", "hang"])
def test_esplora_unreachable_is_provider_unavailable(esplora, mode):
    bitcoin = BitcoinProvider(ACCOUNT_ZPUB, esplora.url, timeout=0.3)
    addresses = handed_out(bitcoin, 2)
    bitcoin.transfers(addresses)  # a kept-alive connection, which "refuse" must cut too
    esplora.down(mode)
    with pytest.raises(ProviderUnavailable):
        bitcoin.transfers(addresses)
    esplora.up()
    # Recovery is what is checked here, not speed: a loaded CI machine may take longer than
    # 0.3 s to answer, while a session left broken by the outage fails whatever the timeout.
    bitcoin.timeout = 10
    assert bitcoin.transfers(addresses) == []


def test_esplora_failing_midway_stops_the_remaining_requests(esplora):
    bitcoin = BitcoinProvider(ACCOUNT_ZPUB, esplora.url, timeout=0.3, workers=4)
    addresses = handed_out(bitcoin, 400)
    esplora.down("503", after=10)
    with pytest.raises(ProviderUnavailable):
        bitcoin.transfers(addresses)
    time.sleep(0.2)
    # Not 400 more 503s (or, when it hangs, 400 timeouts) before the next round can start.
    assert esplora.requests < 100


@pytest.mark.parametrize("after", [0, 1])  # the tip's answer, an address's
def test_an_answer_that_is_not_esploras_is_provider_unavailable(bitcoin, esplora, after):
    esplora.down("html", after=after)
    with pytest.raises(ProviderUnavailable):
        bitcoin.transfers(handed_out(bitcoin, 2))


def test_the_loopback_esplora_answers_in_esploras_shapes(esplora):
    # The fields of API.md's transaction and address formats, so that the fake cannot drift.
    esplora.pay(FIRST, 1_000)
    esplora.mine()
    session = requests.Session()
    [tx] = session.get(f"{esplora.url}/address/{FIRST}/txs").json()
    assert set(tx) == {
        "txid",
        "version",
        "locktime",
        "size",
        "weight",
        "fee",
        "vin",
        "vout",
        "status",
    }
    assert set(tx["status"]) == {"confirmed", "block_height", "block_hash", "block_time"}
    assert set(tx["vout"][0]) == {
        "scriptpubkey", "scriptpubkey_asm", "scriptpubkey_type", "scriptpubkey_address", "value"
    }  # fmt: skip
    assert tx["vout"][0]["scriptpubkey"] == "0014c0cebcd6c3d3ca8c75dc5ec62ebe55330ef910e2"
    stats = session.get(f"{esplora.url}/address/{FIRST}").json()
    assert stats["chain_stats"] == {
        "tx_count": 1, "funded_txo_count": 1, "funded_txo_sum": 1_000,
        "spent_txo_count": 0, "spent_txo_sum": 0,
    }  # fmt: skip
    assert session.get(f"{esplora.url}/blocks/tip/height").text == str(esplora.height)
