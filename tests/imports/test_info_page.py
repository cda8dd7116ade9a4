"""The plain page that an export's pages (About, Contact…) become."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from wagtail.models import Page

from samizdat.newsroom.models import InfoPage
from samizdat.reach.mirror import MirrorOptions, build_mirror
from tests.factories import publish


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def about(newsroom):
    page = InfoPage(
        title="About the Gazette",
        slug="about",
        standfirst="Who we are and how we work.",
        body=[("paragraph", "<p>We are a small newsroom of quaymasters and ferry clerks.</p>")],
    )
    newsroom.homes["en"].add_child(instance=page)
    return publish(page)


def test_an_info_page_is_shown_to_readers_with_its_body(about, client):
    response = client.get("/en/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "About the Gazette" in html
    assert "Who we are and how we work." in html
    assert "quaymasters and ferry clerks" in html


def test_an_info_page_is_in_the_sitemap(about, client):
    response = client.get("/sitemap.xml")
    assert "http://localhost/en/about/" in b"".join(response.streaming_content).decode()


def test_an_info_page_is_found_by_the_sites_search_index(about):
    found = list(Page.objects.live().search("quaymasters"))
    assert [page.pk for page in found] == [about.pk]


def test_an_info_page_is_on_the_static_mirror(about, tmp_path, settings):
    out = tmp_path / "mirror"
    build_mirror(MirrorOptions(base_url="https://mirror.example/", out=out, forms=False))
    copy = (out / "en" / "about" / "index.html").read_text()
    assert "quaymasters and ferry clerks" in copy


def test_editors_may_add_an_info_page_under_a_home_page_only(newsroom):
    assert InfoPage in newsroom.homes["en"].specific_class.creatable_subpage_models()
    assert InfoPage.can_create_at(newsroom.homes["en"])
    assert not InfoPage.can_create_at(newsroom.section("news"))
