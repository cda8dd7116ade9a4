import os

import pytest
from django.utils import translation

# One localstripe, one loopback Esplora and one Monero regtest chain per test session (per
# xdist worker, started only for the tests that ask), whichever folders use them.
pytest_plugins = ["tests.localstripe", "tests.esplora", "tests.monero"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# next to one unless told that the tests know what they are doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    # A test that commits (transaction=True) ends by emptying every table. After one that also
    # restores the migrated rows (serialized_rollback: the browser tests), Django leaves even
    # the content types out, counting on the next test to restore them too: so every test that
    # commits does, whichever ran before it on its worker.
    # (A test with the live server commits too, marked or not.)
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        commits = kwargs.get("transaction") or "live_server" in getattr(item, "fixturenames", ())
        if commits and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            args = marker.args if marker is not None else ()
            item.add_marker(pytest.mark.django_db(*args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request to /ru/… through the test client
    leaves Russian active in the test's thread (LocaleMiddleware activates it and nothing
    deactivates it), and the next test on that worker would reverse URLs and format money in
    Russian."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Cache generations of this test's own: another xdist worker's publish moves nothing here.
    settings.SAMIZDAT_GENERATIONS_DIR = tmp_path / "generations"
    # Rate-limit counts of this test's own, when they are kept in a file (no Redis).
    if settings.SAMIZDAT_RATE_LIMIT_STORE:
        settings.SAMIZDAT_RATE_LIMIT_STORE = tmp_path / "ratelimit.sqlite3"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def newsroom(db):
    from tests.factories import build_newsroom

    return build_newsroom()
