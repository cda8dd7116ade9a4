"""The stories a newsletter carries: full text, as HTML and as plain text, with absolute links.

A newsletter reaches readers a block cannot stop, so it carries each story whole, rendered
exactly like the full-text feeds (newsroom/feeds.py renders and absolutizes the body; this
module only asks it to). Every link and image points at the public site
(settings.WAGTAILADMIN_BASE_URL), never at whichever host the sending process runs on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from inscriptis import get_text
from inscriptis.model.config import ParserConfig
from wagtail.rich_text import expand_db_html

from samizdat.core.mail import mail_language, public_url
from samizdat.newsroom.feeds import ENCLOSURE_SPEC, ArticleFeed, Entry, load_bodies, prime_bylines
from samizdat.newsroom.models import ArticleAuthor, ArticlePage, HomePage
from samizdat.newsroom.names import newsroom_name
from samizdat.reach.ways_in import WaysIn

# Links stay readable in the plain-text part: "the [report](https://…)".
TEXT_CONFIG = ParserConfig(display_links=True, display_images=True)


@dataclass
class Story:
    article: ArticlePage
    url: str
    byline: list[str]
    html: str  # the lead photo and the body, every URL absolute
    text: str


@dataclass
class Rendered:
    subject: str
    html: str
    text: str


def public_page_url(page) -> str:
    """The page's address on the public site, whatever host this process answers on."""
    parts = page.get_url_parts()
    if parts is None:  # not routable (outside every site): the home of the public site
        return public_url("/")
    return public_url(parts[2])


def html_to_text(html: str) -> str:
    return get_text(html, TEXT_CONFIG).strip()


def stories(articles: list[ArticlePage], language: str) -> list[Story]:
    """Each article's full text, in a fixed number of queries however many there are."""
    if not articles:
        return []
    articles = list(
        ArticlePage.objects.filter(pk__in=[a.pk for a in articles])
        .select_related("lead_image", "locale")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
            )
        )
        .order_by("-first_published_at", "-pk")
    )
    home = HomePage.objects.filter(locale=articles[0].locale).first() or articles[0]
    # The feed knows how to fetch bodies and bylines in bulk and render them for readers
    # outside the site; a newsletter is one more such reader.
    feed = ArticleFeed(home, "rss")
    prime_bylines(articles, articles[0].locale_id)
    bodies = load_bodies(articles)
    result = []
    with translation.override(mail_language(language)):
        for article in articles:
            url = public_page_url(article)
            entry = Entry(
                article=article,
                url=url,
                authors=[],
                tags=[],
                lead=article.lead_image.rendition(ENCLOSURE_SPEC) if article.lead_image else None,
                body=bodies[article.pk],
            )
            html = feed.item_content(entry)
            result.append(
                Story(
                    article=article,
                    url=url,
                    byline=[author.title for author in article.byline],
                    html=html,
                    text=html_to_text(html),
                )
            )
    return result


def render_send(
    kind: str, language: str, articles: list[ArticlePage], date: datetime.date | None = None
) -> Rendered:
    """Subject and both bodies of a newsletter, the same for every recipient."""
    language = mail_language(language)
    items = stories(articles, language)
    home = HomePage.objects.filter(locale__language_code=language).first()
    with translation.override(language):
        context = {
            "kind": kind,
            "stories": items,
            "newsroom": newsroom_name(language),
            "language": language,
            "date": date or timezone.localdate(),
            "site_url": public_page_url(home) if home else public_url("/"),
        }
        subject = " ".join(
            render_to_string(f"newsletters/email/{kind}_subject.txt", context).split()
        )
        html = render_to_string("newsletters/email/stories.html", context)
        text = render_to_string("newsletters/email/stories.txt", context)
    return Rendered(subject=subject[:300], html=html, text=text)


def ways_in_context(ways: WaysIn) -> dict:
    """The ways in as the SOS message and every newsletter's footer show them."""
    other_html = expand_db_html(ways.other_ways_html) if ways.other_ways_html else ""
    return {
        "ways": ways,
        "other_ways_html": other_html,
        "other_ways_text": html_to_text(other_html) if other_html else "",
    }


def render_sos(ways: WaysIn) -> Rendered:
    """The short message that gives every subscriber the current ways in, in full."""
    language = mail_language(ways.language)
    with translation.override(language):
        context = {
            **ways_in_context(ways),
            "newsroom": newsroom_name(language),
            "language": language,
        }
        subject = " ".join(render_to_string("newsletters/email/sos_subject.txt", context).split())
        html = render_to_string("newsletters/email/sos.html", context)
        text = render_to_string("newsletters/email/sos.txt", context)
    return Rendered(subject=subject[:300], html=html, text=text)
