"""Every kind of reader page, in a real browser, asks nothing of any host but ours and breaks
none of its own Content Security Policy: no third-party fonts, scripts, analytics or frames,
nothing inline that the policy would block, and no cookie."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from samizdat.reach.models import PageViewCount
from tests.reader_pages import every_kind_of_reader_page

pytestmark = pytest.mark.browser

ONION = "lanternnewsxyzabcdefghijklmnopqrstuvwxyz234567abcdefghij.onion"
# Records every violation the page's own policy reports, whether or not it reaches the console.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def reader_pages(live_newsroom, settings) -> dict[str, str]:
    """One of each kind of reader page, the article with every appeal and the monthly goal."""
    cache.clear()  # rate limits and cached structure of earlier tests
    settings.SAMIZDAT_ONION_HOST = ONION  # the header is sent; it must not make anything load
    return every_kind_of_reader_page(live_newsroom)


def test_reader_pages_ask_only_our_host_and_break_no_policy(context, reader, reader_pages):
    context.add_init_script(WATCH_CSP)
    for kind, path in reader_pages.items():
        page = context.new_page()
        requested: list[str] = []
        console: list[str] = []
        page.on("request", lambda request, seen=requested: seen.append(request.url))
        page.on("console", lambda message, seen=console: seen.append(message.text))

        response = page.goto(reader(path))
        page.wait_for_load_state("networkidle")

        assert response.status == 200, kind
        assert "script-src 'self'" in response.headers["content-security-policy"], kind
        elsewhere = [url for url in requested if not url.startswith((reader.url + "/", "data:"))]
        assert elsewhere == [], f"{kind} asked other hosts: {elsewhere}"
        violations = page.evaluate("window.__cspViolations")
        violations += [text for text in console if "Content Security Policy" in text]
        assert violations == [], f"{kind} broke its policy: {violations}"
        assert len(requested) > 1, kind  # the stylesheet at least: the listener saw the page
        page.close()
    assert context.cookies() == []


def test_a_reader_in_a_real_browser_counts_one_view_per_tab(page, reader, reader_pages):
    from samizdat.newsroom.models import ArticlePage

    article = ArticlePage.objects.get(slug="ferry-crews-strike-over-six-months-of-unpaid-wages")
    beacons = []
    page.on("request", lambda request: "/reach/viewed/" in request.url and beacons.append(request))

    page.goto(reader(article.url))
    page.wait_for_load_state("networkidle")
    page.reload()
    page.wait_for_load_state("networkidle")

    assert [(b.method, b.url) for b in beacons] == [
        ("POST", reader(f"/en/reach/viewed/{article.pk}/"))
    ]
    assert PageViewCount.objects.get(page=article).views == 1
