"""What a first visit finds, in a real browser: the support page holds still while it loads,
and "Remind me later" keeps the reader on the article."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from samizdat.support.models import Appeal, Reminder
from tests.browser.goal import goal_in
from tests.support.factories import AppealFactory, CampaignFactory, DonationFormFactory

pytestmark = pytest.mark.browser

# Lighthouse calls a page's layout stable below 0.1 (web.dev/articles/cls). The support page
# has nothing that arrives late once its form is laid out, so it is held to far less: before
# the form was laid out by CSS alone it shifted 0.03 to 0.05 in these tests when support.js
# started, which 0.1 would let through.
STILL = 0.01
CLS_SCRIPT = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture
def support_settings(live_newsroom):
    cache.clear()  # the rate limits of earlier tests, counted on the same loopback address
    DonationFormFactory()
    CampaignFactory(goal_minor=1_000_000)
    return live_newsroom


def cumulative_layout_shift(page, url: str) -> float:
    page.add_init_script(CLS_SCRIPT)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # shifts are reported after the frame that made them
    return page.evaluate("window.__cls")


@pytest.mark.parametrize("width", [1280, 1024, 390])
@pytest.mark.parametrize("path", ["/en/support/", "/ru/support/"])
def test_the_support_page_holds_still_while_it_loads(
    browser, reader, support_settings, path, width
):
    context = browser.new_context(viewport={"width": width, "height": 700})
    try:
        shift = cumulative_layout_shift(context.new_page(), reader(path))
    finally:
        context.close()
    print(f"CLS of {path} at {width} px: {shift:.3f}")
    assert shift < STILL


@pytest.fixture
def article(support_settings):
    return support_settings.article(
        "Ferry crews strike over six months of unpaid wages",
        authors=[support_settings.author("Vera Ostrova")],
    )


def test_remind_me_later_keeps_the_reader_on_the_article(page, reader, article):
    AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE)
    page.goto(reader(article.url))
    letter = page.locator("section.appeal-letter")

    letter.get_by_text("Remind me later.").click()
    letter.get_by_role("button", name="Remind me").click()

    expect(letter.get_by_role("status")).to_contain_text("We won't ask you again")
    assert page.url == reader(article.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    assert not Reminder.objects.exists()  # no address given: nothing kept on the server


def test_without_javascript_remind_me_later_leads_back_to_the_article(browser, reader, article):
    AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(reader(article.url))
        letter = page.locator("section.appeal-letter")
        letter.get_by_text("Remind me later.").click()
        letter.get_by_label("E-mail (optional)").fill("later@example.org")
        letter.get_by_label("Send me one reminder by e-mail in 7 days").check()
        letter.get_by_role("button", name="Remind me").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("We will remind you")

        page.get_by_role("link", name="Back to what you were reading").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
        assert page.url == reader(article.url)
        assert Reminder.objects.get().email == "later@example.org"
    finally:
        context.close()


@pytest.mark.parametrize("show_goal", [True, False])
def test_the_banner_shows_the_goal_only_when_told_to(page, reader, article, show_goal):
    AppealFactory(kind=Appeal.Kind.BANNER, show_goal=show_goal)
    page.goto(reader(article.url))
    banner = page.locator("aside.appeal-banner")
    expect(banner).to_be_visible()

    if show_goal:
        expect(goal_in(banner)).to_have_text("$0 of $10,000 this month")
    else:
        expect(banner.locator(".goal")).to_have_count(0)
