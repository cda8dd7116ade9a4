"""Generation numbers: one contract for both places they are kept, and what a bump moves."""

from __future__ import annotations

import time
import uuid

import pytest
from django.core.cache import caches
from django.db import transaction

from samizdat.core import generations
from samizdat.core.generations.backends.cache import CacheCounters
from samizdat.core.generations.backends.file import FileCounters
from tests.pagecache.test_redis_backend import REDIS_URL, require_redis

KEY = "samizdat:generation:test"


@pytest.fixture(params=["cache", "redis", "file"])
def make_counters(request, tmp_path, settings):
    """A maker of counters as one process sees them; two made are two processes."""
    if request.param == "file":
        yield lambda: FileCounters(tmp_path / "generations")
        return
    if request.param == "redis":
        require_redis()
        prefix = f"samizdat-test-{uuid.uuid4().hex}"
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "samizdat.pagecache.backends.ReusingRedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            },
        }
    caches["default"].delete(KEY)
    yield CacheCounters
    caches["default"].delete_many([KEY, "samizdat:test:entry"])


def test_a_counter_reads_the_same_until_it_moves_on(make_counters):
    counters = make_counters()
    first = counters.read(KEY)
    assert counters.read(KEY) == first

    counters.move_on(KEY)

    assert counters.read(KEY) > first


def test_every_process_sees_a_move_at_once(make_counters):
    here, there = make_counters(), make_counters()
    before = here.read(KEY)

    there.move_on(KEY)

    assert here.read(KEY) > before


def test_a_counter_moves_on_every_time_even_with_the_clock_stuck(make_counters, monkeypatch):
    counters = make_counters()
    first = counters.read(KEY)
    monkeypatch.setattr(time, "time_ns", lambda: first)  # two publishes within one tick

    counters.move_on(KEY)
    second = counters.read(KEY)
    counters.move_on(KEY)

    assert first < second < counters.read(KEY)


def test_a_lost_counter_starts_again_above_every_earlier_number(make_counters, tmp_path):
    """An evicted or cleared counter must not bring back entries stored under an old number."""
    counters = make_counters()
    old = counters.read(KEY)
    counters.move_on(KEY)
    counters.move_on(KEY)
    moved = counters.read(KEY)

    caches["default"].delete(KEY)
    (tmp_path / "generations" / KEY.replace(":", "-")).unlink(missing_ok=True)

    assert counters.read(KEY) > moved > old


def test_values_beside_the_counters_come_in_the_same_answer(make_counters):
    caches["default"].set("samizdat:test:entry", "stored", 60)
    found = make_counters().read_many([KEY], also=["samizdat:test:entry", "samizdat:test:none"])

    assert found["samizdat:test:entry"] == "stored"
    assert "samizdat:test:none" not in found
    assert found[KEY] == make_counters().read(KEY)


# What a bump moves (registered the way apps do in their ready()).


@pytest.fixture
def registered():
    generations.register("test-source")
    generations.register("test-copy", depends_on=["test-source"])
    generations.register("test-view", depends_on=["test-copy"], cache_alias="pages")
    generations.register("test-other")
    yield


@pytest.mark.usefixtures("registered")
def test_a_bump_moves_what_depends_on_it_and_nothing_else():
    names = ["test-source", "test-copy", "test-view", "test-other"]
    before = generations.current_many(names)

    generations.bump("test-copy")

    after = generations.current_many(names)
    moved = {name for name in names if after[name] != before[name]}
    assert moved == {"test-copy", "test-view"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("registered")
def test_a_bump_inside_a_transaction_moves_on_again_once_when_it_commits():
    """A request between the bump and the commit reads the old rows: what it stores under the
    new number must not outlive the commit."""
    with transaction.atomic():
        generations.bump("test-source")
        generations.bump("test-source")  # a second row saved in the same transaction
        during = generations.current("test-view")

    after = generations.current("test-view")
    assert after > during
    with transaction.atomic():
        pass
    assert generations.current("test-view") == after


@pytest.mark.usefixtures("registered")
def test_a_snapshot_reads_each_generation_once():
    with generations.snapshot():
        held = generations.current("test-source")
        generations.bump("test-source")
        assert generations.current("test-source") == held
    assert generations.current("test-source") > held


@pytest.mark.usefixtures("registered")
def test_recording_names_the_generations_read():
    with generations.recording() as read:
        generations.current("test-copy")
        generations.current_many(["test-other"])
    generations.current("test-view")

    assert read == {"test-copy", "test-other"}


@pytest.mark.usefixtures("registered")
def test_a_request_reads_the_counters_once_and_sees_its_own_bumps(monkeypatch):
    """A page reads the same generations many times: one read per request, but a change made
    in the request (an editor's publish) is seen at once, and another process's in the next."""
    backend = generations.get_backend()
    reads = []
    read_many = backend.read_many

    def counted(keys, **kwargs):
        reads.append(list(keys))
        return read_many(keys, **kwargs)

    monkeypatch.setattr(backend, "read_many", counted)
    generations.open_request()
    try:
        first = generations.current("test-source")
        assert generations.current_many(["test-copy", "test-other"])["test-copy"]
        assert generations.current("test-source") == first
        assert len(reads) == 1  # every counter of that cache, in one round trip

        generations.bump("test-source")
        assert generations.current("test-source") > first
        moved = generations.current("test-source")

        backend.move_on("samizdat:generation:test-source")  # another process publishes
        assert generations.current("test-source") == moved
    finally:
        generations.close_request()
    assert generations.current("test-source") > moved
