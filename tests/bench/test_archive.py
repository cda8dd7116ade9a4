"""The bench's archive generator writes stories Wagtail can route, render and search.

`make bench` times pages against an archive of 200,000 generated stories; this checks, on a
small one, that those stories are real pages rather than rows that merely count.
"""

import pytest
from django.db import connection
from wagtail.models import Page

from bench.archive import SLUG_PREFIX, article_count, grow_archive
from samizdat.newsroom.models import ArticlePage
from tests.factories import PhotoFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the bench's generator writes PostgreSQL SQL (generate_series); "
    "run with DATABASE_URL=postgres://…, as CI's PostgreSQL pass does",
)


@pytest.fixture
def model_story(newsroom):
    author = newsroom.author("Vera Test")
    newsroom.section("culture")
    story = newsroom.article(
        "The mill and the river",
        authors=[author],
        tags=["river", "mills"],
        lead_image=PhotoFactory(),
        body=[("paragraph", "<p>Floodwater reached the old mill at dawn.</p>")],
    )
    return story, author


def test_generated_stories_are_routable_pages_with_byline_tags_and_search(
    newsroom, model_story, client
):
    story, author = model_story
    before = article_count()

    assert grow_archive(before + 50) == 50

    assert article_count() == before + 50
    assert Page.find_problems() == ([], [], [], [], [])  # treebeard's paths and counts agree
    archive = ArticlePage.objects.filter(slug__startswith=SLUG_PREFIX).order_by("path")
    assert archive.count() == 50
    for generated in (archive.first(), archive.last()):
        response = client.get(generated.url)
        assert response.status_code == 200
        assert "Floodwater reached the old mill" in response.content.decode()
        assert [byline.author_id for byline in generated.authors.all()] == [author.pk]
        assert set(generated.tags.names()) == {"river", "mills"}
    found = ArticlePage.objects.live().search("floodwater")
    assert {page.pk for page in found} >= set(archive.values_list("pk", flat=True))


def test_the_archive_is_dated_before_the_stories_it_copies(newsroom, model_story):
    story, _ = model_story
    grow_archive(article_count() + 8)

    newest_generated = (
        ArticlePage.objects.filter(slug__startswith=SLUG_PREFIX)
        .order_by("-first_published_at")
        .first()
    )
    assert newest_generated.first_published_at < story.first_published_at
    assert not ArticlePage.objects.filter(slug__startswith=SLUG_PREFIX, live=False).exists()
