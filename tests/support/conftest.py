import pytest
from django.core.cache import cache


@pytest.fixture
def fresh_cache():
    """Appeals, the goal, cached settings and rate-limit counters live in the cache: a test that
    asks for this starts and ends without them."""
    cache.clear()
    yield
    cache.clear()
