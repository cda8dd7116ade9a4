"""One newsroom on several domains and an onion host, with one public address.

Whatever host a reader came in on, canonical links, share cards, feeds, sitemaps and e-mails name
SAMIZDAT_PUBLIC_URL, so search engines see one site. There is one Site record, the default, with
the public host: Wagtail serves unclaimed hosts from it and builds `page.full_url` from it, while
navigation links stay relative and keep readers on their host. A Site record of its own for an
alternate domain would break this: its pages' URLs would point at that domain.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site

from samizdat.core.mail import public_url


def public_host_and_port() -> tuple[str, int]:
    parts = urlsplit(public_url())
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return (parts.hostname or "localhost"), port


def onion_host() -> str:
    return getattr(settings, "SAMIZDAT_ONION_HOST", "") or ""


def onion_url(path: str = "/") -> str:
    """`path` on the onion host, or '' without one (onion services answer plain http)."""
    onion = onion_host()
    return f"http://{onion}{path}" if onion else ""


def alternate_urls(path: str = "/") -> list[str]:
    """`path` on every alternate domain, with the public address's scheme."""
    scheme = urlsplit(public_url()).scheme or "https"
    hosts = getattr(settings, "SAMIZDAT_ALTERNATE_HOSTS", [])
    return [f"{scheme}://{host}{path}" for host in hosts]


def request_host(request: HttpRequest) -> str:
    """The host name the request came in on, lower-case and without a port; '' if not allowed."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    return split_domain_port(host)[0]


def is_onion_request(request: HttpRequest) -> bool:
    onion = onion_host()
    return bool(onion) and request_host(request) == onion


def primary_site() -> Site | None:
    """The Site every host falls back to, whose address page URLs are built from."""
    return Site.objects.filter(is_default_site=True).select_related("root_page").first()


def align_primary_site() -> bool:
    """Point the default Site at SAMIZDAT_PUBLIC_URL's host and port. True if it changed.

    Wagtail builds `page.full_url` from the Site record; this keeps that record and the
    configured public address from drifting apart. Runs after `migrate` when the deployment
    sets SAMIZDAT_PUBLIC_URL (settings.SAMIZDAT_ALIGN_SITE).
    """
    site = primary_site()
    if site is None:
        return False
    hostname, port = public_host_and_port()
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True


def align_primary_site_after_migrate(sender, **kwargs) -> None:
    if getattr(sender, "label", None) == "reach" and getattr(
        settings, "SAMIZDAT_ALIGN_SITE", False
    ):
        align_primary_site()
