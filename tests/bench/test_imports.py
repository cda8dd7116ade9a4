"""The import bench's generated export is a real one: every post becomes a live article."""

from django.core.cache import cache, caches

from bench import imports
from samizdat.newsroom.models import ArticlePage


def test_every_generated_post_is_imported_as_a_live_article_with_its_old_address(newsroom, client):
    cache.clear()
    caches["pages"].clear()
    result = imports.run(posts=25, window=10)

    articles = ArticlePage.objects.live()
    assert articles.count() == 25
    assert all(article.byline and article.tags.exists() for article in articles)
    story = articles.get(slug="story-1000")
    response = client.get(f"/{story.first_published_at:%Y/%m/%d}/story-1000/")
    assert (response.status_code, response["Location"]) == (301, story.url)
    # The second run of the whole export finds every post unchanged.
    again = result["windows"]["again"]
    assert again.posts == 25 and again.queries_per_post < 5
