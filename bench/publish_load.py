"""Published pages as files (samizdat/reach/pagefiles.py) behind README's nginx block.

1. Writing every published page of the demo newsroom as files (`samizdat page_files`).
2. nginx serving the article from the page folder (README's block, word for word but for paths
   and ports), against nginx serving the same bytes from a plain file (the reference, in the
   same nginx): the target is >= 0.95 x.
3. A wrk run at 32 connections over the article, its section, the home page and the feed while
   a story of that section is published (which rewrites their files): the target is 0 errors
   and p99 <= 50 ms.

Servers (nginx, gunicorn) run pinned to BENCH_SERVER_CPU, wrk to BENCH_CLIENT_CPU; the publish
runs in this process, as an editor's request or the task worker would.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from django.test import override_settings

from . import throughput
from .common import (
    CLIENT_CPU,
    SERVER_CPU,
    executable,
    free_port,
    pinned,
    readme_nginx_front,
    run_nginx,
    say,
    start_gunicorn,
    stop,
)

ROUNDS = 3  # measures of each nginx, in turns
PUBLISH_SECONDS = 10  # the wrk run the publish happens in
PUBLISH_AT = 3  # seconds into it
# Around the README block: what Debian's own nginx.conf sets for every site, and the reference.
HTTP_AROUND = """\
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        default_type "text/html; charset=utf-8";
        root {tmp}/www;
        # As README's block does: the comparison is of the rest of it.
        open_file_cache max=10000 inactive=60s;
        open_file_cache_valid 1s;
        location / {{ try_files /article.html =404; }}
    }}
{readme}"""
ROTATE = """\
local paths = {{{paths}}}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
"""


def wrk_over(base: str, paths: list[str], seconds: int, script: Path) -> str:
    """wrk at throughput.CONNECTIONS connections, asking for each path in turn."""
    script.write_text(ROTATE.format(paths=", ".join(f'"{path}"' for path in paths)))
    command = [
        executable("wrk"),
        "-t1",
        f"-c{throughput.CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        base,
    ]
    return subprocess.run(
        pinned(CLIENT_CPU, command), capture_output=True, text=True, check=True
    ).stdout


def run(article) -> dict[str, object]:
    from samizdat.reach import mirror, pagefiles

    tmp = Path(tempfile.mkdtemp(prefix="samizdat-bench-files-"))
    pages = tmp / "pages"
    processes: list[subprocess.Popen] = []
    try:
        with override_settings(SAMIZDAT_PAGE_FILES=True, SAMIZDAT_PAGE_FILES_DIR=pages):
            for when in ("the first time, image renditions made on the way", "again"):
                started = time.perf_counter()
                report = pagefiles.write_pages(full=True)
                seconds = time.perf_counter() - started
                say(
                    f"Page files, every page rendered {when}: {report.rendered} pages, feeds "
                    f"and sitemaps in {seconds:.1f} s ({report.rendered / seconds:.0f} pages/s)"
                )
            host = mirror.primary_site().hostname
            folder = pages / host
            article_file = folder / mirror.page_file(article.url)
            (tmp / "www").mkdir(mode=0o755)
            (tmp / "www" / "article.html").write_bytes(article_file.read_bytes())

            app_port, port, reference_port = free_port(), free_port(), free_port()
            processes.append(
                start_gunicorn(
                    app_port,
                    tmp / "gunicorn.log",
                    workers=throughput.WORKERS,
                    cpu=SERVER_CPU,
                    env={"SAMIZDAT_PAGE_FILES": "0"},
                )
            )
            readme = readme_nginx_front(tmp, port, app_port, pages)
            http = HTTP_AROUND.format(port=reference_port, tmp=tmp, readme=readme)
            processes.append(run_nginx(tmp, http, [reference_port, port], cpu=SERVER_CPU))
            # The site's hostname is what nginx picks the folder by ($host).
            base = f"http://{host}:{port}"
            status, headers, body = throughput.fetch(base + article.url)
            if status != 200 or body != article_file.read_bytes() or "X-Front-Cache" in headers:
                raise SystemExit(f"bench: nginx did not serve {article.url} from its file")

            say(f"nginx serving the article ({len(body):,} bytes), wrk -c{throughput.CONNECTIONS}")
            # In turns, ROUNDS times: the machine's other work weighs on both alike.
            rounds = [
                (
                    throughput.measure("nginx, plain file", f"http://127.0.0.1:{reference_port}/"),
                    throughput.measure("nginx, page folder", base + article.url),
                )
                for _ in range(ROUNDS)
            ]
            ratios = [
                served.requests_per_second / reference.requests_per_second
                for reference, served in rounds
            ]
            ratio = statistics.median(ratios)
            # The round of the median, shown in the summary.
            reference, served = min(
                rounds,
                key=lambda r: abs(r[1].requests_per_second / r[0].requests_per_second - ratio),
            )
            say(
                f"  page folder / plain file: {ratio:.2f} x median of {ROUNDS} "
                f"({', '.join(f'{r:.2f}' for r in ratios)}; target >= 0.95 x)"
            )

            under = publish_under_load(article, base, tmp, folder)
        return {
            "reference": reference,
            "served": served,
            "ratio": ratio,
            "ratios": ratios,
            **under,
        }
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(tmp, ignore_errors=True)


def publish_under_load(article, base: str, tmp: Path, folder: Path) -> dict[str, object]:
    """Publish a story of the article's section while wrk reads it, the section, home and feed."""
    from samizdat.reach.mirror import page_file

    section = article.get_parent().specific
    home = section.get_parent().specific
    paths = [article.url, section.url, home.url, f"{home.url}feed/rss/"]
    story = section.get_children().live().exclude(pk=article.pk).specific().first() or article
    headline = f"{story.title} (updated)"
    done: dict[str, float] = {}

    def publish() -> None:
        time.sleep(PUBLISH_AT)
        started = time.perf_counter()
        story.title = headline
        story.save_revision().publish()  # its files are written once this commits
        done["seconds"] = time.perf_counter() - started

    publisher = threading.Thread(target=publish)
    publisher.start()
    output = wrk_over(base, paths, PUBLISH_SECONDS, tmp / "rotate.lua")
    publisher.join()
    load = throughput.parse_wrk("during a publish", output)
    shown = headline.encode() in (folder / page_file(section.url)).read_bytes()
    say(
        f"  wrk over {len(paths)} pages while a story of {section.url} was published "
        f"(publish and its files: {done.get('seconds', 0):.2f} s; new headline on the section "
        f"page: {'yes' if shown else 'NO'}):"
    )
    say(load.row() + "   (target: 0 errors, p99 <= 50 ms)")
    return {"publish": load, "publish_seconds": done.get("seconds"), "shown": shown}


def summary_lines(results: dict) -> list[str]:
    reference, served, publish = results["reference"], results["served"], results["publish"]
    return [
        "Pages as files behind README's nginx:",
        reference.row(),
        served.row()
        + f"   {results['ratio']:.2f} x the plain file, median of "
        + ", ".join(f"{ratio:.2f}" for ratio in results["ratios"])
        + " (target >= 0.95 x)",
        publish.row()
        + f"   publish {results['publish_seconds']:.2f} s (target: 0 errors, p99 <= 50 ms)",
    ]


if __name__ == "__main__":
    from . import run as bench_run
    from .common import bench_django, ensure_debian_packages, flush_bench_redis

    ensure_debian_packages("nginx", "wrk")
    flush_bench_redis()
    try:
        with bench_django():
            bench_run.build_site()
            article = bench_run.pick_article()
            bench_run.prerender([article.url])
            results = run(article)
            say("\n".join(summary_lines(results)))
    finally:
        flush_bench_redis()
