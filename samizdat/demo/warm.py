"""Render every reader page of the demo once, so that its pictures exist before anyone asks.

Wagtail makes an image's renditions (each size and format a page's <picture> offers) the first
time a page asks for them; on a fresh demo that made the first front page take seconds. Asking
each page here makes exactly the renditions the templates use, and no others.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from wagtail.models import Page, Site

from samizdat.newsroom.models import HomePage


@dataclass
class Warmed:
    pages: int = 0
    failed: int = 0


def warm_reader_pages() -> Warmed:
    site = Site.objects.filter(is_default_site=True).first()
    host = f"{site.hostname}:{site.port}" if site else "127.0.0.1"
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    urls = [page.get_url() for page in Page.objects.live().public().specific().filter(depth__gt=1)]
    # The feeds' enclosures are a size of their own.
    for home in HomePage.objects.live():
        urls += [home.url + home.reverse_subpage(name) for name in ("feed_rss", "feed_atom")]
    warmed = Warmed()
    for url in filter(None, urls):
        status = client.get(url).status_code
        warmed.pages += 1
        warmed.failed += status >= 500
    return warmed
