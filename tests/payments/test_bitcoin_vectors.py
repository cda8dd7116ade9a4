"""The derivation library (bip_utils) against BIP84's published test vectors, from the mnemonic
down: the account zpub the provider tests start from is the one the BIP's seed gives."""

from __future__ import annotations

import pytest
from bip_utils import Bip39SeedGenerator, Bip44Changes, Bip84, Bip84Coins

# From bip-0084.mediawiki, "Test vectors".
MNEMONIC = " ".join(["abandon"] * 11 + ["about"])
ROOT_ZPRV = (
    "zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7"
    "zhZLfiUm8aunE96BBa4Kei5"
)
ACCOUNT_ZPRV = (
    "zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4QgEvBRmfvqWvGp42t42nvgGpNgYSJA9ie"
    "fm1yYNZKEm7z6qUWCroSQnE"
)
ACCOUNT_ZPUB = (
    "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDK"
    "f31mGDtKsAYz2oz2AGutZYs"
)
# (change, index, compressed public key, address)
ADDRESSES = [
    (
        Bip44Changes.CHAIN_EXT,
        0,
        "0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c",
        "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu",
    ),
    (
        Bip44Changes.CHAIN_EXT,
        1,
        "03e775fd51f0dfb8cd865d9ff1cca2a158cf651fe997fdc9fee9c1d3b5e995ea77",
        "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g",
    ),
    (
        Bip44Changes.CHAIN_INT,
        0,
        "03025324888e429ab8e3dbaf1f7802648b9cd01e9b418485c5fa4c1b9b5700e1a6",
        "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el",
    ),
]


@pytest.fixture(scope="module")
def root():
    return Bip84.FromSeed(Bip39SeedGenerator(MNEMONIC).Generate(), Bip84Coins.BITCOIN)


def test_the_mnemonic_gives_the_bips_root_key(root):
    assert root.PrivateKey().ToExtended() == ROOT_ZPRV


def test_account_zero_gives_the_bips_account_keys(root):
    account = root.Purpose().Coin().Account(0)
    assert account.PrivateKey().ToExtended() == ACCOUNT_ZPRV
    assert account.PublicKey().ToExtended() == ACCOUNT_ZPUB


@pytest.mark.parametrize("change, index, public_key, address", ADDRESSES)
def test_the_account_zpub_alone_derives_the_bips_addresses(change, index, public_key, address):
    key = Bip84.FromExtendedKey(ACCOUNT_ZPUB, Bip84Coins.BITCOIN).Change(change).AddressIndex(index)
    assert key.IsPublicOnly()
    assert key.PublicKey().RawCompressed().ToHex() == public_key
    assert key.PublicKey().ToAddress() == address
