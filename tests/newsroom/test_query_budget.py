"""An article page costs the same handful of queries however large the archive grows.

The counts are of a render: the full-page cache is off here, since a page it answers costs no
query at all (tests/pagecache), which would make any budget hold.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samizdat.newsroom.models import ArticleAuthor, ArticlePage
from samizdat.support.models import Appeal
from tests.factories import PhotoFactory
from tests.support.factories import AppealFactory, CampaignFactory, DonationFormFactory

# With the structure cache warm: the article page, and "Read more" with its photos. Where the
# routing starts (the site, the locale, the edition's home in the reader's language: Wagtail's
# three queries, newsroom/views.py), the section (from the navigation's list), view
# restrictions, tags and the byline come from the structure cache. The story below takes one
# more, for the photo in its body, in either language.
ARTICLE_QUERIES = 2
ENGLISH_STORY_QUERIES = ARTICLE_QUERIES + 1
RUSSIAN_STORY_QUERIES = ARTICLE_QUERIES + 1
QUERY_BUDGET = RUSSIAN_STORY_QUERIES
# Round trips to the cache of a warm render (the generations are in files here): where the
# routing starts (in place of three queries), the edition's structure entries (settings,
# sections, view restrictions) on the way down, the page's own ("Read more", tags, byline,
# editions), "Read more"'s teasers, the site's root paths, the appeals with the campaign, and
# the donation forms. Asked one by one they were dozens.
CACHE_ROUND_TRIPS = 7


def grow_archive(newsroom, count: int, photo, author) -> None:
    """Add `count` published articles quickly, spread over the sections and tags."""
    sections = [newsroom.section(slug) for slug in ("news", "culture", "opinion")]
    for i in range(count):
        section = sections[i % len(sections)]
        article = ArticlePage(
            title=f"Archive story {i}",
            body=[("paragraph", f"<p>Archive paragraph {i}.</p>")],
            lead_image=photo,
            live=True,
            first_published_at=timezone.now() - timezone.timedelta(hours=i + 1),
        )
        section.add_child(instance=article)
        article.authors.add(ArticleAuthor(author=author))
        article.tags.set(["river", f"tag-{i % 7}"])
        article.save()


@contextmanager
def cache_reads(cache) -> Iterator[list[tuple[str, object]]]:
    """The round trips to `cache` while inside: (method, key or keys) each."""
    reads, inside = [], []

    def counted(name):
        method = getattr(cache, name)

        def read(*args, **kwargs):
            if not inside:  # a get_many made of gets (as in the test settings' cache) is one
                reads.append((name, args[0]))
            inside.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                inside.pop()

        return read

    with (
        mock.patch.object(cache, "get", counted("get")),
        mock.patch.object(cache, "get_many", counted("get_many")),
    ):
        yield reads


@pytest.fixture(autouse=True)
def every_request_renders(settings):
    settings.SAMIZDAT_PAGE_CACHE = False


def article_request_queries(client, article) -> int:
    client.get(article.url)  # warm Wagtail's site and rendition caches and our structure cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response.status_code == 200
    assert article.title in response.content.decode()  # rendered, not answered from a cache
    return len(queries)


@pytest.fixture
def story(newsroom):
    photo = PhotoFactory()
    authors = [newsroom.author("Vera Test"), newsroom.author("Ivan Test")]
    body = [
        ("paragraph", "<p>Opening.</p>"),
        ("image", {"image": photo, "caption": "Inline"}),
        ("quote", {"text": "Words.", "attribution": "Someone"}),
    ]
    english = newsroom.article(
        "The budget story", authors=authors, tags=["river", "budget"], lead_image=photo, body=body
    )
    newsroom.article("An older river story", authors=authors, tags=["river"], lead_image=photo)
    russian_authors = [newsroom.author("Вера Тест", "ru")]
    russian = newsroom.article(
        "История бюджета", language="ru", authors=russian_authors, translation_of=english
    )
    newsroom.article("Речная история", language="ru", authors=russian_authors, tags=["river"])
    return english, russian, photo, authors[0]


def test_article_page_stays_within_query_budget_in_a_large_archive(newsroom, client, story):
    english, russian, photo, author = story
    small = {a.pk: article_request_queries(client, a) for a in (english, russian)}
    assert small == {english.pk: ENGLISH_STORY_QUERIES, russian.pk: RUSSIAN_STORY_QUERIES}
    assert max(small.values()) <= QUERY_BUDGET

    grow_archive(newsroom, 200, photo, author)
    large = {a.pk: article_request_queries(client, a) for a in (english, russian)}
    assert large == small


def test_an_article_without_pictures_in_its_body_renders_in_two_queries(newsroom, client, story):
    _english, _russian, photo, author = story
    article = newsroom.article("A plain story", authors=[author], tags=["river"], lead_image=photo)

    assert article_request_queries(client, article) == ARTICLE_QUERIES


def test_an_article_reads_the_cache_in_a_few_round_trips(newsroom, client, story):
    english, _russian, _photo, _author = story
    # A newsroom asking for support: a modal and a letter, both showing the goal.
    DonationFormFactory()
    CampaignFactory()
    AppealFactory(kind=Appeal.Kind.MODAL)
    AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE)
    newsroom.article("Published after the appeals")  # the cache follows the next publish
    client.get(english.url)  # everything the page reads is in the cache now
    with cache_reads(caches["default"]) as reads:
        response = client.get(english.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert english.title in html
    assert "appeal-modal" in html and "appeal-letter" in html
    assert len(reads) <= CACHE_ROUND_TRIPS, reads


def test_the_byline_names_every_author_in_order_with_their_pages(newsroom, client, story):
    english, _russian, _photo, _author = story
    authors = [item.author for item in english.authors.order_by("sort_order")]

    for _ in range(2):  # rendered, then with the byline from the structure cache
        html = BeautifulSoup(client.get(english.url).content, "html.parser")
        byline = html.select_one(".byline")
        assert " ".join(byline.get_text(" ").split()) == "By Vera Test and Ivan Test"
        assert [a["href"] for a in byline.select("a[rel=author]")] == [a.url for a in authors]


def test_read_more_does_not_load_the_stories_it_offers(newsroom, client, story):
    english, _russian, _photo, _author = story
    client.get(english.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(english.url)

    assert "An older river story" in response.content.decode()  # offered under "Read more"
    bodies = [q["sql"] for q in queries if '"newsroom_articlepage"."body"' in q["sql"]]
    assert len(bodies) == 1, bodies  # the story's own, read on the way to it


def test_the_lead_photo_costs_one_lookup_for_every_size_and_share_card(newsroom, client):
    article = newsroom.article("Lead photo only", lead_image=PhotoFactory())
    client.get(article.url)  # the renditions exist and are in their cache now
    with (
        cache_reads(caches["renditions"]) as lookups,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(article.url)

    html = BeautifulSoup(response.content, "html.parser")
    assert len(html.select(".story__lead picture source")) == 1  # WebP, beside the JPEG <img>
    assert html.select_one('meta[property="og:image"]')["content"]
    assert [name for name, _keys in lookups] == ["get_many"]
    assert not [q for q in queries if "rendition" in q["sql"].lower()]


# A list page, first or deep, however many stories its list has: its stories with their photos
# (the byline's authors and the tag are looked up too); where the routing starts and the pages
# on the way down come from the structure cache.
LIST_QUERY_BUDGET = 5


def list_queries(client, url: str) -> list[str]:
    client.get(url)  # warm the structure cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def older_link(client, url: str) -> str:
    html = BeautifulSoup(client.get(url).content, "html.parser")
    return urljoin(url, html.select_one("a[rel=next]")["href"])


def test_list_pages_cost_a_fixed_budget_and_never_scan_the_archive(
    newsroom, client, story, settings
):
    settings.SAMIZDAT_ARTICLES_PER_PAGE = 3
    english, _russian, photo, author = story
    grow_archive(newsroom, 24, photo, author)  # four pages of the section at least
    firsts = ("/en/news/", "/en/tags/river/", author.url)

    def costs() -> dict[str, int]:
        found = {}
        for first in firsts:
            for url in (first, older_link(client, older_link(client, first))):
                sql = list_queries(client, url)
                scans = [q for q in sql if "COUNT(" in q.upper() or "DISTINCT" in q.upper()]
                assert not scans, (url, scans)
                found[url.split("?")[0] + ("?deep" if "?" in url else "")] = len(sql)
        return found

    small = costs()
    assert max(small.values()) <= LIST_QUERY_BUDGET, small
    grow_archive(newsroom, 30, photo, author)
    assert costs() == small
