"""Monero and Bitcoin as the payment registry sees them, without a wallet or a chain: for tests of
what the donation form and "Giving safely" show when they are configured."""

from __future__ import annotations

from samizdat.payments import registry
from samizdat.payments.base import Coin, PaymentMethod
from tests.support.fake_chain import FakeChain


class FakeCoin(FakeChain):
    """An address provider named like a real one (FakeChain's chain in memory)."""

    def __init__(self, key: str, label: str, code: str, **options) -> None:
        super().__init__(**options)
        self.name = key
        self.coin = Coin(code, label.split(" ")[0], 8, key)
        self.methods = (PaymentMethod(key, label, key, needs_javascript=False, recurring=False),)


MONERO = {
    "CLASS": "tests.support.fake_coins.FakeCoin",
    "OPTIONS": {"key": "monero", "label": "Monero (XMR)", "code": "xmr"},
}
BITCOIN = {
    "CLASS": "tests.support.fake_coins.FakeCoin",
    "OPTIONS": {"key": "bitcoin", "label": "Bitcoin (BTC)", "code": "btc"},
}


def configure(settings, **providers) -> None:
    """These providers, in this order, and nothing else; the registry loads them afresh."""
    settings.SAMIZDAT_PAYMENT_PROVIDERS = providers
    registry.reset()


def stripe(settings) -> dict:
    """The site's own Stripe entry, as settings.py makes it."""
    return settings.SAMIZDAT_PAYMENT_PROVIDERS["stripe"]
