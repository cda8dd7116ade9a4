"""HTTP throughput of one demo article: nginx serving its HTML from a file (the physical limit),
Samizdat under gunicorn (its documented production setup, PostgreSQL and Redis), and the same
article as a plain Wagtail page with no cache, all loaded by wrk on 127.0.0.1.

The servers run pinned to one core (BENCH_SERVER_CPU) and wrk to the other (BENCH_CLIENT_CPU),
so that client and server do not fight for a core; PostgreSQL and Redis float.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .common import (
    CLIENT_CPU,
    SERVER_CPU,
    executable,
    free_port,
    pinned,
    say,
    start_server,
    stop,
)

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
# Sync workers on one core: two, so one can wait on PostgreSQL or Redis while the other runs.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    default_type "text/html; charset=utf-8";
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        location / {{ try_files /article.html =404; }}
    }}
}}
"""


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


def wrk(url: str, seconds: int = SECONDS) -> str:
    command = [
        executable("wrk"),
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        url,
    ]
    result = subprocess.run(pinned(CLIENT_CPU, command), capture_output=True, text=True, check=True)
    return result.stdout


def measure(name: str, url: str) -> Load:
    """Warm the server (every worker, the caches) for 2 s, then measure."""
    wrk(url, seconds=2)
    output = wrk(url)
    load = parse_wrk(name, output)
    say(load.row())
    if load.errors:
        say("    " + "\n    ".join(output.strip().splitlines()))
    return load


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def start_gunicorn(settings_module: str, port: int, log: Path) -> subprocess.Popen:
    """Samizdat as README's "Running in production" runs it, on one core."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
    command = [
        executable("gunicorn"),
        "samizdat.wsgi",
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    return start_server(pinned(SERVER_CPU, command), port, log, env)


def start_nginx(html: bytes, tmp: Path) -> tuple[subprocess.Popen, int]:
    # nginx's workers run as an unprivileged user: they must be able to read the file.
    tmp.chmod(0o755)
    (tmp / "www").mkdir(mode=0o755)
    (tmp / "www" / "article.html").write_bytes(html)
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port))
    process = start_server(
        pinned(SERVER_CPU, [executable("nginx"), "-c", str(conf)]), port, tmp / "nginx.log"
    )
    status, _, served = fetch(f"http://127.0.0.1:{port}/")
    if status != 200 or served != html:
        raise SystemExit(f"bench: nginx answered {status} with {len(served)} bytes")
    return process, port


def cache_state(headers: dict[str, str]) -> str:
    """What the response says of Samizdat's full-page cache (the X-Cache header, if any)."""
    value = next((v for k, v in headers.items() if k.lower() == "x-cache"), "")
    return value or "no X-Cache header (no full-page cache answered)"


def run(article_path: str, plain_path: str) -> dict[str, object]:
    """Measure the three servers; returns the figures for the summary."""
    say(
        f"HTTP throughput: wrk, {CONNECTIONS} connections, {SECONDS} s each; servers on core "
        f"{SERVER_CPU}, wrk on core {CLIENT_CPU}; gunicorn -w {WORKERS}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="samizdat-bench-http-"))
    processes: list[subprocess.Popen] = []
    try:
        samizdat_port, plain_port = free_port(), free_port()
        processes.append(start_gunicorn("samizdat.settings", samizdat_port, tmp / "gunicorn.log"))
        processes.append(start_gunicorn("bench.settings", plain_port, tmp / "gunicorn.log"))
        samizdat_url = f"http://127.0.0.1:{samizdat_port}{article_path}"
        plain_url = f"http://127.0.0.1:{plain_port}{plain_path}"

        status, _, html = fetch(samizdat_url)
        if status != 200:
            raise SystemExit(f"bench: {samizdat_url} answered {status}")
        plain_status, _, plain_html = fetch(plain_url)
        if plain_status != 200:
            raise SystemExit(f"bench: {plain_url} answered {plain_status}")
        nginx, nginx_port = start_nginx(html, tmp)
        processes.append(nginx)
        say(
            f"  the article {article_path}: {len(html):,} bytes; plain Wagtail page "
            f"{len(plain_html):,} bytes"
        )

        results = {
            "nginx": measure("nginx, static file", f"http://127.0.0.1:{nginx_port}/"),
            "samizdat": measure("Samizdat (gunicorn)", samizdat_url),
            "plain": measure("plain Wagtail, no cache", plain_url),
        }
        _, headers, _ = fetch(samizdat_url)
        state = cache_state(headers)
        say(f"  Samizdat's response after the load: X-Cache: {state}")
        log = (tmp / "gunicorn.log").read_text(errors="replace").strip()
        if log:
            say("  gunicorn said:\n    " + "\n    ".join(log.splitlines()[-10:]))
        return {"loads": results, "cache": state, "bytes": len(html)}
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(tmp, ignore_errors=True)
