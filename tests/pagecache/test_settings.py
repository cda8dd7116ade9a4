"""The page cache and the CDN purge are configured from the environment."""

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

import samizdat.settings

OURS = ("REDIS_URL", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ZONE_ID", "SAMIZDAT_FRONTEND_CACHE_URL")


@pytest.fixture
def load_settings(monkeypatch):
    """The settings module run afresh under the given environment (the live settings stay)."""

    def load(**env: str) -> dict:
        for name in (
            *OURS,
            "SAMIZDAT_PAGE_CACHE",
            "SAMIZDAT_PAGE_CACHE_SECONDS",
            "SAMIZDAT_FRONT_CACHE_SECONDS",
        ):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(samizdat.settings.__file__)

    return load


def test_pages_are_cached_in_memory_by_default_and_in_redis_with_redis_url(load_settings):
    default = load_settings()
    assert default["CACHES"]["pages"]["BACKEND"].endswith("LocMemCache")
    assert default["SAMIZDAT_PAGE_CACHE"] is True
    assert default["SAMIZDAT_PAGE_CACHE_SECONDS"] == 300
    assert default["WAGTAILFRONTENDCACHE"] == {}
    assert default["SAMIZDAT_FRONT_CACHE_SECONDS"] == 10

    redis = load_settings(
        REDIS_URL="redis://127.0.0.1:6379/0",
        SAMIZDAT_PAGE_CACHE="0",
        SAMIZDAT_FRONT_CACHE_SECONDS="0",
    )
    assert redis["CACHES"]["pages"]["BACKEND"].endswith("RedisCache")
    assert redis["SAMIZDAT_PAGE_CACHE"] is False
    assert redis["SAMIZDAT_FRONT_CACHE_SECONDS"] == 0


def test_a_purging_proxy_or_cloudflare_in_front(load_settings):
    proxy = load_settings(SAMIZDAT_FRONTEND_CACHE_URL="http://127.0.0.1:6081")
    assert proxy["WAGTAILFRONTENDCACHE"] == {
        "purge": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:6081",
        }
    }
    cloudflare = load_settings(CLOUDFLARE_API_TOKEN="token", CLOUDFLARE_ZONE_ID="zone")
    assert cloudflare["WAGTAILFRONTENDCACHE"]["cloudflare"]["ZONEID"] == "zone"
    with pytest.raises(ImproperlyConfigured, match="CLOUDFLARE_ZONE_ID"):
        load_settings(CLOUDFLARE_API_TOKEN="token")
