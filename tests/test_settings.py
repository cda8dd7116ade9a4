"""The one settings module reads its deployment from the environment."""

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "hosts": settings.ALLOWED_HOSTS,
    "debug": settings.DEBUG,
    "secret_is_demo": settings.SECRET_KEY.startswith("samizdat-demo"),
    "stripe": settings.SAMIZDAT_PAYMENT_PROVIDERS["stripe"]["OPTIONS"],
}))
"""


# A fixed Fernet key and Stripe's keys (for these probes only): a public host refuses to start
# without them.
STRIPE_KEYS = {
    "STRIPE_SECRET_KEY": "sk_live_probe",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_probe",
    "STRIPE_WEBHOOK_SECRET": "whsec_probe",
}
KEYS = {"SAMIZDAT_ENCRYPTION_KEYS": "uRbJ0nH3mJ5xXk7wL2pQ9sT4vY6zA8cE1gI3kM5oQ7s=", **STRIPE_KEYS}


def load_settings(**env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL"} and not k.startswith("STRIPE_")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="samizdat.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout)


def test_defaults_are_an_sqlite_file_and_local_memory_cache_on_loopback(tmp_path):
    found = load_settings(SAMIZDAT_DATA_DIR=str(tmp_path))
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["db_name"] == str(tmp_path / "samizdat.sqlite3")
    assert found["cache"].endswith("LocMemCache")
    assert "127.0.0.1" in found["hosts"] and found["debug"] is False


def test_database_url_selects_postgresql_and_redis_url_the_redis_cache():
    found = load_settings(
        DATABASE_URL="postgres://news:pw@db.internal:5432/samizdat",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db_name"] == "samizdat"
    assert found["cache"] == "samizdat.pagecache.backends.ReusingRedisCache"


def test_public_host_without_a_secret_key_refuses_to_start():
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        load_settings(ALLOWED_HOSTS="news.example.org")
    found = load_settings(ALLOWED_HOSTS="news.example.org", SECRET_KEY="x" * 50, **KEYS)
    assert found["hosts"] == ["news.example.org"] and not found["secret_is_demo"]


def test_public_host_without_donor_encryption_keys_refuses_to_start():
    with pytest.raises(RuntimeError, match="SAMIZDAT_ENCRYPTION_KEYS must be set"):
        load_settings(ALLOWED_HOSTS="news.example.org", SECRET_KEY="x" * 50)


def test_public_host_without_stripe_keys_refuses_to_start():
    """The demo's webhook secret is published: with it, anyone could post a forged "payment
    succeeded" to a public site and see it counted in the goal."""
    public = {"ALLOWED_HOSTS": "news.example.org", "SECRET_KEY": "x" * 50, **KEYS}
    without_webhook = {k: v for k, v in public.items() if k != "STRIPE_WEBHOOK_SECRET"}
    with pytest.raises(RuntimeError, match="STRIPE_WEBHOOK_SECRET must be set"):
        load_settings(**without_webhook)
    with pytest.raises(RuntimeError, match="STRIPE_WEBHOOK_SECRET must be set"):
        load_settings(**{**public, "STRIPE_WEBHOOK_SECRET": "whsec_samizdat_demo"})
    without_secret = {k: v for k, v in public.items() if k != "STRIPE_SECRET_KEY"}
    with pytest.raises(RuntimeError, match="STRIPE_SECRET_KEY must be set"):
        load_settings(**without_secret)

    stripe = load_settings(**public)["stripe"]
    assert stripe["webhook_secret"] == "whsec_probe" and stripe["secret_key"] == "sk_live_probe"


def test_loopback_keeps_the_demo_stripe_keys_for_localstripe():
    stripe = load_settings()["stripe"]
    assert stripe["webhook_secret"] == "whsec_samizdat_demo"
    assert stripe["secret_key"] == "sk_test_samizdat_demo"


def test_a_malformed_encryption_key_is_named_without_being_printed():
    secret = "not-a-fernet-key-but-secret"
    with pytest.raises(RuntimeError, match="key 2 is not a Fernet key") as refused:
        load_settings(SAMIZDAT_ENCRYPTION_KEYS=f"{KEYS['SAMIZDAT_ENCRYPTION_KEYS']},{secret}")
    assert secret not in str(refused.value)


def test_the_system_check_finds_nothing_to_warn_about():
    """Every management command prints the check's warnings: a newsroom's terminal must not
    learn to ignore them."""
    from django.core.management import call_command

    # Raises SystemCheckError on any warning.
    call_command("check", fail_level="WARNING")
