"""The full-page cache: what anonymous readers get from it, what never goes in, and how a
publish, an unpublish or an appeal edit reaches the next reader at once."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from types import SimpleNamespace
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from samizdat.newsroom import structure
from samizdat.newsroom.feeds import FEED_MAX_AGE
from samizdat.pagecache import middleware, store
from samizdat.support.models import Appeal, Donation
from tests.factories import publish
from tests.support.factories import (
    AppealFactory,
    CampaignFactory,
    DonationFactory,
    DonationFormFactory,
)

X_CACHE = "X-Cache"


@pytest.fixture
def story(newsroom):
    return newsroom.article("Ferry strike ends", section="news")


def fetch(client: Client, url: str, **headers):
    response = client.get(url, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_second_anonymous_request_is_a_hit_without_queries_and_the_same_page(
    client, story, django_assert_num_queries
):
    first, first_body = fetch(client, story.url)
    assert first.status_code == 200 and first[X_CACHE] == "miss"

    with django_assert_num_queries(0):
        second, second_body = fetch(client, story.url)

    assert second.status_code == 200 and second[X_CACHE] == "hit"
    assert second_body == first_body
    assert b"Ferry strike ends" in second_body
    for header in ("Content-Type", "Content-Security-Policy", "Permissions-Policy", "ETag"):
        assert second[header] == first[header]
    assert "cookie" not in {name.lower() for name in second.headers}
    assert not second.cookies


@pytest.mark.parametrize(
    "path",
    ["", "news/", "authors/", "feed/rss/", "news/feed/atom/", "tags/ferries/"],
)
def test_reader_pages_of_every_kind_are_cached(client, newsroom, path):
    newsroom.article("Ferry strike ends", tags=["ferries"])
    newsroom.author("Anna Kovar")
    url = newsroom.homes["en"].url + path
    assert fetch(client, url)[0][X_CACHE] == "miss"
    assert fetch(client, url)[0][X_CACHE] == "hit"


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap-news.xml"])
def test_robots_and_news_sitemap_are_cached_whole(client, story, url):
    first, first_body = fetch(client, url)
    second, second_body = fetch(client, url)
    assert (first[X_CACHE], second[X_CACHE]) == ("miss", "hit")
    assert second_body == first_body and len(second_body) == int(second["Content-Length"])
    assert second.streaming == first.streaming


def test_full_sitemap_keeps_streaming_uncached(client, story):
    for _ in range(2):
        response, body = fetch(client, "/sitemap.xml")
        assert response.streaming and response[X_CACHE] == "pass"
        assert story.full_url.encode() in body


def test_pages_of_a_list_are_cached_apart_and_other_queries_are_not(client, newsroom):
    for number in range(25):
        newsroom.article(f"Story {number}")
    section = newsroom.section("news").url
    first_page = fetch(client, section)[1]
    older = re.search(rb'rel="next" href="([^"]+)"', first_page).group(1).decode()
    second_page = fetch(client, older)[1]
    assert first_page != second_page
    assert fetch(client, older)[1] == second_page
    assert fetch(client, older)[0][X_CACHE] == "hit"
    assert fetch(client, section + "?utm_source=mail")[0].get(X_CACHE) is None
    assert fetch(client, section + "?page=2")[0].status_code == 302  # an old link: not stored


def test_search_is_never_cached(client, story):
    search = story.get_parent().get_parent().url + "search/"
    for url in (search, search + "?q=ferry", search + "?q=ferry&page=1"):
        fetch(client, url)
        assert fetch(client, url)[0].get(X_CACHE) != "hit"
    assert b"Ferry strike ends" in fetch(client, search + "?q=ferry")[1]


def test_languages_and_hosts_are_cached_apart(client, newsroom, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", "mirror.example"]
    english = newsroom.article("Ferry strike ends")
    newsroom.article("Забастовка паромщиков", language="ru", translation_of=english)
    assert b"Ferry strike ends" in fetch(client, "/en/")[1]
    assert "Забастовка".encode() in fetch(client, "/ru/")[1]
    fetch(client, "/en/", HTTP_HOST="mirror.example")
    assert fetch(client, "/en/", HTTP_HOST="mirror.example")[0][X_CACHE] == "hit"
    assert b"Ferry strike ends" in fetch(client, "/en/")[1]


def test_edited_and_published_article_shows_its_new_headline_everywhere(client, newsroom, story):
    section = newsroom.section("news")
    urls = [story.url, newsroom.homes["en"].url, section.url, section.url + "feed/rss/"]
    for url in urls:
        fetch(client, url)
        assert fetch(client, url)[0][X_CACHE] == "hit"

    story.title = "Ferry strike ends after 40 days"
    publish(story)

    for url in urls:
        response, body = fetch(client, url)
        assert response[X_CACHE] == "miss", url
        assert b"Ferry strike ends after 40 days" in body, url


def run_in_another_process(code: str, data_dir) -> None:
    """`code` in a fresh Python with this project's settings and this test's data folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="samizdat.settings", SAMIZDAT_DATA_DIR=str(data_dir))
    subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], env=env, check=True
    )


def test_without_redis_a_publish_in_another_process_shows_here_at_once(
    client, newsroom, story, settings, tmp_path
):
    """Each process keeps its own cache; the cron job that publishes scheduled stories, or the
    other application worker that took the editor's click, is another process."""
    assert tmp_path / "generations" == settings.SAMIZDAT_GENERATIONS_DIR
    urls = [story.url, newsroom.homes["en"].url]
    for url in urls:
        fetch(client, url)
        assert fetch(client, url)[0][X_CACHE] == "hit"

    # The other process's publish: the row changes, then its signals move the generations on.
    Page.objects.filter(pk=story.pk).update(title="Ferry strike ends after 40 days")
    run_in_another_process(
        "from samizdat.newsroom import structure; structure.bump()",
        data_dir=tmp_path,
    )

    for url in urls:
        response, body = fetch(client, url)
        assert response[X_CACHE] == "miss", url
        assert b"Ferry strike ends after 40 days" in body, url


def test_unpublished_article_is_gone_at_once(client, newsroom, story):
    home = newsroom.homes["en"].url
    fetch(client, story.url), fetch(client, home)
    assert fetch(client, story.url)[0][X_CACHE] == "hit"

    story.unpublish()

    assert client.get(story.url).status_code == 404
    assert b"Ferry strike ends" not in fetch(client, home)[1]


def test_moved_or_deleted_article_leaves_the_lists(client, newsroom, story):
    culture = newsroom.section("culture")
    news = newsroom.section("news")
    fetch(client, news.url)
    story.move(culture, pos="last-child")
    assert b"Ferry strike ends" not in fetch(client, news.url)[1]
    assert b"Ferry strike ends" in fetch(client, culture.url)[1]

    story.refresh_from_db()
    story.delete()
    assert b"Ferry strike ends" not in fetch(client, culture.url)[1]


def test_an_editor_never_gets_nor_fills_the_cache(client, admin_client, story):
    editors = admin_client.get(story.url)
    assert editors.status_code == 200
    assert X_CACHE not in editors
    assert "private" in editors["Cache-Control"] and "no-cache" in editors["Cache-Control"]
    assert "public" not in editors["Cache-Control"]
    assert client.get(story.url)[X_CACHE] == "miss"  # the editor's visit stored nothing

    assert client.get(story.url)[X_CACHE] == "hit"
    assert X_CACHE not in admin_client.get(story.url)


def test_preview_and_admin_are_never_cached(admin_client, story):
    preview = f"/admin/pages/{story.pk}/edit/preview/?mode="
    for url in (preview, f"/admin/pages/{story.pk}/edit/", "/admin/"):
        admin_client.get(url)
        response = admin_client.get(url)
        assert response.get(X_CACHE) != "hit"
        assert "private" in response.get("Cache-Control", "private")


def test_checkout_and_support_pages_are_never_cached(client, story):
    DonationFormFactory()
    for url in ("/en/support/", "/en/support/checkout/"):
        for _ in range(2):
            response = client.get(url)
            assert response.get(X_CACHE) != "hit"
            assert "public" not in response.get("Cache-Control", "")
    for _ in range(2):
        response = client.post("/en/support/checkout/", {"amount": "5", "frequency": "once"})
        assert X_CACHE not in response
        assert "no-store" in response["Cache-Control"]


def test_a_page_that_sets_a_cookie_is_not_cached(client, story):
    # A password-protected article asks for its password with a form, which sets a CSRF cookie.
    PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(2):
        response = client.get(story.url)
        assert response.status_code == 200 and response.cookies
        assert response[X_CACHE] == "pass"


def test_restricting_a_cached_page_takes_it_from_the_cache(client, story):
    fetch(client, story.url)
    PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    assert client.get(story.url)[X_CACHE] == "pass"


def test_cached_page_carries_http_cache_headers(client, story):
    response = client.get(story.url)
    again = client.get(story.url)
    for answer in (response, again):
        # Browsers ask again each time (a donor sees the goal move); CDNs keep it a minute.
        assert set(answer["Cache-Control"].split(", ")) == {"public", "max-age=0", "s-maxage=60"}
        assert answer["ETag"].startswith('"') and answer["Last-Modified"].endswith("GMT")
    assert again["ETag"] == response["ETag"]

    feed = story.get_parent().url + "feed/rss/"
    client.get(feed)
    cached_feed = client.get(feed)
    assert cached_feed[X_CACHE] == "hit"
    assert set(cached_feed["Cache-Control"].split(", ")) == {"public", f"max-age={FEED_MAX_AGE}"}


def test_a_page_from_the_cache_says_how_many_seconds_ago_it_was_stored(client, story, monkeypatch):
    clock = SimpleNamespace(time=lambda: 1_700_000_000.0)
    monkeypatch.setattr(middleware, "time", clock)
    stored = client.get(story.url)
    assert stored[X_CACHE] == "miss" and "Age" not in stored

    clock.time = lambda: 1_700_000_042.9
    again = client.get(story.url)

    assert again[X_CACHE] == "hit"
    assert again["Age"] == "42"
    assert again["Last-Modified"] == stored["Last-Modified"] == "Tue, 14 Nov 2023 22:13:20 GMT"


@pytest.mark.parametrize("cached", [False, True])
def test_if_none_match_gets_304_with_an_empty_body(client, story, cached):
    etag = client.get(story.url)["ETag"]
    if not cached:
        # Rendered again, with the same bytes: published again at the same time (a later
        # one would be an edit, which the page's modified time tells search engines of).
        publish(story, story.last_published_at)
    response = client.get(story.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert response[X_CACHE] == ("hit" if cached else "miss")
    assert client.get(story.url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_if_modified_since_gets_304(client, story):
    last_modified = client.get(story.url)["Last-Modified"]
    response = client.get(story.url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304 and response.content == b""
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(story.url, HTTP_IF_MODIFIED_SINCE=older).status_code == 200


@pytest.mark.usefixtures("fresh_cache")
def test_editing_an_appeal_shows_on_the_next_page(client, story):
    DonationFormFactory()
    appeal = AppealFactory(kind=Appeal.Kind.MODAL, variants=[{"headline": "Keep us going"}])
    fetch(client, story.url)
    assert b"Keep us going" in fetch(client, story.url)[1]

    variant = appeal.variants.get()
    variant.headline = "Winter is coming: help us"
    structure_before = structure.generation()
    variant.save()

    response, body = fetch(client, story.url)
    assert response[X_CACHE] == "miss"
    assert b"Winter is coming: help us" in body and b"Keep us going" not in body
    # Navigation, "Read more" and teasers did not change: they stay cached.
    assert structure.generation() == structure_before


def goal_frame_of(body: bytes) -> str:
    """The address of the goal's frame on a page (one goal on it)."""
    page = BeautifulSoup(body, "html.parser")
    (frame,) = page.select(".goal iframe")
    assert frame["title"] == "This month's funding goal"
    return frame["src"]


def goal_figure(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200 and not response.cookies
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    return BeautifulSoup(response.content, "html.parser").select_one(".goal__text").get_text()


@pytest.mark.usefixtures("fresh_cache")
def test_a_paid_gift_leaves_the_stored_article_page_untouched_while_the_goal_shows_the_new_total(
    client, story, django_capture_on_commit_callbacks
):
    DonationFormFactory()
    CampaignFactory()
    AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE)
    fetch(client, story.url)
    stored, body = fetch(client, story.url)
    assert stored[X_CACHE] == "hit"
    goal = goal_frame_of(body)
    assert goal == "/en/support/goal/"
    assert goal_figure(client, goal) == "$0 of $10,000 this month"

    gift = DonationFactory(status=Donation.Status.PENDING, amount_minor=2500)
    gift.status, gift.paid_at = Donation.Status.PAID, timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        gift.save(update_fields=["status", "paid_at"])

    # The same stored entry (same ETag, same time of storing), not a page rendered again...
    after, after_body = fetch(client, story.url)
    assert after[X_CACHE] == "hit" and after_body == body
    assert (after["ETag"], after["Last-Modified"]) == (stored["ETag"], stored["Last-Modified"])
    # ...and the goal's own answer, which browsers keep a minute at most, has the gift.
    assert goal_figure(client, goal) == "$25 of $10,000 this month"


@pytest.mark.usefixtures("fresh_cache")
def test_stored_pages_survive_a_hundred_gifts(client, newsroom, story):
    DonationFormFactory()
    CampaignFactory()
    AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE)
    AppealFactory(kind=Appeal.Kind.BANNER)
    urls = [story.url, newsroom.homes["en"].url, story.get_parent().url]
    for url in urls:
        fetch(client, url)
    assert goal_figure(client, "/en/support/goal/") == "$0 of $10,000 this month"

    for _ in range(100):
        DonationFactory(amount_minor=100)

    assert [fetch(client, url)[0][X_CACHE] for url in urls] == ["hit"] * len(urls)
    assert goal_figure(client, "/en/support/goal/") == "$100 of $10,000 this month"


@pytest.mark.usefixtures("fresh_cache")
def test_publishing_an_appeal_change_forgets_only_pages_showing_appeals(client, newsroom, story):
    appeal = AppealFactory(kind=Appeal.Kind.BANNER, variants=[{"headline": "Keep us going"}])
    feed = story.get_parent().url + "feed/rss/"
    lists = [newsroom.homes["en"].url, story.get_parent().url, "/robots.txt"]
    for url in (story.url, feed, *lists):
        fetch(client, url)
    feed_before = fetch(client, feed)[0]

    variant = appeal.variants.get()
    variant.headline = "Winter is coming: help us"
    variant.save()

    response, body = fetch(client, story.url)
    assert response[X_CACHE] == "miss" and b"Winter is coming: help us" in body
    # Lists, feeds and robots.txt show no appeal (articles do): still the pages stored before.
    feed_after = fetch(client, feed)[0]
    assert feed_after[X_CACHE] == "hit" and feed_after["ETag"] == feed_before["ETag"]
    assert [fetch(client, url)[0][X_CACHE] for url in lists] == ["hit"] * len(lists)


@pytest.mark.usefixtures("fresh_cache")
def test_a_donation_form_change_forgets_only_pages_showing_the_form(client, newsroom, story):
    form = DonationFormFactory()
    AppealFactory(kind=Appeal.Kind.BANNER)
    # The letter with the form runs in the news section only; culture stories show the banner.
    AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE, sections=[newsroom.section("news")])
    banner_only = newsroom.article("A new season at the opera", section="culture")
    for url in (story.url, banner_only.url):
        fetch(client, url)

    form.minimum_minor = 500
    form.save()

    response, body = fetch(client, story.url)
    assert response[X_CACHE] == "miss" and b'min="5"' in body  # the letter's form
    assert fetch(client, banner_only.url)[0][X_CACHE] == "hit"


def test_a_page_that_read_a_generation_no_page_follows_is_not_stored():
    current = {"pages": 7, "pages:appeals": 8, "pages:forms": 9}

    assert store.generations_of({"structure", "appeals"}, current) == (
        ("pages", 7),
        ("pages:appeals", 8),
    )
    # The goal's progress moves with every gift: a page showing it would be served stale.
    assert store.generations_of({"structure", "progress"}, current) is None


def test_the_cache_can_be_switched_off(client, story, settings):
    settings.SAMIZDAT_PAGE_CACHE = False
    client.get(story.url)
    response = client.get(story.url)
    assert X_CACHE not in response and "ETag" not in response


def test_publishing_purges_the_article_and_its_lists_from_the_cdn(client, newsroom, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "purge": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://cache.internal:6081",
        }
    }
    section = newsroom.section("news")
    with mock.patch("wagtail.contrib.frontend_cache.backends.http.urlopen") as urlopen:
        story = newsroom.article("Ferry strike ends")

    purged = {(r.get_method(), r.full_url, r.get_header("Host")) for r in _requests(urlopen)}
    for path in (story.url, section.url, section.url + "feed/rss/", "/en/", "/en/feed/atom/"):
        assert ("PURGE", f"http://cache.internal:6081{path}", "localhost") in purged, path
    # Each language edition of the article's address, as Wagtail does for i18n sites.
    assert (
        "PURGE",
        f"http://cache.internal:6081{story.url.replace('/en/', '/ru/')}",
        "localhost",
    ) in purged


def _requests(urlopen: mock.Mock) -> list:
    return [call.args[0] for call in urlopen.call_args_list]


def test_forget_cached_pages_command_empties_the_cache(client, story):
    client.get(story.url)
    assert client.get(story.url)[X_CACHE] == "hit"
    call_command("forget_cached_pages", stdout=io.StringIO())
    assert client.get(story.url)[X_CACHE] == "miss"


X_ACCEL_EXPIRES = "X-Accel-Expires"


def test_nginx_in_front_may_keep_a_stored_page_ten_seconds(client, story):
    miss, hit = client.get(story.url), client.get(story.url)
    assert (miss[X_CACHE], hit[X_CACHE]) == ("miss", "hit")
    assert miss[X_ACCEL_EXPIRES] == hit[X_ACCEL_EXPIRES] == "10"
    # Browsers and CDNs still go by Cache-Control; nginx keeps X-Accel-Expires to itself.
    assert "s-maxage=60" in hit["Cache-Control"]


def test_front_cache_time_follows_the_setting(client, story, settings):
    settings.SAMIZDAT_FRONT_CACHE_SECONDS = 3
    client.get(story.url)
    assert client.get(story.url)[X_ACCEL_EXPIRES] == "3"
    settings.SAMIZDAT_FRONT_CACHE_SECONDS = 0
    client.get(story.url)
    hit = client.get(story.url)
    assert hit[X_CACHE] == "hit" and X_ACCEL_EXPIRES not in hit


def test_nothing_personal_or_unfinished_tells_nginx_to_keep_it(client, admin_client, story):
    DonationFormFactory()
    search = story.get_parent().get_parent().url + "search/?q=ferry"
    client.get(story.url)  # stored: an editor must still not get it
    answers = {
        "editor": admin_client.get(story.url),
        "editor again": admin_client.get(story.url),
        "support page": client.get("/en/support/"),
        "checkout": client.get("/en/support/checkout/"),
        "checkout POST": client.post("/en/support/checkout/", {"amount": "5"}),
        "POST to an article": client.post(story.url),
        "search": client.get(search),
        "search again": client.get(search),
        "not found": client.get("/en/no-such-story/"),
        "not modified": client.get(story.url, HTTP_IF_NONE_MATCH=client.get(story.url)["ETag"]),
        "other query": client.get(story.url + "?utm_source=mail"),
        "admin": admin_client.get("/admin/"),
    }
    assert answers["not found"].status_code == 404
    assert answers["not modified"].status_code == 304
    for name, response in answers.items():
        assert X_ACCEL_EXPIRES not in response, name


def test_a_page_that_sets_a_cookie_does_not_tell_nginx_to_keep_it(client, story):
    PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(2):
        response = client.get(story.url)
        assert response.cookies and X_ACCEL_EXPIRES not in response
