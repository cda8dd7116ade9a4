"""Template helpers for reader pages: the "How to reach us" link, "most read", the view beacon."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from samizdat.newsroom import structure
from samizdat.newsroom.models import ArticlePage, HomePage
from samizdat.newsroom.templatetags.newsroom_tags import home_page

from ..domains import onion_url
from ..models import ReachPage
from ..pageviews import most_read as most_read_articles

register = template.Library()


@register.simple_tag(takes_context=True)
def reach_page_url(context, home: HomePage | None) -> str:
    """The URL of the edition's "How to reach us" page, or '' while it has none.

    Asked for by every page's footer, so kept in the structure cache ('' rather than None,
    which the cache would take for a miss).
    """
    if home is None:
        return ""

    def find() -> str:
        page = ReachPage.objects.child_of(home).live().public().first()
        return (page.get_url(context.get("request")) or "") if page else ""

    return structure.cached(("reach-page-url", home.pk), find)


@register.inclusion_tag("reach/most_read.html", takes_context=True)
def most_read(context) -> dict:
    """The most read stories of the last week in the reader's edition (the home page's)."""
    home = home_page(context)
    articles = most_read_articles(home.locale_id) if home is not None else []
    return {"most_read": articles, "request": context.get("request")}


@register.simple_tag(takes_context=True)
def view_beacon(context, page) -> str:
    """The script that counts one view of a live article; nothing on previews or other pages."""
    request = context.get("request")
    if not isinstance(page, ArticlePage) or not page.live or getattr(request, "is_preview", False):
        return ""
    # A static mirror has nothing to count with, and sending mirror readers' browsers to
    # another host just to count a view would tell that host (and the network) what they read.
    if request is not None and request.META.get("samizdat.mirror"):
        return ""
    # Under the language prefix being read, which is the article's: /ru/reach/viewed/12/.
    url = reverse("reach:viewed", args=[page.pk])
    return format_html(
        '<script src="{}" data-url="{}" defer></script>', static("reach/viewed.js"), url
    )


@register.simple_tag(takes_context=True)
def mirror_onion_location(context) -> str:
    """On a static mirror's pages, the Onion-Location a static host cannot send as a header.

    Tor Browser honours the <meta> form too, and offers the same page on the onion host.
    """
    request = context.get("request")
    if request is None or not request.META.get("samizdat.mirror"):
        return ""
    # Django's "not found" page (its context has request_path) names no page to go to.
    path = "/" if "request_path" in context else request.get_full_path()
    url = onion_url(path)
    return format_html('<meta http-equiv="onion-location" content="{}">\n', url) if url else ""
