"""`make bench`: every figure of issue 5 in one run, then a summary (also bench/results/latest.txt).

    .venv/bin/python -m bench.run [--articles 200000] [--skip-http] [--skip-mirror] [--http-only]
                                  [--render-only]

1. HTTP: one demo article served by nginx from a file, by Samizdat behind nginx's micro-cache
   (the documented production setup), by Samizdat's gunicorn alone (PostgreSQL, Redis) and as a
   plain Wagtail page with no cache; wrk's req/s, p50, p99 and the ratios.
   Pages as files (bench/publish_load.py): nginx serving the article from the page folder
   (README's block) against a plain file, and wrk during a publish of a story of its section.
2. Render CPU of each reader page type (article, home, section and its 50th page by "Older"
   links, tag, author, search, feed, sitemaps) on the demo newsroom, beside the plain
   Wagtail page's; render cost of that article (time, queries) with 200 and with 200,000
   articles, and search.
3. Checkout start against localstripe; 4. webhook events/s and replays; 5. mirror export
   pages/s (bench/mirror.py, on its own SQLite database); 6. WordPress import posts/s and
   queries per post, early and late in a generated 10,000-post export (bench/imports.py).

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, allowed to create databases) and Redis on
127.0.0.1:6379; installs nginx and wrk with apt-get when they are missing. The bench makes its
own database (samizdat_bench_<pid>, dropped at the end) and uses Redis database 3 only.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import time
import warnings
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime

from . import archive, ghost, imports, payments, publish_load, render, throughput, watcher
from .common import (
    ROOT,
    bench_django,
    ensure_debian_packages,
    flush_bench_redis,
    machine,
    say,
)

RESULTS = ROOT / "bench" / "results" / "latest.txt"
# bench/mirror.py builds its own SQLite newsroom: it gets the environment `make bench` had.
ORIGINAL_ENV = dict(os.environ)


def build_site() -> None:
    """What a deployment does: migrate, (here: load the demo newsroom), collectstatic."""
    from django.core.management import call_command
    from django.test import override_settings

    from samizdat.demo.loader import load_demo

    steps = {
        "migrate": lambda: call_command("migrate", interactive=False, verbosity=0),
        "demo newsroom": load_demo,
        # The manifest of hashed names the production storage reads, without compressing
        # every admin asset to gzip and brotli (a minute of CPU that no figure here depends on).
        "collectstatic": lambda: _collectstatic_uncompressed(call_command, override_settings),
    }
    timings = []
    for name, step in steps.items():
        started = time.perf_counter()
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            step()
        timings.append(f"{name} {time.perf_counter() - started:.0f} s")
    say(f"Demo newsroom in PostgreSQL: {', '.join(timings)}")


def _collectstatic_uncompressed(call_command, override_settings) -> None:
    from django.conf import settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)


def pick_article():
    """The newest English demo story with a lead photo: what a reader arriving from a link
    most likely asks for."""
    from samizdat.newsroom.models import ArticlePage

    return (
        ArticlePage.objects.live()
        .filter(locale__language_code="en", lead_image__isnull=False)
        .order_by("-first_published_at")
        .first()
    )


def plain_copy(article) -> str:
    """The same headline and text as a plain Wagtail page beside the edition's sections;
    returns its URL path."""
    from bench.plainwagtail.models import PlainArticle

    home = article.get_parent().get_parent()
    page = PlainArticle(title=article.title, slug="plain-wagtail-article", body=str(article.body))
    home.add_child(instance=page)
    page.save_revision().publish()
    return page.url


def prerender(paths: list[str]) -> None:
    """Render each page once in this process: the image renditions it uses are made here,
    once, as they are on a live site, not in a server's first timed request."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"bench: {path} answered {response.status_code}")


def run_mirror(articles: int) -> dict[str, object]:
    """bench/mirror.py as its own process (it configures Django for a SQLite archive)."""
    jobs = str(os.cpu_count() or 1)
    say(f"Mirror export: bench/mirror.py --articles {articles} --jobs {jobs}")
    process = subprocess.run(
        [
            *(sys.executable, str(ROOT / "bench" / "mirror.py")),
            *("--articles", str(articles), "--jobs", jobs),
        ],
        env=ORIGINAL_ENV,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    output = process.stdout + process.stderr
    for line in process.stdout.splitlines():
        say(f"  {line}")
    if process.returncode:
        say(f"  bench/mirror.py failed ({process.returncode}):\n{process.stderr[-2000:]}")
        return {"error": process.returncode}
    full = re.search(r"([\d.]+) s: (\d+) pages/s", output)
    incremental = re.search(r"^\s+([\d.]+) s \(target: under 1 s\)", output, re.M)
    return {
        "pages_per_second": int(full.group(2)) if full else None,
        "incremental_seconds": float(incremental.group(1)) if incremental else None,
    }


def summary(results: dict, elapsed: float) -> str:
    lines = [
        f"Samizdat bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {elapsed / 60:.1f} min",
        f"Machine: {machine()}",
    ]
    if "http" in results:
        http = results["http"]
        loads = http["loads"]
        nginx, plain = loads["nginx"], loads["plain"]
        lines += [
            f"HTTP, one article ({http['bytes']:,} bytes), wrk -c{throughput.CONNECTIONS} "
            f"-d{throughput.SECONDS}s, server and client on separate cores:",
            *(loads[k].row() for k in ("nginx", "front", "samizdat", "plain")),
        ]
        for key, name in (
            ("front", "behind nginx (documented production)"),
            ("samizdat", "gunicorn alone"),
        ):
            rate = loads[key].requests_per_second
            lines += [
                f"  Samizdat {name}:",
                f"    / nginx static   {rate / nginx.requests_per_second:6.2f}   (target >= 0.5)",
                f"    / plain Wagtail  {rate / plain.requests_per_second:6.2f}   (target >= 10)",
                f"    p99              {loads[key].p99_ms:6.2f} ms (target <= 20 ms)",
            ]
        article, plain_uncached = http["uncached"]["article"], http["uncached"]["plain"]
        lines += [
            "  One connection, no page cache (every request rendered; article target: p50 "
            "<= 17 ms):",
            f"  {article.row()}",
            f"  {plain_uncached.row()}",
            f"    article / plain Wagtail: p50 "
            f"{article.load.p50_ms / plain_uncached.load.p50_ms:.2f} x, "
            f"CPU {article.cpu_ms / plain_uncached.cpu_ms:.2f} x",
        ]
        bad = [what for what, _, right in http["front_checks"] if not right]
        lines += [
            f"  Samizdat's full-page cache: {http['cache']}",
            "  nginx's micro-cache: "
            + (
                f"WRONG for {', '.join(bad)}"
                if bad
                else "hits for readers, X-Accel-Expires kept from them; editors, checkout, POST, "
                "search, 404, Set-Cookie and never_cache answers not kept"
            ),
        ]
    if "page_types" in results:
        lines.append(
            "Render CPU per page type, demo newsroom, warm caches, no page cache, median "
            "(article target: <= 17 ms):"
        )
        lines += results["page_types"].rows()
    if "render" in results:
        lines.append("Uncached article render, median ms / queries (target: <= 12, flat):")
        for size, renders in results["render"].items():
            cold, warm = renders["cold"], renders["warm"]
            lines.append(
                f"  {size:>9,} articles: cold caches {cold.median_ms:6.1f} ms / {cold.queries} "
                f"queries;  warm {warm.median_ms:6.1f} ms / {warm.queries} queries"
            )
        sizes = list(results["render"])
        if len(sizes) == 2:
            small, large = (results["render"][s]["warm"] for s in sizes)
            lines.append(
                f"  time ratio {sizes[1]:,} / {sizes[0]:,}: {large.median_ms / small.median_ms:.2f}"
            )
    if results.get("pages"):
        lines += _pages_summary(results["pages"])
    if "search" in results:
        lines.append("Search on the large archive (target < 100 ms):")
        lines += [r.row() for r in results["search"].values()]
    if "payments" in results:
        checkout, hooks = results["payments"]["checkout"], results["payments"]["webhooks"]
        lines += [
            f"Checkout start against localstripe: {checkout['rate']:.1f} requests/s",
            f"Webhooks, receipts queued: {hooks['rate']:.0f} events/s (target >= 200); replays "
            f"{hooks['replay_rate']:.0f} events/s, "
            f"{'no-ops' if hooks['replay_noop'] else 'CHANGED RECORDS'}",
        ]
        if "webhooks_parallel" in results["payments"]:
            parallel = results["payments"]["webhooks_parallel"]
            lines.append(
                f"Webhooks, 8 at a time to gunicorn -w 2, receipts queued: "
                f"{parallel['rate']:.0f} events/s (target >= 200)"
            )
        if "webhooks_immediate" in results["payments"]:
            immediate = results["payments"]["webhooks_immediate"]
            lines.append(
                f"Webhooks, receipts mailed in the request: {immediate['rate']:.0f} events/s"
            )
    if "watcher" in results:
        watch = results["watcher"]
        rate, low, high = watch["detected_per_s"]
        lines.append(
            f"Payments to an address, {watch['count']:,} open Bitcoin requests, {watch['runs']} "
            f"rounds: median {rate:.0f} detected/s (range {low:.0f}-{high:.0f}; target >= 200); "
            f"a payment request {watch['request_ms'][0]:.1f} ms "
            f"({watch['requests_per_s'][0]:.0f}/s); a run with nothing new "
            f"{watch['idle_s'][0]:.2f} s"
        )
    if "page_files" in results:
        lines += publish_load.summary_lines(results["page_files"])
    if "imports" in results:
        lines += imports.summary_lines(results["imports"])
    if "mirror" in results:
        mirror = results["mirror"]
        lines.append(
            f"Mirror export: {mirror.get('pages_per_second')} pages/s (target 300); one change "
            f"re-exported in {mirror.get('incremental_seconds')} s (target < 1 s)"
            if "error" not in mirror
            else f"Mirror export: failed ({mirror['error']})"
        )
    load = os.getloadavg()
    lines.append(
        f"Load average at the end: {load[0]:.1f} (other work on the machine skews figures)"
    )
    return "\n".join(lines)


def _pages_summary(pages: dict[int, dict[str, render.Render]]) -> list[str]:
    """Each reader page at each archive size, median ms and render CPU / queries, and the ratio
    of the largest to the smallest (target: flat)."""
    sizes = list(pages)
    lines = [
        "Reader pages, warm caches, no page cache, median ms (render CPU) / queries (target: flat):"
    ]
    header = "".join(f"{f'{size:,} articles':>32}" for size in sizes)
    lines.append(f"  {'page':<24}{header}   ratio")
    for kind in pages[sizes[0]]:
        renders = [pages[size][kind] for size in sizes]
        cells = "".join(
            f"{r.median_ms:12.1f} ms ({r.cpu_ms:5.1f} CPU) / {r.queries:3d} q" for r in renders
        )
        ratio = renders[-1].median_ms / renders[0].median_ms
        lines.append(f"  {kind:<24}{cells}   {ratio:5.2f}")
    depths = ", ".join(f"page {pages[s]['section, deep page'].depth} at {s:,}" for s in sizes)
    lines.append(f"  (the deep page, reached by following Older links: {depths})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000, help="the large archive")
    parser.add_argument("--small", type=int, default=200, help="the small archive")
    parser.add_argument("--mirror-articles", type=int, default=2000)
    parser.add_argument("--import-posts", type=int, default=10_000, help="the generated WXR")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-mirror", action="store_true")
    parser.add_argument(
        "--http-only", action="store_true", help="the HTTP figures alone (a minute or two)"
    )
    parser.add_argument(
        "--archive-only",
        action="store_true",
        help="the render figures of every reader page at both archive sizes alone",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="render CPU per page type on the demo newsroom alone (under a minute)",
    )
    parser.add_argument(
        "--ghost",
        action="store_true",
        help="the article's uncached render against Ghost's at one connection, alone "
        "(bench/ghost.py; installs Ghost with npm when missing)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    # Cache keys with spaces are fine for Redis; the warning is about memcached.
    warnings.filterwarnings("ignore", message="Cache key contains characters")
    say(f"Machine: {machine()}")
    if not (args.skip_http or args.archive_only or args.render_only):
        ensure_debian_packages("nginx", "wrk")
    if args.ghost:
        ghost.install_ghost()
    results: dict[str, object] = {}
    flush_bench_redis()
    try:
        with bench_django():
            build_site()
            article = pick_article()
            if args.ghost:
                prerender([article.url])
                ghost.run(article)
                return
            if not args.archive_only:
                plain = plain_copy(article)
                prerender([article.url, plain])
            if not (args.skip_http or args.archive_only or args.render_only):
                results["http"] = throughput.run(article.url, plain)
                results["page_files"] = publish_load.run(article)
            if args.http_only:
                return finish(results, started)
            if not args.archive_only:
                results["page_types"] = render.page_types(article, plain)
            if args.render_only:
                return finish(results, started)

            from django.core.management import call_command

            results["render"], results["pages"] = {}, {}
            for size in (args.small, args.articles):
                growing = time.perf_counter()
                added = archive.grow_archive(size)
                say(
                    f"Archive: {added:,} articles written in {time.perf_counter() - growing:.1f} s "
                    f"({archive.article_count():,} in all)"
                )
                results["render"][size] = render.article(article.url, size)
                indexing = time.perf_counter()
                call_command("rebuild_search")  # the archive was written straight into the tables
                say(f"Search documents rebuilt in {time.perf_counter() - indexing:.1f} s")
                section = archive.first_section()
                results["pages"][size] = render.pages(
                    archive.reader_urls(), section.get_children().live().count(), size
                )
            if args.archive_only:
                return finish(results, started)
            words = [w for w in re.findall(r"\w{6,}", article.title)][:1] or ["school"]
            queries = [*words, "flood warning", '"river port"', "dredging OR ferry"]
            results["search"] = render.search(queries, args.articles)
            results["payments"] = payments.run()
            results["watcher"] = watcher.run()
            results["imports"] = imports.run(args.import_posts)
    finally:
        flush_bench_redis()
    if not args.skip_mirror:
        results["mirror"] = run_mirror(args.mirror_articles)
    finish(results, started)


def finish(results: dict, started: float) -> None:
    """Print the summary and write it to bench/results/latest.txt."""
    text = summary(results, time.perf_counter() - started)
    say("\n" + "=" * 78 + "\n" + text + "\n" + "=" * 78)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text + "\n")
    say(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
