"""The nginx configuration in front of this instance (README, "Running in production"): its
host names, folders and language editions, and the headers the application sends with a reader
page, which nginx must send with the page files too. `samizdat nginx_config` prints it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from . import mirror, pagefiles
from .csp import reader_page_policy
from .domains import onion_host
from .middleware import ONION_LOCATION, PERMISSIONS_POLICY

CACHE_DIR = "/var/cache/nginx/samizdat"
APP_ADDRESS = "127.0.0.1:8000"


def quoted(value: str) -> str:
    """An nginx string: in double quotes, as the README writes the headers."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cache_control() -> str:
    """What the page cache sends with a reader page (samizdat/pagecache/middleware.py)."""
    response = HttpResponse()
    patch_cache_control(
        response,
        public=True,
        max_age=settings.SAMIZDAT_PAGE_MAX_AGE,
        s_maxage=settings.SAMIZDAT_PAGE_SHARED_MAX_AGE,
    )
    return response["Cache-Control"]


def strict_transport_security() -> str | None:
    """What Django's SecurityMiddleware sends over HTTPS."""
    if not settings.SECURE_HSTS_SECONDS:
        return None
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value


def page_headers(language: str) -> list[tuple[str, str]]:
    """(name, nginx value) of each header the application sends with a reader page of this
    language edition, but for Content-Type (nginx's types) and Vary (the configuration's own)."""
    referrer = settings.SECURE_REFERRER_POLICY
    if not isinstance(referrer, str):
        referrer = ",".join(referrer)
    onion = onion_host()
    headers = [
        ("Cache-Control", cache_control()),
        ("Content-Language", language),
        ("Content-Security-Policy", reader_page_policy()),
        (PERMISSIONS_POLICY, settings.SAMIZDAT_PERMISSIONS_POLICY),
        ("X-Content-Type-Options", "nosniff" if settings.SECURE_CONTENT_TYPE_NOSNIFF else ""),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        ("Referrer-Policy", referrer or ""),
        ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY or ""),
        ("Strict-Transport-Security", strict_transport_security() or ""),
        (ONION_LOCATION, f"http://{onion}$request_uri" if onion else ""),
    ]
    return [(name, quoted(value)) for name, value in headers if value]


def server_names() -> list[str]:
    """The site's hostname, then the alternate domains (the onion host has a server of its
    own: README, "Staying reachable")."""
    names = [mirror.primary_site().hostname]
    for host in settings.SAMIZDAT_ALTERNATE_HOSTS:
        if host and host not in names:
            names.append(host)
    return names


def goal_addresses() -> str:
    """A regular expression for the goal's frame in every language edition (support:goal)."""
    addresses = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            addresses.append(re.escape(reverse("support:goal")))
    return f"^({'|'.join(addresses)})$"


def render(app_address: str = APP_ADDRESS, cache_dir: str = CACHE_DIR) -> str:
    languages = [code for code, _ in settings.LANGUAGES]
    return render_to_string(
        "reach/nginx.conf",
        {
            "cache_dir": cache_dir,
            "server_names": server_names(),
            "media_dir": str(settings.MEDIA_ROOT).rstrip("/"),
            "static_dir": str(settings.STATIC_ROOT).rstrip("/"),
            "root_files_dir": str(settings.WHITENOISE_ROOT).rstrip("/"),
            "page_folder": pagefiles.site_folder(),
            "headers": page_headers(settings.LANGUAGE_CODE),
            # Each other edition's location repeats them (add_header is not inherited where a
            # location adds its own), with its own Content-Language.
            "other_languages": [
                (code, page_headers(code)) for code in languages if code != settings.LANGUAGE_CODE
            ],
            "goal_addresses": goal_addresses(),
            "app_address": app_address,
        },
    )
