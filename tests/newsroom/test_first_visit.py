"""What every reader page shows a first-time reader: the way to support the newsroom in its
header and footer, a title that says the newsroom's name once, and no template syntax."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.reader_pages import every_kind_of_reader_page
from tests.test_html_validity import providers, reader_pages  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_every_reader_page_links_to_the_support_page_in_its_header_and_footer(client, newsroom):
    pages = every_kind_of_reader_page(newsroom)
    for name, path in pages.items():
        html = BeautifulSoup(client.get(path).content, "html.parser")
        support = "/ru/support/" if path.startswith("/ru/") else "/en/support/"
        label = "Поддержать" if path.startswith("/ru/") else "Support us"
        for part in ("header.masthead", "footer.footer"):
            links = html.select_one(part).find_all("a", href=support)
            assert [a.get_text(strip=True) for a in links] == [label], (name, part)


def test_the_home_page_title_names_the_newsroom_once(client, newsroom):
    newsroom.section("news")
    title = BeautifulSoup(client.get("/en/").content, "html.parser").title.string
    assert title == "The Test Gazette"
    section = BeautifulSoup(client.get("/en/news/").content, "html.parser").title.string
    assert section == "News — The Test Gazette"


def test_the_support_page_describes_itself_to_search_engines(client, newsroom):
    html = BeautifulSoup(client.get("/en/support/").content, "html.parser")
    description = html.find("meta", attrs={"name": "description"})
    assert description["content"].startswith("The Test Gazette carries no advertising")


TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|%\}")


def test_no_rendered_page_shows_template_syntax(client, newsroom, providers):  # noqa: F811
    pages = reader_pages(client, newsroom)
    assert len(pages) >= 68  # every kind of page was reached
    shown = {name: TEMPLATE_SYNTAX.findall(html) for name, html in pages.items()}
    assert {name: found for name, found in shown.items() if found} == {}
