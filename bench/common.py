"""What every part of the bench shares: the machine, the throwaway services, timing helpers.

The bench never touches a database or cache it did not make: PostgreSQL gets a database of its
own (samizdat_bench_<pid>, dropped at the end) and Redis a database number of its own
(BENCH_REDIS_DB, flushed before and after).
"""

from __future__ import annotations

import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
REDIS_BASE = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
BENCH_REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "3"))
# The cores the server and the load generator are pinned to (taskset -c).
SERVER_CPU = os.environ.get("BENCH_SERVER_CPU", "0")
CLIENT_CPU = os.environ.get("BENCH_CLIENT_CPU", "1")


def say(text: str = "") -> None:
    print(text, flush=True)


def machine() -> str:
    """One line: cores, CPU model, memory, OS, Python."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    return (
        f"{os.cpu_count()} cores ({model}){memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def ensure_debian_packages(*commands: str) -> None:
    """apt-get install the packages of these commands when missing (the package is the
    command's name for nginx and wrk)."""
    missing = [
        name
        for name in commands
        if not shutil.which(name, path=f"/usr/sbin:{os.environ.get('PATH', '')}")
    ]
    if not missing:
        return
    say(f"Installing {', '.join(missing)} (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def executable(name: str) -> str:
    """A command beside this Python (the venv's gunicorn, localstripe) or on the PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name, path=f"/usr/sbin:/usr/bin:{os.environ.get('PATH', '')}")
    if found is None:
        raise SystemExit(f"bench: {name} not found")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"bench: the server for port {port} exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"bench: nothing answers on port {port}")


def start_server(
    command: list[str], port: int, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """Start a server that will listen on `port`, its output appended to `log`; returns once
    it accepts connections."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    wait_for_port(port, process)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_gunicorn(
    port: int,
    log: Path,
    *,
    workers: int,
    cpu: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """Samizdat as README's "Running in production" runs it (gunicorn samizdat.wsgi), on one
    core when `cpu` is given; `env` adds to this process's environment."""
    command = [executable("gunicorn"), "samizdat.wsgi", "-w", str(workers)]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    if cpu is not None:
        command = pinned(cpu, command)
    return start_server(command, port, log, {**os.environ, **(env or {})})


def _stat_fields(stat: Path) -> list[str]:
    """A /proc/<pid>/stat line's fields after the command name (ppid first)."""
    return stat.read_text().rsplit(")", 1)[1].split()


def _ticks(fields: list[str]) -> int:
    return int(fields[11]) + int(fields[12])  # utime + stime


def cpu_ticks(pid: int) -> int:
    """CPU time (clock ticks, user and system) so far of the process `pid` (Ghost's node)."""
    return _ticks(_stat_fields(Path(f"/proc/{pid}/stat")))


def children_cpu_ticks(parent: int) -> int:
    """CPU time (clock ticks, user and system) so far of the processes whose parent is
    `parent`: an nginx master's workers, a gunicorn master's workers."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = _stat_fields(stat)
        except OSError:
            continue
        if fields[1] == str(parent):  # ppid
            total += _ticks(fields)
    return total


def pinned(cpu: str, command: list[str]) -> list[str]:
    """The command pinned to one core, when taskset exists (util-linux, on every Debian)."""
    return ["taskset", "-c", cpu, *command] if shutil.which("taskset") else command


# nginx.conf around an http block's body, for an nginx run by an ordinary user or by root,
# everything it writes kept in one folder.
NGINX_MAIN = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;   # as Debian's nginx.conf: the content types by file name
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{http}
}}
"""


def readme_blocks(language: str, section: str = "Running in production") -> list[str]:
    """The README's ```language code blocks under the heading `section` (its subsections
    included), in order."""
    blocks: list[str] = []
    level = 0  # of the section's heading, once found
    fence: list[str] | None = None  # the lines of the code block being read
    for line in (ROOT / "README.md").read_text().splitlines(keepends=True):
        if fence is not None:
            if line.rstrip() == "```":
                if level and fence[0] == language:
                    blocks.append("".join(fence[1:]))
                fence = None
            else:
                fence.append(line)
        elif line.startswith("```"):
            fence = [line[3:].strip()]
        elif line.startswith("#"):
            hashes, _, title = line.rstrip().partition(" ")
            if level and len(hashes) <= level:
                break
            if title == section:
                level = len(hashes)
    if not level:
        raise SystemExit(f"README has no section {section!r}")
    return blocks


def readme_production_env() -> dict[str, str]:
    """README's environment file ("Running in production"), each <placeholder> filled with a
    fresh random value: a Fernet key where one is asked for, else 64 random characters."""
    import secrets

    from cryptography.fernet import Fernet

    env = {}
    for line in readme_blocks("sh")[0].splitlines():
        name, _, value = line.partition("=")
        if value.startswith("<"):
            fernet = "Fernet key" in value
            value = Fernet.generate_key().decode() if fernet else secrets.token_urlsafe(48)
        env[name.strip()] = value
    return env


def readme_nginx_front(tmp: Path, port: int, samizdat_port: int, folder: Path | None = None) -> str:
    """README's nginx block in front of Samizdat ("Running in production"), as an http block's
    body: listening on 127.0.0.1:`port`, passing to Samizdat on `samizdat_port`, its cache and
    media in `tmp`, the site's page files in `folder` (SAMIZDAT_PAGE_FILES_DIR/<the site's
    hostname>; by default a folder in `tmp` that does not exist), the static files in
    `tmp`/static and the favicon from this checkout. Anything else is the README's, word for
    word."""
    block = readme_blocks("nginx")[0]
    folder = folder or tmp / "pages" / "none"
    for old, new in {
        "proxy_pass http://127.0.0.1:8000;": f"proxy_pass http://127.0.0.1:{samizdat_port};",
        "/var/cache/nginx/samizdat ": f"{tmp}/cache ",
        "alias /srv/samizdat/data/media/;": f"alias {tmp}/media/;",
        "alias /srv/samizdat/data/static/;": f"alias {tmp}/static/;",
        "root /srv/samizdat/venv/lib/python3.11/site-packages/samizdat/reach/root;": (
            f"root {ROOT / 'samizdat/reach/root'};"
        ),
        "root /srv/samizdat/data/pages/news.example.org;": f"root {folder};",
        "    server_name ": f"    listen 127.0.0.1:{port};\n    server_name ",
    }.items():
        if old not in block:
            raise SystemExit(f"README's nginx block no longer has {old.strip()!r}")
        block = block.replace(old, new, 1)
    return block


def run_nginx(tmp: Path, http: str, ports: list[int], cpu: str | None = None) -> subprocess.Popen:
    """nginx with this http block, its files in `tmp`; returns once it answers on `ports`."""
    # Run by root, nginx's workers are an unprivileged user: they must reach the files here.
    tmp.chmod(0o755)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_MAIN.format(tmp=tmp, http=http))
    command = [executable("nginx"), "-c", str(conf)]
    process = start_server(pinned(cpu, command) if cpu else command, ports[0], tmp / "nginx.log")
    for port in ports[1:]:
        wait_for_port(port, process)
    return process


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A PostgreSQL database of the bench's own; yields its URL and drops it afterwards."""
    name = f"samizdat_bench_{os.getpid()}"
    admin = ["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", "postgres", "-qAtc"]
    if shutil.which("psql"):
        run_admin = lambda sql: subprocess.run([*admin, sql], check=True)  # noqa: E731
    else:  # psycopg (a dependency) does the same without the client
        import psycopg

        def run_admin(sql: str) -> None:
            with psycopg.connect(
                host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
            ) as conn:
                conn.execute(sql)

    run_admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        from django.db import connections

        connections.close_all()
        run_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def bench_django() -> Iterator[Path]:
    """Django set up on a throwaway database and a scratch folder (yielded), both gone after."""
    import tempfile

    with (
        tempfile.TemporaryDirectory(prefix="samizdat-bench-") as scratch,
        throwaway_database() as database_url,
    ):
        configure_django(database_url, Path(scratch))
        yield Path(scratch)


def flush_bench_redis() -> None:
    import redis

    redis.Redis.from_url(f"{REDIS_BASE}/{BENCH_REDIS_DB}").flushdb()


def configure_django(database_url: str, data_dir: Path) -> None:
    """The environment of a production deployment on loopback, then django.setup() with the
    bench's settings (Samizdat's plus the plain-Wagtail reference)."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": f"{REDIS_BASE}/{BENCH_REDIS_DB}",
            "SECRET_KEY": "samizdat-bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SAMIZDAT_DATA_DIR": str(data_dir),
            "STATIC_ROOT": str(data_dir / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "SAMIZDAT_TASKS_BACKEND": "immediate",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    os.environ.pop("DEBUG", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    """Wall seconds of each of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples
