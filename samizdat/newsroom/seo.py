"""What search engines and feed readers see: sitemaps, robots.txt, structured data."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, Site

from samizdat.core.mail import public_url
from samizdat.ids import parse_id

from . import site_settings, structure
from .crops import JSONLD_IMAGE_SPECS, SHARE_IMAGE_SPEC
from .models import ArticlePage, HomePage, Photo, PhotoRendition

# Search engines accept 50,000 URLs a file; smaller files are quicker to regenerate and fetch.
SITEMAP_LIMIT = 10_000
# Translations are looked up for this many pages at a time, to keep each IN (…) list short.
SITEMAP_BATCH = 500
NEWS_SITEMAP_WINDOW = datetime.timedelta(hours=48)
# Google News reads at most this many URLs from one news sitemap.
NEWS_SITEMAP_LIMIT = 1_000

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/"]
    # One line per edition rather than "/*/search/": exact prefixes need no wildcard support
    # and cannot catch an article that happens to be slugged "search".
    lines += [f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES]
    # On the public address, whichever of the newsroom's domains (or its onion host) was asked:
    # the sitemaps list URLs on the public address, and search engines look for them there.
    lines += [
        "",
        f"Sitemap: {public_url(reverse('sitemap'))}",
        f"Sitemap: {public_url(reverse('news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Sitemaps


@dataclass(frozen=True)
class EditionRoot:
    """The home page of one language edition of a site, and where its pages are served."""

    path: str
    url_path: str
    language: str
    title: str
    prefix: str  # the site's root URL and the language prefix: "https://example.org/en/"


class SiteMap:
    """Turns stored page paths into public URLs without loading the pages.

    A 200,000-article archive cannot afford `page.full_url` on a model instance per row, so
    this repeats what Wagtail's `Page.get_url_parts` does for a page under an edition's home:
    the edition's URL prefix followed by the page's path below that home.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        roots = []
        for path, url_path, language, title in (
            Page.objects.filter(translation_key=site.root_page.translation_key)
            .values_list("path", "url_path", "locale__language_code", "title")
            .order_by("path")
        ):
            with translation.override(language):
                prefix = site.root_url + reverse("wagtail_serve", args=("",))
            roots.append(EditionRoot(path, url_path, language, title, prefix))
        # Most specific first, as Wagtail resolves them.
        self.roots = sorted(roots, key=lambda root: len(root.url_path), reverse=True)
        self.default_language = settings.LANGUAGE_CODE

    def pages(self, model: type[Page] = Page):
        """Live, public pages of `model` under any edition of this site."""
        in_site = Q(pk__in=[])
        for root in self.roots:
            in_site |= Q(path__startswith=root.path)
        return model.objects.live().public().filter(in_site)

    def locate(self, url_path: str) -> tuple[str, str] | None:
        """The absolute URL and language of the page stored at `url_path`."""
        for root in self.roots:
            if url_path.startswith(root.url_path):
                return iri_to_uri(root.prefix + url_path[len(root.url_path) :]), root.language
        return None


def _w3c_datetime(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def _url_entries(site_map: SiteMap, rows: Iterable[tuple]) -> Iterator[str]:
    """`<url>` elements for (translation_key, url_path, last_published_at) rows."""
    pages = site_map.pages()
    batch: list[tuple] = []

    def flush() -> Iterator[str]:
        translations: dict[object, list[tuple[str, str]]] = {}
        for key, url_path in pages.filter(
            translation_key__in={row[0] for row in batch}
        ).values_list("translation_key", "url_path"):
            located = site_map.locate(url_path)
            if located:
                translations.setdefault(key, []).append(located)
        for key, url_path, last_published_at in batch:
            located = site_map.locate(url_path)
            if located is None:
                continue
            parts = [f"<url><loc>{xml_escape(located[0])}</loc>"]
            if last_published_at:
                parts.append(f"<lastmod>{_w3c_datetime(last_published_at)}</lastmod>")
            editions = sorted(translations.get(key, []), key=lambda item: item[1])
            if len(editions) > 1:
                for url, language in editions:
                    parts.append(_hreflang(language, url))
                for url, language in editions:
                    if language == site_map.default_language:
                        parts.append(_hreflang("x-default", url))
            parts.append("</url>\n")
            yield "".join(parts)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= SITEMAP_BATCH:
            yield from flush()
    if batch:
        yield from flush()


def _hreflang(language: str, url: str) -> str:
    return (
        f"<xhtml:link rel={quoteattr('alternate')} hreflang={quoteattr(language)}"
        f" href={quoteattr(url)}/>"
    )


def _xml_response(chunks: Iterable[str]) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type=XML_CONTENT_TYPE
    )


def _site_map(request: HttpRequest) -> SiteMap:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site answers on this host.")
    return SiteMap(site)


def sitemap(request: HttpRequest) -> StreamingHttpResponse:
    """Every live, public page in every language, with its translations as hreflang alternates.

    Up to SITEMAP_LIMIT pages this is one sitemap. Past that, /sitemap.xml becomes an index of
    /sitemap.xml?p=1, ?p=2 …, each of which streams its slice of pages from the database.
    """
    site_map = _site_map(request)
    pages = site_map.pages().order_by("path")
    starts = _sitemap_starts(site_map, pages)
    number = request.GET.get("p")
    if number is None:
        if len(starts) > 1:
            return _sitemap_index(request, len(starts))
        chunk = pages
    else:
        number = parse_id(number)
        if number is None or not 1 <= number <= max(len(starts), 1):
            raise Http404("No such sitemap page.")
        chunk = pages.filter(path__gte=starts[number - 1]) if starts else pages
        if number < len(starts):
            chunk = chunk.filter(path__lt=starts[number])

    rows = chunk.values_list("translation_key", "url_path", "last_published_at").iterator(
        chunk_size=2_000
    )

    def document() -> Iterator[str]:
        yield (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n'
        )
        yield from _url_entries(site_map, rows)
        yield "</urlset>\n"

    return _xml_response(document())


def _sitemap_starts(site_map: SiteMap, pages: QuerySet) -> list[str]:
    """The tree path each sitemap of SITEMAP_LIMIT pages starts at, kept in the structure cache
    until the next publish: the index counts nothing and a deep sitemap reads its pages by
    path, not past an OFFSET of the whole archive."""
    numbered = pages.annotate(number=Window(RowNumber(), order_by=F("path").asc()))
    return structure.cached(
        ("sitemap-starts", site_map.site.pk, SITEMAP_LIMIT),
        lambda: list(
            numbered.annotate(slot=F("number") % SITEMAP_LIMIT)
            .filter(slot=1)
            .values_list("path", flat=True)
        ),
    )


def _sitemap_index(request: HttpRequest, count: int) -> StreamingHttpResponse:
    location = public_url(reverse("sitemap"))

    def document() -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
        for number in range(1, count + 1):
            yield f"<sitemap><loc>{xml_escape(f'{location}?p={number}')}</loc></sitemap>\n"
        yield "</sitemapindex>\n"

    return _xml_response(document())


def _news_language(code: str) -> str:
    # Google News wants a bare ISO 639 code, except for the two written forms of Chinese.
    code = code.lower()
    if code in ("zh-cn", "zh-hans"):
        return "zh-cn"
    if code in ("zh-tw", "zh-hant"):
        return "zh-tw"
    return code.split("-")[0]


def news_sitemap(request: HttpRequest) -> StreamingHttpResponse:
    """Google News sitemap: articles first published in the last 48 hours, newest first."""
    site_map = _site_map(request)
    names = {root.language: root.title for root in site_map.roots}
    cutoff = timezone.now() - NEWS_SITEMAP_WINDOW
    articles = (
        site_map.pages(ArticlePage)
        .filter(first_published_at__gte=cutoff)
        .order_by("-first_published_at", "-pk")
        .values_list("url_path", "title", "first_published_at")[:NEWS_SITEMAP_LIMIT]
    )

    def document() -> Iterator[str]:
        yield (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
        )
        for url_path, title, published_at in articles:
            located = site_map.locate(url_path)
            if located is None:
                continue
            url, language = located
            yield (
                f"<url><loc>{xml_escape(url)}</loc><news:news><news:publication>"
                f"<news:name>{xml_escape(names.get(language, settings.WAGTAIL_SITE_NAME))}"
                f"</news:name><news:language>{_news_language(language)}</news:language>"
                f"</news:publication><news:publication_date>{_w3c_datetime(published_at)}"
                f"</news:publication_date><news:title>{xml_escape(title)}</news:title>"
                "</news:news></url>\n"
            )
        yield "</urlset>\n"

    return _xml_response(document())


# Structured data and share cards


def modified_at(article: ArticlePage) -> datetime.datetime:
    """When the story last changed: its last published edit, or the 'Updated' time readers
    see if an editor set a later one. The sitemap's <lastmod> is the same edit, so search
    engines are told of every change, a correction too, by both."""
    editorial = article.updated_at if article.was_updated else article.published_at
    edited = article.last_published_at
    return max(editorial, edited) if edited else editorial


def share_renditions(photo: Photo) -> dict[str, PhotoRendition]:
    """The share-card and structured-data crops of a photo, in one lookup per page render."""
    cached = photo.__dict__.get("_samizdat_share_renditions")
    if cached is None:
        cached = photo.get_renditions(SHARE_IMAGE_SPEC, *JSONLD_IMAGE_SPECS)
        photo.__dict__["_samizdat_share_renditions"] = cached
    return cached


def publisher_logo_url(base_url: str) -> str | None:
    """The newsroom's logo for structured data: the one set under Settings (a rendition within
    600x60), or else SAMIZDAT_PUBLISHER_LOGO if it names a static file."""
    chosen = site_settings.current()["logo"]
    if chosen:
        return urljoin(base_url, chosen["url"])
    logo = getattr(settings, "SAMIZDAT_PUBLISHER_LOGO", "")
    if not logo:
        return None
    try:
        return urljoin(base_url, static(logo))
    except ValueError:
        # Missing from the static manifest: better no logo than a broken article page.
        return None


def article_jsonld(
    article: ArticlePage,
    request: HttpRequest | None,
    newsroom: HomePage | None = None,
    language: str | None = None,
) -> dict:
    """schema.org NewsArticle for an article page.

    A template already knows the edition's home page and language; passing them saves the
    queries that would look them up again.
    """
    url = article.get_full_url(request)
    if newsroom is None:
        newsroom = HomePage.objects.ancestor_of(article).first()
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "datePublished": article.published_at.isoformat(),
        "dateModified": modified_at(article).isoformat(),
        "inLanguage": language or article.locale.language_code,
        "author": [
            {"@type": "Person", "name": author.title, "url": author.get_full_url(request)}
            for author in article.byline
        ],
    }
    if article.standfirst:
        data["description"] = article.standfirst
    if article.lead_image:
        renditions = share_renditions(article.lead_image)
        data["image"] = [urljoin(url, renditions[spec].url) for spec in JSONLD_IMAGE_SPECS]
    if newsroom is not None:
        publisher: dict = {
            "@type": "Organization",
            "name": site_settings.current()["name"] or newsroom.title,
            "url": newsroom.get_full_url(request),
        }
        logo = publisher_logo_url(url)
        if logo:
            publisher["logo"] = {"@type": "ImageObject", "url": logo}
        data["publisher"] = publisher
    if article.section is not None:
        data["articleSection"] = article.section.title
    tags = article.tag_list
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    return data


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """`data` in a <script type="application/ld+json">, unable to close the script early.

    With <, > and & written as JSON escapes, no headline can contain "</script>" or "<!--"
    as far as the HTML parser is concerned, and JSON parsers still read the same text.
    """
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
