"""Two language editions: routing, switching, alternates, localized dates and UI strings."""

import datetime

from bs4 import BeautifulSoup
from django.utils import timezone

from samizdat.newsroom.i18n import localize_pages


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def bilingual_story(newsroom, published_at=None):
    english_author = newsroom.author("Anna Kovar")
    russian_author = newsroom.author("Анна Ковар", "ru")
    english = newsroom.article(
        "Ferry strike ends", authors=[english_author], tags=["ferries"], published_at=published_at
    )
    russian = newsroom.article(
        "Забастовка паромщиков закончилась",
        language="ru",
        translation_of=english,
        authors=[russian_author],
        tags=["паромы"],
        published_at=published_at,
    )
    return english, russian


def test_each_language_lives_under_its_own_prefix(newsroom, client):
    english, russian = bilingual_story(newsroom)
    assert english.url == "/en/news/ferry-strike-ends/"
    assert russian.url == "/ru/news/ferry-strike-ends/"
    ru_page = soup(client.get(russian.url))
    assert ru_page.html["lang"] == "ru"
    assert ru_page.h1.get_text() == "Забастовка паромщиков закончилась"
    assert soup(client.get(english.url)).html["lang"] == "en"


def test_site_root_sends_readers_to_the_edition_in_their_language(newsroom, client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5").headers["Location"] == "/ru/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB").headers["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").headers["Location"] == "/en/"


def test_language_switcher_links_to_the_same_story_in_the_other_language(newsroom, client):
    english, russian = bilingual_story(newsroom)
    switcher = soup(client.get(english.url)).select_one("nav.languages")
    link = switcher.select_one("a[hreflang=ru]")
    assert link["href"] == russian.url
    assert link.get_text() == "Русский"
    assert switcher.select_one("[aria-current]").get_text() == "English"


def test_switcher_marks_the_edition_being_read_after_the_other_was_viewed(newsroom, client):
    english, russian = bilingual_story(newsroom)
    client.get(english.url)  # fills the shared cache of the story's editions
    switcher = soup(client.get(russian.url)).select_one("nav.languages")
    assert switcher.select_one("[aria-current]").get_text() == "Русский"
    assert switcher.select_one("a[hreflang=en]")["href"] == english.url


def test_switcher_is_absent_when_a_story_has_no_translation(newsroom, client):
    lonely = newsroom.article("Only in English")
    assert not soup(client.get(lonely.url)).select_one("nav.languages")


def test_unpublished_translation_is_not_offered(newsroom, client):
    english = newsroom.article("Draft translation")
    newsroom.article("Черновик", language="ru", translation_of=english, live=False)
    page = soup(client.get(english.url))
    assert not page.select_one("nav.languages")
    assert not page.select('link[hreflang="ru"]')


def test_hreflang_alternates_name_every_edition_with_absolute_urls(newsroom, client):
    english, russian = bilingual_story(newsroom)
    alternates = {
        link["hreflang"]: link["href"]
        for link in soup(client.get(russian.url)).select("link[rel=alternate][hreflang]")
    }
    assert alternates["en"] == "http://localhost/en/news/ferry-strike-ends/"
    assert alternates["ru"] == "http://localhost/ru/news/ferry-strike-ends/"


def test_russian_edition_has_russian_interface_and_dates(newsroom, client):
    published = timezone.make_aware(datetime.datetime(2026, 3, 14, 10, 30))
    _english, russian = bilingual_story(newsroom, published_at=published)
    page = soup(client.get(russian.url))
    assert "марта 2026" in page.select_one(".dateline").get_text()
    assert page.select_one(".byline").get_text().startswith("Автор")
    assert page.select_one(".skip-link").get_text() == "Перейти к содержанию"
    assert page.select_one("form[role=search] button").get_text() == "Найти"


def test_russian_byline_links_to_russian_author_page_even_if_article_points_at_english(
    newsroom, client
):
    """An article translated in the admin keeps its English authors; readers see their own."""
    english_author = newsroom.author("Anna Kovar")
    russian_author = english_author.copy_for_translation(newsroom.locale("ru"), copy_parents=True)
    russian_author.title = "Анна Ковар"
    russian_author.save_revision().publish()
    english = newsroom.article("Court hearing", authors=[english_author])
    russian = newsroom.article("Суд", language="ru", translation_of=english)
    assert localize_pages([english_author], russian.locale_id)[0].pk == russian_author.pk
    byline = soup(client.get(russian.url)).select_one(".byline a")
    assert byline.get_text() == "Анна Ковар"
    assert byline["href"].startswith("/ru/")


def test_feeds_and_search_stay_within_their_language(newsroom, client):
    bilingual_story(newsroom)
    ru_section = soup(client.get("/ru/news/"))
    headlines = [h.get_text(strip=True) for h in ru_section.select(".teaser__headline")]
    assert headlines == ["Забастовка паромщиков закончилась"]
