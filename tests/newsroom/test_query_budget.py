"""An article page costs the same handful of queries however large the archive grows.

The counts are of a render: the full-page cache is off here, since a page it answers costs no
query at all (tests/pagecache), which would make any budget hold.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samizdat.newsroom.models import ArticleAuthor, ArticlePage
from tests.factories import PhotoFactory

QUERY_BUDGET = 12
# With the structure cache warm: the site, the locale, the home, section and article pages on
# the way down, view restrictions, "Read more", tags, authors and photos. A Russian story takes
# two more: its edition's home, found by translation, and the Russian pages of its authors.
ENGLISH_STORY_QUERIES = 10
RUSSIAN_STORY_QUERIES = 12


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
