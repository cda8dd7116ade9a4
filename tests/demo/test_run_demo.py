"""`make demo` (run_demo): links name the host and port it answers on, and stopping it stops
everything it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from bench.common import ROOT


def free_ports(count: int) -> list[int]:
    """`count` consecutive ports nobody listens on (the Monero chain takes four in a row)."""
    for base in range(23000, 60000, 97):
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return list(range(base, base + count))
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free ports")


def descendants(pid: int) -> set[int]:
    """Every process started by `pid`, and by those, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_run_demo_links_to_its_own_port_and_sigterm_stops_everything_it_started(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env.update(SAMIZDAT_DATA_DIR=str(tmp_path), DEBUG="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port, stripe_port, *monero_ports = free_ports(6)
    log = (tmp_path / "run_demo.log").open("w")
    demo = subprocess.Popen(
        [
            sys.executable, "manage.py", "run_demo", "--port", str(port),
            "--stripe-port", str(stripe_port), "--monero-port", str(monero_ports[0]),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                robots = requests.get(f"http://127.0.0.1:{port}/robots.txt", timeout=5)
                break
            except requests.ConnectionError:
                assert demo.poll() is None, (tmp_path / "run_demo.log").read_text()
                assert time.monotonic() < deadline, "run_demo's server did not answer"
                time.sleep(0.5)
        time.sleep(2)  # the helpers it starts meanwhile (the Monero chain's) are started too
        started = descendants(demo.pid)
        # The absolute links name the port it answers on, not the default 8000.
        assert f"Sitemap: http://127.0.0.1:{port}/sitemap.xml" in robots.text
        assert len(started) >= 3  # localstripe, the server and its autoreloaded child at least

        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=60)
        time.sleep(0.5)

        assert {pid for pid in started if alive(pid)} == set()
    finally:
        if demo.poll() is None:
            demo.kill()
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()
