"""One uncached article render against Ghost's, in the same run on the same machine.

    .venv/bin/python -m bench.ghost        (or: python -m bench.run --ghost)

Ghost 5.130.6 (production mode, MariaDB on 127.0.0.1:3306, user root, no password, database
ghost_bench, dropped and made afresh each run) serves the bench's demo article as a post with
the same title, standfirst (custom excerpt), body HTML, lead photo and caption, tags and author;
Samizdat's gunicorn (one sync worker, bench.settings: no full-page cache, structure cache warm,
Redis on) serves the article itself. Each is loaded by wrk -t1 -c1 --latency for
BENCH_WRK_SECONDS after a 2 s warm-up, the server pinned to BENCH_SERVER_CPU and wrk to
BENCH_CLIENT_CPU; the server's CPU time a request is read from /proc. Target: Samizdat's p50
<= 17 ms and no more than Ghost's.

Ghost is installed, when missing, into ~/.cache/samizdat/ghost (npm pack, then npm install in
the unpacked package: its @tryghost/i18n is a file: dependency inside the tarball, which a
plain `npm install ghost` cannot resolve).
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

from .common import (
    CLIENT_CPU,
    ROOT,
    SERVER_CPU,
    children_cpu_ticks,
    cpu_ticks,
    free_port,
    pinned,
    say,
    start_gunicorn,
    stop,
    wait_for_port,
)

GHOST_VERSION = "5.130.6"
GHOST_HOME = Path(os.environ.get("BENCH_GHOST_HOME", Path.home() / ".cache/samizdat/ghost"))
GHOST_DIR = GHOST_HOME / "current"
MYSQL_HOST = os.environ.get("BENCH_MYSQL_HOST", "127.0.0.1")
MYSQL_PORT = int(os.environ.get("BENCH_MYSQL_PORT", "3306"))
MYSQL_USER = os.environ.get("BENCH_MYSQL_USER", "root")
MYSQL_DATABASE = "ghost_bench"
EMAIL = "bench@example.com"
# Ghost refuses a password it finds guessable: a new random one each run.
PASSWORD = secrets.token_urlsafe(24)


def install_ghost() -> None:
    """npm pack ghost, unpack it into GHOST_DIR and install its production dependencies."""
    if (GHOST_DIR / "node_modules" / "knex").exists():
        return
    say(f"Installing Ghost {GHOST_VERSION} into {GHOST_DIR} with npm (a few minutes)")
    started = time.perf_counter()
    GHOST_HOME.mkdir(parents=True, exist_ok=True)
    tarball = GHOST_HOME / f"ghost-{GHOST_VERSION}.tgz"
    if not tarball.exists():
        subprocess.run(["npm", "pack", f"ghost@{GHOST_VERSION}"], cwd=GHOST_HOME, check=True)
    GHOST_DIR.mkdir(exist_ok=True)
    subprocess.run(
        ["tar", "xzf", str(tarball), "-C", str(GHOST_DIR), "--strip-components=1"], check=True
    )
    # Its devDependencies include a GitHub tarball (mock-knex) npm resolves even with
    # --omit=dev, and optional sqlite3 fetches its binary from GitHub: both go (MariaDB here).
    manifest_path = GHOST_DIR / "package.json"
    manifest = json.loads(manifest_path.read_text())
    manifest.pop("devDependencies", None)
    manifest.get("optionalDependencies", {}).pop("sqlite3", None)
    manifest_path.write_text(json.dumps(manifest, indent=2))
    # bookshelf 1.2.0 asks for an older knex as a peer than Ghost pins: Ghost's own yarn.lock
    # ignores that, and so does --legacy-peer-deps. re2 builds from source (node-gyp, the
    # headers in /usr/include/node) when its GitHub binary cannot be fetched.
    subprocess.run(
        ["npm", "install", "--omit=dev", "--legacy-peer-deps", "--no-audit", "--no-fund"],
        cwd=GHOST_DIR,
        check=True,
    )
    say(f"  Ghost installed in {time.perf_counter() - started:.0f} s")


def mysql(sql: str) -> None:
    command = ["mysql", "-h", MYSQL_HOST, "-P", str(MYSQL_PORT), "-u", MYSQL_USER, "-e", sql]
    subprocess.run(command, check=True)


def write_config(port: int, content: Path) -> None:
    """config.production.json where Ghost reads it: its working directory."""
    config = {
        "url": f"http://127.0.0.1:{port}/",
        "server": {"host": "127.0.0.1", "port": port},
        "database": {
            "client": "mysql",
            "connection": {
                "host": MYSQL_HOST,
                "port": MYSQL_PORT,
                "user": MYSQL_USER,
                "password": "",
                "database": MYSQL_DATABASE,
            },
        },
        "mail": {"transport": "Direct"},
        "logging": {"level": "error", "transport": ["stdout"]},
        "paths": {"contentPath": str(content)},
        "privacy": {"useUpdateCheck": False, "useGravatar": False, "useRpcPing": False},
    }
    (GHOST_DIR / "config.production.json").write_text(json.dumps(config, indent=2))


class Admin:
    """Ghost's Admin API with a staff session (cookie), as Ghost Admin itself uses it."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(
        self, method: str, path: str, body: object = None, content_type: str = "application/json"
    ) -> dict:
        data = body if isinstance(body, bytes) else None
        if body is not None and data is None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + "/ghost/api/admin/" + path,
            data=data,
            method=method,
            headers={"Origin": self.base, "Content-Type": content_type, "Accept-Version": "v5.0"},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:500]
            raise SystemExit(f"bench: Ghost {method} {path}: {error.code} {detail!r}") from error
        try:
            return json.loads(text) if text else {}
        except ValueError:  # the session answers "Created", not JSON
            return {}

    def upload_image(self, path: Path) -> str:
        boundary = uuid.uuid4().hex
        mime = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{path.name}"\r\nContent-Type: {mime}\r\n\r\n'
            ).encode()
            + path.read_bytes()
            + (
                f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n'
                f"image\r\n--{boundary}--\r\n"
            ).encode()
        )
        answer = self.request(
            "POST", "images/upload/", body, f"multipart/form-data; boundary={boundary}"
        )
        return answer["images"][0]["url"]


def article_content(article) -> dict:
    """What Ghost's post gets from the bench's article."""
    image = article.lead_image
    byline = article.byline
    with image.file.open("rb") as file:
        image_bytes = file.read()
    return {
        "title": article.title,
        "standfirst": article.standfirst,
        "html": str(article.body),  # the StreamField as Samizdat renders it
        "image_name": Path(image.file.name).name,
        "image_bytes": image_bytes,
        "caption": article.caption,
        "tags": [tag.name for tag in article.tags.all()],
        "author": byline[0].title if byline else "Samizdat reporter",
    }


def wait_for_ghost(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    """Ghost listens before it has booted (503 meanwhile): wait for a 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: Ghost exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"bench: Ghost did not answer {url} in {timeout:.0f} s")


def start_ghost(port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "NODE_ENV": "production"}
    with log.open("ab") as output:
        process = subprocess.Popen(
            pinned(SERVER_CPU, ["node", "index.js"]),
            cwd=GHOST_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    wait_for_port(port, process, timeout=180)
    return process


def ghost_post(content: dict, tmp: Path) -> tuple[subprocess.Popen, str]:
    """Ghost started on a fresh database with the article as its one post; the post's URL."""
    mysql(f"DROP DATABASE IF EXISTS {MYSQL_DATABASE}; CREATE DATABASE {MYSQL_DATABASE}")
    port = free_port()
    content_dir = tmp / "ghost-content"
    shutil.copytree(GHOST_DIR / "content", content_dir)
    write_config(port, content_dir)
    started = time.perf_counter()
    process = start_ghost(port, tmp / "ghost.log")
    try:
        return process, _publish(process, port, content, tmp, started)
    except BaseException:
        stop(process)
        raise


def _publish(process: subprocess.Popen, port: int, content: dict, tmp: Path, started: float) -> str:
    base = f"http://127.0.0.1:{port}"
    wait_for_ghost(base + "/", process)
    say(f"  Ghost booted on a new database in {time.perf_counter() - started:.0f} s")
    admin = Admin(base)
    admin.request(
        "POST",
        "authentication/setup/",
        {
            "setup": [
                {
                    "name": content["author"],
                    "email": EMAIL,
                    "password": PASSWORD,
                    "blogTitle": "Samizdat bench",
                }
            ]
        },
    )
    admin.request("POST", "session/", {"username": EMAIL, "password": PASSWORD})
    image_file = tmp / content["image_name"]
    image_file.write_bytes(content["image_bytes"])
    image_url = admin.upload_image(image_file)
    post = {
        "title": content["title"],
        "html": content["html"],
        "custom_excerpt": content["standfirst"][:300],
        "feature_image": image_url,
        "feature_image_caption": content["caption"],
        "tags": [{"name": name} for name in content["tags"]],
        "status": "published",
    }
    answer = admin.request("POST", "posts/?source=html", {"posts": [post]})
    return answer["posts"][0]["url"]


def run(article) -> dict[str, object]:
    """Ghost's post and Samizdat's article, uncached, at one connection; returns both figures."""
    from . import throughput
    from .throughput import fetch, header

    install_ghost()
    say(
        f"Ghost {GHOST_VERSION} against Samizdat, one connection, every request rendered; "
        f"servers on core {SERVER_CPU}, wrk on core {CLIENT_CPU}"
    )
    content = article_content(article)
    tmp = Path(tempfile.mkdtemp(prefix="samizdat-ghost-"))
    processes: list[subprocess.Popen] = []
    try:
        ghost, ghost_url = ghost_post(content, tmp)
        processes.append(ghost)
        status, headers, page = fetch(ghost_url)
        if status != 200 or content["title"].split()[0].encode() not in page:
            raise SystemExit(f"bench: Ghost's post answered {status}")
        say(
            f"  Ghost's post: {ghost_url} ({len(page):,} bytes), "
            f"Cache-Control: {header(headers, 'Cache-Control') or '-'}"
        )
        ghost_figures = throughput.one_at_a_time(
            "Ghost post, production", ghost_url, functools.partial(cpu_ticks, ghost.pid)
        )
        stop(ghost)

        port = free_port()
        gunicorn = start_gunicorn(
            port,
            tmp / "gunicorn.log",
            workers=1,
            cpu=SERVER_CPU,
            env={"DJANGO_SETTINGS_MODULE": "bench.settings"},
        )
        processes.append(gunicorn)
        url = f"http://127.0.0.1:{port}{article.url}"
        status, headers, page = fetch(url)
        if status != 200 or header(headers, "X-Cache"):
            raise SystemExit(
                f"bench: {url} answered {status}, X-Cache {header(headers, 'X-Cache')}"
            )
        say(f"  Samizdat's article: {url} ({len(page):,} bytes)")
        samizdat = throughput.one_at_a_time(
            "Samizdat article, uncached", url, functools.partial(children_cpu_ticks, gunicorn.pid)
        )
        p50 = samizdat.load.p50_ms / ghost_figures.load.p50_ms
        cpu = samizdat.cpu_ms / ghost_figures.cpu_ms
        say(
            f"  Samizdat / Ghost: p50 {p50:.2f} x, CPU a request {cpu:.2f} x "
            f"(target: p50 <= 17 ms and <= Ghost's)"
        )
        return {"ghost": ghost_figures, "samizdat": samizdat, "p50": p50, "cpu": cpu}
    finally:
        for process in reversed(processes):
            stop(process)
        (GHOST_DIR / "config.production.json").unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    from .common import bench_django, ensure_debian_packages, flush_bench_redis, machine
    from .run import build_site, pick_article, prerender

    say(f"Machine: {machine()}")
    ensure_debian_packages("wrk")
    install_ghost()
    flush_bench_redis()
    try:
        with bench_django():
            build_site()
            article = pick_article()
            prerender([article.url])
            run(article)
    finally:
        flush_bench_redis()
        mysql(f"DROP DATABASE IF EXISTS {MYSQL_DATABASE}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
