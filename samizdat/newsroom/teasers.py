"""Teasers: an article's teaser is rendered once, stored, and copied wherever it is shown."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.template import Context
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import structure

TEASER_TEMPLATE = "newsroom/includes/teaser.html"
# Stands for the heading level in a teaser's one rendered copy; no HTML escaping touches it.
_LEVEL = "\x00level\x00"


def render_teaser(context, article, level=None, lead=False) -> str:
    """An article's teaser (newsroom/includes/teaser.html), rendered once and then copied.

    The same teaser appears on its section's pages, its tags' pages, the home page, its
    authors' pages and other articles' "Read more": a whole-site render (the static mirror)
    or a cold cache would otherwise look its picture's renditions up for every one of them.
    The key is everything the teaser shows, so no publish needs to forget it: the teasers
    of all other stories stay warm while a changed one is rendered again. The heading level
    (h2 in a list, h3 under "Read more") is filled in on each use of the one copy.
    """
    request = context.get("request")
    host = request.get_host() if request is not None else ""
    # While an export holds the site still, one article's teaser is found by its id alone.
    html = structure.remembered(
        ("teaser", article.pk, bool(lead), get_language(), host),
        lambda: _teaser_html(context, request, article, lead, host),
    )
    return mark_safe(html.replace(_LEVEL, str(level or 2)))


def _teaser_key(article, lead, host: str) -> str:
    photo = article.lead_image
    shown = (
        article.title,
        article.standfirst,
        article.published_at,
        article.url_path,
        bool(lead),
        get_language(),
        host,
        photo and (photo.pk, photo.file.name, photo.width, photo.height, photo.get_focal_point()),
    )
    return (
        f"samizdat:teaser:{article.pk}:"
        + hashlib.md5(repr(shown).encode(), usedforsecurity=False).hexdigest()
    )


def prefetch_teasers(request, articles, lead=False) -> None:
    """Read the stored teasers of the stories a page lists in one round trip."""
    host = request.get_host() if request is not None else ""
    keys = [_teaser_key(article, lead, host) for article in articles]
    if keys:
        structure.remember_fetched(cache.get_many(keys))


def _teaser_html(context, request, article, lead, host: str) -> str:
    held = structure.held_objects("pages")
    if held and article.pk in held:
        article = held[article.pk]  # preloaded with its photo's renditions
    key = _teaser_key(article, lead, host)
    html = structure.fetched(key)
    if html is None:
        html = cache.get(key)
    if html is None:
        template = context.template.engine.get_template(TEASER_TEMPLATE)
        values = {"article": article, "level": _LEVEL, "lead": lead, "request": request}
        html = template.render(Context(values, autoescape=context.autoescape))
        cache.set(key, html, structure.TIMEOUT)
    return html
