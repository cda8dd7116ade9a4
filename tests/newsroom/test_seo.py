"""What search engines and share previews see: sitemaps, robots.txt, page metadata."""

from __future__ import annotations

import datetime
import json

import defusedxml.ElementTree as ET
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from samizdat.newsroom import seo
from tests.factories import PhotoFactory, paragraph

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def xml(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ET.fromstring(b"".join(response.streaming_content))


def sitemap_entries(document) -> dict[str, dict]:
    """loc → {"lastmod": …, "alternates": {hreflang: href}} for every <url>."""
    return {
        url.findtext("sm:loc", namespaces=NS): {
            "lastmod": url.findtext("sm:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            },
        }
        for url in document.findall("sm:url", NS)
    }


def head(client, page) -> BeautifulSoup:
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").head


def meta(document, name: str) -> list[str]:
    return [
        tag["content"]
        for tag in document.find_all("meta")
        if tag.get("property") == name or tag.get("name") == name
    ]


def jsonld(client, page) -> dict:
    scripts = head(client, page).find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


@pytest.fixture
def bilingual_story(newsroom):
    """An English article with a Russian translation, a byline, tags and a lead photo."""
    photo = PhotoFactory(description="Cranes over the container port")
    author = newsroom.author("Anna Kovar")
    english = newsroom.article(
        "Port bribes exposed",
        standfirst="Ledgers show who paid.",
        authors=[author],
        tags=["ports", "corruption"],
        lead_image=photo,
        published_at=hours_ago(6),
    )
    russian = newsroom.article(
        "Взятки в порту", language="ru", translation_of=english, authors=[author]
    )
    return english, russian


# Sitemaps


def test_sitemap_lists_every_live_page_with_hreflang_alternates(newsroom, client, bilingual_story):
    english, russian = bilingual_story
    only_english = newsroom.article("Only in English")

    entries = sitemap_entries(xml(client.get("/sitemap.xml")))

    live_pages = Page.objects.live().filter(depth__gte=2).specific()
    assert set(entries) == {page.full_url for page in live_pages}
    assert {
        "http://localhost/en/",
        "http://localhost/ru/",
        "http://localhost/en/news/",
        "http://localhost/en/authors/",
        "http://localhost/en/authors/anna-kovar/",
        english.full_url,
        russian.full_url,
        only_english.full_url,
    } <= set(entries)

    both = {"en": english.full_url, "ru": russian.full_url, "x-default": english.full_url}
    assert entries[english.full_url]["alternates"] == both
    assert entries[russian.full_url]["alternates"] == both
    assert entries["http://localhost/ru/"]["alternates"]["x-default"] == "http://localhost/en/"
    assert entries[only_english.full_url]["alternates"] == {}

    lastmod = datetime.datetime.fromisoformat(entries[english.full_url]["lastmod"])
    assert abs(lastmod - english.last_published_at) < datetime.timedelta(seconds=1)


def test_sitemap_leaves_out_drafts(newsroom, client):
    published = newsroom.article("Published story")
    draft = newsroom.article("Draft story", live=False)
    scheduled = newsroom.article(
        "Scheduled story", live=False, go_live_at=timezone.now() + datetime.timedelta(days=1)
    )
    scheduled.save_revision().publish()
    members = newsroom.article("Members-only story", section="members")
    PageViewRestriction.objects.create(
        page=newsroom.section("members"), restriction_type=PageViewRestriction.LOGIN
    )

    locs = set(sitemap_entries(xml(client.get("/sitemap.xml"))))

    assert published.full_url in locs
    assert not {draft.full_url, scheduled.full_url, members.full_url} & locs
    assert newsroom.section("members").full_url not in locs


def test_large_sitemap_is_split_behind_an_index(newsroom, client, monkeypatch):
    for n in range(5):
        newsroom.article(f"Story {n}")
    every_page = set(sitemap_entries(xml(client.get("/sitemap.xml"))))
    monkeypatch.setattr(seo, "SITEMAP_LIMIT", 4)
    monkeypatch.setattr(seo, "SITEMAP_BATCH", 3)

    index = xml(client.get("/sitemap.xml"))
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locations = [s.findtext("sm:loc", namespaces=NS) for s in index.findall("sm:sitemap", NS)]
    pages = -(-len(every_page) // 4)
    assert locations == [f"http://127.0.0.1:8000/sitemap.xml?p={n}" for n in range(1, pages + 1)]

    seen: list[str] = []
    for number in range(1, pages + 1):
        chunk = sitemap_entries(xml(client.get("/sitemap.xml", {"p": number})))
        assert 0 < len(chunk) <= 4
        seen += chunk
    assert sorted(seen) == sorted(every_page)

    assert client.get("/sitemap.xml", {"p": pages + 1}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "0"}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "two"}).status_code == 404
    # Past any site's size (the offset overflowed the database's integer: a 500), other digits.
    assert client.get("/sitemap.xml", {"p": "9" * 19}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "²"}).status_code == 404

    # Until the next publish, the index counts nothing and a deep sitemap skips no rows.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
        assert client.get("/sitemap.xml", {"p": pages}).status_code == 200
    sql = " ".join(query["sql"].upper() for query in queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql
    # A publish is seen at once: the new stories are in the sitemaps, which are more.
    for n in range(4):
        newsroom.article(f"Later story {n}")
    index = xml(client.get("/sitemap.xml"))
    more = -(-(len(every_page) + 4) // 4)
    assert len(index.findall("sm:sitemap", NS)) == more > pages
    seen = [
        loc
        for number in range(1, more + 1)
        for loc in sitemap_entries(xml(client.get("/sitemap.xml", {"p": number})))
    ]
    assert len(seen) == len(set(seen)) == len(every_page) + 4


def test_news_sitemap_has_only_the_last_48_hours(newsroom, client):
    fresh = newsroom.article("Fresh & new", published_at=hours_ago(2))
    yesterday = newsroom.article("Yesterday's story", published_at=hours_ago(47))
    newsroom.article("Old story", published_at=hours_ago(49))
    russian = newsroom.article("Свежая новость", language="ru", published_at=hours_ago(1))
    newsroom.article("Draft story", live=False)

    document = xml(client.get("/sitemap-news.xml"))
    urls = {
        url.findtext("sm:loc", namespaces=NS): url.find("news:news", NS)
        for url in document.findall("sm:url", NS)
    }

    assert list(urls) == [russian.full_url, fresh.full_url, yesterday.full_url]
    news = urls[fresh.full_url]
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Test Gazette"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Fresh & new"
    published = datetime.datetime.fromisoformat(
        news.findtext("news:publication_date", namespaces=NS)
    )
    assert abs(published - fresh.first_published_at) < datetime.timedelta(seconds=1)
    ru = urls[russian.full_url]
    assert ru.findtext("news:publication/news:name", namespaces=NS) == "The Test Gazette (ru)"
    assert ru.findtext("news:publication/news:language", namespaces=NS) == "ru"


def test_robots_txt_points_to_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert {"Disallow: /en/search/", "Disallow: /ru/search/"} <= set(lines)
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines
    assert "Sitemap: http://127.0.0.1:8000/sitemap-news.xml" in lines


# Structured data


def test_jsonld_is_a_valid_news_article(newsroom, client, bilingual_story):
    english, russian = bilingual_story
    data = jsonld(client, english)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Port bribes exposed"
    assert data["description"] == "Ledgers show who paid."
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": english.full_url}
    assert data["inLanguage"] == "en"
    assert data["articleSection"] == "News"
    assert sorted(data["keywords"]) == ["corruption", "ports"]

    published = datetime.datetime.fromisoformat(data["datePublished"])
    assert published.tzinfo is not None
    assert abs(published - english.first_published_at) < datetime.timedelta(seconds=1)
    assert datetime.datetime.fromisoformat(data["dateModified"]) == published

    assert data["author"] == [
        {"@type": "Person", "name": "Anna Kovar", "url": "http://localhost/en/authors/anna-kovar/"}
    ]
    assert len(data["image"]) == 3
    assert all(url.startswith("http://localhost/media/") for url in data["image"])
    assert all(url.endswith(".jpg") for url in data["image"])
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "The Test Gazette",
        "url": "http://localhost/en/",
    }

    assert jsonld(client, russian)["inLanguage"] == "ru"
    assert jsonld(client, russian)["publisher"]["name"] == "The Test Gazette (ru)"


def test_jsonld_date_modified_is_the_editorial_update(newsroom, client):
    article = newsroom.article("Corrected", published_at=hours_ago(10), updated_at=hours_ago(2))
    data = jsonld(client, article)
    assert datetime.datetime.fromisoformat(data["dateModified"]) == article.updated_at


def test_jsonld_date_modified_follows_an_edit_as_the_sitemap_does(newsroom, client):
    article = newsroom.article("Ferry strike", published_at=hours_ago(10))
    article.title = "Ferry strike: a correction"  # no 'Updated' time set by the editor
    article.save_revision().publish()
    article.refresh_from_db()

    modified = datetime.datetime.fromisoformat(jsonld(client, article)["dateModified"])
    shared = meta(head(client, article), "article:modified_time")
    entries = sitemap_entries(xml(client.get("/sitemap.xml")))

    assert abs(modified - article.last_published_at) < datetime.timedelta(seconds=1)
    assert modified > hours_ago(1)
    second = datetime.timedelta(seconds=1)
    for other in (shared[0], entries[article.full_url]["lastmod"]):  # to the second
        assert abs(datetime.datetime.fromisoformat(other) - modified) < second


def test_jsonld_names_the_publisher_logo_when_one_is_configured(newsroom, client, settings):
    settings.SAMIZDAT_PUBLISHER_LOGO = "samizdat/samizdat.css"  # any file static() can find
    article = newsroom.article("A story")
    logo = jsonld(client, article)["publisher"]["logo"]
    assert logo == {"@type": "ImageObject", "url": "http://localhost/static/samizdat/samizdat.css"}


def test_the_demo_newsroom_has_a_logo_of_its_own_fit_for_search_engines(newsroom, client, settings):
    from django.contrib.staticfiles import finders
    from PIL import Image

    settings.SAMIZDAT_PUBLISHER_LOGO = "samizdat/demo-logo.png"  # DEBUG's default (the demo)
    article = newsroom.article("A story")

    logo = jsonld(client, article)["publisher"]["logo"]

    assert logo["url"] == "http://localhost/static/samizdat/demo-logo.png"
    with Image.open(finders.find("samizdat/demo-logo.png")) as image:
        assert image.format == "PNG"
        assert image.width <= 600 and image.height <= 60


def test_jsonld_cannot_break_out_of_script_tag(newsroom, client):
    headline = "Bread </script><script>alert(1)</script> & <!-- roses"
    article = newsroom.article(headline, standfirst="</SCRIPT >", body=[paragraph("Text.")])
    html = client.get(article.url).content.decode()

    assert "<script>alert(1)" not in html
    assert "<!-- roses" not in html
    assert html.lower().count("<script") == 2  # the JSON-LD and the view counter's script
    data = jsonld(client, article)
    assert data["headline"] == headline
    assert data["description"] == "</SCRIPT >"


def test_json_ld_script_escapes_what_html_would_read_as_markup():
    script = seo.json_ld_script({"headline": "</script>&<!--"})
    assert script == (
        '<script type="application/ld+json">'
        '{"headline":"\\u003C/script\\u003E\\u0026\\u003C!--"}</script>'
    )


# Share cards and link elements


def test_article_page_has_opengraph_and_canonical(newsroom, client, bilingual_story):
    english, russian = bilingual_story
    document = head(client, english)

    assert document.find("link", rel="canonical")["href"] == english.full_url
    assert meta(document, "og:type") == ["article"]
    assert meta(document, "og:title") == ["Port bribes exposed"]
    assert meta(document, "og:description") == ["Ledgers show who paid."]
    assert meta(document, "description") == ["Ledgers show who paid."]
    assert meta(document, "og:url") == [english.full_url]
    assert meta(document, "og:site_name") == ["The Test Gazette"]
    assert meta(document, "og:locale") == ["en_US"]
    assert meta(document, "og:locale:alternate") == ["ru_RU"]
    (image,) = meta(document, "og:image")
    assert image.startswith("http://localhost/media/images/")
    assert ".fill-1200x630" in image and image.endswith(".jpg")
    assert meta(document, "og:image:width") == ["1200"]
    assert meta(document, "og:image:height") == ["630"]
    assert meta(document, "og:image:alt") == ["Cranes over the container port"]
    assert meta(document, "twitter:card") == ["summary_large_image"]
    published = datetime.datetime.fromisoformat(meta(document, "article:published_time")[0])
    assert abs(published - english.first_published_at) < datetime.timedelta(seconds=1)
    assert meta(document, "article:modified_time") == meta(document, "article:published_time")
    assert meta(document, "article:section") == ["News"]
    assert sorted(meta(document, "article:tag")) == ["corruption", "ports"]


def test_translated_article_links_its_editions_and_the_default_one(
    newsroom, client, bilingual_story
):
    english, russian = bilingual_story
    head(client, english)  # the English page fills the editions cache first
    document = head(client, russian)

    alternates = {
        link["hreflang"]: link["href"]
        for link in document.find_all("link", rel="alternate")
        if link.get("hreflang")
    }
    assert alternates == {
        "en": english.full_url,
        "ru": russian.full_url,
        "x-default": english.full_url,
    }
    assert meta(document, "og:locale") == ["ru_RU"]
    assert meta(document, "og:locale:alternate") == ["en_US"]
    assert meta(document, "og:site_name") == ["The Test Gazette (ru)"]


def test_untranslated_page_has_no_x_default(newsroom, client):
    article = newsroom.article("Only in English")
    document = head(client, article)
    hreflangs = [link.get("hreflang") for link in document.find_all("link", rel="alternate")]
    assert "x-default" not in hreflangs
    assert meta(document, "og:locale:alternate") == []


def test_pages_link_the_editions_feeds(newsroom, client):
    newsroom.article("A story")
    for page, prefix in ((newsroom.homes["en"], "/en/"), (newsroom.homes["ru"], "/ru/")):
        document = head(client, page)
        feeds = {
            link["type"]: link["href"]
            for link in document.find_all("link", rel="alternate")
            if link.get("type")
        }
        assert feeds == {
            "application/rss+xml": f"{prefix}feed/rss/",
            "application/atom+xml": f"{prefix}feed/atom/",
        }


def test_home_page_is_a_website_without_article_metadata(newsroom, client):
    document = head(client, newsroom.homes["en"])
    assert meta(document, "og:type") == ["website"]
    assert meta(document, "og:description") == ["News you can test"]
    assert meta(document, "twitter:card") == ["summary"]
    assert meta(document, "article:published_time") == []
    assert document.find("script", type="application/ld+json") is None


@pytest.mark.parametrize(
    ("code", "expected"), [("en", "en_US"), ("ru", "ru_RU"), ("pt-br", "pt_BR"), ("xx", "xx")]
)
def test_og_locale_has_a_territory_where_one_is_known(code, expected):
    from samizdat.newsroom.templatetags.seo_tags import og_locale

    assert og_locale(code) == expected
