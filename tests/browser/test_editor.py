"""A reporter writes a new story in the admin without knowing what a slug is, and finds the
byline's author by typing part of a name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samizdat.newsroom.models import ArticlePage
from tests.browser.admin import signed_in_client, signed_in_context

pytestmark = pytest.mark.browser


def test_a_new_article_saves_with_a_slug_from_its_headline_and_an_author_found_by_name(
    browser, live_server, live_newsroom
):
    news = live_newsroom.section("news")
    for name in ("Vera Ostrova", "Anna Kovar", "Marek Dolin"):
        live_newsroom.author(name)
    context = signed_in_context(browser, live_server, signed_in_client())
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/pages/add/newsroom/articlepage/{news.pk}/")
        page.locator("#id_title").fill("Ferry crews strike over unpaid wages")
        page.locator("#id_title").press("Tab")
        # On the Promote tab, out of sight: filled in as the headline was typed.
        expect(page.locator("#id_slug")).to_have_value("ferry-crews-strike-over-unpaid-wages")

        page.get_by_role("button", name="Choose an author").click()
        modal = page.locator(".modal-dialog")
        expect(modal.get_by_role("link", name="Anna Kovar")).to_be_visible()  # listed at once
        modal.get_by_label("Search term").press_sequentially("Ost", delay=50)
        expect(modal.get_by_role("link", name="Anna Kovar")).to_be_hidden()
        modal.get_by_role("link", name="Vera Ostrova").click()
        expect(modal).to_be_hidden()

        page.get_by_role("button", name="Save draft").click()

        expect(page.locator(".messages")).to_contain_text("created")
    finally:
        context.close()
    article = ArticlePage.objects.get(title="Ferry crews strike over unpaid wages")
    assert article.slug == "ferry-crews-strike-over-unpaid-wages"
    assert [byline.author.title for byline in article.authors.all()] == ["Vera Ostrova"]
