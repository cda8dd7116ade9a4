"""A new article saves without a slug typed: the headline makes one, even with JavaScript off
in the editor's browser (the browser test covers the slug filling in as the headline is typed)."""

import pytest

from samizdat.newsroom.models import ArticlePage
from tests.newsroom.test_admin import article_form, editor_client  # noqa: F401 (a fixture)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_an_article_posted_without_a_slug_gets_one_from_its_headline(
    newsroom,
    editor_client,  # noqa: F811
    language,
):
    section = newsroom.section("news", language)
    author = newsroom.author("Anna Kovar", language)
    headline = "Ferry crews strike" if language == "en" else "Паромщики бастуют"
    url = f"/admin/pages/add/newsroom/articlepage/{section.pk}/"

    first = editor_client.post(url, article_form(author, headline, ""))
    second = editor_client.post(url, article_form(author, headline, ""))

    assert (first.status_code, second.status_code) == (302, 302)
    slugs = sorted(ArticlePage.objects.filter(title=headline).values_list("slug", flat=True))
    expected = "ferry-crews-strike" if language == "en" else "паромщики-бастуют"
    assert slugs == [expected, f"{expected}-2"]


def test_a_slug_the_editor_typed_is_kept(newsroom, editor_client):  # noqa: F811
    section = newsroom.section("news")
    data = article_form(newsroom.author("Anna Kovar"), "Ferry crews strike", "ferries")
    assert editor_client.post(f"/admin/pages/add/newsroom/articlepage/{section.pk}/", data)
    assert ArticlePage.objects.get().slug == "ferries"
