"""An article page costs the same handful of queries however large the archive grows.

The counts are of a render: the full-page cache is off here, since a page it answers costs no
query at all (tests/pagecache), which would make any budget hold.
"""

from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samizdat.newsroom.models import ArticleAuthor, ArticlePage
from tests.factories import PhotoFactory

QUERY_BUDGET = 8
# With the structure cache warm: the site, the locale, the home, section and article pages on
# the way down, and "Read more" with its photos. View restrictions, tags and the byline come
# from the structure cache. A Russian story takes one more: its edition's home, found by
# translation.
ENGLISH_STORY_QUERIES = 7
RUSSIAN_STORY_QUERIES = 8
# Round trips to the cache of a warm render: the generations with the settings, the page's
# structure entries ("Read more", tags, byline, editions, sections) together, "Read more"'s
# teasers together, view restrictions, the appeals, the goal and the donation forms. Asked
# one by one they were dozens.
CACHE_ROUND_TRIPS = 8


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


def test_an_article_reads_the_cache_in_a_few_round_trips(newsroom, client, story):
    english, _russian, _photo, _author = story
    client.get(english.url)  # everything the page reads is in the cache now
    cache = caches["default"]
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
        response = client.get(english.url)
    assert response.status_code == 200
    assert english.title in response.content.decode()
    assert len(reads) <= CACHE_ROUND_TRIPS, reads
