"""The `pages` cache on Redis, as production runs it (REDIS_URL): Redis on 127.0.0.1:6379, as in
CI and the bench; the keys live under a prefix of their own and are deleted afterwards."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from django.core.cache import caches

REDIS_URL = os.environ.get("SAMIZDAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def require_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        # As the browser tests do without Chromium: skipped on a laptop, a failure in CI.
        missing = f"Redis is not answering at {REDIS_URL}: start redis-server"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)


@pytest.fixture
def pages_on_redis(settings):
    require_redis()
    prefix = f"samizdat-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "samizdat.pagecache.backends.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    yield caches["pages"]
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def test_pages_are_served_from_redis(client, newsroom, pages_on_redis):
    story = newsroom.article("Ferry strike ends")
    first = client.get(story.url)
    second = client.get(story.url)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content and b"Ferry strike ends" in second.content

    story.title = "Ferry strike ends after 40 days"
    story.save_revision().publish()
    assert b"after 40 days" in client.get(story.url).content


def test_one_redis_client_serves_every_command(pages_on_redis):
    backend = pages_on_redis._cache
    assert backend.get_client() is backend.get_client(write=True)
    pages_on_redis.set("a", 1)
    assert pages_on_redis.get_many(["a", "b"]) == {"a": 1}


def test_a_counter_moves_on_in_one_round_trip_and_a_missing_one_is_not_made(
    pages_on_redis, monkeypatch
):
    """A generation moves on with every gift a webhook records: Django's incr asks twice."""
    pages_on_redis.set("counter", 40)
    pages_on_redis.incr("counter")  # the first ever may load the script into Redis first
    client = pages_on_redis._cache.get_client(write=True)
    sent = []
    send = client.execute_command
    monkeypatch.setattr(
        client, "execute_command", lambda *args, **kw: sent.append(args[0]) or send(*args, **kw)
    )

    assert pages_on_redis.incr("counter") == 42
    assert pages_on_redis.incr("counter", 8) == 50

    assert len(sent) == 2, sent
    assert pages_on_redis.get("counter") == 50
    with pytest.raises(ValueError):
        pages_on_redis.incr("never-set")
    assert pages_on_redis.get("never-set") is None
