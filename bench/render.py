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

from .common import say

SAMPLES = int(os.environ.get("BENCH_RENDER_SAMPLES", "30"))
# Search scans the archive: fewer samples keep the whole bench near ten minutes.
SEARCH_SAMPLES = int(os.environ.get("BENCH_SEARCH_SAMPLES", "5"))
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


def search(queries: list[str], articles: int, note: str = "") -> dict[str, Render]:
    from wagtail.models import Locale

    from samizdat.newsroom.models import ArticlePage

    say(
        f"Search with {articles:,} articles, PostgreSQL full-text search{note} "
        f"(median of {SEARCH_SAMPLES})"
    )
    results = {}
    for query in queries:
        hits = (
            ArticlePage.objects.live()
            .filter(locale=Locale.objects.get(language_code="en"))
            .search(query, operator="and")
            .count()
        )
        label = f"/en/search/?q={query} ({hits:,} hits)"
        results[query] = measure(
            label, f"/en/search/?q={query}", cold=False, samples=SEARCH_SAMPLES
        )
        _show_slowest(results[query])
    return results


# Wagtail's database backend matches `(title || body) @@ query`, which none of its own GIN
# indexes (on title, on body) can answer: every search reads the whole index table. This index
# on the expression itself is a proposal, built here in the bench's database only, to show
# what it would change.
PROPOSED_INDEX = (
    "CREATE INDEX IF NOT EXISTS bench_indexentry_title_body "
    "ON wagtailsearch_indexentry USING gin ((title || body))"
)


def search_with_proposed_index(queries: list[str], articles: int) -> dict[str, Render]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(PROPOSED_INDEX)
        cursor.execute("ANALYZE wagtailsearch_indexentry")
    say(
        "Proposal, not in Samizdat: a GIN index on (title || body) of wagtailsearch_indexentry, "
        f"built in {time.perf_counter() - started:.0f} s"
    )
    return search(queries, articles, note=" with that index")
