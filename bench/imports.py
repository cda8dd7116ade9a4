"""WordPress import: posts per second and queries per post, early and late in a large archive.

    .venv/bin/python -m bench.imports [--posts 10000] [--window 1000]

Writes a WXR export of `--posts` generated posts (paragraphs, a subhead, a quote, a byline,
a category, tags, an old permalink; no pictures), reads it, then imports it into a site that
has only its home page: the first `--window` posts, the middle, and the last `--window` posts
are timed separately, with their queries counted. Then the whole export again (nothing to do).
Target: at least 100 posts/s on PostgreSQL, and queries per post the same early and late.

Alone it makes its own PostgreSQL database (and Redis database BENCH_REDIS_DB), like
`make bench`; `run()` is what bench/run.py calls with Django set up.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from .common import say

TARGET_POSTS_PER_SECOND = 100
AUTHORS = 20
CATEGORIES = 12
TAGS = 60
WORDS = [
    "harbour",
    "council",
    "ferry",
    "budget",
    "river",
    "bridge",
    "school",
    "flood",
    "warning",
    "port",
    "court",
    "vote",
    "mayor",
    "clinic",
    "strike",
    "market",
    "winter",
    "road",
    "tram",
    "library",
    "museum",
    "archive",
    "crew",
    "dredging",
    "timetable",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random) -> str:
    paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(5)]
    return (
        f"{paragraphs[0]}\n\n{paragraphs[1]}\n\n<h2>{_sentence(rng)}</h2>\n\n"
        f"<blockquote><p>{_sentence(rng)}</p></blockquote>\n\n" + "\n\n".join(paragraphs[2:])
    )


def write_wxr(path: Path, posts: int, seed: int = 5) -> None:
    """A WXR 1.2 export of `posts` published posts, written line by line."""
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench Courier</title><link>https://bench.example.org</link>\n"
            "<language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://bench.example.org</wp:base_site_url>\n"
            "<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>\n"
        )
        for n in range(AUTHORS):
            out.write(
                f"<wp:author><wp:author_id>{n + 1}</wp:author_id><wp:author_login>writer{n}"
                f"</wp:author_login><wp:author_display_name>Writer {n}</wp:author_display_name>"
                "</wp:author>\n"
            )
        for n in range(CATEGORIES):
            out.write(
                f"<wp:category><wp:term_id>{n + 1}</wp:term_id><wp:category_nicename>section-{n}"
                f"</wp:category_nicename><wp:cat_name>Section {n}</wp:cat_name></wp:category>\n"
            )
        for n in range(TAGS):
            out.write(
                f"<wp:tag><wp:term_id>{100 + n}</wp:term_id><wp:tag_slug>topic-{n}</wp:tag_slug>"
                f"<wp:tag_name>Topic {n}</wp:tag_name></wp:tag>\n"
            )
        for n in range(posts):
            post_id = 1000 + n
            at = start + timedelta(hours=7 * n)
            slug = f"story-{post_id}"
            tags = "".join(
                f'<category domain="post_tag" nicename="topic-{t}"><![CDATA[Topic {t}]]></category>'
                for t in sorted(rng.sample(range(TAGS), 3))
            )
            section = rng.randrange(CATEGORIES)
            out.write(
                f"<item><title>{escape(_sentence(rng))}</title>"
                f"<link>https://bench.example.org/{at:%Y/%m/%d}/{slug}/</link>"
                f"<dc:creator>writer{rng.randrange(AUTHORS)}</dc:creator>"
                f'<guid isPermaLink="false">https://bench.example.org/?p={post_id}</guid>'
                f"<content:encoded><![CDATA[{_body(rng)}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{_sentence(rng)}]]></excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id>"
                f"<wp:post_date>{at:%Y-%m-%d %H:%M:%S}</wp:post_date>"
                f"<wp:post_date_gmt>{at:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="section-{section}">'
                f"<![CDATA[Section {section}]]></category>{tags}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


@dataclass
class Window:
    posts: int
    seconds: float
    queries: int
    cpu: float = 0.0  # seconds of CPU: the importing process plus its PostgreSQL backend

    @property
    def rate(self) -> float:
        return self.posts / self.seconds if self.seconds else 0.0

    @property
    def queries_per_post(self) -> float:
        return self.queries / self.posts if self.posts else 0.0

    @property
    def cpu_ms_per_post(self) -> float:
        return 1000 * self.cpu / self.posts if self.posts else 0.0

    def row(self, name: str) -> str:
        return (
            f"  {name:<28} {self.posts:>6,} posts  {self.rate:7.1f} posts/s  "
            f"{self.queries_per_post:6.1f} queries/post  {self.cpu_ms_per_post:5.1f} ms CPU/post"
        )


def _backend_cpu(connection) -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 elsewhere): with
    the importer's own, what a post costs whatever else the machine is doing."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # a database on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _import(archive, stories) -> Window:
    from dataclasses import replace

    from django.db import connection

    from samizdat.imports.run import Options, run

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started, cpu = time.perf_counter(), time.process_time() + _backend_cpu(connection)
    with connection.execute_wrapper(count):
        report = run(replace(archive, stories=stories), Options(progress=False))
    seconds = time.perf_counter() - started
    cpu = time.process_time() + _backend_cpu(connection) - cpu
    failed = report.counts["stories"]["skipped"]
    if failed:
        raise SystemExit(f"bench: {failed} posts were not imported:\n{report.render()}")
    return Window(len(stories), seconds, queries, cpu)


def ensure_home() -> None:
    """A home page and site, if the database has none (bench/run.py has the demo newsroom)."""
    from wagtail.models import Locale, Page, Site

    from samizdat.newsroom.models import HomePage

    if HomePage.objects.exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = HomePage(title="Bench Courier", slug="bench-home", locale=locale)
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )


def run(posts: int = 10_000, window: int = 1_000) -> dict[str, object]:
    from samizdat.imports import wordpress

    ensure_home()
    with tempfile.TemporaryDirectory(prefix="samizdat-bench-import-") as scratch:
        path = Path(scratch) / "export.xml"
        started = time.perf_counter()
        write_wxr(path, posts)
        written = time.perf_counter() - started
        started = time.perf_counter()
        archive = wordpress.read(path)
        read = time.perf_counter() - started
        size = path.stat().st_size
    say(
        f"WordPress import: {posts:,} posts written as WXR in {written:.1f} s "
        f"({size / 1e6:.1f} MB), read in {read:.1f} s"
    )
    stories = archive.stories
    windows = {"first": _import(archive, stories[:window])}
    say(windows["first"].row(f"first {window:,}"))
    if posts > 2 * window:
        windows["middle"] = _import(archive, stories[window:-window])
        say(windows["middle"].row("middle"))
    windows["last"] = _import(archive, stories[-window:])
    say(windows["last"].row(f"last {window:,}"))
    windows["again"] = _import(archive, stories)
    say(windows["again"].row("all again (nothing new)"))
    return {"posts": posts, "read_seconds": read, "windows": windows}


def summary_lines(result: dict) -> list[str]:
    windows = result["windows"]
    first, last = windows["first"], windows["last"]
    return [
        f"WordPress import, {result['posts']:,} generated posts, no pictures "
        f"(target >= {TARGET_POSTS_PER_SECOND} posts/s, queries per post flat):",
        *(windows[name].row(name) for name in windows),
        f"  queries per post, last / first: {last.queries_per_post / first.queries_per_post:.2f}",
        f"  posts per CPU second (importer + database), last {last.posts:,}: "
        f"{1000 / last.cpu_ms_per_post if last.cpu else 0:.0f} (the rate on a machine with "
        "nothing else to do)",
    ]


def main() -> None:
    from .common import bench_django, flush_bench_redis

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=1_000)
    args = parser.parse_args()
    flush_bench_redis()
    try:
        with bench_django():
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)
            result = run(args.posts, args.window)
            say("\n".join(summary_lines(result)))
    finally:
        flush_bench_redis()


if __name__ == "__main__":
    main()
