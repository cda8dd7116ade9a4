"""Browser tests: Debian's Chromium, driven by Playwright, reading pages from a live server.

Playwright cannot download its own browsers here, so these tests use /usr/bin/chromium
(`apt-get install chromium`). Without it they are skipped on a developer's machine and fail
under CI, where a skipped browser suite would hide a broken reader page.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path(os.environ.get("SAMIZDAT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Chromium phones home on start; a reader page test must see only the page's own requests.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            # live_server commits to the database, so each test starts from the state the
            # migrations left (root page, locales, groups) and leaves nothing behind.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an asyncio loop marked as running in this thread, and from
    # then on Django hands out a second set of database connections (its connections are
    # context-local under a running loop). The migrated state that serialized_rollback
    # restores before each test lives on the first set, so carry it over.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        with django_db_blocker.unblock():
            # PostgreSQL will not drop the test database while these are open.
            connections.close_all()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context
    # A page's beacons (its view counter, the appeals' counters) may still be on their way to
    # the live server when the test ends: let them land, or their inserts race the flush that
    # follows the test, which PostgreSQL then aborts as a deadlock.
    for page in context.pages:
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def _media_served_from_media_root(settings):
    """Serve /media/ from this test's MEDIA_ROOT.

    samizdat/urls.py passes MEDIA_ROOT to the static view when the URLconf is first imported,
    which is before the autouse fixture gives each test its own folder; point it at ours.
    """
    from django.urls import get_resolver

    patched = []
    for pattern in get_resolver().url_patterns:
        args = getattr(pattern, "default_args", None) or {}
        if "document_root" in args and str(pattern.pattern).startswith("^media/"):
            patched.append((args, args["document_root"]))
            args["document_root"] = settings.MEDIA_ROOT
    yield
    for args, original in patched:
        args["document_root"] = original


@dataclass
class Reader:
    """The live server's address, as a reader's browser sees it."""

    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def live_newsroom(transactional_db, live_server, _media_served_from_media_root):
    """The bilingual test newsroom, published on the live server's host and port."""
    from django.core.cache import caches

    from tests.factories import build_newsroom

    # Renditions cached by earlier tests name files in their own, now-gone media folders.
    for alias in ("default", "renditions"):
        caches[alias].clear()
    newsroom = build_newsroom()
    address = urlsplit(live_server.url)
    newsroom.site.hostname = address.hostname
    newsroom.site.port = address.port
    newsroom.site.save()
    return newsroom


@pytest.fixture
def reader(live_server) -> Reader:
    return Reader(live_server.url)
