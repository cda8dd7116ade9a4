import os

import pytest

# One localstripe per test session (per xdist worker), whichever folders use it.
pytest_plugins = ["tests.localstripe"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# next to one unless told that the tests know what they are doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Cache generations of this test's own: another xdist worker's publish moves nothing here.
    settings.SAMIZDAT_GENERATIONS_DIR = tmp_path / "generations"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def newsroom(db):
    from tests.factories import build_newsroom

    return build_newsroom()
