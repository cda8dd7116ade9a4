"""Published pages as files for nginx (samizdat/reach/pagefiles.py): a publish writes the pages
it touches, once the change is committed; an unpublish takes the page's file away; a gift
writes none."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.cache import caches

from samizdat.reach import pagefiles
from samizdat.support.models import Appeal
from tests.reach.test_mirror import ORIGIN_HOST, gazette  # noqa: F401 (a fixture)
from tests.support.factories import AppealFactory, CampaignFactory, DonationFactory


@pytest.fixture
def page_files(gazette, settings, tmp_path):  # noqa: F811
    """Page files on (once the newsroom is built), into a folder of this test's; yields the
    site's folder."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ORIGIN_HOST]
    settings.SAMIZDAT_PAGE_FILES = True
    settings.SAMIZDAT_PAGE_FILES_DIR = tmp_path / "pages"
    for name in ("default", "renditions", "pages"):
        caches[name].clear()
    yield tmp_path / "pages" / ORIGIN_HOST
    for name in ("default", "renditions", "pages"):
        caches[name].clear()


def files(folder: Path) -> dict[str, int]:
    """Every file written, with when it was written."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }


def as_read(client, path: str) -> bytes:
    response = client.get(path, HTTP_HOST=ORIGIN_HOST)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_publish_writes_the_pages_it_touches_as_readers_get_them(
    gazette,  # noqa: F811
    page_files,
    newsroom,
    client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        story = newsroom.article("Bridge reopens", section="culture", tags=["music"], slug="bridge")
    written = files(page_files)
    for name in (
        "en/culture/bridge/index.html",
        "en/culture/index.html",
        "en/index.html",
        "en/tags/music/index.html",
        "en/feed/rss/index.rss",
        "en/culture/feed/atom/index.atom",
        "sitemap.xml",
        "sitemap-news.xml",
        "robots.txt",
    ):
        assert name in written, name
    assert "en/culture/bridge/index.html.gz" in written
    page = (page_files / "en/culture/bridge/index.html").read_bytes()
    assert page == as_read(client, story.url)
    assert gzip.decompress((page_files / "en/culture/bridge/index.html.gz").read_bytes()) == page
    assert b"Bridge reopens" in (page_files / "en/culture/index.html").read_bytes()
    assert (page_files / "en/feed/rss/index.rss").read_bytes() == as_read(client, "/en/feed/rss/")
    assert (page_files / "sitemap.xml").read_bytes() == as_read(client, "/sitemap.xml")

    # Publishing it again with a new headline rewrites what shows it, not the other edition.
    story.title = "Bridge reopens at last"
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    after = files(page_files)
    changed = {name for name in after if after[name] != written.get(name)}
    assert {"en/culture/bridge/index.html", "en/culture/index.html", "en/index.html"} <= changed
    assert not any(name.startswith("ru/") for name in changed), changed
    assert b"Bridge reopens at last" in (page_files / "en/index.html").read_bytes()


def test_nothing_is_written_before_the_change_is_committed(
    gazette,  # noqa: F811
    page_files,
    newsroom,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        newsroom.article("Bridge reopens", section="culture", slug="bridge")
        assert not (page_files / "en/culture/bridge/index.html").exists()
    for callback in callbacks:
        callback()
    assert (page_files / "en/culture/bridge/index.html").exists()


def test_an_unpublished_story_leaves_the_folder(
    gazette,  # noqa: F811
    page_files,
    django_capture_on_commit_callbacks,
):
    port = gazette["port"]
    with django_capture_on_commit_callbacks(execute=True):
        port.save_revision().publish()
    page = page_files / "en/news" / port.slug / "index.html"
    assert page.exists() and page.with_name("index.html.gz").exists()

    with django_capture_on_commit_callbacks(execute=True):
        port.unpublish()

    assert not page.exists()
    assert not page.with_name("index.html.gz").exists()
    assert port.title.encode() not in (page_files / "en/news/index.html").read_bytes()


def test_a_gift_rewrites_no_page(
    gazette,  # noqa: F811
    page_files,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    with django_capture_on_commit_callbacks(execute=True):
        CampaignFactory()  # pages show the goal (in a frame of its own)
        gazette["port"].save_revision().publish()
    before = files(page_files)
    assert before

    builds = []
    monkeypatch.setattr(pagefiles.PageFilesBuilder, "build", lambda self: builds.append(self))
    with django_capture_on_commit_callbacks(execute=True):
        DonationFactory(status="paid")

    assert files(page_files) == before
    assert builds == []  # not even a look at what changed


def test_an_appeal_change_rewrites_the_pages_that_show_it_and_no_feed_or_sitemap(
    gazette,  # noqa: F811
    page_files,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = AppealFactory(kind=Appeal.Kind.BANNER, variants=[{"headline": "Keep us going"}])
    story = page_files / "en/news/ferry-strike/index.html"
    assert b"Keep us going" in story.read_bytes()
    before = files(page_files)

    variant = appeal.variants.get()
    variant.headline = "Winter is coming: help us"
    with django_capture_on_commit_callbacks(execute=True):
        variant.save()

    assert b"Winter is coming: help us" in story.read_bytes()
    after = files(page_files)
    changed = {name for name in after if after[name] != before.get(name)}
    assert "en/news/ferry-strike/index.html" in changed
    feeds_and_sitemaps = (".rss", ".atom", ".xml", ".txt")
    assert not {name for name in changed if name.removesuffix(".gz").endswith(feeds_and_sitemaps)}


def test_a_moved_story_changes_folder_and_a_deleted_one_leaves_it(
    gazette,  # noqa: F811
    page_files,
    newsroom,
    django_capture_on_commit_callbacks,
):
    port, choir = gazette["port"], gazette["choir"]
    with django_capture_on_commit_callbacks(execute=True):
        port.save_revision().publish()
    old_place = page_files / "en/news" / port.slug / "index.html"
    assert old_place.exists()

    culture = choir.get_parent()
    with django_capture_on_commit_callbacks(execute=True):
        port.move(culture, pos="last-child")
    assert not old_place.exists()
    assert (page_files / "en/culture" / port.slug / "index.html").exists()
    assert port.title.encode() in (page_files / "en/culture/index.html").read_bytes()
    assert port.title.encode() not in (page_files / "en/news/index.html").read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        choir.delete()
    assert not (page_files / "en/culture" / choir.slug).exists()
    assert choir.title.encode() not in (page_files / "en/culture/index.html").read_bytes()
