"""`samizdat mirror check`: which mirrors still answer with the current build, and why the others
do not; the results reach editors through a signed report."""

from __future__ import annotations

import functools
import json
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.urls import reverse

from samizdat.reach import mirror_check
from samizdat.reach.mirror import MirrorOptions, build_mirror
from samizdat.reach.models import MirrorCheck, ReachPage
from tests.factories import publish

pytestmark = pytest.mark.django_db

SECRET = "a-secret-the-site-and-the-checker-share"


class Quiet:
    def log_message(self, format, *args):
        pass


class FolderHandler(Quiet, SimpleHTTPRequestHandler):
    pass


class BlockPageHandler(Quiet, BaseHTTPRequestHandler):
    """What a blocked address often answers, whatever was asked: 200 and someone else's page."""

    def do_GET(self):
        body = "<html><head><title>Доступ к ресурсу ограничен</title></head></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def serve():
    """serve(handler) → the base URL of a plain HTTP server on 127.0.0.1."""
    servers = []

    def start(handler) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def silent_server():
    """Accepts connections (the kernel does) and never answers: a mirror that times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    listener.close()


@pytest.fixture
def mirrors(newsroom, tmp_path, settings):
    """A mirror built, copied aside (the stale copy), and built again after a new story."""
    settings.SAMIZDAT_CHECKOUT_URL = "https://give.example"
    for name in ("default", "renditions"):
        caches[name].clear()
    newsroom.article("Ferry workers strike")
    current = tmp_path / "current"
    build_mirror(MirrorOptions(base_url="https://mirror.example/", out=current))
    stale = tmp_path / "stale"
    shutil.copytree(current, stale)
    newsroom.article("The strike ends")
    build_mirror(MirrorOptions(base_url="https://mirror.example/", out=current))
    return current, stale


def run_check(*args: str) -> tuple[list[dict], bool]:
    """`samizdat mirror check … --json`: each mirror's line, and whether it exited 0."""
    out = StringIO()
    try:
        call_command("mirror", "check", *args, "--json", stdout=out)
        succeeded = True
    except CommandError as exc:
        assert exc.returncode == 1
        succeeded = False
    return [json.loads(line) for line in out.getvalue().splitlines()], succeeded


def test_each_mirror_is_found_current_stale_wrong_or_unreachable(
    mirrors, serve, closed_port, silent_server
):
    current, stale = mirrors
    right = serve(functools.partial(FolderHandler, directory=str(current)))
    old = serve(functools.partial(FolderHandler, directory=str(stale)))
    blocked = serve(BlockPageHandler)
    now = mirror_check.read_stamp(current / mirror_check.STAMP_NAME)
    before = mirror_check.read_stamp(stale / mirror_check.STAMP_NAME)
    assert now["build"] != before["build"]

    started = time.monotonic()
    lines, succeeded = run_check(
        right, old, blocked, closed_port, silent_server, "--current", str(current), "--timeout", "1"
    )

    assert time.monotonic() - started < 10  # checked at once, each within its timeout
    assert not succeeded
    found = {line["url"]: line for line in lines}
    assert [line["url"] for line in lines] == [right, old, blocked, closed_port, silent_server]
    assert (found[right]["status"], found[right]["ok"]) == ("current", True)
    assert (found[right]["build"], found[right]["built_at"]) == (now["build"], now["built_at"])
    assert (found[old]["status"], found[old]["ok"]) == ("stale", False)
    assert found[old]["build"] == before["build"]
    assert found[old]["built_at"] == before["built_at"]
    assert found[blocked]["status"] == "wrong"
    assert "Доступ к ресурсу ограничен" in found[blocked]["detail"]
    assert found[blocked]["http_status"] == 200
    assert found[closed_port]["status"] == "refused"
    assert found[silent_server]["status"] == "timeout"


def test_all_mirrors_current_exits_zero_and_prints_a_line_each(mirrors, serve):
    current, _stale = mirrors
    right = serve(functools.partial(FolderHandler, directory=str(current)))
    also_right = serve(functools.partial(FolderHandler, directory=str(current)))

    lines, succeeded = run_check(right, also_right)  # no --current: the newest build served

    assert succeeded
    assert [line["status"] for line in lines] == ["current", "current"]
    out = StringIO()
    call_command("mirror", "check", right, "--current", right, stdout=out)
    assert out.getvalue().startswith(f"ok   {right}  current: serves the current build, built ")


def test_the_mirrors_listed_on_how_to_reach_us_are_checked(mirrors, serve, newsroom):
    current, _stale = mirrors
    right = serve(functools.partial(FolderHandler, directory=str(current)))
    page = ReachPage(title="How to reach us", slug="how-to-reach-us", mirrors=[])
    page.mirrors.append(("mirror", {"url": right, "note": ""}))
    newsroom.homes["en"].add_child(instance=page)
    publish(page)

    lines, succeeded = run_check("--listed", "--current", str(current))

    assert succeeded
    assert [(line["url"], line["status"]) for line in lines] == [(right, "current")]
    with pytest.raises(CommandError, match="Name the mirrors"):
        call_command("mirror", "check")


def test_dns_and_tls_failures_are_named(serve, mirrors):
    current, _stale = mirrors
    plain = serve(functools.partial(FolderHandler, directory=str(current)))
    tls_to_plain = plain.replace("http://", "https://")

    lines, succeeded = run_check("http://mirror.invalid/", tls_to_plain, "--timeout", "2")

    assert not succeeded
    assert [line["status"] for line in lines] == ["dns", "tls"]


def test_a_mirror_without_the_build_file_is_not_called_current(mirrors, serve):
    current, _stale = mirrors
    (current / mirror_check.STAMP_NAME).unlink()
    served = serve(functools.partial(FolderHandler, directory=str(current)))

    lines, succeeded = run_check(served)

    assert not succeeded
    assert lines[0]["status"] == "unstamped"


# The report editors see ------------------------------------------------------------------------


@pytest.fixture
def reach_page(newsroom):
    page = ReachPage(
        title="How to reach us",
        slug="how-to-reach-us",
        mirrors=[("mirror", {"url": "https://mirror-one.example/", "note": ""})],
    )
    newsroom.homes["en"].add_child(instance=page)
    return publish(page)


def signed_post(client, body: bytes, secret: str = SECRET, timestamp: int | None = None):
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return client.post(
        "/en/reach/mirror-checks/",
        body,
        content_type="application/json",
        headers={
            mirror_check.TIMESTAMP_HEADER: stamp,
            mirror_check.SIGNATURE_HEADER: mirror_check.signature(secret, stamp, body),
        },
    )


REPORT = json.dumps(
    {
        "vantage": "A VPS in Moscow",
        "results": [
            {
                "url": "https://mirror-one.example/",
                "status": "wrong",
                "detail": "a different page (HTTP 200, text/html, “Доступ ограничен”)",
                "checked_at": "2026-12-04T10:00:00Z",
            }
        ],
    }
).encode()


def test_a_signed_report_is_kept_and_editors_see_it_beside_the_mirrors(
    reach_page, client, settings
):
    settings.SAMIZDAT_MIRROR_CHECK_SECRET = SECRET

    response = signed_post(client, REPORT)

    assert response.status_code == 200
    check = MirrorCheck.objects.get()
    assert (check.vantage, check.url, check.status, check.ok) == (
        "A VPS in Moscow",
        "https://mirror-one.example/",
        "wrong",
        False,
    )
    editor = User.objects.create_user("editor", "editor@newsroom.test", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[reach_page.pk])).content.decode()
    assert "Which mirrors answer" in html
    assert "A VPS in Moscow" in html and "Доступ ограничен" in html


def test_a_report_not_signed_with_the_secret_is_refused_and_nothing_is_kept(
    reach_page, client, settings
):
    settings.SAMIZDAT_MIRROR_CHECK_SECRET = SECRET

    assert signed_post(client, REPORT, secret="a guess").status_code == 403
    assert signed_post(client, REPORT, timestamp=int(time.time()) - 3600).status_code == 403
    assert client.post("/en/reach/mirror-checks/", REPORT, "application/json").status_code == 403
    assert signed_post(client, b"{not json").status_code == 400
    assert signed_post(client, b'{"results": [{"no": "url"}]}').status_code == 400
    assert not MirrorCheck.objects.exists()
    settings.SAMIZDAT_MIRROR_CHECK_SECRET = ""
    assert signed_post(client, REPORT, secret="").status_code == 404


def test_the_check_posts_its_report_to_the_site(mirrors, serve, live_server, settings):
    settings.SAMIZDAT_MIRROR_CHECK_SECRET = SECRET
    current, stale = mirrors
    right = serve(functools.partial(FolderHandler, directory=str(current)))
    old = serve(functools.partial(FolderHandler, directory=str(stale)))

    lines, succeeded = run_check(
        right,
        old,
        "--current",
        str(current),
        "--report-to",
        f"{live_server.url}/en/reach/mirror-checks/",
        "--token",
        SECRET,
        "--from",
        "A friend's laptop",
    )

    assert not succeeded
    kept = {check.url: check for check in MirrorCheck.objects.all()}
    assert (kept[right].status, kept[right].ok, kept[old].status) == ("current", True, "stale")
    assert {check.vantage for check in kept.values()} == {"A friend's laptop"}
    assert kept[right].built_at is not None


def test_odd_values_in_a_signed_report_are_stored_safely(client, settings):
    settings.SAMIZDAT_MIRROR_CHECK_SECRET = SECRET
    odd = {
        "url": "https://mirror-one.example/",
        "status": "current",
        "seconds": float("nan"),
        "http_status": 10**9,
        "built_at": "9999-12-31T23:59:59-23:59",
        "checked_at": "not a time",
    }
    body = json.dumps({"vantage": {"not": "text"}, "results": [odd]}).encode()

    assert signed_post(client, body).status_code == 200

    check = MirrorCheck.objects.get()
    assert (check.seconds, check.http_status, check.built_at) == (0.0, None, None)
    assert check.ok and check.checked_at is not None
