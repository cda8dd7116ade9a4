"""Most read: a beacon adds one to an article's count for the day; nothing about the reader is
kept; the front page lists the week's most read stories in its own language."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samizdat.reach import pageviews
from samizdat.reach.models import PageViewCount
from samizdat.reach.pageviews import BEACONS_PER_MINUTE, most_read, record_view


def beacon(client, page, language: str = "en", **extra):
    return client.post(f"/{language}/reach/viewed/{page.pk}/", **extra)


def views(page) -> int:
    return sum(PageViewCount.objects.filter(page=page).values_list("views", flat=True))


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def story(newsroom):
    return newsroom.article("Ferry crews strike")


# The beacon ---------------------------------------------------------------------------------


def test_each_beacon_adds_one_view_of_the_article_today(client, story):
    for _ in range(3):
        response = beacon(client, story)
        assert response.status_code == 204

    row = PageViewCount.objects.get()
    assert (row.day, row.page_id, row.views) == (timezone.localdate(), story.pk, 3)


def test_a_new_day_starts_a_new_count(story):
    record_view(story.pk, day=days_ago(1))
    record_view(story.pk)
    record_view(story.pk)
    counts = dict(PageViewCount.objects.values_list("day", "views"))
    assert counts == {days_ago(1): 1, timezone.localdate(): 2}


def test_nothing_about_the_reader_is_stored_or_set(client, story):
    response = beacon(
        client,
        story,
        HTTP_USER_AGENT="Mozilla/5.0 (Reader's own browser)",
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.cookies == {}
    assert response["Cache-Control"] == "no-store"
    # The whole record: a day, a page and a number.
    assert {field.name for field in PageViewCount._meta.get_fields()} == {
        "id",
        "day",
        "page",
        "views",
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {PageViewCount._meta.db_table}")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "203.0.113.7" not in stored and "Mozilla" not in stored


def test_only_live_articles_count(client, newsroom, story):
    draft = newsroom.article("Not yet", live=False)
    section = newsroom.section("news")
    for page in (draft, section, newsroom.homes["en"]):
        assert beacon(client, page).status_code == 204  # the same answer, nothing learnt
    assert client.post("/en/reach/viewed/999999/").status_code == 204
    assert not PageViewCount.objects.exists()


def test_the_beacon_only_takes_posts(client, story):
    assert client.get(f"/en/reach/viewed/{story.pk}/").status_code == 405
    assert not PageViewCount.objects.exists()


def test_one_client_cannot_push_a_story_up_the_list(client, story):
    for _ in range(BEACONS_PER_MINUTE + 20):
        beacon(client, story)
    assert views(story) == BEACONS_PER_MINUTE


def test_the_beacon_needs_no_csrf_token(story):
    from django.test import Client

    assert beacon(Client(enforce_csrf_checks=True), story).status_code == 204
    assert views(story) == 1


# The script ---------------------------------------------------------------------------------


def test_an_article_page_loads_the_beacon_script_with_its_own_address(client, story, newsroom):
    russian = newsroom.article("Паромщики бастуют", language="ru", translation_of=story)
    for page, url in ((story, f"/en/reach/viewed/{story.pk}/"), (russian, None)):
        html = BeautifulSoup(client.get(page.url).content, "html.parser")
        script = html.select_one("script[data-url]")
        assert script["src"] == "/static/reach/viewed.js"
        assert script.has_attr("defer")
        assert script["data-url"] == (url or f"/ru/reach/viewed/{russian.pk}/")


def test_other_pages_count_nothing(client, story):
    for url in ("/en/", "/en/news/", "/en/support/"):
        html = BeautifulSoup(client.get(url).content, "html.parser")
        assert html.select_one("script[data-url]") is None, url


def test_previews_in_the_admin_are_not_counted(rf, story):
    from django.template import Context, Template

    beacon_tag = Template("{% load reach_tags %}{% view_beacon page %}")
    request = rf.get(story.url)
    assert "viewed.js" in beacon_tag.render(Context({"page": story, "request": request}))
    request.is_preview = True
    assert beacon_tag.render(Context({"page": story, "request": request})) == ""


# Most read ----------------------------------------------------------------------------------


@pytest.fixture
def week(newsroom):
    """Four English stories read over the week, one read a lot but long ago, and one Russian."""
    stories = {
        name: newsroom.article(name.title(), tags=["river"])
        for name in ("strike", "budget", "court", "old news")
    }
    stories["russian"] = newsroom.article("Паромщики бастуют", language="ru")
    reads = {
        "strike": {0: 10, 3: 5},
        "budget": {1: 12},
        "court": {6: 3},
        "old news": {7: 500, 30: 900},  # outside the last seven days
        "russian": {0: 40},
    }
    for name, by_day in reads.items():
        for ago, count in by_day.items():
            PageViewCount.objects.create(day=days_ago(ago), page=stories[name], views=count)
    return stories


def test_most_read_adds_up_the_last_seven_days_in_one_language(newsroom, week):
    english = most_read(newsroom.locale("en").pk)
    assert [a.title for a in english] == ["Strike", "Budget", "Court"]
    assert [a.title for a in most_read(newsroom.locale("ru").pk)] == ["Паромщики бастуют"]


def test_unpublished_stories_leave_the_list(newsroom, week):
    week["strike"].unpublish()
    assert [a.title for a in most_read(newsroom.locale("en").pk)] == ["Budget", "Court"]


def test_the_list_is_cached_between_front_page_views(newsroom, week):
    locale = newsroom.locale("en").pk
    most_read(locale)
    PageViewCount.objects.create(day=timezone.localdate(), page=week["court"], views=1000)
    with CaptureQueriesContext(connection) as queries:
        cached = most_read(locale)
    assert len(queries) == 0
    assert cached[0].title == "Strike"


def test_the_list_follows_the_readers_after_the_cache_expires(newsroom, week, monkeypatch):
    locale = newsroom.locale("en").pk
    most_read(locale)
    PageViewCount.objects.create(day=timezone.localdate(), page=week["court"], views=1000)
    monkeypatch.setattr(pageviews.structure, "generation", lambda: -1)  # a new cache key
    assert most_read(locale)[0].title == "Court"


def test_the_front_page_shows_the_most_read_of_its_edition(client, newsroom, week):
    english = BeautifulSoup(client.get("/en/").content, "html.parser").select_one(".most-read")
    assert english.h2.get_text() == "Most read this week"
    assert [a.get_text() for a in english.select("ol a")] == ["Strike", "Budget", "Court"]
    assert english.select_one("ol a")["href"] == week["strike"].url

    russian = BeautifulSoup(client.get("/ru/").content, "html.parser").select_one(".most-read")
    assert [a.get_text() for a in russian.select("ol a")] == ["Паромщики бастуют"]


def test_no_most_read_list_before_anything_was_read(client, newsroom, story):
    html = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert html.select_one(".most-read") is None
