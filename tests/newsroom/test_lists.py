"""Section, tag and author pages a page at a time, by "Older stories" and "Newer stories" links,
at the same cost however deep the reader goes and however large the archive grows."""

import datetime
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samizdat.newsroom.listing import cursor
from samizdat.newsroom.models import ArticlePage

PER_PAGE = 3


@pytest.fixture(autouse=True)
def short_pages(settings):
    settings.SAMIZDAT_ARTICLES_PER_PAGE = PER_PAGE
    settings.SAMIZDAT_PAGE_CACHE = False  # every request renders, so its queries are counted


def stories(newsroom, count: int, start: int = 0, **fields) -> list[ArticlePage]:
    """`count` stories an hour apart, newest first; the last three share one minute, so that
    ties on the publication time fall across a page boundary."""
    now = timezone.now().replace(microsecond=0)
    made = []
    for n in range(start, start + count):
        at = now - datetime.timedelta(hours=n if n < start + count - 3 else start + count - 3)
        made.append(newsroom.article(f"Story {n}", published_at=at, **fields))
    return sorted(made, key=lambda s: (s.first_published_at, s.pk), reverse=True)


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def landing(client, url: str) -> str:
    """Where a link takes the reader: "Newer stories" to the first page goes by a redirect."""
    chain = client.get(url, follow=True).redirect_chain
    return chain[-1][0] if chain else url


def headlines(html: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in html.select(".teaser__headline")]


def follow(client, url: str, rel: str) -> list[tuple[str, list[str]]]:
    """Each page met following the `rel` links from `url`, with the headlines it shows."""
    seen = []
    while url is not None:
        url = landing(client, url)
        html = page(client, url)
        seen.append((url, headlines(html)))
        link = html.select_one(f"a[rel={rel}]")
        url = urljoin(url, link["href"]) if link else None
        assert len(seen) < 50, "the links go round in circles"
    return seen


def test_following_older_stories_from_a_section_reaches_its_oldest_story(newsroom, client):
    made = stories(newsroom, 11)
    newsroom.article("In another section", section="culture")

    pages = follow(client, "/en/news/", "next")

    assert [len(shown) for _url, shown in pages] == [3, 3, 3, 2]
    assert [title for _url, shown in pages for title in shown] == [s.title for s in made]
    last = page(client, pages[-1][0])
    assert last.select_one("a[rel=prev]").get_text() == "Newer stories"
    assert last.select_one("a[rel=next]") is None
    # And back: "Newer stories" from the oldest page leads to the section's first page.
    back = follow(client, pages[-1][0], "prev")
    assert [shown for _url, shown in back] == [shown for _url, shown in reversed(pages)]
    assert back[-1][0] == "/en/news/"


def test_a_story_published_while_reading_does_not_repeat_or_skip_older_ones(newsroom, client):
    made = stories(newsroom, 7)
    second_page = urljoin("/en/news/", page(client, "/en/news/").select_one("a[rel=next]")["href"])

    newsroom.article("Breaking")

    assert headlines(page(client, second_page)) == [s.title for s in made[3:6]]
    assert headlines(page(client, "/en/news/"))[0] == "Breaking"


def test_tag_and_author_pages_reach_every_story_by_older_links(newsroom, client):
    author = newsroom.author("Vera Test")
    made = stories(newsroom, 7, tags=["ferries"], authors=[author])
    stories(newsroom, 2, start=20)  # neither tagged so nor by her

    for url in ("/en/tags/ferries/", author.url):
        shown = [title for _url, titles in follow(client, url, "next") for title in titles]
        assert shown == [s.title for s in made], url


@pytest.mark.parametrize(
    "query",
    [
        "before=yesterday",
        "before=20260102T101500_12",  # no microseconds
        "before=20261399T101500.000000_12",  # digits that are no date
        "before=20260102T101500.000000_99999999999",  # an id no page can have
        "before=20260102T101500.000000_0",
        "after=20260102T101500.000000_-1",
        "before=２０２６０１０２T101500.000000_1",  # other scripts' digits
        "before=20260102T101500.000000_1%00",
        "before=" + "9" * 5000,
    ],
)
def test_a_tampered_cursor_answers_404_not_500(newsroom, client, query):
    stories(newsroom, 4)

    assert client.get(f"/en/news/?{query}").status_code == 404
    assert client.get(f"/en/tags/no-such-tag/?{query}").status_code == 404


def test_a_cursor_of_a_story_not_in_the_list_is_not_a_page_of_it(newsroom, client):
    made = stories(newsroom, 5)
    elsewhere = newsroom.article("In another section", section="culture")
    made[1].unpublish()
    made[1].refresh_from_db()

    for story in (elsewhere, made[1]):
        assert client.get(f"/en/news/?before={cursor(story)}").status_code == 404
        assert client.get(f"/en/news/?after={cursor(story)}").status_code == 404
    # Well formed, the right date, another story's id.
    forged = cursor(made[0]).rsplit("_", 1)[0] + f"_{made[2].pk}"
    assert client.get(f"/en/news/?before={forged}").status_code == 404
    assert client.get(f"/en/news/?before={cursor(made[4])}").status_code == 404  # the oldest


def test_old_page_numbers_lead_to_the_same_stories(newsroom, client):
    made = stories(newsroom, 8)

    response = client.get("/en/news/?page=2")
    assert response.status_code == 302
    assert headlines(page(client, response["Location"])) == [s.title for s in made[3:6]]
    third = client.get("/en/news/?page=3", follow=True)
    assert headlines(BeautifulSoup(third.content, "html.parser")) == [s.title for s in made[6:]]
    assert headlines(page(client, "/en/news/?page=1")) == [s.title for s in made[:3]]
    assert headlines(page(client, "/en/news/?page=two")) == [s.title for s in made[:3]]
    for number in ("4", "0", "9999999", "99999999999"):
        assert client.get(f"/en/news/?page={number}").status_code == 404, number


def queries_of(client, url: str) -> list[str]:
    client.get(url)  # warm the structure cache and Wagtail's site cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_deep_page_costs_the_queries_of_the_first_and_counts_nothing(newsroom, client):
    author = newsroom.author("Vera Test")
    stories(newsroom, 20, tags=["ferries"], authors=[author])

    for url in ("/en/news/", "/en/tags/ferries/", author.url):
        pages = follow(client, url, "next")
        first, deep = queries_of(client, url), queries_of(client, pages[-2][0])
        assert len(deep) == len(first), url
        assert not [sql for sql in first + deep if "COUNT(" in sql.upper()], url


def test_list_pages_cost_the_same_queries_in_a_larger_archive(newsroom, client):
    stories(newsroom, 8)
    small = {url: len(queries_of(client, url)) for url in ("/en/news/", "/en/tags/none/")[:1]}
    small_deep = len(queries_of(client, follow(client, "/en/news/", "next")[1][0]))

    stories(newsroom, 40, start=100)

    assert {url: len(queries_of(client, url)) for url in small} == small
    assert len(queries_of(client, follow(client, "/en/news/", "next")[5][0])) == small_deep


def test_russian_readers_get_the_links_in_russian(newsroom, client):
    for n in range(5):
        newsroom.article(f"История {n}", language="ru")
    section = newsroom.section("news", "ru")

    html = page(client, section.url)
    assert html.select_one("a[rel=next]").get_text() == "Более ранние материалы"
    older = page(client, urljoin(section.url, html.select_one("a[rel=next]")["href"]))
    assert older.select_one("a[rel=prev]").get_text() == "Более новые материалы"
