"""`samizdat nginx_config` prints README's nginx block for this instance: the README's own block
for the README's example settings, and for other settings the headers the application really
sends with a reader page, a location for every language edition, and a file nginx accepts."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Site

from bench.common import NGINX_MAIN, readme_blocks
from bench.publish_load import page_headers
from tests.factories import build_newsroom

pytestmark = pytest.mark.django_db

# Where README installs the package.
SITE_PACKAGES = "/srv/samizdat/venv/lib/python3.11/site-packages"
ONION = "samizdatexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"


def nginx_config(**options) -> str:
    out = StringIO()
    call_command("nginx_config", stdout=out, **options)
    return out.getvalue()


def added_headers(config: str, path: str, location: str = "/") -> dict[str, str]:
    """The headers `location` adds (the bench reads them the same way), with nginx's
    variables as they come out for a page at `path`."""
    headers = {}
    for name, value in re.findall(r"add_header (\S+) (.+);", page_headers(config, location)):
        value = value.replace("$request_uri", path)
        headers[name] = value[1:-1] if value.startswith('"') else value
    return headers


def test_readme_shows_what_the_command_prints_for_its_example(settings):
    build_newsroom()
    Site.objects.filter(is_default_site=True).update(hostname="news.example.org")
    settings.MEDIA_ROOT = Path("/srv/samizdat/data/media")
    settings.STATIC_ROOT = Path("/srv/samizdat/data/static")
    settings.WHITENOISE_ROOT = Path(SITE_PACKAGES, "samizdat/reach/root")
    settings.SAMIZDAT_PAGE_FILES_DIR = Path("/srv/samizdat/data/pages")

    assert nginx_config() == readme_blocks("nginx")[0].lstrip("\n")


def test_nginx_sends_the_headers_the_application_sends(settings, client):
    newsroom = build_newsroom()
    story = newsroom.article("Ferry workers strike", slug="ferry-strike")
    settings.SAMIZDAT_CHECKOUT_URL = "https://give.example.net/checkout"
    settings.SAMIZDAT_ONION_HOST = ONION
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SAMIZDAT_PAGE_SHARED_MAX_AGE = 120

    from_nginx = added_headers(nginx_config(), story.url)
    response = client.get(story.url, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    # Content-Type is nginx's types, the length and validators the file's; X-Cache and
    # X-Accel-Expires are for nginx's micro-cache, which keeps the latter from readers.
    own = ("Content-Type", "Content-Length", "ETag", "Last-Modified", "X-Cache", "X-Accel-Expires")
    sent = {name: value for name, value in response.items() if name not in own}
    assert "form-action 'self' https://give.example.net" in sent["Content-Security-Policy"]
    assert sent["Onion-Location"] == f"http://{ONION}{story.url}"
    assert sent["Strict-Transport-Security"].startswith("max-age=31536000")
    assert sent["Cache-Control"] == "public, max-age=0, s-maxage=120"
    # Directives in another order are the same policy.
    csp = lambda value: sorted(part.strip() for part in value.split(";"))  # noqa: E731
    assert csp(from_nginx.pop("Content-Security-Policy")) == csp(
        sent.pop("Content-Security-Policy")
    )
    assert from_nginx.pop("Vary") == "Accept-Encoding"
    sent.pop("Vary", None)
    assert from_nginx == sent


def test_every_language_edition_gets_its_location_and_nginx_accepts_the_file(settings, tmp_path):
    build_newsroom()
    settings.LANGUAGES = [("uk", "Українська"), ("en", "English"), ("ru", "Русский")]
    settings.LANGUAGE_CODE = "uk"
    settings.SAMIZDAT_ALTERNATE_HOSTS = ["news-mirror.example.net"]
    settings.SAMIZDAT_ONION_HOST = ONION
    settings.SAMIZDAT_PAGE_FILES_DIR = tmp_path / "pages"
    config = nginx_config(app="127.0.0.1:8123", cache_dir=str(tmp_path / "cache"))

    # Each edition's pages say their language, and carry every other header alike.
    default = added_headers(config, "/a-page/")
    assert default.pop("Content-Language") == "uk"
    for code in ("en", "ru"):
        edition = added_headers(config, "/a-page/", location=f"/{code}/")
        assert edition.pop("Content-Language") == code
        assert edition == default
    assert "location /uk/" not in config
    assert "server_name localhost news-mirror.example.net;" in config
    assert f"root {tmp_path / 'pages' / 'localhost'};" in config
    assert "proxy_pass http://127.0.0.1:8123;" in config

    nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin")
    if nginx is None:
        return  # tests/test_page_files_nginx.py runs README's block through nginx itself
    (tmp_path / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp_path, http=config))
    checked = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
