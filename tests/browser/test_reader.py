"""A reader's visit, in a real browser: from the front page to a story, its other language,
search and tags; and the promises a reader page makes to readers behind a block."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.factories import PhotoFactory, paragraph

pytestmark = pytest.mark.browser

HEADLINE = "Ferry crews strike over six months of unpaid wages"
HEADLINE_RU = "Экипажи паромов бастуют из-за невыплаченной зарплаты"
SCREENSHOT = "/tmp/samizdat-article.png"


@dataclass
class Story:
    en: object
    ru: object


@pytest.fixture
def story(live_newsroom) -> Story:
    """A front page with a few stories, one of them a full article with its Russian edition."""
    vera = live_newsroom.author("Vera Ostrova")
    ivan = live_newsroom.author("Ivan Lodkin")
    for number, section in enumerate(["news", "culture", "news"], start=1):
        live_newsroom.article(
            f"Earlier story number {number}",
            section=section,
            authors=[ivan],
            lead_image=PhotoFactory(),
            standfirst="A shorter item from earlier in the week.",
        )
    article = live_newsroom.article(
        HEADLINE,
        section="news",
        authors=[vera, ivan],
        tags=["river", "labour"],
        lead_image=PhotoFactory(),
        standfirst="The river's last crossing stopped at dawn as crews walked off the boats.",
        body=[
            paragraph("Crews of the north river ferries stopped work at five this morning."),
            paragraph("The operator owes them wages since the spring, the drydock union says."),
            ("subhead", "Passengers stranded"),
            paragraph("Commuters waited on the pier for boats that did not come."),
            ("quote", {"text": "We will sail when we are paid.", "attribution": "A deckhand"}),
            paragraph("The city said it would meet both sides on Monday."),
        ],
    )
    russian = live_newsroom.article(HEADLINE_RU, language="ru", translation_of=article)
    return Story(en=article, ru=russian)


def test_reader_goes_from_front_page_through_section_to_article(page, reader, story):
    page.goto(reader("/en/"))
    page.locator("nav.sections").get_by_role("link", name="News", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("News")

    page.get_by_role("link", name=HEADLINE).click()

    expect(page).to_have_url(reader(story.en.url))
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(page.locator(".byline")).to_have_text("By Vera Ostrova and Ivan Lodkin")
    lead = page.locator("figure.story__lead")
    expect(lead.get_by_role("img")).to_be_visible()
    assert lead.get_by_role("img").evaluate("img => img.complete && img.naturalWidth > 0")
    expect(lead.locator("figcaption")).to_contain_text("The morning ferry leaves the north pier.")
    expect(lead.locator(".credit")).to_have_text("Photo: Ida Test / Test Agency")
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_language_switcher_leads_to_the_russian_edition_of_the_same_article(page, reader, story):
    page.goto(reader(story.en.url))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()

    expect(page).to_have_url(reader(story.ru.url))
    assert story.ru.url.startswith("/ru/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE_RU)


def test_reader_finds_an_article_by_a_word_from_its_body(page, reader, story):
    page.goto(reader("/en/"))

    page.get_by_role("searchbox").fill("drydock")
    page.get_by_role("searchbox").press("Enter")

    expect(page).to_have_url(reader("/en/search/?q=drydock"))
    results = page.locator("main .teaser")
    expect(results).to_have_count(1)
    results.get_by_role("link", name=HEADLINE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)


def test_reader_opens_a_tag_page_from_the_article(page, reader, story):
    page.goto(reader(story.en.url))

    page.locator(".story__tags").get_by_role("link", name="labour").click()

    expect(page).to_have_url(reader("/en/tags/labour/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories tagged “labour”")
    expect(page.locator("main .teaser").get_by_role("link", name=HEADLINE)).to_be_visible()


def test_article_page_loads_everything_from_its_own_server_and_nothing_else(page, reader, story):
    requested, failed = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: response.ok or failed.append(response.url))

    page.goto(reader(story.en.url), wait_until="networkidle")
    # Lazy images below the fold load only when scrolled to.
    page.mouse.wheel(0, 20_000)
    page.wait_for_load_state("networkidle")

    assert any(url.endswith(".css") for url in requested), requested
    assert any("/media/images/" in url for url in requested), requested
    elsewhere = [url for url in requested if not url.startswith(reader.url + "/")]
    assert elsewhere == []
    assert failed == []


def test_article_is_fully_readable_with_javascript_off(browser, reader, story):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(reader(story.en.url))

        expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
        body = page.locator(".story__body > p")
        expect(body.first).to_contain_text("Crews of the north river ferries")
        expect(body).to_have_count(4)
        for index in range(4):
            expect(body.nth(index)).to_be_visible()
        lead = page.locator("figure.story__lead img")
        expect(lead).to_be_visible()
        assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    finally:
        context.close()


def test_keyboard_user_reaches_the_skip_link_first(page, reader, story):
    page.goto(reader(story.en.url))

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(reader(story.en.url) + "#main")
    expect(page.locator("main")).to_be_focused()
