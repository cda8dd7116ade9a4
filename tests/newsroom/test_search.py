"""Reader search: what a reader finds, in their language, newest first, never a hidden story.

These run on SQLite (Wagtail's index) and on PostgreSQL (the search documents); the query
syntax and stemming tests need PostgreSQL's web search and are skipped on SQLite only.
"""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from wagtail.models import PageViewRestriction

from samizdat.newsroom import search
from tests.factories import paragraph, publish

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL web search syntax and stemming"
)


def headlines(client, query: str, language: str = "en", **params) -> list[str]:
    response = client.get(f"/{language}/search/", {"q": query, **params})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in page.select(".teaser__headline")]


def count_line(client, query: str) -> str:
    page = BeautifulSoup(client.get("/en/search/", {"q": query}).content, "html.parser")
    return page.select_one(".search-count").get_text(strip=True)


def story(newsroom, title: str, text: str, **kwargs):
    return newsroom.article(title, body=[paragraph(text)], **kwargs)


def test_a_published_story_is_found_by_a_word_of_its_body_in_its_own_language(newsroom, client):
    story(newsroom, "Harbour news", "The old lighthouse keeper retired on Friday.")
    story(newsroom, "Новости гавани", "Смотритель маяка ушёл на пенсию.", language="ru")
    story(newsroom, "Weather", "Rain all week.")

    assert headlines(client, "lighthouse") == ["Harbour news"]
    assert headlines(client, "маяка", language="ru") == ["Новости гавани"]
    assert headlines(client, "lighthouse", language="ru") == []
    assert headlines(client, "маяка") == []
    assert count_line(client, "lighthouse") == "1 story found"
    assert count_line(client, "zeppelin") == "No stories match your search."
    assert headlines(client, "light\x00house") == ["Harbour news"]  # NUL: dropped, no error


def test_results_are_newest_first_and_need_every_word(newsroom, client):
    story(newsroom, "Older ferry story", "The ferry timetable changes in May.")
    story(newsroom, "Newer ferry story", "The ferry timetable changes again.")
    story(newsroom, "Ferry sinks", "The ferry sank.")

    assert headlines(client, "ferry timetable") == ["Newer ferry story", "Older ferry story"]


def test_unpublished_and_deleted_stories_disappear(newsroom, client):
    withdrawn = story(newsroom, "Withdrawn", "A libel about the mayor's quarry.")
    deleted = story(newsroom, "Deleted", "Another quarry story.")
    story(newsroom, "Draft", "A quarry draft.", live=False)
    story(newsroom, "Kept", "The quarry reopens.")
    assert sorted(headlines(client, "quarry")) == ["Deleted", "Kept", "Withdrawn"]

    withdrawn.unpublish()
    deleted.delete()

    assert headlines(client, "quarry") == ["Kept"]
    assert count_line(client, "quarry") == "1 story found"


def test_an_edit_is_found_once_published(newsroom, client):
    article = story(newsroom, "Bridge", "The bridge opens in spring.")
    article.body = [("paragraph", "<p>The viaduct opens in autumn.</p>")]
    article.save_revision()  # a draft: readers still see, and find, the published text
    assert headlines(client, "bridge spring") == ["Bridge"]
    assert headlines(client, "viaduct") == []

    publish(article)

    assert headlines(client, "viaduct") == ["Bridge"]
    assert headlines(client, "spring") == []


def test_stories_behind_a_view_restriction_are_not_found(
    newsroom, client, django_capture_on_commit_callbacks
):
    story(newsroom, "Open story", "The smelter closes.")
    story(newsroom, "Members' story", "The smelter owners talk.", section="members")
    assert sorted(headlines(client, "smelter")) == ["Members' story", "Open story"]

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=newsroom.section("members"), restriction_type="password", password="s3cret"
        )
    assert headlines(client, "smelter") == ["Open story"]
    assert count_line(client, "smelter") == "1 story found"

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert sorted(headlines(client, "smelter")) == ["Members' story", "Open story"]


def test_a_story_moved_under_a_restricted_section_is_not_found(
    newsroom, client, django_capture_on_commit_callbacks
):
    article = story(newsroom, "Moving story", "The tannery moves out of town.")
    members = newsroom.section("members")
    PageViewRestriction.objects.create(page=members, restriction_type="password", password="s3cret")
    assert headlines(client, "tannery") == ["Moving story"]

    story(newsroom, "Staying story", "The tannery stays open.")
    with django_capture_on_commit_callbacks(execute=True):
        article.move(members, pos="last-child")

    assert headlines(client, "tannery") == ["Staying story"]
    assert count_line(client, "tannery") == "1 story found"


def test_results_come_in_pages(newsroom, client, settings):
    settings.SAMIZDAT_ARTICLES_PER_PAGE = 2
    for number in range(1, 6):
        story(newsroom, f"Strike day {number}", "The dockers' strike goes on.")

    assert headlines(client, "dockers") == ["Strike day 5", "Strike day 4"]
    assert headlines(client, "dockers", page=3) == ["Strike day 1"]
    assert count_line(client, "dockers") == "5 stories found"
    assert client.get("/en/search/", {"q": "dockers", "page": 4}).status_code == 404


def test_the_count_stops_at_the_cap(newsroom, client, settings, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 3)
    settings.SAMIZDAT_ARTICLES_PER_PAGE = 2
    for number in range(1, 6):
        story(newsroom, f"Election {number}", "The ballot count goes on.")

    assert count_line(client, "ballot") == "More than 3 stories found"
    assert headlines(client, "ballot", page=2) == ["Election 3"]
    assert client.get("/en/search/", {"q": "ballot", "page": 3}).status_code == 404


@postgresql_only
def test_quotes_or_and_minus_work_as_on_a_web_search_engine(newsroom, client):
    story(newsroom, "Red river", "The river ran red below the dye works.")
    story(newsroom, "Red tape", "A river of red tape at the town hall.")
    story(newsroom, "Blue lake", "The lake stays clear.")

    assert headlines(client, '"river ran red"') == ["Red river"]
    assert headlines(client, "lake OR tape") == ["Blue lake", "Red tape"]
    assert headlines(client, "river -tape") == ["Red river"]


@postgresql_only
def test_words_match_in_any_form_of_their_language(newsroom, client):
    story(newsroom, "Floods", "The river flooded three villages.")
    story(newsroom, "Паводок", "Вода затопила три деревни у реки.", language="ru")

    assert headlines(client, "flooding villages") == ["Floods"]
    assert headlines(client, "деревня", language="ru") == ["Паводок"]


@postgresql_only
def test_headline_byline_and_tags_are_searched_and_rebuild_keeps_results(newsroom, client):
    author = newsroom.author("Marta Quill")
    newsroom.article("Salt marsh survey", authors=[author], tags=["wetlands"])

    assert headlines(client, "marsh") == ["Salt marsh survey"]
    assert headlines(client, "quill") == ["Salt marsh survey"]
    assert headlines(client, "wetlands") == ["Salt marsh survey"]

    search.ArticleSearchDocument.objects.all().delete()
    assert headlines(client, "marsh") == []
    call_command("rebuild_search", verbosity=0)
    assert headlines(client, "marsh") == ["Salt marsh survey"]
