"""The admin asks no other host for anything: an editor's browser opening it tells no one
else who works here and when (no Gravatar faces, no fonts or scripts from a CDN, no update
check)."""

from __future__ import annotations

import importlib
import json
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client

from tests.browser.admin import signed_in_client, signed_in_context
from tests.factories import PhotoFactory
from tests.support.factories import (
    AppealFactory,
    CampaignFactory,
    DonationFactory,
    DonationFormFactory,
    RecurringDonationFactory,
)

pytestmark = pytest.mark.browser

AUDIT_TRIGGERS = importlib.import_module("samizdat.support.migrations.0005_privacy_audit_log")


@pytest.fixture
def audited(transactional_db):
    """Opening the donation reports writes the staff-access audit log, which no DELETE may touch
    (PostgreSQL's TRUNCATE may). On SQLite the test's flush deletes: the triggers step aside
    for it and come back."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in AUDIT_TRIGGERS.SQLITE_DOWN:
                cursor.execute(statement)
            cursor.execute(f"DELETE FROM {AUDIT_TRIGGERS.TABLE}")
            for statement in AUDIT_TRIGGERS.SQLITE_UP:
                cursor.execute(statement)


def menu_urls(client: Client) -> list[str]:
    """Every page the admin's menu leads to (the sidebar's items and their submenus)."""
    html = client.get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    found = re.findall(r'"url": "(/admin/[^"]*)"', json.dumps(json.loads(props)))
    return list(dict.fromkeys(found))


def test_no_admin_page_an_editor_opens_asks_another_host(
    browser, live_server, live_newsroom, audited
):
    news = live_newsroom.section("news")
    article = live_newsroom.article(
        "Ferry crews strike",
        authors=[live_newsroom.author("Vera Ostrova")],
        lead_image=PhotoFactory(),
    )
    DonationFormFactory()
    CampaignFactory(goal_minor=1_000_000)
    AppealFactory()
    DonationFactory()
    RecurringDonationFactory()
    client = signed_in_client()
    home = live_newsroom.homes["en"]
    pages = [
        *menu_urls(client),
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{news.pk}/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{news.pk}/edit/",
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/add/newsroom/articlepage/{news.pk}/",
        f"/admin/images/{article.lead_image.pk}/",
        "/admin/account/",
    ]
    for wanted in ("/admin/images/", "/admin/documents/", "/admin/snippets/", "/admin/reports/"):
        assert any(url.startswith(wanted) for url in pages), wanted
    assert any("reader-revenue" in url for url in pages)  # the donation reports
    assert any("/admin/sites/" in url for url in pages)  # the settings

    context = signed_in_context(browser, live_server, client)
    requested: dict[str, list[str]] = {}
    try:
        tab = context.new_page()
        tab.on("request", lambda request: requested.setdefault(tab.url, []).append(request.url))
        own = urlsplit(live_server.url).netloc
        for path in pages:
            response = tab.goto(live_server.url + path)
            assert response.status < 400, (path, response.status)
            # Generous: the page editors load many scripts, slow on a busy CI machine; a page
            # that never stops asking (some host's polling) still fails here.
            tab.wait_for_load_state("networkidle", timeout=60_000)
            assert urlsplit(tab.url).netloc == own, path  # not sent to a login page elsewhere
    finally:
        context.close()

    elsewhere = {
        page: sorted(
            {
                url
                for url in urls
                if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(url).netloc != own
            }
        )
        for page, urls in requested.items()
    }
    assert {page: urls for page, urls in elsewhere.items() if urls} == {}
    assert len(requested) >= len(pages) - 1
