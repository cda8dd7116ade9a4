"""Render cost of one article and of search, in this process, through Django's test client.

Runs with bench.settings, which has no full-page cache: every sample renders the page.
"cold" empties the bench's Redis database (the structure cache, renditions) before each sample;
"warm" renders again with those caches filled, as most uncached renders in production are.
"""

from __future__ import annotations

import os
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
    """Median wall time and the query count of one URL."""

    label: str
    median_ms: float
    queries: int
    slowest: list[tuple[float, str]]

    def row(self) -> str:
        return f"  {self.label:<40} {self.median_ms:7.1f} ms   {self.queries:3d} queries"


def _get(client, url: str) -> tuple[float, list[dict]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}")
    return seconds, queries.captured_queries


def measure(label: str, url: str, cold: bool, samples: int = SAMPLES) -> Render:
    from django.core.cache import caches
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    _get(client, url)  # import, compile templates, open the connection
    times, counts, queries = [], [], []
    for _ in range(samples):
        if cold:
            for name in ("default", "renditions"):
                caches[name].clear()
        seconds, queries = _get(client, url)
        times.append(seconds)
        counts.append(len(queries))
    slowest = sorted(((1000 * float(q["time"]), q["sql"]) for q in queries), reverse=True)
    render = Render(label, 1000 * statistics.median(times), max(counts), slowest[:3])
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
