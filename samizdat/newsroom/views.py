"""The reader's page view: Wagtail's, with the start of its routing kept in the structure
cache."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from . import structure
from .routing import route_from


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view (`wagtail_serve`), routed from the site's root page in the reader's
    language as the structure cache keeps it.

    Wagtail starts every request with three queries before routing: the site for the host,
    the active locale, and the root page's specific object. Together they are one cache entry
    here, which only a publish, a move or a change of sites or locales moves on. The route is
    then Wagtail's own (`route_for_request` keeps it on the request, where its view finds it).
    """
    start = route_start(request)
    if start is not None and not hasattr(request, "_wagtail_route_for_request"):
        site, root = start
        route_from(request, site, root, [component for component in path.split("/") if component])
    return wagtail_views.serve(request, path)


def route_start(request: HttpRequest) -> tuple[Site, Page] | None:
    """The request's site and the page its routing starts from (the site's root page in the
    active language, as Wagtail's `route_for_request` finds them), or None where Wagtail is
    left to find them: a host not named in ALLOWED_HOSTS word for word (a wildcard would let
    any Host header add an entry), or no site at all."""
    hostname = split_domain_port(request._get_raw_host())[0]
    if hostname not in settings.ALLOWED_HOSTS:
        return None
    return structure.cached(
        ("route-start", hostname, request.get_port(), translation.get_language()),
        lambda: _route_start(request),
    )


def _route_start(request: HttpRequest) -> tuple[Site, Page] | None:
    site = Site._find_for_request(request)  # Wagtail's own choice of site
    if site is None:
        return None
    return site, site.root_page.localized.specific
