"""An article page costs the same handful of queries however large the archive grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samizdat.newsroom.models import ArticleAuthor, ArticlePage
from tests.factories import PhotoFactory

QUERY_BUDGET = 12


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


def article_request_queries(client, article) -> int:
    client.get(article.url)  # warm Wagtail's site and rendition caches and our structure cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response.status_code == 200
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
    assert max(small.values()) <= QUERY_BUDGET

    grow_archive(newsroom, 200, photo, author)
    large = {a.pk: article_request_queries(client, a) for a in (english, russian)}
    assert large == small
