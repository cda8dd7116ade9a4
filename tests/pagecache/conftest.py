import pytest
from django.core.cache import cache, caches


@pytest.fixture(autouse=True)
def no_cached_pages():
    """Each test starts without pages cached by another test."""
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()
