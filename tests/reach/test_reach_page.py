"""The "How to reach us" page: in every language, edited in the admin, listing the current
mirrors, the onion address, the newsletter, the feeds and other ways in; linked from every
page's footer."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from samizdat.demo import content
from samizdat.demo.loader import DemoLoader
from samizdat.reach.models import ReachPage
from tests.factories import publish

ONION = "lanternnewsxyzabcdefghijklmnopqrstuvwxyz234567abcdefghij.onion"
MIRRORS = [
    ("https://lantern-mirror.example.net/", "Updated every hour"),
    ("https://fonar.example.org/", ""),
]


@pytest.fixture
def reach(newsroom, settings) -> dict[str, ReachPage]:
    """The page in English and its Russian translation."""
    settings.SAMIZDAT_ONION_HOST = ONION
    english = ReachPage(
        title="How to reach us",
        slug="how-to-reach-us",
        intro="<p>If the site will not open, it has been blocked.</p>",
        mirrors=[("mirror", {"url": url, "note": note}) for url, note in MIRRORS],
        onion_text="<p>Get Tor Browser from the Tor Project.</p>",
        other_ways="<p>Write to <b>mirrors@lantern.example</b> for new addresses.</p>",
    )
    newsroom.homes["en"].add_child(instance=english)
    publish(english)
    russian = english.copy_for_translation(newsroom.locale("ru"))
    russian.title = "Как нас читать"
    russian.other_ways = "<p>Пишите на <b>mirrors@lantern.example</b>.</p>"
    publish(russian)
    return {"en": english, "ru": russian}


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-chief-1")
    client.force_login(user)
    return client


def read(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def test_the_page_lists_mirrors_onion_newsletter_feeds_and_other_ways(client, reach):
    page = read(client, "/en/how-to-reach-us/")
    main = page.select_one("main")

    assert main.h1.get_text() == "How to reach us"
    mirrors = [(a["href"], a.parent.get_text()) for a in main.select(".reach__mirrors a")]
    assert [href for href, _text in mirrors] == [url for url, _note in MIRRORS]
    assert "Updated every hour" in mirrors[0][1]
    onion = main.select_one("a.reach__onion")
    assert onion["href"] == onion.get_text() == f"http://{ONION}/en/"
    assert "Get Tor Browser" in main.get_text()
    assert main.find("a", string="Sign up for the newsletter")["href"] == "/en/newsletter/"
    feeds = {a["href"] for a in main.select("#reach-feeds ~ ul a")}
    assert {"/en/feed/rss/", "/en/feed/atom/"} <= feeds
    assert "mirrors@lantern.example" in main.get_text()


def test_the_page_is_there_in_every_language(client, reach):
    page = read(client, "/ru/how-to-reach-us/")
    main = page.select_one("main")
    assert page.html["lang"] == "ru"
    assert main.h1.get_text() == "Как нас читать"
    assert main.select_one("a.reach__onion")["href"] == f"http://{ONION}/ru/"
    assert main.find("a", href="/ru/newsletter/")
    assert main.find("a", href="/ru/feed/rss/")
    assert "Пишите на" in main.get_text()
    switcher = {a["hreflang"] for a in page.select("link[rel=alternate][hreflang]")}
    assert {"en", "ru"} <= switcher


def test_without_an_onion_host_the_page_does_not_mention_one(client, reach, settings):
    settings.SAMIZDAT_ONION_HOST = ""
    page = read(client, "/en/how-to-reach-us/")
    assert page.select_one("a.reach__onion") is None
    assert "Onion address" not in page.get_text()


def test_every_page_footer_links_to_it_in_the_readers_language(client, newsroom, reach):
    newsroom.article("Ferry crews strike")
    for url, expected in [
        ("/en/", "/en/how-to-reach-us/"),
        ("/en/news/ferry-crews-strike/", "/en/how-to-reach-us/"),
        ("/ru/", "/ru/how-to-reach-us/"),
        ("/en/support/", "/en/how-to-reach-us/"),
    ]:
        footer = read(client, url).select_one("footer")
        assert footer.find("a", href=expected), url


def test_no_footer_link_while_there_is_no_page(client, newsroom):
    footer = read(client, "/en/").select_one("footer")
    assert "How to reach us" not in footer.get_text()


def test_it_goes_under_a_home_page_once_and_nowhere_else(newsroom, reach):
    assert not ReachPage.can_create_at(newsroom.homes["en"])  # already has one
    assert not ReachPage.can_create_at(newsroom.section("news"))
    reach["en"].delete()
    assert ReachPage.can_create_at(newsroom.homes["en"])


def test_editors_write_it_in_the_admin(newsroom, editor_client, settings):
    home = newsroom.homes["en"]
    url = f"/admin/pages/add/reach/reachpage/{home.pk}/"
    form = editor_client.get(url).content.decode()
    for field in ("title", "intro", "mirrors", "onion_text", "other_ways"):
        assert f'data-contentpath="{field}"' in form, field

    data = nested_form_data(
        {
            "title": "How to reach us",
            "slug": "reach-us",
            "intro": rich_text("<p>Blocked? Read on.</p>"),
            "mirrors": streamfield(
                [("mirror", {"url": "https://new-mirror.example.net/", "note": "New today"})]
            ),
            "onion_text": rich_text(""),
            "other_ways": rich_text("<p>Ask us by e-mail.</p>"),
            "action-publish": "publish",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = ReachPage.objects.get(slug="reach-us")
    assert page.live
    assert [block.value["url"] for block in page.mirrors] == ["https://new-mirror.example.net/"]
    assert "new-mirror.example.net" in editor_client.get("/en/reach-us/").content.decode()


def test_the_demo_step_writes_it_in_english_and_russian_once(newsroom, settings):
    loader = DemoLoader(content)
    loader.load_staff()
    loader.load_locales()
    loader.homes = dict(newsroom.homes)

    loader.load_reach_page()
    loader.load_reach_page()

    pages = {page.locale.language_code: page for page in ReachPage.objects.live()}
    assert sorted(pages) == ["en", "ru"]
    assert pages["ru"].translation_key == pages["en"].translation_key
    assert pages["ru"].title == "Как нас читать"
    assert "заблокировали" in pages["ru"].intro
    assert len(pages["en"].mirrors) == len(pages["ru"].mirrors) >= 2
    for block in pages["en"].mirrors:
        assert block.value["url"].split("/")[2].endswith((".example.net", ".example.org"))
    assert loader.report.created["reach pages"] == 2
