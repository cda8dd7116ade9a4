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
from urllib.parse import quote

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


def _get(client, url: str) -> tuple[float, list[dict], float]:
    """Wall seconds, the queries made and CPU seconds of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cpu = time.process_time()
        started = time.perf_counter()
        response = client.get(url)
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


def reader_pages(article) -> dict[str, str]:
    """The URL of each reader page type around `article`: the article itself, its edition's
    home, its section, its first tag, its first author and a search for a word of its title."""
    home = article.get_parent().get_parent().specific
    tag = article.tags.order_by("name").first()
    author = next(iter(article.byline), None)
    word = next(iter(re.findall(r"\w{5,}", article.title)), "river")
    urls = {
        "article": article.url,
        "home": home.url,
        "section": article.get_parent().url,
        "tag": home.url + home.reverse_subpage("tag", args=[tag.slug]) if tag else None,
        "author": author.url if author else None,
        "search": f"{home.url}{home.reverse_subpage('search')}?q={quote(word)}",
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
                f"  {kind:<13} {render.cpu_ms:6.1f} ms CPU  {render.median_ms:6.1f} ms wall  "
                f"{render.queries:3d} queries{ratio}"
            )
        if self.plain:
            rows.append(
                f"  {'plain Wagtail':<13} {self.plain.cpu_ms:6.1f} ms CPU  "
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
    return result
