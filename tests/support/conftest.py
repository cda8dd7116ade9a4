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
