"""Full-text RSS and Atom feeds: what a feed reader receives."""

from __future__ import annotations

import datetime

import defusedxml.ElementTree as ET
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from samizdat.newsroom.feeds import FEED_LENGTH, ArticleFeed, absolutize_urls, xml_safe
from tests.factories import PhotoFactory, paragraph

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def feed_url(page, kind: str = "rss") -> str:
    return page.url + f"feed/{kind}/"


def fetch(client, page, kind: str = "rss"):
    response = client.get(feed_url(page, kind))
    assert response.status_code == 200
    return ET.fromstring(response.content)


def rss_items(client, page) -> list:
    return fetch(client, page, "rss").findall("channel/item")


def atom_entries(client, page) -> list:
    return fetch(client, page, "atom").findall("atom:entry", NS)


def content_of(item) -> BeautifulSoup:
    return BeautifulSoup(item.findtext("content:encoded", namespaces=NS), "html.parser")


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def full_story(newsroom):
    """An article using every kind of body block, with a lead photo, byline and tags."""
    photo = PhotoFactory(caption="The ferry at dawn.", photographer="Lena Sorvik", agency="Lantern")
    inline = PhotoFactory(
        caption="The harbour master's ledger.", photographer="Ida Test", agency=""
    )
    authors = [newsroom.author("Anna Kovar"), newsroom.author("Pavel Renn")]
    background = newsroom.article("Background story", section="investigations")
    body = [
        paragraph(f'Ledgers seen by us, <a linktype="page" id="{background.pk}">as reported</a>.'),
        ("subhead", "Who paid"),
        ("quote", {"text": "Everyone knew.", "attribution": "A dock worker"}),
        ("image", {"image": inline, "caption": ""}),
        (
            "embed",
            {
                "url": "https://video.example.org/watch/1",
                "title": "The port at night",
                "source": "Video",
                "description": "Footage from the north pier.",
            },
        ),
        paragraph("The closing paragraph."),
    ]
    return newsroom.article(
        "Port bribes exposed",
        standfirst="Ledgers show who paid & how much.",
        authors=authors,
        tags=["ports", "corruption"],
        lead_image=photo,
        body=body,
    )


def test_rss_feed_carries_full_text_of_each_article(newsroom, client, full_story):
    (item,) = [
        i
        for i in rss_items(client, newsroom.homes["en"])
        if i.findtext("title") == ("Port bribes exposed")
    ]
    assert item.findtext("description") == "Ledgers show who paid &amp; how much."
    content = content_of(item)
    text = content.get_text()
    assert "Ledgers seen by us" in text
    assert content.find("h2").get_text() == "Who paid"
    assert content.select_one(".pullquote blockquote").get_text() == "Everyone knew."
    assert "A dock worker" in content.select_one(".pullquote figcaption").get_text()
    inline = content.select_one(".inline-image")
    assert "The harbour master's ledger." in inline.figcaption.get_text()
    assert "Ida Test" in inline.figcaption.get_text()
    card = content.select_one(".link-card a")
    assert card["href"] == "https://video.example.org/watch/1"
    assert "The port at night" in card.get_text()
    assert "The closing paragraph." in text


def test_atom_feed_carries_full_text_with_standfirst_as_summary(newsroom, client, full_story):
    entry = next(
        e
        for e in atom_entries(client, newsroom.homes["en"])
        if e.findtext("atom:title", namespaces=NS) == "Port bribes exposed"
    )
    summary = entry.find("atom:summary", NS)
    assert summary.get("type") == "html"
    assert summary.text == "Ledgers show who paid &amp; how much."
    content = entry.find("atom:content", NS)
    assert content.get("type") == "html"
    body = BeautifulSoup(content.text, "html.parser")
    assert body.find("h2").get_text() == "Who paid"
    assert "The closing paragraph." in body.get_text()


def test_lead_photo_is_an_enclosure_and_opens_the_story(newsroom, client, full_story):
    item = rss_items(client, newsroom.homes["en"])[0]
    enclosure = item.find("enclosure")
    rendition = full_story.lead_image.get_rendition("width-960|format-jpeg")
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("url") == "http://localhost" + rendition.url
    assert int(enclosure.get("length")) == rendition.file.size > 0
    assert rendition.width == 960

    lead = content_of(item).find("figure")
    assert lead.img["src"] == enclosure.get("url")
    assert lead.img["alt"] == full_story.lead_image.description
    assert "The ferry at dawn." in lead.figcaption.get_text()
    assert "Lena Sorvik / Lantern" in lead.figcaption.get_text()


def test_feed_items_carry_byline_tags_guid_and_dates(newsroom, client, full_story):
    item = rss_items(client, newsroom.homes["en"])[0]
    assert [c.text for c in item.findall("dc:creator", NS)] == ["Anna Kovar", "Pavel Renn"]
    assert sorted(c.text for c in item.findall("category")) == ["corruption", "ports"]
    assert item.findtext("link") == full_story.full_url
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert (
        guid.text
        == f"tag:localhost,{full_story.first_published_at:%Y-%m-%d}:article/{full_story.pk}"
    )
    published = datetime.datetime.strptime(item.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z")
    assert abs(published - full_story.first_published_at) < datetime.timedelta(seconds=1)

    entry = atom_entries(client, newsroom.homes["en"])[0]
    assert entry.findtext("atom:id", namespaces=NS) == guid.text
    authors = entry.findall("atom:author", NS)
    assert [a.findtext("atom:name", namespaces=NS) for a in authors] == ["Anna Kovar", "Pavel Renn"]
    assert authors[0].findtext("atom:uri", namespaces=NS).startswith("http://localhost/en/authors/")
    assert {c.get("term") for c in entry.findall("atom:category", NS)} == {"ports", "corruption"}


def test_atom_updated_is_the_editorial_update_when_there_is_one(newsroom, client):
    newsroom.article("Unchanged", published_at=hours_ago(5))
    corrected = newsroom.article("Corrected", published_at=hours_ago(10), updated_at=hours_ago(1))
    entries = {
        e.findtext("atom:title", namespaces=NS): e
        for e in atom_entries(client, newsroom.homes["en"])
    }
    updated = datetime.datetime.fromisoformat(
        entries["Corrected"].findtext("atom:updated", namespaces=NS)
    )
    published = datetime.datetime.fromisoformat(
        entries["Corrected"].findtext("atom:published", namespaces=NS)
    )
    assert updated == corrected.updated_at
    assert published < updated
    unchanged = entries["Unchanged"]
    assert unchanged.findtext("atom:updated", namespaces=NS) == unchanged.findtext(
        "atom:published", namespaces=NS
    )


def test_home_feed_is_titled_with_the_newsroom_name(newsroom, client):
    newsroom.article("A story")
    channel = fetch(client, newsroom.homes["en"]).find("channel")
    assert channel.findtext("title") == "The Test Gazette"
    assert channel.findtext("link") == newsroom.homes["en"].full_url
    assert channel.findtext("description") == "News you can test"


def test_section_feed_lists_only_that_sections_articles(newsroom, client):
    newsroom.article("A news story", section="news")
    newsroom.article("A culture story", section="culture")
    culture = newsroom.section("culture")

    channel = fetch(client, culture).find("channel")
    assert channel.findtext("title") == "Culture — The Test Gazette"
    assert channel.findtext("description") == "All culture"
    assert [i.findtext("title") for i in channel.findall("item")] == ["A culture story"]

    atom = fetch(client, culture, "atom")
    assert atom.findtext("atom:title", namespaces=NS) == "Culture — The Test Gazette"
    assert [e.findtext("atom:title", namespaces=NS) for e in atom.findall("atom:entry", NS)] == [
        "A culture story"
    ]


def test_russian_feed_is_in_russian_and_lists_only_russian_articles(newsroom, client):
    english = newsroom.article("Bridge closed")
    newsroom.article("Мост закрыт", language="ru", translation_of=english)
    newsroom.article("Только по-русски", language="ru")

    rss = fetch(client, newsroom.homes["ru"])
    assert rss.findtext("channel/language") == "ru"
    assert rss.findtext("channel/title") == "The Test Gazette (ru)"
    titles = [i.findtext("title") for i in rss.findall("channel/item")]
    assert sorted(titles) == ["Мост закрыт", "Только по-русски"]
    assert all(
        i.findtext("link").startswith("http://localhost/ru/") for i in rss.findall("channel/item")
    )

    atom = fetch(client, newsroom.section("news", "ru"), "atom")
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert atom.findtext("atom:title", namespaces=NS) == "News (ru) — The Test Gazette (ru)"


def test_russian_feed_names_authors_in_russian(newsroom, client):
    anna = newsroom.author("Anna Kovar")
    russian = newsroom.locale("ru")
    newsroom.author_indexes["en"].copy_for_translation(russian).save_revision().publish()
    anna_ru = anna.copy_for_translation(russian)
    anna_ru.title = "Анна Ковар"
    anna_ru.save_revision().publish()
    english = newsroom.article("Bridge closed", authors=[anna])
    newsroom.article("Мост закрыт", language="ru", translation_of=english)

    (item,) = rss_items(client, newsroom.homes["ru"])
    assert [c.text for c in item.findall("dc:creator", NS)] == ["Анна Ковар"]


def test_feed_links_are_absolute(newsroom, client, full_story):
    for kind in ("rss", "atom"):
        response = client.get(feed_url(newsroom.homes["en"], kind))
        document = ET.fromstring(response.content)
        if kind == "rss":
            items = document.findall("channel/item")
            links = [i.findtext("link") for i in items]
            links += [
                i.find("enclosure").get("url") for i in items if i.find("enclosure") is not None
            ]
            contents = [i.findtext("content:encoded", namespaces=NS) for i in items]
        else:
            entries = document.findall("atom:entry", NS)
            links = [link.get("href") for e in entries for link in e.findall("atom:link", NS)]
            contents = [e.findtext("atom:content", namespaces=NS) for e in entries]
        assert links and all(link.startswith(("http://", "https://")) for link in links)
        html = BeautifulSoup("".join(contents), "html.parser")
        urls = [tag["href"] for tag in html.find_all(href=True)]
        urls += [tag["src"] for tag in html.find_all(src=True)]
        urls += [
            candidate.split()[0]
            for tag in html.find_all(srcset=True)
            for candidate in tag["srcset"].split(",")
        ]
        assert len(urls) > 5
        assert all(url.startswith(("http://", "https://")) for url in urls), urls

    story = content_of(rss_items(client, newsroom.homes["en"])[0])
    internal = story.find("a", string="as reported")
    assert internal["href"] == "http://localhost/en/investigations/background-story/"


def test_drafts_and_scheduled_articles_are_not_in_feeds(newsroom, client):
    newsroom.article("Published story")
    newsroom.article("Draft story", live=False)
    scheduled = newsroom.article(
        "Scheduled story", live=False, go_live_at=timezone.now() + datetime.timedelta(days=1)
    )
    scheduled.save_revision().publish()
    scheduled.refresh_from_db()
    assert not scheduled.live

    for page in (newsroom.homes["en"], newsroom.section("news")):
        assert [i.findtext("title") for i in rss_items(client, page)] == ["Published story"]
        assert [e.findtext("atom:title", namespaces=NS) for e in atom_entries(client, page)] == [
            "Published story"
        ]


def test_articles_in_a_private_section_are_not_in_the_home_feed(newsroom, client):
    newsroom.article("Public story")
    newsroom.article("Members-only story", section="members")
    PageViewRestriction.objects.create(
        page=newsroom.section("members"), restriction_type=PageViewRestriction.LOGIN
    )
    assert [i.findtext("title") for i in rss_items(client, newsroom.homes["en"])] == [
        "Public story"
    ]


def test_feed_lists_the_latest_thirty_articles_newest_first(newsroom, client):
    for n in range(FEED_LENGTH + 2):
        newsroom.article(f"Story {n}", published_at=hours_ago(100 - n), body=[paragraph("Text.")])
    titles = [i.findtext("title") for i in rss_items(client, newsroom.homes["en"])]
    assert titles == [f"Story {n}" for n in range(FEED_LENGTH + 1, 1, -1)]


def test_feeds_are_valid_xml(newsroom, client, full_story):
    newsroom.article("A plain story without photo", body=[paragraph("Just words.")])

    rss = fetch(client, newsroom.homes["en"], "rss")
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    for required in ("title", "link", "description", "language", "lastBuildDate"):
        assert channel.findtext(required), required
    assert channel.find("atom:link", NS).get("rel") == "self"
    assert channel.find("atom:link", NS).get("href") == "http://localhost/en/feed/rss/"
    items = channel.findall("item")
    assert len(items) == 3
    for item in items:
        for required in ("title", "link", "guid", "pubDate"):
            assert item.findtext(required), required
        assert item.findtext("content:encoded", namespaces=NS)

    atom = fetch(client, newsroom.homes["en"], "atom")
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("id", "title", "updated"):
        assert atom.findtext(f"atom:{required}", namespaces=NS), required
    assert atom.find("atom:author/atom:name", NS).text == "The Test Gazette"
    self_link = [link for link in atom.findall("atom:link", NS) if link.get("rel") == "self"]
    assert self_link[0].get("href") == "http://localhost/en/feed/atom/"
    entries = atom.findall("atom:entry", NS)
    assert len(entries) == 3
    for entry in entries:
        for required in ("id", "title", "updated", "content"):
            assert entry.find(f"atom:{required}", NS) is not None, required
        assert entry.find("atom:link[@rel='alternate']", NS).get("href").startswith("http://")


def test_feed_responses_are_typed_and_cacheable(newsroom, client):
    newsroom.article("A story")
    rss = client.get(feed_url(newsroom.homes["en"], "rss"))
    atom = client.get(feed_url(newsroom.homes["en"], "atom"))
    assert rss["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert atom["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert "max-age=300" in rss["Cache-Control"] and "public" in rss["Cache-Control"]
    assert rss["Last-Modified"]


def test_markup_and_control_characters_in_a_headline_stay_text(newsroom, client):
    newsroom.article("Tom & Jerry <b>live</b>\x0b", standfirst="A & B\x01")
    item = rss_items(client, newsroom.homes["en"])[0]
    # RSS readers parse <title> as HTML, so the markup arrives escaped once more.
    assert item.findtext("title") == "Tom &amp; Jerry &lt;b&gt;live&lt;/b&gt;"
    assert item.findtext("description") == "A &amp; B"
    entry = atom_entries(client, newsroom.homes["en"])[0]
    assert entry.findtext("atom:title", namespaces=NS) == "Tom & Jerry <b>live</b>"


def test_feed_queries_do_not_grow_with_the_number_of_articles(newsroom, client, settings):
    settings.SAMIZDAT_PAGE_CACHE = False  # counted: the feed's render, not a cached copy
    authors = [newsroom.author("Anna Kovar"), newsroom.author("Pavel Renn")]
    shared = PhotoFactory()

    def add_articles(count: int) -> None:
        for _ in range(count):
            body = [
                paragraph("Text."),
                ("image", {"image": PhotoFactory(), "caption": ""}),
                ("image", {"image": shared, "caption": ""}),
            ]
            newsroom.article(
                "Story", authors=authors, tags=["ports"], lead_image=PhotoFactory(), body=body
            )

    def queries(entries: int) -> int:
        client.get(feed_url(newsroom.homes["en"]))  # creates renditions on the first run
        with CaptureQueriesContext(connection) as captured:
            feed = client.get(feed_url(newsroom.homes["en"]))
        assert len(ET.fromstring(feed.content).findall("channel/item")) == entries
        return len(captured)

    add_articles(2)
    # View restrictions, the home's locale, the articles, then for all of them at once:
    # authors, tags, renditions, photos, inline renditions (the site, the locale and the home
    # page come from the structure cache: newsroom/views.py).
    assert queries(entries=2) == 8
    add_articles(4)
    assert queries(entries=6) == 8


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/en/news/">x</a>', '<a href="https://example.org/en/news/">x</a>'),
        ("<img src='/media/a.jpg'>", '<img src="https://example.org/media/a.jpg">'),
        ('<a href="#notes">x</a>', '<a href="https://example.org/en/news/story/#notes">x</a>'),
        ('<a href="//cdn.example.net/a">x</a>', '<a href="https://cdn.example.net/a">x</a>'),
        ('<a href="mailto:tips@example.org">x</a>', '<a href="mailto:tips@example.org">x</a>'),
        (
            '<source srcset="/m/a.webp 480w, /m/b.webp 960w">',
            '<source srcset="https://example.org/m/a.webp 480w, '
            'https://example.org/m/b.webp 960w">',
        ),
        ('<a href="/s?a=1&amp;b=2">x</a>', '<a href="https://example.org/s?a=1&amp;b=2">x</a>'),
        ('<p>Write href="/x" in text</p>', '<p>Write href="/x" in text</p>'),
    ],
)
def test_absolutize_urls_resolves_against_the_article(html, expected):
    assert absolutize_urls(html, "https://example.org/en/news/story/") == expected


def test_unknown_feed_kind_is_refused(newsroom):
    with pytest.raises(ValueError, match="json"):
        ArticleFeed(newsroom.homes["en"], "json")


def test_feed_keeps_only_characters_xml_can_carry():
    assert xml_safe("a\x00b\x0bc\td\ne") == "abc\td\ne"
