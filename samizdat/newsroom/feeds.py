"""Full-text RSS 2.0 and Atom feeds of the latest articles on a home page or in a section.

Feeds carry the whole story, not a teaser: many readers follow an independent newsroom from a
feed reader, and some only can, where the site itself is blocked. Every URL in a feed is
absolute, because feed readers resolve relative URLs inconsistently or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import feedgenerator, translation
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from wagtail.blocks import StreamValue

from . import site_settings, structure
from .i18n import localize_pages
from .models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    HomePage,
    Photo,
    PhotoRendition,
    SectionPage,
)

FEED_LENGTH = 30
ENCLOSURE_SPEC = "width-960|format-jpeg"
# Aggregators poll every few minutes; a short shared cache spares the database without
# delaying a breaking story by much.
FEED_MAX_AGE = 300

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"

# XML 1.0 cannot carry these at all, and one pasted into an article would otherwise turn the
# whole feed into a server error.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_URL_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?P<name>href|src|srcset|poster|cite|action)\s*=\s*)"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""",
    re.IGNORECASE,
)


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def absolutize_urls(html: str, base_url: str) -> str:
    """Resolve every URL in the attributes of `html` against `base_url`.

    Only start tags are touched: Django and Wagtail escape `<` in text and `>` in attribute
    values, so a start tag in their output is always markup and never a reader's words.
    """

    def resolve(url: str) -> str:
        return urljoin(base_url, url.strip())

    def rewrite_attribute(match: re.Match) -> str:
        raw = match.group("dq") if match.group("dq") is not None else match.group("sq")
        value = unescape(raw)
        if match.group("name").lower() == "srcset":
            candidates = []
            for candidate in value.split(","):
                url, _space, descriptor = candidate.strip().partition(" ")
                if url:
                    candidates.append(f"{resolve(url)} {descriptor}".strip())
            value = ", ".join(candidates)
        else:
            value = resolve(value)
        return f'{match.group("lead")}"{escape(value)}"'

    return _START_TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(rewrite_attribute, tag.group(0)), html)


class FullTextRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the story in <content:encoded> and one <dc:creator> per author."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author.name)
        handler.addQuickElement("content:encoded", item["content"])

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("logo"):
            # The channel's image: RSS readers show it beside the title, which it repeats.
            handler.startElement("image", {})
            handler.addQuickElement("url", self.feed["logo"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")


class FullTextAtomFeed(feedgenerator.Atom1Feed):
    """Atom with the story in <content type="html"> and one <author> per byline name."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author.name)
            if author.url:
                handler.addQuickElement("uri", author.url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("icon"):
            handler.addQuickElement("icon", self.feed["icon"])
        if self.feed.get("logo"):
            handler.addQuickElement("logo", self.feed["logo"])


@dataclass(frozen=True)
class Byline:
    name: str
    url: str | None


@dataclass
class Entry:
    """An article with everything its feed item needs, worked out in bulk beforehand."""

    article: ArticlePage
    url: str
    authors: list[Byline]
    tags: list[str]
    lead: PhotoRendition | None
    body: StreamValue  # with its photos already fetched


def prime_bylines(articles: list[ArticlePage], locale_id: int) -> None:
    """Fill each article's `byline` from the prefetched authors, in one translation query.

    `ArticlePage.byline` costs two queries per article; thirty of them would be sixty.
    """
    authors_by_article = {
        article.pk: [item.author for item in article.authors.all()] for article in articles
    }
    every_author = [author for authors in authors_by_article.values() for author in authors]
    localized = {}
    if every_author:
        localized = {
            original.pk: translated
            for original, translated in zip(
                every_author, localize_pages(every_author, locale_id), strict=True
            )
        }
    for article in articles:
        article.__dict__["byline"] = [
            localized[author.pk] for author in authors_by_article[article.pk]
        ]


def load_bodies(articles: list[ArticlePage]) -> dict[int, StreamValue]:
    """Every article body with its photos and their renditions, in a fixed number of queries.

    Left to itself each body would fetch its own photos, and each photo its renditions.
    """
    stream_block = ArticlePage._meta.get_field("body").stream_block
    values = stream_block.bulk_to_python([list(a.body.raw_data) for a in articles])
    photos = [
        child.value["image"]
        for value in values
        for child in value
        if child.block_type == "image" and child.value["image"] is not None
    ]
    if photos:
        prefetch_related_objects(photos, "renditions")
    return {article.pk: value for article, value in zip(articles, values, strict=True)}


def _held_articles(page: HomePage | SectionPage) -> list[ArticlePage] | None:
    """The feed's stories as a whole-site render holds them (samizdat/newsroom/preload.py:
    whole, with their tags, byline and photos), or None where it does not hold them all."""
    held = structure.held_objects("pages")
    if not held:
        return None
    ids = list(page.feed_articles().values_list("pk", flat=True)[:FEED_LENGTH])
    articles = [held.get(pk) for pk in ids]
    if all(
        article is not None
        and not article.get_deferred_fields()  # not a teaser's copy
        and {"byline", "tag_list"} <= article.__dict__.keys()
        for article in articles
    ):
        return articles
    return None


class ArticleFeed(Feed):
    """The latest articles under a home page or section, in that page's language.

    Built per request by FeedsMixin: `ArticleFeed(page, "rss")(request)`.
    """

    def __init__(self, page: HomePage | SectionPage, kind: str) -> None:
        if kind not in ("rss", "atom"):
            raise ValueError(f"Unknown feed kind {kind!r}: expected 'rss' or 'atom'.")
        self.page = page
        self.kind = kind
        self.feed_type = FullTextRssFeed if kind == "rss" else FullTextAtomFeed
        self.language = page.locale.language_code
        self.request: HttpRequest | None = None

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        # Block templates translate their labels ("Photo:"); they must follow the feed.
        with translation.override(self.language):
            response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    # Channel

    def get_object(self, request: HttpRequest, *args, **kwargs):
        return self.page

    @cached_property
    def newsroom(self) -> HomePage:
        if isinstance(self.page, HomePage):
            return self.page
        parent = getattr(self.page, "_cached_parent_obj", None)  # left by routing
        if isinstance(parent, HomePage):
            return parent
        return HomePage.objects.ancestor_of(self.page).first() or self.page

    @cached_property
    def newsroom_name(self) -> str:
        return site_settings.current()["name"] or self.newsroom.title

    def feed_extra_kwargs(self, page) -> dict:
        """The logo and favicon set under Settings in the admin, as absolute URLs."""
        chosen, base = site_settings.current(), page.get_full_url(self.request)
        images = {"logo": chosen["logo"], "icon": chosen["favicon"]}
        return {key: urljoin(base, image["url"]) for key, image in images.items() if image}

    def title(self, page) -> str:
        name = self.newsroom_name
        if isinstance(page, HomePage):
            return name
        return f"{page.title} — {name}"

    def description(self, page) -> str:
        tagline = getattr(self.newsroom, "tagline", "")
        return getattr(page, "description", "") or tagline or self.newsroom_name

    def link(self, page) -> str:
        return page.get_full_url(self.request)

    def feed_url(self, page) -> str:
        return urljoin(page.get_full_url(self.request), page.reverse_subpage(f"feed_{self.kind}"))

    def author_name(self, page) -> str:
        # Atom needs an author for every entry; the newsroom stands in for unsigned pieces.
        return self.newsroom_name

    def items(self, page) -> list[Entry]:
        # RSS and Atom, of an edition and of each section: a whole-site render lists the same
        # stories again and again, and already holds them with what a feed shows.
        held = _held_articles(page)
        if held is not None:
            return [self._entry(article, article.body) for article in held]
        articles = list(
            page.feed_articles().prefetch_related(
                Prefetch(
                    "authors",
                    queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
                ),
                # In the order they were given, as the whole-site render holds them.
                Prefetch(
                    "tagged_items", queryset=ArticleTag.objects.select_related("tag").order_by("pk")
                ),
                Prefetch(
                    "lead_image__renditions",
                    queryset=PhotoRendition.objects.filter(filter_spec=ENCLOSURE_SPEC),
                ),
            )[:FEED_LENGTH]
        )
        if not articles:
            return []
        prime_bylines(articles, page.locale_id)
        bodies = load_bodies(articles)
        return [self._entry(article, bodies[article.pk]) for article in articles]

    def _entry(self, article: ArticlePage, body: StreamValue) -> Entry:
        tags = article.__dict__.get("tag_list")  # as a whole-site render holds it
        if tags is None:
            tags = [item.tag for item in article.tagged_items.all()]
        return Entry(
            article=article,
            url=article.get_full_url(self.request),
            authors=[
                Byline(author.title, author.get_full_url(self.request)) for author in article.byline
            ],
            tags=[tag.name for tag in tags],
            lead=article.lead_image.rendition(ENCLOSURE_SPEC) if article.lead_image else None,
            body=body,
        )

    # Items

    def item_title(self, entry: Entry) -> str:
        # RSS readers treat <title> as HTML and Atom's is plain text: escape only for RSS.
        title = xml_safe(entry.article.title)
        return escape(title) if self.kind == "rss" else title

    def item_description(self, entry: Entry) -> str | None:
        standfirst = xml_safe(entry.article.standfirst)
        return escape(standfirst) if standfirst else None

    def item_link(self, entry: Entry) -> str:
        return entry.url

    def item_guid(self, entry: Entry) -> str:
        # Not the link: a story can move to another section or change slug, and readers
        # would then show it twice.
        article = entry.article
        host = urlsplit(entry.url).hostname or "localhost"
        return f"tag:{host},{article.published_at:%Y-%m-%d}:article/{article.pk}"

    def item_guid_is_permalink(self, entry: Entry) -> bool:
        return False

    def item_pubdate(self, entry: Entry):
        return entry.article.published_at

    def item_updateddate(self, entry: Entry):
        article = entry.article
        return article.updated_at if article.was_updated else article.published_at

    def item_categories(self, entry: Entry) -> list[str]:
        return entry.tags

    def item_enclosures(self, entry: Entry) -> list[feedgenerator.Enclosure]:
        if entry.lead is None:
            return []
        return [
            feedgenerator.Enclosure(
                url=urljoin(entry.url, entry.lead.url),
                length=str(_file_size(entry.lead)),
                mime_type="image/jpeg",
            )
        ]

    def item_extra_kwargs(self, entry: Entry) -> dict:
        # The same story in the edition's feed, its section's, RSS and Atom: a whole-site
        # render (the static mirror) writes it once per process.
        content = structure.remembered(
            ("feed-content", entry.article.pk, entry.url, self.language),
            lambda: xml_safe(self.item_content(entry)),
        )
        return {"authors": entry.authors, "content": content}

    def item_content(self, entry: Entry) -> str:
        """The story as a reader would see it on the site: lead photo, then the body."""
        parts = []
        if entry.lead is not None:
            parts.append(_lead_figure(entry.article, entry.lead))
        context = {"page": entry.article, "request": self.request}
        parts.extend(child.render(context) for child in entry.body)
        return absolutize_urls("\n".join(parts), entry.url)


def _lead_figure(article: ArticlePage, rendition: PhotoRendition) -> SafeString:
    photo: Photo = article.lead_image
    caption = article.caption
    credit = (
        format_html(' <span class="credit">{} {}</span>', _("Photo:"), photo.credit)
        if photo.credit
        else ""
    )
    figcaption = (
        format_html("<figcaption>{}{}</figcaption>", caption, credit) if caption or credit else ""
    )
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
        rendition.url,
        rendition.width,
        rendition.height,
        photo.default_alt_text,
        figcaption,
    )


def _file_size(rendition: PhotoRendition) -> int:
    # RSS asks for a length; 0 is the documented value when it cannot be known, and a
    # missing file must not take the whole feed down.
    try:
        return rendition.file.size
    except (OSError, ValueError):
        return 0
