"""Render cost of one article and of search, in this process, through Django's test client.

Runs with bench.settings, which has no full-page cache: every sample renders the page.
"cold" empties the bench's Redis database (the structure cache, renditions) before each sample;
"warm" renders again with those caches filled, as most uncached renders in production are.
`page_types` gives each reader page type's render CPU (this process's CPU time, so the time the
database and Redis spend is not counted, but the time spent talking to them is), beside the
plain-Wagtail reference page rendered in the same run: the ratio cancels the machine's load.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote, urljoin

from .common import say

SAMPLES = int(os.environ.get("BENCH_RENDER_SAMPLES", "30"))
SEARCH_SAMPLES = int(os.environ.get("BENCH_SEARCH_SAMPLES", "15"))
# With this many articles or more, the slowest queries of a cold render are printed too.
SHOW_QUERIES_FROM = 10_000


@dataclass
class Render:
    """Median wall time, median CPU time and the query count of one URL."""

    label: str
    median_ms: float
    queries: int
    slowest: list[tuple[float, str]]
    cpu_ms: float = 0.0

    def row(self) -> str:
        return f"  {self.label:<40} {self.median_ms:7.1f} ms   {self.queries:3d} queries"

    @property
    def depth(self) -> str:
        """The page number a deep list page's label names ("section, page 50 by …")."""
        return self.label.split("page ")[1].split(" ")[0]


def _get(client, url: str) -> tuple[float, list[dict], float]:
    """Wall seconds, the queries made and CPU seconds of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cpu = time.process_time()
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:  # a sitemap is written as it is sent
            b"".join(response.streaming_content)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}")
    return seconds, queries.captured_queries, cpu


def measure(
    label: str, url: str, cold: bool, samples: int = SAMPLES, quiet: bool = False
) -> Render:
    from django.core.cache import caches
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    _get(client, url)  # import, compile templates, open the connection
    times, cpus, counts, queries = [], [], [], []
    for _ in range(samples):
        if cold:
            for name in ("default", "renditions"):
                caches[name].clear()
        seconds, queries, cpu = _get(client, url)
        times.append(seconds)
        cpus.append(cpu)
        counts.append(len(queries))
    slowest = sorted(((1000 * float(q["time"]), q["sql"]) for q in queries), reverse=True)
    render = Render(
        label,
        1000 * statistics.median(times),
        max(counts),
        slowest[:3],
        cpu_ms=1000 * statistics.median(cpus),
    )
    if not quiet:
        say(render.row())
    return render


def _show_slowest(render: Render) -> None:
    for milliseconds, sql in render.slowest:
        say(f"      {milliseconds:6.1f} ms  {sql[:150]}")


def article(url: str, articles: int) -> dict[str, Render]:
    say(f"Uncached render of {url} with {articles:,} articles (median of {SAMPLES})")
    renders = {
        "cold": measure("cold caches (structure, renditions)", url, cold=True),
        "warm": measure("warm caches, no page cache", url, cold=False),
    }
    if articles >= SHOW_QUERIES_FROM:
        for name, render in renders.items():
            say(f"    slowest queries, {name}:")
            _show_slowest(render)
    return renders


def search(queries: list[str], articles: int) -> dict[str, Render]:
    """The reader's search page on the large archive (samizdat/newsroom/search.py)."""
    from django.db import connection
    from wagtail.models import Locale

    from samizdat.newsroom.search import search_articles

    say(f"Search with {articles:,} articles, PostgreSQL full-text search")
    say(f"  (median of {SEARCH_SAMPLES})")
    english = Locale.objects.get(language_code="en")
    results = {}
    for query in queries:
        # Exact, for the label: the page itself counts no further than its cap.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM newsroom_articlesearchdocument "
                "WHERE locale_id = %s AND vector @@ websearch_to_tsquery('english', %s)",
                [english.pk, query],
            )
            hits = cursor.fetchone()[0]
        search_articles(query, english)  # the same code path the page takes, warmed
        label = f"/en/search/?q={query} ({hits:,} hits)"
        results[query] = measure(
            label, f"/en/search/?q={quote(query)}", cold=False, samples=SEARCH_SAMPLES
        )
        _show_slowest(results[query])
    return results


PAGE_SAMPLES = int(os.environ.get("BENCH_PAGE_SAMPLES", "7"))
# How deep into a section the bench reads, following its "Older" links from the first page.
DEEP_PAGE = 50
_OLDER_LINK = re.compile(r"<a\b[^>]*\brel=\"next\"[^>]*>")
_HREF = re.compile(r"\bhref=\"([^\"]*)\"")


def older_page(client, url: str) -> str | None:
    """The address the page's "Older" link (rel=next) goes to, if it has one."""
    response = client.get(url, follow=True)
    tag = _OLDER_LINK.search(response.content.decode())
    if tag is None:
        return None
    href = unescape(_HREF.search(tag.group(0)).group(1))
    return urljoin(f"http://127.0.0.1{url}", href).removeprefix("http://127.0.0.1")


def deep_page(client, url: str, depth: int = DEEP_PAGE) -> tuple[str, int]:
    """The list page `depth` pages in (or the last, if the list is shorter), reached the way a
    reader or a crawler reaches it: by its "Older" links. Returns it and its number."""
    number = 1
    while number < depth and (older := older_page(client, url)) is not None:
        url, number = older, number + 1
    return url, number


def last_page(client, url: str, per_page: int, stories: int) -> str:
    """The list's last page, by the old numbered address (which may redirect)."""
    response = client.get(f"{url}?page={max(1, -(-stories // per_page))}", follow=True)
    if response.redirect_chain:
        return response.redirect_chain[-1][0]
    return f"{url}?page={max(1, -(-stories // per_page))}"


def pages(urls: dict[str, str], in_section: int, articles: int) -> dict[str, Render]:
    """Every kind of reader page (bench.archive.reader_urls), rendered without the page cache
    (warm structure cache), and the section's 50th page and last page."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    deep, number = deep_page(client, urls["section"])
    every = dict(urls)
    every["section, deep page"] = deep
    every["section, last page"] = last_page(
        client, urls["section"], settings.SAMIZDAT_ARTICLES_PER_PAGE, in_section
    )
    say(
        f"Reader pages with {articles:,} articles ({in_section:,} in the section), warm caches, "
        f"no page cache (median of {PAGE_SAMPLES})"
    )
    labels = {"section, deep page": f"section, page {number} by Older links"}
    return {
        kind: measure(f"{labels.get(kind, kind)}: {url}"[:72], url, False, PAGE_SAMPLES)
        for kind, url in every.items()
    }


def reader_pages(article) -> dict[str, str]:
    """The URL of each reader page type around `article`: the article itself, its edition's
    home, its section and the section's page DEEP_PAGE (or its last) by its "Older" links, its
    first tag, its first author, a search for a word of its title, the edition's feed and the
    sitemaps."""
    from django.test import Client

    home = article.get_parent().get_parent().specific
    section = article.get_parent().url
    tag = article.tags.order_by("name").first()
    author = next(iter(article.byline), None)
    word = next(iter(re.findall(r"\w{5,}", article.title)), "river")
    deep, number = deep_page(Client(HTTP_HOST="127.0.0.1"), section)
    urls = {
        "article": article.url,
        "home": home.url,
        "section": section,
        f"section p{number}": deep if number > 1 else None,
        "tag": home.url + home.reverse_subpage("tag", args=[tag.slug]) if tag else None,
        "author": author.url if author else None,
        "search": f"{home.url}{home.reverse_subpage('search')}?q={quote(word)}",
        "feed (RSS)": f"{home.url}{home.reverse_subpage('feed_rss')}",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/sitemap-news.xml",
    }
    return {kind: url for kind, url in urls.items() if url}


@dataclass
class PageTypes:
    """Render CPU of each reader page type and of the plain-Wagtail reference, same run."""

    renders: dict[str, Render]
    plain: Render | None

    def rows(self) -> list[str]:
        rows = []
        for kind, render in self.renders.items():
            ratio = f"   {render.cpu_ms / self.plain.cpu_ms:5.1f}x plain" if self.plain else ""
            rows.append(
                f"  {kind:<14} {render.cpu_ms:6.1f} ms CPU  {render.median_ms:6.1f} ms wall  "
                f"{render.queries:3d} queries{ratio}"
            )
        if self.plain:
            rows.append(
                f"  {'plain Wagtail':<14} {self.plain.cpu_ms:6.1f} ms CPU  "
                f"{self.plain.median_ms:6.1f} ms wall  {self.plain.queries:3d} queries"
            )
        return rows


def page_types(article, plain_url: str | None, samples: int = SAMPLES) -> PageTypes:
    """Median render CPU of each reader page type, caches warm and no page cache (what a
    reader's uncached request costs a worker), and of the plain-Wagtail page as the yardstick."""
    say(f"Render CPU per page type, warm caches, no page cache (median of {samples})")
    renders = {
        kind: measure(kind, url, cold=False, samples=samples, quiet=True)
        for kind, url in reader_pages(article).items()
    }
    plain = None
    if plain_url:
        plain = measure("plain", plain_url, cold=False, samples=samples, quiet=True)
    result = PageTypes(renders, plain)
    for row in result.rows():
        say(row)
    if not any(kind.startswith("section p") for kind in renders):
        say("  (the section has one page here: its deep pages are in the archive figures)")
    return result
