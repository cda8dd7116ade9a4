import pytest
from django.core.cache import cache

from samizdat.payments import registry


@pytest.fixture
def fresh_cache():
    """Appeals, the goal, cached settings and rate-limit counters live in the cache: a test that
    asks for this starts and ends without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def provider(settings):
    """The recording fake provider (fake_provider.py) as the only payment provider."""
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        "fake": {"CLASS": "tests.support.fake_provider.RecordingProvider"}
    }
    registry.reset()
    yield registry.get_provider("fake")
    registry.reset()


@pytest.fixture
def fakecoin(settings):
    """A chain in memory (fake_chain.py) beside the configured providers, a USD form, and a
    rate of $200.00 a coin: a $25 gift is 0.125 FKC."""
    from samizdat.support.models import ExchangeRate
    from tests.support.factories import DonationFormFactory

    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        **settings.SAMIZDAT_PAYMENT_PROVIDERS,
        "fakecoin": {"CLASS": "tests.support.fake_chain.FakeChain"},
    }
    registry.reset()
    DonationFormFactory(currency="usd", minimum_minor=200)
    ExchangeRate.objects.create(coin="fkc", currency="usd", minor_per_coin=20_000)
    yield registry.get_provider("fakecoin")
    registry.reset()


@pytest.fixture
def stripe_only(settings):
    """Stripe, as settings.py configures it, and no other provider."""
    from tests.support import fake_coins

    fake_coins.configure(settings, stripe=fake_coins.stripe(settings))
    yield
    registry.reset()


@pytest.fixture
def coins(settings):
    """Stripe, then Monero and Bitcoin (fake address providers), as settings.py orders them."""
    from tests.support import fake_coins

    fake_coins.configure(
        settings,
        stripe=fake_coins.stripe(settings),
        monero=fake_coins.MONERO,
        bitcoin=fake_coins.BITCOIN,
    )
    yield
    registry.reset()
