import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Most-read lists, the structure cache and rate-limit counters live in the cache: each test
    starts and ends without them."""
    cache.clear()
    yield
    cache.clear()
