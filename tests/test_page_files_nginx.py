"""Published pages as files behind the README's nginx: readers get them whether or not the
application answers.

README's nginx block ("Running in production", with this run's ports and folders: see
bench/common.py) runs in front of gunicorn, as README runs it, on the test database. Stories are
published here (which writes their files, samizdat/reach/pagefiles.py); then gunicorn is
stopped, and every published page still answers 200 from nginx.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from bench.common import free_port, readme_nginx_front, run_nginx, start_gunicorn, stop
from samizdat.reach.mirror import MANIFEST_NAME, Manifest
from tests.factories import PhotoFactory, build_newsroom

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "localhost"  # the test site's hostname (tests/factories.py)
# What the application sends with a reader page, which nginx must send with its file too.
READER_HEADERS = (
    "Content-Type",
    "Cache-Control",
    "Content-Language",
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )


def get(
    port: int, path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers={"Host": HOST, **headers})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def assets(page: bytes) -> set[str]:
    """The stylesheets, scripts, pictures and icon a page of ours asks its own host for."""
    found = set(re.findall(r'(?:href|src)="(/(?:static|media)/[^"]+)"', page.decode()))
    return found | {"/favicon.ico"}  # what browsers ask for by themselves


def same_value(one: str | None, other: str | None) -> bool:
    """Header values alike, in whatever order their directives come (django-csp's vary)."""
    split = lambda value: sorted(part.strip() for part in (value or "").split(";"))  # noqa: E731
    return split(one) == split(other)


@pytest.fixture
def served(settings):
    """gunicorn and README's nginx in front of it, page files on; yields (nginx's port,
    gunicorn's port, gunicorn's process, the site's page folder)."""
    if shutil.which("nginx", path="/usr/sbin:/usr/bin") is None:
        missing = "nginx is not installed (apt-get install nginx; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    tmp = Path(tempfile.mkdtemp(prefix="samizdat-page-files-"))
    pages = tmp / "pages"
    settings.SAMIZDAT_PAGE_FILES = True
    settings.SAMIZDAT_PAGE_FILES_DIR = pages
    # Where README's nginx finds them here (bench/common.py): uploads and collected static files.
    settings.MEDIA_ROOT = tmp / "media"
    settings.STATIC_ROOT = tmp / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    port, app_port = free_port(), free_port()
    gunicorn = start_gunicorn(
        app_port,
        tmp / "gunicorn.log",
        workers=1,
        # Static files by their plain names, as the tests render pages.
        env={
            "DATABASE_URL": database_url(),
            "SAMIZDAT_PLAIN_STATIC": "1",
            "SAMIZDAT_PAGE_FILES": "0",
        },
    )
    nginx = run_nginx(tmp, readme_nginx_front(tmp, port, app_port, pages / HOST), [port])
    try:
        yield port, app_port, gunicorn, pages / HOST
    finally:
        stop(nginx)
        stop(gunicorn)
        shutil.rmtree(tmp, ignore_errors=True)


def test_every_published_page_is_served_while_the_application_is_stopped(served, settings):
    port, app_port, gunicorn, folder = served
    newsroom = build_newsroom()
    story = newsroom.article(
        "Ferry workers strike",
        tags=["ferries"],
        slug="ferry-strike",
        lead_image=PhotoFactory(),
    )
    newsroom.article("A choir sings again", section="culture")
    russian = newsroom.article("Паромщики бастуют", language="ru")
    file = folder / "en/news/ferry-strike/index.html"
    assert file.exists()  # written once the publish committed

    # With the application up: the article is the file, with the headers the application
    # sends; an editor and a list's later page go to the application.
    status, headers, body = get(port, story.url)
    assert status == 200
    assert body == file.read_bytes()
    assert "X-Front-Cache" not in headers  # nginx's file, not the application's answer
    assert headers["ETag"] and headers["Last-Modified"]
    _, from_app, app_body = get(app_port, story.url)
    assert app_body == body
    for name in READER_HEADERS:
        assert same_value(headers.get(name), from_app.get(name)), name
    assert get(port, story.url, **{"If-None-Match": headers["ETag"]})[0] == 304
    status, zipped, compressed = get(port, story.url, **{"Accept-Encoding": "gzip"})
    assert zipped.get("Content-Encoding") == "gzip"
    assert gzip.decompress(compressed) == body
    # Shared caches keep the two apart.
    assert "Accept-Encoding" in headers.get("Vary", "")
    assert "Accept-Encoding" in zipped.get("Vary", "")
    # Each language edition's files say their own language, as the application does.
    status, headers, body = get(port, russian.url)
    assert status == 200 and "X-Front-Cache" not in headers
    assert headers["Content-Language"] == get(app_port, russian.url)[1]["Content-Language"] == "ru"
    for path in ("/en/feed/rss/", "/sitemap.xml", "/robots.txt"):
        status, headers, _ = get(port, path)
        assert status == 200 and "X-Front-Cache" not in headers, path
        assert headers["Content-Type"] == get(app_port, path)[1]["Content-Type"], path
    # An editor, a list's later page and a form's POST go to the application.
    assert "X-Front-Cache" in get(port, story.url, Cookie="sessionid=an-editor")[1]
    assert "X-Front-Cache" in get(port, "/en/news/?page=1")[1]
    # nginx still compresses what the application answers (gzip is off only for the files).
    _, headers, _ = get(port, "/en/news/?page=1", **{"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in headers.get("Vary", "")
    # (nginx would refuse a POST to a file with 405; the application answers it.)
    status, _, body = get(port, story.url, method="POST")
    app_status, _, app_body = get(app_port, story.url, method="POST")
    assert (status, body) == (app_status, app_body) and status != 405

    stop(gunicorn)

    manifest = Manifest.load(folder)
    pages = sorted(manifest.targets)
    assert {"/en/", "/ru/", "/en/news/", story.url, "/en/tags/ferries/", "/sitemap.xml"} <= set(
        pages
    )
    needed = set()
    for path in pages:
        status, headers, body = get(port, path)
        assert status == 200, path
        file = folder / manifest.targets[path].file
        assert body == file.read_bytes(), path
        if headers["Content-Type"].startswith("text/html"):
            needed |= assets(body)
    # The pages keep their look: their stylesheet, scripts, pictures and icon come from disk.
    assert any(url.endswith(".css") for url in needed)
    assert any(url.startswith("/media/") for url in needed)
    for url in needed:
        status, headers, _ = get(port, url)
        assert status == 200, url
        if url.startswith("/static/"):
            assert headers["X-Content-Type-Options"] == "nosniff", url
            assert headers["Cache-Control"] == "max-age=60, public", url
    # A name collectstatic gave with its content's hash (production's storage) is kept for good.
    static = Path(settings.STATIC_ROOT)
    shutil.copy(static / "samizdat/samizdat.css", static / "samizdat/samizdat.0123456789ab.css")
    status, headers, _ = get(port, "/static/samizdat/samizdat.0123456789ab.css")
    assert status == 200 and headers["Content-Type"] == "text/css"
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    # The rest needed the application, which is stopped.
    assert get(port, story.url, Cookie="sessionid=an-editor")[0] == 502
    # but for the goal's frame in the pages' appeals, which is left empty rather than showing
    # nginx's error page.
    for language in ("en", "ru"):
        status, _, body = get(port, f"/{language}/support/goal/")
        assert (status, body) == (204, b"")
    assert get(port, "/en/support/")[0] == 502
    # What the folder holds beside the pages is not served.
    assert get(port, f"/{MANIFEST_NAME}")[0] == 502
