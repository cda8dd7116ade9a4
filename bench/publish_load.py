"""Published pages as files (samizdat/reach/pagefiles.py) behind README's nginx block.

1. Writing every published page of the demo newsroom as files (`samizdat page_files`).
2. nginx serving the article from the page folder (README's block, word for word but for paths
   and ports), against nginx serving the same bytes from a plain file (the reference, in the
   same nginx): the target is >= 0.95 x. Also against that file sent with the page's headers
   (what the page folder costs beyond them), and as nginx's CPU a request (steadier than
   requests/s on a machine doing other work).
3. A wrk run at 32 connections over the article, its section, the home page and the feed while
   a story of that section is published (which rewrites their files): the target is 0 errors
   and p99 <= 50 ms.

Servers (nginx, gunicorn) run pinned to BENCH_SERVER_CPU, wrk to BENCH_CLIENT_CPU; the publish
runs in this process, as an editor's request or the task worker would.
"""

from __future__ import annotations

import os
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
    children_cpu_ticks,
    executable,
    free_port,
    pinned,
    readme_nginx_front,
    run_nginx,
    say,
    start_gunicorn,
    stop,
)

ROUNDS = 5  # measures of each nginx, in turns
PUBLISH_SECONDS = 10  # the wrk run the publish happens in
PUBLISH_AT = 3  # seconds into it
# Around the README block: what Debian's own nginx.conf sets for every site, and the reference.
HTTP_AROUND = """\
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        types {{ "text/html; charset=utf-8" html; }}
        root {folder};
        # As README's block does: the comparison is of the rest of it.
        open_file_cache max=10000 inactive=60s;
        open_file_cache_valid 1s;
        location / {{ try_files {article_file} =404; }}
    }}
    # The same again with the headers README's block sends with a page: what the page folder
    # costs beyond those headers (the security headers every reader page carries).
    server {{
        listen 127.0.0.1:{headers_port};
        types {{ "text/html; charset=utf-8" html; }}
        root {folder};
        open_file_cache max=10000 inactive=60s;
        open_file_cache_valid 1s;
        location / {{
            try_files {article_file} =404;
{headers}
        }}
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


def page_headers(readme: str, location: str = "/") -> str:
    """The add_header lines of README's block for the page folder's `location` (`/`, or a
    language edition's nested in it), not those of the locations inside it."""
    lines, depth = [], 0
    start = readme.index(f"location {location} {{")
    for line in readme[start:].splitlines():
        if depth == 1 and line.strip().startswith("add_header"):
            lines.append(line)
        depth += line.count("{") - line.count("}")
        if depth == 0:
            break
    if not lines:
        raise SystemExit(f"README's nginx block no longer adds headers to {location}")
    return "\n".join(lines)


def measure_with_cpu(name: str, url: str, master: int) -> tuple[throughput.Load, float]:
    """wrk's figures, and nginx's CPU per request in microseconds (steadier than req/s when
    the machine does other work: it does not count the time nginx waited for a core)."""
    throughput.wrk(url, seconds=2)
    before = children_cpu_ticks(master)
    load = throughput.measured(name, url)
    ticks = children_cpu_ticks(master) - before
    seconds = throughput.SECONDS
    return load, ticks / os.sysconf("SC_CLK_TCK") * 1e6 / (load.requests_per_second * seconds)


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

            app_port, port = free_port(), free_port()
            reference_port, headers_port = free_port(), free_port()
            processes.append(
                start_gunicorn(
                    app_port,
                    tmp / "gunicorn.log",
                    workers=throughput.WORKERS,
                    cpu=SERVER_CPU,
                    env={"SAMIZDAT_PAGE_FILES": "0"},
                )
            )
            readme = readme_nginx_front(tmp, port, app_port, folder)
            http = HTTP_AROUND.format(
                port=reference_port,
                headers_port=headers_port,
                headers=page_headers(readme),
                folder=folder,
                # The same file as the page folder's, asked for at the same address.
                article_file="/" + mirror.page_file(article.url),
                readme=readme,
            )
            nginx = run_nginx(tmp, http, [reference_port, headers_port, port], cpu=SERVER_CPU)
            processes.append(nginx)
            base = f"http://{host}:{port}"
            status, headers, body = throughput.fetch(base + article.url)
            if status != 200 or body != article_file.read_bytes() or "X-Front-Cache" in headers:
                raise SystemExit(f"bench: nginx did not serve {article.url} from its file")

            say(f"nginx serving the article ({len(body):,} bytes), wrk -c{throughput.CONNECTIONS}")
            # In turns, ROUNDS times: the machine's other work weighs on all alike.
            urls = {
                "nginx, plain file": f"http://{host}:{reference_port}{article.url}",
                "nginx, plain file + page headers": f"http://{host}:{headers_port}{article.url}",
                "nginx, page folder": base + article.url,
            }
            rounds = [
                [measure_with_cpu(name, url, nginx.pid) for name, url in urls.items()]
                for _ in range(ROUNDS)
            ]
            ratios = [
                served[0].requests_per_second / plain[0].requests_per_second
                for plain, _, served in rounds
            ]
            ratio = statistics.median(ratios)
            headers_ratios = [
                served[0].requests_per_second / same[0].requests_per_second
                for _, same, served in rounds
            ]
            cpu_ratios = [plain[1] / served[1] for plain, _, served in rounds]
            cpu_headers_ratios = [same[1] / served[1] for _, same, served in rounds]
            # The round of the median, shown in the summary.
            middle = min(
                rounds,
                key=lambda r: abs(
                    r[2][0].requests_per_second / r[0][0].requests_per_second - ratio
                ),
            )
            reference, served = middle[0][0], middle[2][0]
            cpu = {name: statistics.median(r[i][1] for r in rounds) for i, name in enumerate(urls)}
            say(
                f"  page folder / plain file: {ratio:.2f} x median of {ROUNDS} "
                f"({', '.join(f'{r:.2f}' for r in ratios)}; target >= 0.95 x); "
                f"by nginx CPU a request {statistics.median(cpu_ratios):.2f} x"
            )
            say(
                f"  page folder / plain file with the page's headers: "
                f"{statistics.median(headers_ratios):.2f} x "
                f"({', '.join(f'{r:.2f}' for r in headers_ratios)}); by nginx CPU a request "
                f"{statistics.median(cpu_headers_ratios):.2f} x"
            )
            say(
                "  nginx CPU a request (median): "
                + ", ".join(f"{name} {micros:.1f} us" for name, micros in cpu.items())
            )

            under = publish_under_load(article, base, tmp, folder)
        return {
            "reference": reference,
            "served": served,
            "ratio": ratio,
            "ratios": ratios,
            "headers_ratio": statistics.median(headers_ratios),
            "headers_ratios": headers_ratios,
            "cpu_ratio": statistics.median(cpu_ratios),
            "cpu_headers_ratio": statistics.median(cpu_headers_ratios),
            "cpu": cpu,
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
        + f" (target >= 0.95 x); by nginx CPU a request {results['cpu_ratio']:.2f} x",
        f"    against the plain file with the page's headers: {results['headers_ratio']:.2f} x "
        + "("
        + ", ".join(f"{ratio:.2f}" for ratio in results["headers_ratios"])
        + f"); by nginx CPU a request {results['cpu_headers_ratio']:.2f} x",
        "    nginx CPU a request: "
        + ", ".join(f"{name} {micros:.1f} us" for name, micros in results["cpu"].items()),
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
