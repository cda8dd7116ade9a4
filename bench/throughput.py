"""HTTP throughput of one demo article: nginx serving its HTML from a file (the physical limit),
Samizdat behind nginx's micro-cache (its documented production setup: README, "Running in
production"), Samizdat's gunicorn alone (every request answered by Python from the page cache in
Redis), and the same article as a plain Wagtail page with no cache, all loaded by wrk on
127.0.0.1.

The servers (nginx and gunicorn) run pinned to one core (BENCH_SERVER_CPU) and wrk to the other
(BENCH_CLIENT_CPU), so that client and server do not fight for a core; PostgreSQL and Redis float.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .common import (
    CLIENT_CPU,
    SERVER_CPU,
    children_cpu_ticks,
    executable,
    free_port,
    pinned,
    run_nginx,
    say,
    start_gunicorn,
    stop,
)

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
# Sync workers on one core: two, so one can wait on PostgreSQL or Redis while the other runs.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))

# The http block (common.NGINX_MAIN around it).
NGINX_HTTP = """\
    default_type "text/html; charset=utf-8";
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        types {{ "text/html; charset=utf-8" html; }}
        root {tmp}/www;
        # The article's file, at any address: the bench asks for the article's own.
        location / {{ try_files /article.html =404; }}
        # Made-up answers for the checks of nginx's own caching rules (front_cache_checks).
        location = /probe/accel-expires {{
            add_header X-Accel-Expires 10;
            add_header Cache-Control "public, max-age=0";
            return 200 "probe\\n";
        }}
        location = /probe/set-cookie {{
            add_header X-Accel-Expires 10;
            add_header Cache-Control "public, max-age=60";
            add_header Set-Cookie "probe=1; Path=/";
            return 200 "probe\\n";
        }}
        location = /probe/never-cache {{
            # What Django's never_cache sends.
            add_header Expires "Thu, 01 Jan 1970 00:00:00 GMT";
            add_header Cache-Control "max-age=0, no-cache, no-store, must-revalidate, private";
            return 200 "probe\\n";
        }}
    }}
    # README's nginx block, "Running in production", with the bench's paths and ports (the
    # caching lines at server level, so that the probes below go through them too).
    proxy_cache_path {tmp}/cache levels=1:2 keys_zone=samizdat:50m max_size=1g inactive=10m
                     use_temp_path=off;
    server {{
        listen 127.0.0.1:{front_port};
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_cache samizdat;
        proxy_cache_key $scheme$host$request_uri;
        proxy_cache_bypass $cookie_sessionid $http_authorization;
        proxy_no_cache $cookie_sessionid $http_authorization;
        proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;
        proxy_cache_background_update on;
        proxy_cache_lock on;
        add_header X-Front-Cache $upstream_cache_status always;
        location / {{ proxy_pass http://127.0.0.1:{samizdat_port}; }}
        location /probe/ {{ proxy_pass http://127.0.0.1:{port}; }}
    }}"""
FRONT_CACHE = "X-Front-Cache"
# $upstream_cache_status of an answer from nginx's cache: fresh, or expired and being (or not
# able to be) refreshed in the background (proxy_cache_use_stale).
FROM_NGINX = frozenset({"HIT", "UPDATING", "STALE"})


@dataclass
class Load:
    """What wrk measured for one server."""

    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int

    def row(self) -> str:
        errors = f"  ({self.errors} errors or non-2xx)" if self.errors else ""
        return (
            f"  {self.name:<28} {self.requests_per_second:>9,.0f} req/s   "
            f"p50 {self.p50_ms:6.2f} ms   p99 {self.p99_ms:6.2f} ms{errors}"
        )


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(name: str, output: str) -> Load:
    """req/s, p50, p99 and errors from `wrk --latency` output."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    found = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if found:
        errors += int(found.group(1))
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if found:
        errors += sum(int(n) for n in found.groups())
    return Load(name, rate, p50, p99, errors)


def wrk(url: str, seconds: int = SECONDS, connections: int = CONNECTIONS) -> str:
    command = [
        executable("wrk"),
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        url,
    ]
    result = subprocess.run(pinned(CLIENT_CPU, command), capture_output=True, text=True, check=True)
    return result.stdout


def measure(name: str, url: str) -> Load:
    """Warm the server (every worker, the caches) for 2 s, then measure."""
    wrk(url, seconds=2)
    return measured(name, url)


def measured(name: str, url: str) -> Load:
    """One wrk run, its row said (and wrk's output, when it saw errors)."""
    output = wrk(url)
    load = parse_wrk(name, output)
    say(load.row())
    if load.errors:
        say("    " + "\n    ".join(output.strip().splitlines()))
    return load


@dataclass
class Uncached:
    """A page rendered on every request, one request at a time: wrk's figures and the
    workers' CPU per request."""

    load: Load
    cpu_ms: float

    def row(self) -> str:
        return f"{self.load.row()}   {self.cpu_ms:5.1f} ms of CPU a request"


def one_at_a_time(name: str, url: str, server_ticks: Callable[[], int]) -> Uncached:
    """wrk at one connection (after a 2 s warm-up) against a server that renders every
    request, and the server's CPU time per request (`server_ticks`: its CPU so far, in clock
    ticks, as common.children_cpu_ticks or common.cpu_ticks read it from /proc)."""
    wrk(url, seconds=2, connections=1)
    before = server_ticks()
    load = parse_wrk(name, wrk(url, connections=1))
    ticks = server_ticks() - before
    requests = load.requests_per_second * SECONDS
    uncached = Uncached(load, 1000 * ticks / os.sysconf("SC_CLK_TCK") / requests)
    say(uncached.row())
    return uncached


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names as sent) and body; redirects and errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), "")


def start_nginx(
    html: bytes, tmp: Path, samizdat_port: int, path: str
) -> tuple[subprocess.Popen, int, int]:
    """One nginx: the article as a static file (at its address, `path`), and the micro-cache
    in front of Samizdat; returns the process and the two ports."""
    (tmp / "www").mkdir(mode=0o755)
    (tmp / "www" / "article.html").write_bytes(html)
    port, front_port = free_port(), free_port()
    http = NGINX_HTTP.format(tmp=tmp, port=port, front_port=front_port, samizdat_port=samizdat_port)
    process = run_nginx(tmp, http, [port, front_port], cpu=SERVER_CPU)
    status, headers, served = fetch(f"http://127.0.0.1:{port}{path}")
    if status != 200 or served != html or "charset=utf-8" not in header(headers, "Content-Type"):
        raise SystemExit(f"bench: nginx answered {status} with {len(served)} bytes")
    return process, port, front_port


def cache_state(headers: dict[str, str]) -> str:
    """What the response says of Samizdat's full-page cache (the X-Cache header, if any)."""
    return header(headers, "X-Cache") or "no X-Cache header (no full-page cache answered)"


def front_cache_checks(front: str, article_path: str) -> list[tuple[str, str, bool]]:
    """What nginx's micro-cache does with what must not be shared: (what, what nginx said,
    as it should). The second request of each pair would be a HIT if nginx had stored the first.
    """
    article = front + article_path
    session = {"Cookie": "sessionid=an-editors-session"}
    language = article_path.strip("/").split("/")[0]
    checks = []

    def twice(what: str, url: str, expected: set[str], **kwargs) -> None:
        fetch(url, **kwargs)
        status, headers, _ = fetch(url, **kwargs)
        said = header(headers, FRONT_CACHE) or "-"
        leaked = header(headers, "X-Accel-Expires")
        detail = f"{status} {FRONT_CACHE}: {said}"
        for name in ("Cache-Control", "Set-Cookie"):
            if header(headers, name):
                detail += f"; {name}: {header(headers, name).split(';')[0]}"
        if leaked:
            detail += f"; X-Accel-Expires: {leaked} (passed on to the reader!)"
        checks.append((what, detail, said in expected and not leaked))

    # nginx's rules, on made-up answers: X-Accel-Expires comes before Cache-Control and stays
    # with nginx; Set-Cookie, or what never_cache sends, keeps an answer out.
    twice("X-Accel-Expires: 10 with max-age=0", f"{front}/probe/accel-expires", FROM_NGINX)
    twice("Set-Cookie, even with X-Accel-Expires", f"{front}/probe/set-cookie", {"MISS"})
    twice("never_cache's headers", f"{front}/probe/never-cache", {"MISS"})
    twice("the article, a reader", article, FROM_NGINX)
    twice("the article, an editor (session cookie)", article, {"BYPASS"}, headers=session)
    # never_cache (private, no-cache, no-store) and CSRF cookies: nginx stores neither.
    twice("the donation page", f"{front}/{language}/support/", {"MISS", "-"})
    twice("the checkout", f"{front}/{language}/support/checkout/", {"MISS", "-"})
    twice(
        "a checkout POST",
        f"{front}/{language}/support/checkout/",
        {"MISS", "-"},
        data=b"amount=5&frequency=once",
    )
    twice("search", f"{front}/{language}/search/?q=council", {"MISS", "-"})
    twice("a page that is not there", f"{front}/{language}/no-such-story/", {"MISS", "-"})
    return checks


def run(article_path: str, plain_path: str) -> dict[str, object]:
    """Measure the four servers; returns the figures for the summary."""
    say(
        f"HTTP throughput: wrk, {CONNECTIONS} connections, {SECONDS} s each; servers on core "
        f"{SERVER_CPU}, wrk on core {CLIENT_CPU}; gunicorn -w {WORKERS}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="samizdat-bench-http-"))
    processes: list[subprocess.Popen] = []
    try:
        samizdat_port, plain_port = free_port(), free_port()
        for settings_module, port in (
            ("samizdat.settings", samizdat_port),
            ("bench.settings", plain_port),
        ):
            processes.append(
                start_gunicorn(
                    port,
                    tmp / "gunicorn.log",
                    workers=WORKERS,
                    cpu=SERVER_CPU,
                    env={"DJANGO_SETTINGS_MODULE": settings_module},
                )
            )
        samizdat_url = f"http://127.0.0.1:{samizdat_port}{article_path}"
        plain_url = f"http://127.0.0.1:{plain_port}{plain_path}"

        status, _, html = fetch(samizdat_url)
        if status != 200:
            raise SystemExit(f"bench: {samizdat_url} answered {status}")
        plain_status, _, plain_html = fetch(plain_url)
        if plain_status != 200:
            raise SystemExit(f"bench: {plain_url} answered {plain_status}")
        nginx, nginx_port, front_port = start_nginx(html, tmp, samizdat_port, article_path)
        processes.append(nginx)
        front = f"http://127.0.0.1:{front_port}"
        say(
            f"  the article {article_path}: {len(html):,} bytes; plain Wagtail page "
            f"{len(plain_html):,} bytes"
        )

        results = {
            "nginx": measure("nginx, static file", f"http://127.0.0.1:{nginx_port}{article_path}"),
            "front": measure("Samizdat behind nginx", front + article_path),
            "samizdat": measure("Samizdat, gunicorn alone", samizdat_url),
            "plain": measure("plain Wagtail, no cache", plain_url),
        }
        # Every request rendered (bench.settings has no page cache), one at a time: what a
        # reader waits for a page no cache holds, beside the plain Wagtail page's.
        say("  One connection, no page cache (every request rendered):")
        uncached_url = f"http://127.0.0.1:{plain_port}{article_path}"
        _, uncached_headers, _ = fetch(uncached_url)
        if header(uncached_headers, "X-Cache"):
            raise SystemExit(f"bench: {uncached_url} came from the page cache")
        workers = functools.partial(children_cpu_ticks, processes[1].pid)
        uncached = {
            "article": one_at_a_time("Samizdat article, uncached", uncached_url, workers),
            "plain": one_at_a_time("plain Wagtail, uncached", plain_url, workers),
        }
        _, headers, _ = fetch(samizdat_url)
        state = cache_state(headers)
        say(f"  Samizdat's response after the load: X-Cache: {state}")
        checks = front_cache_checks(front, article_path)
        say("  nginx's micro-cache, each asked twice (the second answer):")
        for what, detail, right in checks:
            say(f"    {'ok ' if right else 'BAD'} {what}: {detail}")
        log = (tmp / "gunicorn.log").read_text(errors="replace").strip()
        if log:
            say("  gunicorn said:\n    " + "\n    ".join(log.splitlines()[-10:]))
        return {
            "loads": results,
            "uncached": uncached,
            "cache": state,
            "bytes": len(html),
            "front_checks": checks,
        }
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(tmp, ignore_errors=True)
