"""The page cache and the CDN purge are configured from the environment."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import samizdat.settings

OURS = ("REDIS_URL", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ZONE_ID", "SAMIZDAT_FRONTEND_CACHE_URL")
PAGE_CACHE = (
    "SAMIZDAT_PAGE_CACHE",
    "SAMIZDAT_PAGE_CACHE_SECONDS",
    "SAMIZDAT_PAGE_MAX_AGE",
    "SAMIZDAT_PAGE_SHARED_MAX_AGE",
    "SAMIZDAT_FRONT_CACHE_SECONDS",
)
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def load_settings(monkeypatch):
    """The settings module run afresh under the given environment (the live settings stay)."""

    def load(**env: str) -> dict:
        for name in (*OURS, *PAGE_CACHE):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(samizdat.settings.__file__)

    return load


def readme_row(name: str) -> str:
    """The row of the README's table of variables that documents `name`."""
    rows = [
        line
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and f"`{name}`" in line.split(" | ")[0]
    ]
    assert len(rows) == 1, name
    return rows[0]


def test_pages_are_cached_in_memory_by_default_and_in_redis_with_redis_url(load_settings):
    default = load_settings()
    assert default["CACHES"]["pages"]["BACKEND"].endswith("LocMemCache")
    assert default["SAMIZDAT_PAGE_CACHE"] is True
    assert default["WAGTAILFRONTENDCACHE"] == {}

    redis = load_settings(REDIS_URL="redis://127.0.0.1:6379/0")
    assert redis["CACHES"]["pages"]["BACKEND"].endswith("RedisCache")
    assert redis["SAMIZDAT_PAGE_CACHE"] is True


@pytest.mark.parametrize(
    ("name", "default"),
    [
        ("SAMIZDAT_PAGE_CACHE_SECONDS", 300),
        ("SAMIZDAT_PAGE_MAX_AGE", 0),
        ("SAMIZDAT_PAGE_SHARED_MAX_AGE", 60),
        ("SAMIZDAT_FRONT_CACHE_SECONDS", 10),
    ],
)
def test_each_default_is_the_one_the_readme_promises(load_settings, name, default):
    assert f"default {default}" in readme_row(name)
    assert load_settings()[name] == default


@pytest.mark.parametrize(
    ("name", "value", "meaning"),
    [
        ("SAMIZDAT_PAGE_CACHE", "0", False),
        ("SAMIZDAT_PAGE_CACHE_SECONDS", "45", 45),
        ("SAMIZDAT_PAGE_MAX_AGE", "7", 7),
        ("SAMIZDAT_PAGE_SHARED_MAX_AGE", "600", 600),
        ("SAMIZDAT_FRONT_CACHE_SECONDS", "0", 0),
    ],
)
def test_each_page_cache_setting_follows_its_variable(load_settings, name, value, meaning):
    assert load_settings()[name] != meaning
    assert load_settings(**{name: value})[name] == meaning
    # With Redis too: the variable, not the cache's backend, decides.
    assert load_settings(REDIS_URL="redis://127.0.0.1:6379/0", **{name: value})[name] == meaning


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
