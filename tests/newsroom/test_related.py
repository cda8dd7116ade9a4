""" "Read more" at the end of an article: which stories, in which order, and when it changes."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import timezone

from samizdat.newsroom import related
from samizdat.newsroom.models import ArticlePage


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def read_more(client, article) -> list[str]:
    response = client.get(article.url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in page.select(".read-more .teaser__headline")]


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_read_more_offers_picks_then_most_shared_tags_then_the_section(newsroom, client):
    one_tag = newsroom.article("One shared tag", tags=["ferries"], published_at=days_ago(1))
    two_tags = newsroom.article(
        "Two shared tags", tags=["ferries", "strikes"], published_at=days_ago(5)
    )
    newsroom.article("Same section only", published_at=days_ago(2))
    newsroom.article("Other section", section="culture", published_at=days_ago(1))
    newsroom.article("Other language", language="ru", tags=["ferries"], published_at=days_ago(1))
    pick = newsroom.article("Editor's pick", section="culture", published_at=days_ago(30))
    story = newsroom.article("The story", tags=["ferries", "strikes"], published_at=days_ago(3))
    story.related_picks = [("article", pick)]
    story.save_revision().publish()

    assert read_more(client, story) == [
        "Editor's pick",
        two_tags.title,
        one_tag.title,
        "Same section only",
    ]


def test_publishing_a_story_sharing_a_tag_shows_it_in_read_more_of_an_older_one(newsroom, client):
    older = newsroom.article("Older ferry story", tags=["ferries"], published_at=days_ago(9))
    newsroom.article("Unrelated", section="culture", tags=["theatre"], published_at=days_ago(8))
    assert read_more(client, older) == []

    newsroom.article("New ferry story", section="culture", tags=["ferries"])

    assert read_more(client, older) == ["New ferry story"]


def test_unpublishing_a_story_takes_it_out_of_read_more(newsroom, client):
    story = newsroom.article("Ferry story", tags=["ferries"], published_at=days_ago(3))
    gone = newsroom.article("Soon withdrawn", tags=["ferries"], published_at=days_ago(2))
    assert read_more(client, story) == ["Soon withdrawn"]

    gone.unpublish()

    assert read_more(client, story) == []


def test_choosing_for_a_whole_archive_at_once_gives_each_article_its_own_choice(newsroom):
    """The static mirror chooses for every article together; the result must not differ."""
    tags = ["ferries", "strikes", "budget", "ports"]
    for number in range(24):
        newsroom.article(
            f"Story {number}",
            section=("news", "culture", "opinion")[number % 3],
            language=("en", "ru")[number % 2],
            tags=[tags[number % 4], tags[(number * 3) % 4]][: 1 + number % 2],
            published_at=days_ago(number % 7),  # some share a publication time
        )
    articles = list(ArticlePage.objects.live().specific())
    one_by_one = {a.pk: related._choose(a, related.LIMIT) for a in articles}

    stored = related.warm([a.pk for a in articles])

    assert stored == len(articles)
    together = {a.pk: [r.pk for r in related.related_articles(a)] for a in articles}
    assert together == one_by_one
    assert any(len(ids) == related.LIMIT for ids in together.values())


def test_read_more_looks_only_at_the_newest_stories_of_each_tag(newsroom, client, monkeypatch):
    """A tag on thousands of stories must not make every choice count them all."""
    monkeypatch.setattr(related, "RECENT_PER_TAG", 2)
    # Created oldest first (ids grow), so the last two of each tag are "the newest".
    newsroom.article("Old, shares both tags", tags=["ferries", "strikes"], published_at=days_ago(9))
    newsroom.article("Ferries one", tags=["ferries"], published_at=days_ago(5))
    newsroom.article("Ferries two", tags=["ferries"], published_at=days_ago(4))
    newsroom.article("Strikes one", tags=["strikes"], published_at=days_ago(6))
    newsroom.article("Strikes two", tags=["strikes"], published_at=days_ago(7))
    story = newsroom.article("The story", section="culture", tags=["ferries", "strikes"])

    assert read_more(client, story) == ["Ferries two", "Ferries one", "Strikes one", "Strikes two"]


@pytest.mark.parametrize("recent_per_tag", [1, 3])
def test_the_bounded_choice_is_the_same_one_by_one_and_for_a_whole_archive(
    newsroom, monkeypatch, recent_per_tag
):
    monkeypatch.setattr(related, "RECENT_PER_TAG", recent_per_tag)
    tags = ["ferries", "strikes", "budget"]
    for number in range(15):
        newsroom.article(
            f"Story {number}",
            section=("news", "culture")[number % 2],
            tags=[tags[number % 3], tags[(number * 2) % 3]][: 1 + number % 2],
            published_at=days_ago(number % 5),
        )
    articles = list(ArticlePage.objects.live().specific())
    one_by_one = {a.pk: related._choose(a, related.LIMIT) for a in articles}

    related.warm([a.pk for a in articles])

    assert {a.pk: [r.pk for r in related.related_articles(a)] for a in articles} == one_by_one


def test_one_copy_of_a_teaser_serves_lists_and_read_more_at_their_heading_levels(newsroom, client):
    first = newsroom.article("Ferries run again", tags=["ferries"], published_at=days_ago(2))
    second = newsroom.article("Ferry strike ends", tags=["ferries"], published_at=days_ago(1))

    def levels(url: str) -> dict[str, str]:
        response = client.get(url)
        assert b"\x00" not in response.content
        page = BeautifulSoup(response.content, "html.parser")
        return {h.get_text(strip=True): h.name for h in page.select(".teaser__headline")}

    tag_list = levels("/en/tags/ferries/")  # renders both teasers first
    assert tag_list == {"Ferries run again": "h2", "Ferry strike ends": "h2"}
    assert levels(second.url) == {"Ferries run again": "h3"}  # the same copy, as h3
    assert levels(first.url) == {"Ferry strike ends": "h3"}
    assert levels("/en/tags/ferries/") == tag_list
