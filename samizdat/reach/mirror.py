"""Static mirrors: the whole public site as files that any static host can serve.

`build_mirror(MirrorOptions(...))` renders every public page of every language edition in
process, through Django's test client with the Host set to the site's primary address (so the
pages are exactly what readers get), rewrites every link to the site's own pages and files to
the mirror's base URL (or to relative paths), and writes the result into a folder. Addresses
shown as other ways in (the onion host, the alternate domains, other mirrors) stay as they are.

    index.html                       sends readers to the default language (meta refresh)
    404.html                         for hosts that serve one
    en/index.html                    /en/
    en/news/index.html               /en/news/
    en/news/page/2/index.html        /en/news/?page=2 (a static host ignores query strings)
    en/news/some-story/index.html    /en/news/some-story/
    en/tags/ferries/index.html       /en/tags/ferries/
    en/support/giving-safely/index.html   /en/support/giving-safely/ (the donation form links to it)
    en/feed/rss.xml, en/feed/atom.xml, en/news/feed/rss.xml …   full-text feeds
    sitemap.xml, sitemap-news.xml, robots.txt
    media/…                          every image rendition a page or feed refers to
    static/…                         the stylesheets and scripts pages load, and what they load
    favicon.ico                      the site's root files (settings.WHITENOISE_ROOT)
    en/support/goal.svg              the month's goal, which every page shows (mirror_goal.py)

Feeds and sitemaps end in .xml, so every static host sends them as XML without configuration
(a feed at feed/rss/index.html would go out as text/html).

Dynamic addresses (checkout, "Remind me later", newsletter sign-up, search, view counts) have
no static copy: links to them go to the "dynamic origin" (SAMIZDAT_CHECKOUT_URL), a reachable
address of the running application. Without one the search form is left out (a static host
cannot answer it), and `mirror build` refuses to build unless told to leave every form out
(`forms=False`, mirror_forms.py), when a note on how to give takes their place.

A build is made beside the output folder and swapped in whole once every page rendered; a page
that does not render fails it (`BuildFailed`), and the previous folder stays as it was.

Incremental: a manifest (.samizdat-mirror.json in the output folder, left out of the archive;
it holds addresses and hashes, nothing private) remembers each page's published revision, each
file's hash, and which pages every file links to. The next run renders only what a change can
have touched (see `Dependencies`) and writes only files whose bytes changed.

Rendering costs what a page view costs; `MirrorOptions.jobs` renders in several processes.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import dataclasses
import functools
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import posixpath
import queue
import re
import shutil
import tarfile
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db import connections
from django.http import Http404
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from wagtail.models import Page, Site

from samizdat.core.mail import public_url
from samizdat.newsroom import preload, related, structure
from samizdat.newsroom.models import (
    ArticlePage,
    ArticleTag,
    AuthorPage,
    FeedsMixin,
    HomePage,
    Photo,
)
from samizdat.newsroom.seo import SiteMap
from samizdat.reach import mirror_forms, mirror_goal
from samizdat.reach.domains import onion_url
from samizdat.reach.mirror_check import write_build_stamp

logger = logging.getLogger(__name__)

MANIFEST_NAME = ".samizdat-mirror.json"
MANIFEST_VERSION = 2
# WSGI environ keys the export sets on every request it renders. Not HTTP headers (those become
# HTTP_…), so no reader can set them: templates may trust them. The full-page cache
# (samizdat/pagecache, INTERNAL_RENDER_KEYS) lets requests carrying them pass by, so the export
# always renders afresh: keep the names in step.
MIRROR_ENVIRON_KEY = "samizdat.mirror"
CHECKOUT_ENVIRON_KEY = "samizdat.checkout_origin"

HTML, XML, TEXT = "html", "xml", "text"
SITE_OWNER = "site"
SITEMAPS = ("/sitemap.xml", "/sitemap-news.xml")
MISSING_PAGE_SLUG = "samizdat-mirror-404"
# From this many articles in one round, 'Read more' is chosen for all of them at once.
RELATED_IN_BULK_FROM = 20


# Options and report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MirrorOptions:
    # Where the mirror is served; "" with `relative`, whose files work under any address.
    base_url: str
    out: Path
    # Links between the mirror's files relative to each file; canonical links, hreflang,
    # share cards, feeds, sitemaps and robots.txt name the main site (SAMIZDAT_PUBLIC_URL).
    relative: bool = False
    full: bool = False
    # The reachable address of the running application, for forms and beacons; "" = same origin.
    checkout_url: str = ""
    archive: Path | None = None
    # False: no form on any page (none could be answered), a note on how to give instead.
    forms: bool = True
    # Processes rendering pages at once. More is faster on a server with cores to spare, but
    # the mirror is often built next to the live site, which readers need those cores for.
    jobs: int = 1

    def __post_init__(self) -> None:
        if self.base_url or not self.relative:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(
                    f"The mirror's base URL must be http(s)://host/…, not {self.base_url!r} "
                    "(or build with relative links, which need none)"
                )
            object.__setattr__(self, "base_url", self.base_url.rstrip("/") + "/")
        checkout = self.checkout_url.strip().rstrip("/") if self.forms else ""
        object.__setattr__(self, "checkout_url", checkout)
        object.__setattr__(self, "out", Path(self.out))


class BuildFailed(RuntimeError):
    """Pages did not render: the mirror would have left them out, so it was not swapped in."""

    def __init__(self, failures: list[str]) -> None:
        self.failures = failures
        shown = "\n  ".join(failures[:20])
        more = f"\n  … and {len(failures) - 20} more" if len(failures) > 20 else ""
        super().__init__(
            f"{len(failures)} pages did not render, so the mirror was not updated "
            f"(the previous one is left as it was):\n  {shown}{more}"
        )


@dataclass
class Report:
    rendered: int = 0  # pages, feeds and sitemaps rendered this run
    written: int = 0  # files whose bytes changed: pages, images and assets
    unchanged: int = 0  # files rendered again whose bytes were already there (not rewritten)
    deleted: int = 0  # files of pages no longer published, and assets nothing uses any more
    full: bool = False
    seconds: float = 0.0
    rendered_keys: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # pages that did not render
    unmirrored: set[str] = field(default_factory=set)  # dynamic paths pages link to
    archive: Path | None = None

    def summary(self) -> str:
        return (
            f"{self.rendered} pages rendered, {self.written} files written, "
            f"{self.unchanged} unchanged, {self.deleted} deleted"
        )


class Progress(Protocol):
    """What the engine tells a progress display; the command gives it tqdm or plain counts."""

    def update(self, done: int, total: int) -> None: ...

    def close(self) -> None: ...


class _NoProgress:
    def update(self, done: int, total: int) -> None:
        pass

    def close(self) -> None:
        pass


# What there is to render -------------------------------------------------------------------------


@dataclass
class Target:
    """One file rendered from one URL of the origin."""

    key: str  # the origin's path and query: "/en/news/?page=2"
    file: str  # where it goes under the output folder: "en/news/page/2/index.html"
    kind: str  # HTML, XML or TEXT
    owner: str  # what it belongs to, for the dependency rules: "page:12", "tag:3:ferries"…
    fetch: str = ""  # the URL to render, when not `key`
    status: int = 200  # the answer expected


@dataclass(frozen=True)
class PageInfo:
    pk: int
    path: str  # treebeard path: ancestors are its prefixes
    key: str  # URL path on the site
    model: type[Page]
    position: str  # where the page appears in lists: URL, first publication, kind
    content: str  # which published revision it shows


@dataclass
class Plan:
    """Every page, feed and sitemap the public site has, from the database alone."""

    site: Site
    origin: str  # the site's root URL, as Wagtail writes it into canonical links
    default_language: str
    pages: dict[int, PageInfo]
    targets: dict[str, Target]
    listing_owners: set[str]  # lists an article joins by linking to them: authors and tags


def page_file(path: str) -> str:
    """/en/news/story/ → en/news/story/index.html (directories unquoted: UTF-8 slugs)."""
    path = unquote(path).lstrip("/")
    if path and not path.endswith("/"):
        path += "/"
    return f"{path}index.html"


def paginated_file(key: str, number: int) -> str:
    path = unquote(key).lstrip("/")
    return page_file(key) if number <= 1 else f"{path}page/{number}/index.html"


def xml_file(path: str) -> str:
    """/en/feed/rss/ → en/feed/rss.xml; /sitemap.xml stays itself."""
    path = unquote(path).lstrip("/")
    return path.rstrip("/") + ".xml" if path.endswith("/") else path


def primary_site() -> Site:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        site = Site.objects.select_related("root_page").first()
    if site is None:
        raise RuntimeError("No Wagtail site is configured: there is nothing to mirror.")
    return site


def make_plan(site: Site | None = None, forms: bool = True) -> Plan:
    site = site or primary_site()
    site_map = SiteMap(site)
    origin = site.root_url.rstrip("/")
    rows = (
        site_map.pages()
        .order_by("path")
        .values_list(
            "pk",
            "path",
            "url_path",
            "content_type_id",
            "live_revision_id",
            "last_published_at",
            "first_published_at",
        )
    )
    pages: dict[int, PageInfo] = {}
    targets: dict[str, Target] = {}
    listing: set[str] = set()
    homes: list[PageInfo] = []
    for pk, path, url_path, content_type_id, revision, last_published, first_published in rows:
        located = site_map.locate(url_path)
        if located is None:
            continue
        url = located[0]
        key = url[len(origin) :] if url.startswith(origin) else urlsplit(url).path
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        info = PageInfo(
            pk=pk,
            path=path,
            key=key,
            model=model,
            position=f"{key}|{first_published}|{model.__name__}",
            content=f"{revision}|{last_published}",
        )
        pages[pk] = info
        owner = f"page:{pk}"
        targets[key] = Target(key, page_file(key), HTML, owner)
        if issubclass(model, AuthorPage):
            listing.add(owner)
        if issubclass(model, HomePage):
            homes.append(info)
        if issubclass(model, FeedsMixin):
            for kind in ("rss", "atom"):
                feed_key = f"{key}feed/{kind}/"
                targets[feed_key] = Target(feed_key, xml_file(feed_key), XML, f"feed:{pk}")

    # Tag pages: /<lang>/tags/<slug>/ for every tag a public article of that edition carries.
    live_article_ids = site_map.pages(ArticlePage).values("pk")
    for home in homes:
        locale_id = Page.objects.filter(pk=home.pk).values_list("locale_id", flat=True).first()
        slugs = (
            ArticleTag.objects.filter(
                content_object_id__in=live_article_ids, content_object__locale_id=locale_id
            )
            .values_list("tag__slug", flat=True)
            .distinct()
            .order_by("tag__slug")
        )
        for slug in slugs:
            key = f"{home.key}tags/{iri_to_uri(slug)}/"
            owner = f"tag:{home.pk}:{slug}"
            targets[key] = Target(key, page_file(key), HTML, owner)
            listing.add(owner)

    # "Giving safely" in each edition: the donation forms link to it, and it depends on the
    # configuration alone (the site fingerprint), like robots.txt.
    languages = dict(settings.LANGUAGES)
    for home in homes:
        language = home.key.strip("/").split("/")[0]
        if language in languages:
            with translation.override(language):
                keys = [reverse("support:giving_safely")]
                if not forms:  # where "Support us" and "Newsletter" lead: the note, not a 404
                    keys += [reverse("support:support"), reverse("newsletters:subscribe")]
            for key in keys:
                targets[key] = Target(key, page_file(key), HTML, SITE_OWNER)

    for key, kind in (
        ("/sitemap.xml", XML),
        ("/sitemap-news.xml", XML),
        ("/robots.txt", TEXT),
    ):
        targets[key] = Target(key, key.lstrip("/"), kind, SITE_OWNER)
    # What static hosts show for a missing file, rendered from an address that does not exist.
    targets["/404.html"] = Target(
        "/404.html",
        "404.html",
        HTML,
        SITE_OWNER,
        fetch=f"/{settings.LANGUAGE_CODE}/{MISSING_PAGE_SLUG}/",
        status=404,
    )

    return Plan(
        site=site,
        origin=origin,
        default_language=settings.LANGUAGE_CODE,
        pages=pages,
        targets=targets,
        listing_owners=listing,
    )


# Rewriting ---------------------------------------------------------------------------------------

# Start tags with an attribute that can hold an address: most tags have none, and are left
# as they are without a look at each of their attributes. The attributes are skipped a word
# at a time (possessively), not a character at a time: a page is scanned in half the time.
_URL_ATTRIBUTE_NAMES = r"(?:href|src|srcset|action|poster|content|data-[\w-]*url)"
_START_TAG = re.compile(
    r"<(?P<name>[a-zA-Z][a-zA-Z0-9-]*+)"
    rf"(?P<attrs>(?:\s++[^\s>]++)*?\s++(?i:{_URL_ATTRIBUTE_NAMES})\s*=[^>]*)>"
)
_ATTRIBUTE = re.compile(
    rf"""(?P<lead>\s(?P<name>{_URL_ATTRIBUTE_NAMES[3:-1]})\s*=\s*)"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""",
    re.IGNORECASE,
)
_REL = re.compile(r"""\srel\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_HREFLANG = re.compile(r"""\shreflang\s*=""", re.IGNORECASE)
_SEARCH_FORM = mirror_forms.SEARCH_FORM
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_PAGE_QUERY = re.compile(r"^page=(\d+)$")


@dataclass
class Rendered:
    """What rewriting one file found: the pages it links to, the assets it needs."""

    links: set[str] = field(default_factory=set)  # owners of the targets it links to
    # Owners it names only by address (hreflang alternates, the language switcher): those
    # change only when that page's address does.
    addresses: set[str] = field(default_factory=set)
    assets: set[str] = field(default_factory=set)  # "media/…" and "static/…" files
    discovered: set[str] = field(default_factory=set)  # new pagination keys
    unmirrored: set[str] = field(default_factory=set)  # internal paths with no static copy


# What rewriting records (Rendered's sets), and how many rewritten URLs or tags a Rewriter keeps.
_RECORDED = ("links", "addresses", "assets", "discovered", "unmirrored")
_KNOWN_URLS = 50_000
# A rewritten URL or tag, and the values it recorded, by Rendered's set name.
_Known = tuple[str, tuple[tuple[str, set[str]], ...]]
# What makes a <meta> tag worth a look: a content that could be an address of the site (share
# cards: og:url, og:image), or any other attribute that holds one.
_META_ADDRESS = re.compile(
    r"""\s(?i:content\s*=\s*["']?\s*(?:/|https?:)"""
    rf"""|{_URL_ATTRIBUTE_NAMES.replace("content|", "")}\s*=)"""
)


def _replay(entry: _Known, found: Rendered) -> str:
    """A rewritten URL or tag, its recorded links and assets added to what `found` holds."""
    for name, values in entry[1]:
        getattr(found, name).update(values)
    return entry[0]


@dataclass
class Produced:
    """One file rendered, and written unless the same bytes were there already."""

    target: Target
    status: int
    digest: str
    written: bool
    found: Rendered


class Rewriter:
    """Maps every URL of the origin in a rendered file to its place on the mirror."""

    def __init__(self, plan: Plan, options: MirrorOptions, origins: Iterable[str]) -> None:
        self.plan = plan
        self.options = options
        self.base = options.base_url
        self.base_path = urlsplit(self.base).path or "/"  # "/" or "/some/prefix/"
        # Where addresses for machines elsewhere (canonical, hreflang, share cards, feeds,
        # sitemaps) point: the mirror's own address, or in a relative mirror the main site's.
        self.main_site = public_url().rstrip("/") if options.relative else ""
        self.dynamic = options.checkout_url
        # Longest first, so that https://example.org:8443 is not read as https://example.org.
        roots = sorted({o.rstrip("/") for o in origins if o}, key=len, reverse=True)
        self.origins = roots
        alternatives = "|".join(re.escape(root) for root in roots) or "(?!)"
        self._absolute = re.compile(
            rf"(?P<root>{alternatives})(?P<rest>(?:/[^\s\"'<>&\\]*)?)(?![\w.:-])"
        )
        self.media_url = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else None
        self.static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else None
        self._known_urls: dict[tuple, _Known] = {}
        self._notes: dict[str, str] = {}  # the no-forms note, by language
        # Files the build writes itself, by the address pages name them with.
        self.generated = {
            "/" + mirror_goal.goal_path(code): mirror_goal.goal_path(code)
            for code, _name in settings.LANGUAGES
        }
        self.generated.update({f"/{name}": name for name in root_files()})
        self._known_tags: dict[str, _Known] = {}
        self._page_relative = False  # set by rewrite_url when an address is page-relative

    def _replayed(
        self,
        known: dict[Hashable, _Known],
        key: Hashable,
        found: Rendered,
        compute: Callable[[Rendered], str],
        keep: Callable[[], bool] = lambda: True,
    ) -> str:
        """`compute` once per key: its result, and what it recorded replayed into `found`."""
        entry = known.get(key)
        if entry is None:
            fresh = Rendered()
            result = compute(fresh)
            entry = (
                result,
                tuple((name, values) for name in _RECORDED if (values := getattr(fresh, name))),
            )
            if keep():
                if len(known) >= _KNOWN_URLS:
                    known.clear()
                known[key] = entry
        return _replay(entry, found)

    # One URL

    def mirror_path(self, key: str, found: Rendered, address: bool = False) -> str | None:
        """The file path on the mirror for an origin path+query, or None if it has no copy."""
        path, _q, query = key.partition("?")
        if key == "/":
            return ""  # the mirror's front door, index.html
        links = found.addresses if address else found.links
        target = self.plan.targets.get(key)
        if target is not None:
            links.add(target.owner)
            return self._public_path(target)
        if key in self.generated:
            return self.generated[key]
        if query:
            page = _PAGE_QUERY.match(query)
            base_target = self.plan.targets.get(path)
            if page and base_target is not None and base_target.kind == HTML:
                number = int(page.group(1))
                links.add(base_target.owner)
                if number <= 1:
                    return self._public_path(base_target)
                if key not in self.plan.targets:
                    found.discovered.add(key)
                return unquote(path).lstrip("/") + f"page/{number}/"
            return None
        for prefix in (self.media_url, self.static_url):
            if prefix and path.startswith(prefix):
                asset = unquote(path).lstrip("/")
                found.assets.add(asset)
                return asset
        return None

    @staticmethod
    def _public_path(target: Target) -> str:
        file = target.file
        return file[: -len("index.html")] if file.endswith("index.html") else file

    def _to_mirror(self, mirror_path: str, current_file: str | None) -> str:
        mirror_path = _uri(mirror_path)
        if current_file is None:
            return self.base + mirror_path
        current_dir = _uri(posixpath.dirname(current_file))
        relative = posixpath.relpath(mirror_path or ".", current_dir or ".")
        if mirror_path.endswith("/") or not mirror_path:
            relative = "./" if relative == "." else relative + "/"
        return relative

    def rewrite_url(
        self,
        url: str,
        page_key: str,
        found: Rendered,
        current_file: str | None,
        address: bool = False,
    ) -> str:
        """One URL as written in a page: absolute, root-relative or relative to `page_key`."""
        raw = url.strip()
        if not raw or raw.startswith(("#", "data:", "mailto:", "tel:", "javascript:")):
            return url
        if current_file is not None:
            return self._rewrite_url(url, raw, page_key, found, current_file, address)
        # Written as an absolute URL on the mirror, an address of the site reads the same on
        # every page (navigation, photos, stylesheets…): worked out once, then replayed.
        own_page = raw[0] != "/" and "://" not in raw  # "?page=2", "../x": page-relative
        if own_page:
            self._page_relative = True
        return self._replayed(
            self._known_urls,
            (url, page_key if own_page else "", address),
            found,
            lambda sink: self._rewrite_url(url, raw, page_key, sink, None, address),
        )

    def _rewrite_url(
        self,
        url: str,
        raw: str,
        page_key: str,
        found: Rendered,
        current_file: str | None,
        address: bool,
    ) -> str:
        path_and_query = None
        for root in self.origins:
            if raw == root or raw.startswith((root + "/", root + "?", root + "#")):
                path_and_query = raw[len(root) :] or "/"
                break
        if path_and_query is None:
            parts = urlsplit(raw)
            if parts.scheme or parts.netloc:
                return url  # another site
            if raw.startswith("/"):
                path_and_query = raw
            else:
                # "?page=2" and other relative references, against the page they are on.
                base_path = page_key.partition("?")[0]
                if raw.startswith("?"):
                    path_and_query = base_path + raw
                else:
                    joined = posixpath.join(posixpath.dirname(base_path), raw)
                    path_and_query = posixpath.normpath(joined) + ("/" if raw.endswith("/") else "")
        # Wagtail writes page URLs as IRIs (/ru/авторы/); the plan knows them as URIs.
        without_fragment, hash_, fragment = _uri(path_and_query).partition("#")
        mirror_path = self.mirror_path(without_fragment, found, address)
        suffix = f"#{fragment}" if hash_ else ""
        if current_file is None and self.main_site:
            return self.main_site + without_fragment + suffix
        if mirror_path is None and not self.options.forms:
            # "Support us?variant=3": the page, which shows the note in place of its form.
            target = self.plan.targets.get(without_fragment.partition("?")[0])
            if target is not None:
                mirror_path = self.mirror_path(target.key, found, address)
        if mirror_path is None:
            found.unmirrored.add(without_fragment)
            if self.dynamic:
                return self.dynamic + without_fragment + suffix
            return self.base_path.rstrip("/") + without_fragment + suffix
        return self._to_mirror(mirror_path, current_file) + suffix

    # Whole documents

    def rewrite_text(self, text: str, page_key: str, found: Rendered) -> str:
        """Every absolute URL of the origin in `text` (JSON-LD, feeds, sitemaps, robots.txt)."""

        def replace(match: re.Match) -> str:
            return self.rewrite_url(
                match.group("root") + (match.group("rest") or "/"), page_key, found, None
            )

        return self._absolute.sub(replace, text)

    def rewrite_html(self, html: str, target: Target, found: Rendered) -> str:
        # The 404 page too: its links are relative to the mirror's root, where hosts serve it.
        current = target.file if self.options.relative else None
        language = self._language(target.key)
        # One figure for the whole mirror, whichever run rendered the page: see mirror_goal.
        html = mirror_goal.GOAL_BLOCK.sub(lambda _m: mirror_goal.goal_block(language), html)
        if not self.options.forms:
            html = mirror_forms.without_forms(html, self._note(language))

        known_tags = self._known_tags

        def rewrite_tag(tag: re.Match) -> str:
            if current is not None:
                return rewrite_one(tag, found)
            # With absolute links, a tag (a navigation link, a stylesheet, a teaser's picture)
            # is rewritten the same on every page that has it, unless it holds an address
            # relative to the page: worked out once, then replayed.
            entry = known_tags.get(tag.group(0))
            if entry is not None:
                return _replay(entry, found)
            if tag.group("name") == "meta" and not _META_ADDRESS.search(tag.group("attrs")):
                return tag.group(0)  # a title, a description, a date: nothing to rewrite
            self._page_relative = False
            return self._replayed(
                known_tags,
                tag.group(0),
                found,
                lambda sink: rewrite_one(tag, sink),
                keep=lambda: not self._page_relative,
            )

        def rewrite_one(tag: re.Match, found: Rendered) -> str:
            name = tag.group("name").lower()
            attrs = tag.group("attrs")
            if not attrs:
                return tag.group(0)
            # Canonical, hreflang alternates and share cards are for machines elsewhere: they
            # stay absolute even in a mirror with relative links.
            absolute = current is None or name == "meta"
            address = bool(_HREFLANG.search(attrs))
            if name == "link" and not absolute:
                rel = _REL.search(attrs)
                rels = rel.group(1).lower().split() if rel else []
                absolute = "canonical" in rels or address

            def rewrite_attribute(match: re.Match) -> str:
                raw = match.group("dq") if match.group("dq") is not None else match.group("sq")
                value = unescape(raw)
                attribute = match.group("name").lower()
                if attribute == "content" and not (
                    value.startswith("/") or any(value.startswith(o) for o in self.origins)
                ):
                    return match.group(0)
                file = None if absolute else current
                if attribute == "srcset":
                    candidates = []
                    for candidate in value.split(","):
                        url, _space, descriptor = candidate.strip().partition(" ")
                        if url:
                            new = self.rewrite_url(url, target.key, found, file, address)
                            candidates.append(f"{new} {descriptor}".strip())
                    new_value = ", ".join(candidates)
                else:
                    new_value = self.rewrite_url(value, target.key, found, file, address)
                if new_value == value:
                    return match.group(0)
                return f'{match.group("lead")}"{escape(new_value)}"'

            new_attrs = _ATTRIBUTE.sub(rewrite_attribute, attrs)
            return f"<{tag.group('name')}{new_attrs}>"

        html = _START_TAG.sub(rewrite_tag, html)
        if not self.dynamic:
            # Nothing on a static host can answer a search.
            html = _SEARCH_FORM.sub("", html)
        return self.rewrite_text(html, target.key, found)

    @staticmethod
    def _language(key: str) -> str:
        language = unquote(key).strip("/").split("/")[0]
        return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def _note(self, language: str) -> str:
        if language not in self._notes:
            self._notes[language] = mirror_forms.note(language)
        return self._notes[language]

    def rewrite(self, body: bytes, target: Target, found: Rendered) -> bytes:
        text = body.decode("utf-8")
        if target.kind == HTML:
            text = self.rewrite_html(text, target, found)
        else:
            text = self.rewrite_text(text, target.key, found)
        return text.encode("utf-8")


_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9/\-._~!$&'()*+,;=:@%?#\[\]]")


def _uri(iri: str) -> str:
    """iri_to_uri, without its cost for the plain ASCII addresses almost every link has."""
    return iri_to_uri(iri) if _NEEDS_QUOTING.search(iri) else iri


def origin_roots(site: Site) -> list[str]:
    """The addresses the site's own pages and assets are written with: the Site records' and
    the public address. Not the onion host, the alternate domains or the checkout's: pages
    write those only to show readers another way in, which a mirror must show as it is."""
    roots = {site.root_url, public_url()}
    for other in Site.objects.all():
        roots.add(other.root_url)
    for scheme in ("https", "http"):
        roots.add(f"{scheme}://{site.hostname}")
    return sorted(root.rstrip("/") for root in roots if root)


# The manifest and the dependency rules -----------------------------------------------------------


@dataclass
class TargetRecord:
    file: str
    owner: str
    hash: str
    links: list[str]
    assets: list[str]
    addresses: list[str] = field(default_factory=list)

    def to_json(self, asset_numbers: dict[str, int]) -> dict:
        data = {"file": self.file, "owner": self.owner, "hash": self.hash, "links": self.links}
        if self.assets:
            # By number in the manifest's list of assets: the same few hundred images and
            # scripts recur in thousands of pages.
            data["assets"] = [asset_numbers[asset] for asset in self.assets]
        if self.addresses:
            data["addresses"] = self.addresses
        return data


@dataclass
class Manifest:
    site: str = ""
    pages: dict[str, list[str]] = field(default_factory=dict)  # pk → [position, content]
    targets: dict[str, TargetRecord] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)  # file → its source's size:mtime
    generated: dict[str, str] = field(default_factory=dict)  # index.html → hash

    @classmethod
    def load(cls, out: Path) -> Manifest | None:
        try:
            data = json.loads((Path(out) / MANIFEST_NAME).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != MANIFEST_VERSION:
            return None
        names = data.get("asset_names", [])
        return cls(
            site=data.get("site", ""),
            pages=data.get("pages", {}),
            targets={
                key: TargetRecord(
                    file=value["file"],
                    owner=value["owner"],
                    hash=value["hash"],
                    links=value.get("links", []),
                    assets=[names[number] for number in value.get("assets", [])],
                    addresses=value.get("addresses", []),
                )
                for key, value in data.get("targets", {}).items()
            },
            assets=data.get("assets", {}),
            generated=data.get("generated", {}),
        )

    def save(self, out: Path) -> None:
        names = sorted({asset for record in self.targets.values() for asset in record.assets})
        numbers = {name: number for number, name in enumerate(names)}
        data = {
            "version": MANIFEST_VERSION,
            "site": self.site,
            "pages": self.pages,
            "asset_names": names,
            "targets": {
                key: record.to_json(numbers) for key, record in sorted(self.targets.items())
            },
            "assets": dict(sorted(self.assets.items())),
            "generated": self.generated,
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        _write_atomic(out / MANIFEST_NAME, text.encode())


@dataclass
class Work:
    """What to render: whole owners (every file of a page, its pagination included), and keys."""

    owners: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)


class Dependencies:
    """Which files a change can have touched: every rule of the incremental export is here.

    A page's *content* is the revision it shows; its *position* is where it appears in lists
    and under which address (URL, first publication, kind). For every page whose content or
    position changed, or that was published or unpublished since the last run, render again:

    1. all its own files (its pagination pages included);
    2. every file that links to it: teasers and "Read more" show its headline and photo, a
       byline its author's name, feeds its text, the sitemap its date of publication;
    3. if its position changed: every file that names its address (hreflang alternates and
       the language switcher of its translations); every page of every list it is in, before
       or after the change, since an insertion or a removal shifts what each page of a list
       shows: the pages above it (section, home) and their feeds, and the author and tag pages
       its own page links to; and the sitemaps;
    4. everything, if it is a home or section page (the navigation every page carries), or a
       page of another kind than article or author was published, moved or unpublished (the
       header and footer link to those).

    What every page shows beyond the pages themselves (templates and code, appeals and donation
    forms, photo captions and credits, tag names, the mirror's options) makes up the site
    fingerprint: when it changes, everything is rendered again. robots.txt, the 404 page and
    "Giving safely" (written from the payment configuration, which is in the fingerprint too)
    depend on nothing else. The goal's progress is not part of it: it moves with every gift,
    and pages show it as one image that every run writes afresh (mirror_goal.py).
    """

    TARGETED_KINDS = ("ArticlePage", "AuthorPage")
    NAVIGATION_KINDS = ("HomePage", "SectionPage")

    def __init__(self, plan: Plan, manifest: Manifest, site_fingerprint: str) -> None:
        self.plan = plan
        self.manifest = manifest
        current = {str(pk): [p.position, p.content] for pk, p in plan.pages.items()}
        previous = manifest.pages
        self.changed = {
            pk for pk in current.keys() | previous.keys() if current.get(pk) != previous.get(pk)
        }
        self.moved = {
            pk
            for pk in self.changed
            if (current.get(pk) or [""])[0] != (previous.get(pk) or [""])[0]
        }
        self.everything = manifest.site != site_fingerprint
        for pk in self.changed:
            kinds = {
                _kind_of(position)
                for position in ((current.get(pk) or [""])[0], (previous.get(pk) or [""])[0])
                if position
            }
            navigation = bool(kinds & set(self.NAVIGATION_KINDS))
            if navigation or (pk in self.moved and not kinds <= set(self.TARGETED_KINDS)):
                self.everything = True  # rule 4

    def first(self) -> Work:
        """Rule 1, rendered before the rest so that the pages' new links are known."""
        return Work(owners={f"page:{pk}" for pk in self.changed})

    def then(self, new_links: dict[str, set[str]]) -> Work:
        """Rules 2 and 3, given what the files rendered first link to now."""
        changed = {f"page:{pk}" for pk in self.changed}
        moved = {f"page:{pk}" for pk in self.moved}
        work = Work()
        for key, record in self.manifest.targets.items():
            if changed.intersection(record.links) or moved.intersection(record.addresses):
                work.keys.add(key)  # rules 2 and 3
        for pk in self.moved:  # rule 3
            owner = f"page:{pk}"
            links = set(new_links.get(owner, ()))
            for record in self.manifest.targets.values():
                if record.owner == owner:
                    links.update(record.links)
            # Its tag and author pages are those its own page links to; its section and home
            # are above it. (Every page links to every section in its navigation.)
            work.owners.update(links & self.plan.listing_owners)
            for ancestor in self._ancestors(pk):
                work.owners.update((f"page:{ancestor}", f"feed:{ancestor}"))
            work.keys.update(SITEMAPS)
        return work

    def _ancestors(self, pk: str) -> set[int]:
        """The pages above one, by treebeard path if it is still published, else by URL."""
        info = self.plan.pages.get(int(pk))
        if info is not None:
            return {
                other.pk
                for other in self.plan.pages.values()
                if other.pk != info.pk and info.path.startswith(other.path)
            }
        old_key = next(
            (k for k, r in self.manifest.targets.items() if r.owner == f"page:{pk}"), None
        )
        if old_key is None:
            return set()
        return {
            other.pk
            for other in self.plan.pages.values()
            if old_key.startswith(other.key) and old_key != other.key
        }


def _kind_of(position: str) -> str:
    return position.rsplit("|", 1)[-1]


def site_fingerprint(options: MirrorOptions) -> str:
    """Everything every page shows or depends on, beyond the pages themselves."""
    from taggit.models import Tag

    from samizdat.support.giving.giving_safely import configuration_shown
    from samizdat.support.models import Appeal, AppealVariant, Campaign, DonationForm

    digest = hashlib.blake2b(digest_size=16)

    def feed(value: object) -> None:
        digest.update(repr(value).encode())
        digest.update(b"\0")

    feed(
        (
            MANIFEST_VERSION,
            options.base_url,
            options.relative,
            options.checkout_url,
            options.forms,
            settings.LANGUAGES,
            settings.LANGUAGE_CODE,
            settings.STATIC_URL,
            settings.MEDIA_URL,
            # Every page names the onion host (onion-location); "How to reach us" the others.
            onion_url(),
            getattr(settings, "SAMIZDAT_ALTERNATE_HOSTS", []),
            public_url(),
        )
    )
    feed(list(Site.objects.order_by("pk").values_list("hostname", "port", "root_page_id")))
    for model in (Appeal, AppealVariant, DonationForm, Campaign, Tag):
        feed(list(model.objects.order_by("pk").values_list()))
    feed(
        list(
            Photo.objects.order_by("pk").values_list(
                "pk",
                "file",
                "description",
                "caption",
                "photographer",
                "agency",
                "focal_point_x",
                "focal_point_y",
                "focal_point_width",
                "focal_point_height",
            )
        )
    )
    # The payment methods the forms list and "Giving safely" describes.
    feed(configuration_shown())
    feed(code_fingerprint())
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """The code, templates and translations that render the pages, as this process loaded them.

    Once per process: Python modules and Django's cached templates do not change under a running
    process when their files do, so a later run in the same process renders with this code.
    """
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".txt", ".xml", ".mo") and path.is_file():
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# Files -------------------------------------------------------------------------------------------


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _write_atomic(path: Path, data: bytes, folders: set[Path] | None = None) -> None:
    """Write a file whole or not at all; `folders` remembers the folders known to exist."""
    if folders is None or path.parent not in folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        if folders is not None:
            folders.add(path.parent)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _remove(out: Path, relpath: str) -> bool:
    path = out / relpath
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    # No empty folders left behind: a static host would answer 403 or list them.
    parent = path.parent
    while parent != out:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
    return True


def _staging_copy(out: Path) -> Path:
    """A folder next to `out` holding its files as hard links (a copy where links cannot be
    made): the build replaces files there (`_write_atomic`), never writes into them."""
    staging = out.with_name(f".{out.name}.building")
    shutil.rmtree(staging, ignore_errors=True)  # what a run that was killed left behind
    if not out.is_dir():
        staging.mkdir(parents=True)
        return staging

    def link(source: str, destination: str) -> None:
        if source.endswith(".tmp"):
            return
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)

    shutil.copytree(out, staging, copy_function=link, symlinks=True)
    return staging


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap_in(staging: Path, out: Path) -> None:
    """Put the finished build where the old one was, in one step where Linux can
    (renameat2 RENAME_EXCHANGE), else in two renames; then remove the old one."""
    if not out.exists():
        os.rename(staging, out)
        return
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
        exchanged = (
            renameat2(
                _AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE
            )
            == 0
        )
    except (OSError, AttributeError):
        exchanged = False
    if exchanged:
        shutil.rmtree(staging)  # the old build, now under the staging name
        return
    previous = out.with_name(f".{out.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(out, previous)
    os.rename(staging, out)
    shutil.rmtree(previous)


def root_files() -> dict[str, Path]:
    """The files the site serves at its root, by name: a mirror serves them there too."""
    root = getattr(settings, "WHITENOISE_ROOT", None)
    if not root or not Path(root).is_dir():
        return {}
    return {path.name: path for path in sorted(Path(root).iterdir()) if path.is_file()}


def _asset_source(asset: str) -> tuple[str | None, str | None]:
    """(file path, storage name) of a media or static file that a page refers to."""
    media_prefix = settings.MEDIA_URL.lstrip("/")
    static_prefix = settings.STATIC_URL.lstrip("/")
    if asset.startswith(media_prefix):
        name = asset[len(media_prefix) :]
        try:
            return default_storage.path(name), name
        except NotImplementedError:  # remote storage: read through the storage API
            return None, name
    if asset.startswith(static_prefix):
        found = finders.find(asset[len(static_prefix) :])
        if isinstance(found, list):
            found = found[0] if found else None
        return found, None
    return None, None


def css_references(css: str, asset: str) -> Iterator[str]:
    """Files a stylesheet loads (fonts, images, imports), as paths under the output folder."""
    for match in _CSS_URL.finditer(css):
        url = (match.group(2) or match.group(4) or "").strip()
        if not url or url.startswith(("data:", "#", "//")) or urlsplit(url).scheme:
            continue
        url = url.split("?")[0].split("#")[0]
        if url.startswith("/"):
            yield unquote(url).lstrip("/")
        else:
            yield posixpath.normpath(posixpath.join(posixpath.dirname(asset), unquote(url)))


def root_index(title: str, url: str, canonical: str, onion: str = "") -> bytes:
    """The mirror's front door: straight to the default edition, without JavaScript."""
    title, url, canonical = escape(title), escape(url), escape(canonical)
    onion_meta = f'<meta http-equiv="onion-location" content="{escape(onion)}">\n' if onion else ""
    return (
        '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        f'<link rel="canonical" href="{canonical}">\n{onion_meta}'
        f'</head>\n<body>\n<p><a href="{url}">{title}</a></p>\n</body>\n</html>\n'
    ).encode()


# The export --------------------------------------------------------------------------------------


class _KnownSiteHandler(ClientHandler):
    """Django's in-process handler, telling Wagtail which site each request is for.

    Every request the export makes carries the primary site's Host, so Wagtail would look the
    same site up again for each page (a query); it takes one it is handed instead.
    """

    def __init__(self, site: Site) -> None:
        super().__init__(enforce_csrf_checks=False)
        self.site = site
        # The next request's page, preloaded, and the URL segments below it: Wagtail routes
        # no further (MirrorBuilder.fetch sets it).
        self.route: tuple[Page, list[str]] | None = None

    def load_middleware(self, is_async: bool = False) -> None:
        # The export finds static files itself (finders): WhiteNoise's warning that nobody ran
        # collectstatic into STATIC_ROOT is no news to whoever builds a mirror.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            super().load_middleware(is_async)

    def get_response(self, request):
        request._wagtail_site = self.site
        if self.route is not None:
            page, components = self.route
            try:
                request._wagtail_route_for_request = page.route(request, components)
            except Http404:
                request._wagtail_route_for_request = None
        return super().get_response(request)


class MirrorBuilder:
    """One run of the export. Use `build_mirror(options)`.

    The live site's page files (samizdat/reach/pagefiles.py) are written by the same builder
    with `as_a_mirror` off: pages as readers get them (not rewritten, no mirror marker, the
    site's own static names), each file replaced in place rather than the folder swapped.
    """

    as_a_mirror = True

    def __init__(self, options: MirrorOptions, progress: Progress | None = None) -> None:
        self.options = options
        self.progress = progress or _NoProgress()
        self.report = Report()
        self.pool = None  # the rendering processes, once a batch is worth starting them
        self.folders: set[Path] = set()  # folders made during this run

    def build(self) -> Report:
        started = time.perf_counter()
        out = self.options.out.resolve()
        if not self.as_a_mirror:
            out.mkdir(parents=True, exist_ok=True)
            self._build_in()
            self.report.seconds = time.perf_counter() - started
            return self.report
        for name in ("MEDIA_ROOT", "STATIC_ROOT"):
            source = Path(getattr(settings, name, "") or "/nonexistent").resolve()
            if source == out or out in source.parents:
                raise ValueError(f"The mirror would be written over the site's {name}: {out}")
        # Built into a copy, swapped in only once every page rendered: a failed run leaves
        # the previous mirror whole, and a host serving the folder never sees half a build.
        staging = _staging_copy(out)
        final_options = self.options
        self.options = dataclasses.replace(final_options, out=staging)
        try:
            self._build_in()
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            self.options = final_options
        _swap_in(staging, out)
        if self.options.archive:
            write_archive(self.options.out, self.options.archive)
            self.report.archive = self.options.archive
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _build_in(self) -> None:
        # Plain static names: the mirror serves its own copies, whether or not the origin has
        # run collectstatic for its manifest of hashed names.
        plain_static = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # Whatever lives before the export (the application, settings, warm caches) is not
        # garbage: the collector would otherwise scan all of it again and again while pages
        # are rendered (a tenth of an incremental export's time, in one profile).
        gc.freeze()
        if not self.as_a_mirror:
            plain_static = settings.STORAGES
        try:
            with override_settings(STORAGES=plain_static), structure.snapshot():
                self._build()
        finally:
            gc.unfreeze()
            if self.pool is not None:
                self.pool.stop()
                self.pool = None
            self.progress.close()
        if self.report.failures:
            raise BuildFailed(self.report.failures)

    # Rendering

    def _start_client(self, plan: Plan) -> None:
        site = plan.site
        self.client = Client()
        self.client.handler = _KnownSiteHandler(site)
        self.routes: dict[str, tuple[Page, list[str]]] = {}
        self.environ = {
            "HTTP_HOST": site.hostname
            if site.port in (80, 443)
            else f"{site.hostname}:{site.port}",
            "secure": plan.origin.startswith("https:"),
            CHECKOUT_ENVIRON_KEY: self.options.checkout_url,
        }
        if self.as_a_mirror:
            self.environ[MIRROR_ENVIRON_KEY] = "1"

    def fetch(self, url: str) -> tuple[int, bytes]:
        self.client.handler.route = self.routes.get(url.partition("?")[0])
        response = self.client.get(url, **self.environ)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body

    # The run

    def _build(self) -> None:
        out = self.options.out
        plan = self.make_plan()
        self._start_client(plan)
        self.rewriter = Rewriter(plan, self.options, origin_roots(plan.site))
        self.plan = plan
        base = urlsplit(self.options.base_url)
        if base.netloc and f"{base.scheme}://{base.netloc}" in self.rewriter.origins:
            raise ValueError(f"{self.options.base_url} is the site's own address, not a mirror's.")
        fingerprint = site_fingerprint(self.options)
        old = Manifest.load(out)  # with --full too: files whose bytes match are not rewritten
        rules = Dependencies(plan, old, fingerprint) if old is not None else None
        everything = self.options.full or rules is None or rules.everything
        self.report.full = everything
        self.old = old = old or Manifest()
        self.new = new = Manifest(site=fingerprint)
        new.pages = {str(pk): [p.position, p.content] for pk, p in plan.pages.items()}
        self.links_by_owner: dict[str, set[str]] = {}
        self.whole_owners: set[str] = set()
        self.fresh_assets: set[str] = set()
        self.done = self.planned = 0

        if everything:
            self._render(Work(owners={t.owner for t in plan.targets.values()}))
        else:
            assert rules is not None
            missing = {
                key
                for key, target in plan.targets.items()
                if key not in old.targets or not (out / target.file).exists()
            }
            first = rules.first()
            first.keys |= missing
            self._render(first)
            self._render(rules.then(self.links_by_owner))
            self._keep_untouched()

        self.write_extras()
        self._delete_leftovers()
        if (
            self.report.rendered
            or self.report.deleted
            or new.pages != old.pages
            or new.generated != old.generated
            or everything
        ):
            new.save(out)
        write_build_stamp(out, new)  # samizdat-build.json, which `mirror check` reads
        if self.report.unmirrored and not self.options.checkout_url and self.options.forms:
            self.report.warnings.append(
                f"{len(self.report.unmirrored)} dynamic addresses (donations, reminders, "
                "newsletter sign-up…) have no static copy and no SAMIZDAT_CHECKOUT_URL to go "
                "to: they point at the mirror's own host."
            )

    def make_plan(self) -> Plan:
        return make_plan(forms=self.options.forms)

    def write_extras(self) -> None:
        """What a mirror holds beyond the pages: its front door, the goal, root and asset files."""
        self._write_root_index()
        self._write_goal_images()
        self._write_root_files()
        self._collect_assets()

    def _render(self, work: Work) -> None:
        """Render the work, and the pages of lists it discovers as soon as they are found."""
        plan, old = self.plan, self.old
        self.whole_owners |= work.owners
        keys = {key for key, target in plan.targets.items() if target.owner in work.owners}
        keys |= work.keys
        batch = sorted((k for k in keys if k not in self.new.targets), key=_render_order)
        queued = set(batch)
        targets = [plan.targets.get(k) or self._pagination_target(k) for k in batch]
        targets = [target for target in targets if target is not None]
        self.planned += len(targets)
        self._prepare(targets)
        stream = self._map(targets)
        for produced in stream:
            self.done += 1
            self.progress.update(self.done, self.planned)
            if not self._record(produced):
                continue
            target, found = produced.target, produced.found
            self.links_by_owner.setdefault(target.owner, set()).update(found.links)
            more = []
            for extra in sorted(found.discovered):
                extra_target = self._pagination_target(extra)
                if extra_target is None:
                    continue
                plan.targets.setdefault(extra, extra_target)
                # A list rendered whole follows all its pages; otherwise only new ones.
                follow = target.owner in self.whole_owners or extra not in old.targets
                if follow and extra not in queued and extra not in self.new.targets:
                    queued.add(extra)
                    more.append(extra_target)
            # The next page of a list, rendered by the same means as its first (its page is
            # preloaded and routed already), while the rest of the work goes on.
            self.planned += len(more)
            stream.add(more)

    def _prepare(self, targets: list[Target]) -> None:
        """Compute together, before rendering, what the pages would each compute alone.

        Every publish empties the structure cache; an archive rendered after one would choose
        each article's 'Read more' with its own queries. Done here, before the rendering
        processes are forked, they inherit the choices (or find them in Redis), and the
        pages themselves, loaded in bulk with what they show (samizdat/newsroom/preload.py),
        which spares each page its routing and most of its queries.
        """
        if len(targets) < RELATED_IN_BULK_FROM:
            return
        owners = {target.key: self._owner_page(target) for target in targets}
        articles = [
            pk
            for pk in set(owners.values())
            if pk is not None and issubclass(self.plan.pages[pk].model, ArticlePage)
        ]
        if len(articles) >= RELATED_IN_BULK_FROM:
            related.warm(articles)
        pages = preload.preload_pages({pk for pk in owners.values() if pk is not None}, public=True)
        for key, pk in owners.items():
            page = pages.get(pk) if pk is not None else None
            if page is None:
                continue
            path = key.partition("?")[0]
            page_key = self.plan.pages[pk].key
            if path.startswith(page_key):
                below = unquote(path[len(page_key) :])
                self.routes[path] = (page, [part for part in below.split("/") if part])

    def _owner_page(self, target: Target) -> int | None:
        """The page a target is rendered by: its own, its feed's or its tag list's home."""
        kind, _colon, rest = target.owner.partition(":")
        if kind not in ("page", "feed", "tag") or target.fetch:
            return None
        pk = int(rest.partition(":")[0])
        return pk if pk in self.plan.pages else None

    def _map(self, targets: list[Target]) -> _Stream:
        """Render in this process, or in forked ones for a large enough batch."""
        jobs = self.options.jobs
        # Starting the processes costs more than a few pages do.
        if jobs <= 1 or (self.pool is None and len(targets) < 8 * jobs):
            return _InProcess(self, targets)
        if self.pool is None:
            global _WORKER
            _WORKER = self
            # Each process opens its own database connection; none may inherit this one.
            connections.close_all()
            self.pool = _Renderers(jobs)
        return self.pool.stream(targets)

    def render_file(self, target: Target) -> tuple[int, bytes, Rendered]:
        """Render one URL and rewrite it for the mirror: (status, bytes, what it refers to)."""
        found = Rendered()
        try:
            if target.status == 404:
                with _quiet("django.request"):  # a 404 asked for is no news to the log
                    status, body = self.fetch(target.fetch or target.key)
            else:
                status, body = self.fetch(target.fetch or target.key)
        except Exception:  # named with the others that failed; the traceback goes to the log
            logger.exception("%s could not be rendered for the mirror", target.key)
            return 500, b"", found
        if status != target.status:
            return status, b"", found
        rewritten = self.rewriter.rewrite(body, target, found)  # and what it links to
        return status, rewritten if self.as_a_mirror else body, found

    def _pagination_target(self, key: str) -> Target | None:
        path, _q, query = key.partition("?")
        match = _PAGE_QUERY.match(query)
        base = self.plan.targets.get(path)
        if not match or base is None or base.kind != HTML:
            return None
        return Target(key, paginated_file(path, int(match.group(1))), HTML, base.owner)

    def produce(self, target: Target) -> Produced:
        """Render one file and write it if its bytes changed (in a rendering process)."""
        status, data, found = self.render_file(target)
        if status != target.status:
            return Produced(target, status, "", False, found)
        digest = _hash(data)
        previous = self.old.targets.get(target.key)
        path = self.options.out / target.file
        if previous is not None and previous.hash == digest and path.exists():
            return Produced(target, status, digest, False, found)
        _write_atomic(path, data, self.folders)
        return Produced(target, status, digest, True, found)

    def _record(self, produced: Produced) -> bool:
        """Count a file produced, and remember what it links to."""
        target, found, digest = produced.target, produced.found, produced.digest
        self.report.rendered += 1
        self.report.rendered_keys.append(target.key)
        if produced.status != target.status:
            self.report.failures.append(f"{target.key} answered {produced.status}")
            return False
        self.report.unmirrored |= found.unmirrored
        if produced.written:
            self.report.written += 1
        else:
            self.report.unchanged += 1
        self.fresh_assets.update(found.assets)
        self.new.targets[target.key] = TargetRecord(
            file=target.file,
            owner=target.owner,
            hash=digest,
            links=sorted(found.links),
            assets=sorted(found.assets),
            addresses=sorted(found.addresses - found.links),
        )
        return True

    def _keep_untouched(self) -> None:
        """Carry over the files this run had no reason to render again."""
        for key, record in self.old.targets.items():
            if key in self.new.targets:
                continue
            path, _q, query = key.partition("?")
            if key in self.plan.targets and not query:
                keep = True
            else:  # a page of a list: kept unless its list was rendered whole and lost it
                keep = path in self.plan.targets and record.owner not in self.whole_owners
            if keep:
                self.new.targets[key] = record

    def _write_root_index(self) -> None:
        plan = self.plan
        homes = [p for p in plan.pages.values() if issubclass(p.model, HomePage)]
        home = next(
            (h for h in homes if h.key.strip("/").split("/")[0] == plan.default_language),
            homes[0] if homes else None,
        )
        if home is None:
            return
        found = Rendered()
        current = "index.html" if self.options.relative else None
        url = self.rewriter.rewrite_url(home.key, "/", found, current)
        canonical = self.rewriter.rewrite_url(home.key, "/", found, None)
        title = plan.site.site_name or settings.WAGTAIL_SITE_NAME
        self._write_generated("index.html", root_index(title, url, canonical, onion_url(home.key)))

    def _write_generated(self, file: str, data: bytes) -> None:
        """A file the build writes itself (not rendered from a page), if its bytes changed."""
        digest = _hash(data)
        path = self.options.out / file
        if self.old.generated.get(file) != digest or not path.exists():
            _write_atomic(path, data)
            self.report.written += 1
        self.new.generated[file] = digest

    def _write_root_files(self) -> None:
        """favicon.ico and what else the site serves at its root (settings.WHITENOISE_ROOT)."""
        for name, source in root_files().items():
            self._write_generated(name, source.read_bytes())

    def _write_goal_images(self) -> None:
        """Every edition's goal figure, as it is now (see mirror_goal): every run."""
        from samizdat.support.giving.goals import current_progress

        progress = current_progress()
        if progress is None:
            return  # no campaign: no page shows a goal
        for language, _name in settings.LANGUAGES:
            self._write_generated(
                mirror_goal.goal_path(language), mirror_goal.goal_svg(progress, language)
            )

    def _collect_assets(self) -> None:
        """Copy every media and static file a page refers to, and what its stylesheets load.

        Files referred to by pages rendered in this run are checked against their source (size
        and modification time); the others were checked when their pages were rendered.
        """
        old, new = self.old, self.new
        fresh = set(self.fresh_assets)
        queue = sorted({asset for record in new.targets.values() for asset in record.assets})
        seen: set[str] = set()
        while queue:
            asset = queue.pop()
            if asset in seen:
                continue
            seen.add(asset)
            destination = self.options.out / asset
            if asset not in fresh and asset in old.assets and not self.report.full:
                new.assets[asset] = old.assets[asset]
            elif not self._copy_asset(asset, destination):
                continue
            if asset.endswith(".css"):
                css = destination.read_text("utf-8", errors="replace")
                for reference in css_references(css, asset):
                    if reference not in seen:
                        if asset in fresh:
                            fresh.add(reference)
                        queue.append(reference)

    def _copy_asset(self, asset: str, destination: Path) -> bool:
        source, storage_name = _asset_source(asset)
        try:
            if source is not None:
                stat = os.stat(source)
                stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
            elif storage_name is not None:
                stamp = str(default_storage.size(storage_name))
            else:
                raise FileNotFoundError(asset)
        except (OSError, NotImplementedError):
            self.report.warnings.append(f"missing file: {asset}")
            return False
        self.new.assets[asset] = stamp
        if self.old.assets.get(asset) == stamp and destination.exists():
            return True
        if source is not None:
            destination.parent.mkdir(parents=True, exist_ok=True)
            # Beside it, then in its place: the file there is the previous build's too.
            temporary = destination.with_name(f".{destination.name}.tmp")
            shutil.copyfile(source, temporary)
            os.replace(temporary, destination)
        else:
            with default_storage.open(storage_name, "rb") as handle:
                _write_atomic(destination, handle.read())
        self.report.written += 1
        return True

    def _delete_leftovers(self) -> None:
        keep = {record.file for record in self.new.targets.values()}
        keep |= set(self.new.assets) | set(self.new.generated)
        previous = {record.file for record in self.old.targets.values()}
        previous |= set(self.old.assets) | set(self.old.generated)
        for relpath in sorted(previous - keep):
            if _remove(self.options.out, relpath):
                self.report.deleted += 1


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


_WORKER: MirrorBuilder | None = None  # the builder a forked rendering process works for


def _affinity(key: str, depth: int) -> str:
    """'/en/news/story/' → 'en' (depth 1) or 'en/news' (depth 2): pages that show the same
    teasers, photos and navigation, which a process renders once and then copies."""
    return "/".join(unquote(key).lstrip("/").split("/")[:depth])


class _Stream(Protocol):
    """Rendered pages as they come, to which more pages can be added on the way."""

    def __iter__(self) -> Iterator[Produced]: ...

    def add(self, targets: list[Target]) -> None: ...


class _InProcess:
    def __init__(self, builder: MirrorBuilder, targets: list[Target]) -> None:
        self.builder = builder
        self.queue = collections.deque(targets)

    def add(self, targets: list[Target]) -> None:
        self.queue.extend(targets)

    def __iter__(self) -> Iterator[Produced]:
        while self.queue:
            target = self.queue.popleft()
            yield self.builder.produce(target)


class _Shares:
    """The rendering processes' shares of the work: see _Renderers."""

    def __init__(self, renderers: _Renderers, targets: list[Target]) -> None:
        self.renderers = renderers
        jobs = len(renderers.inboxes)
        self.shares: list[collections.deque[Target]] = [collections.deque() for _ in range(jobs)]
        self.busy = [0] * jobs
        # Grouped by language, or by language and section with fewer languages than processes.
        self.depth = 1
        while True:
            groups: dict[str, list[Target]] = {}
            for target in targets:
                groups.setdefault(_affinity(target.key, self.depth), []).append(target)
            if len(groups) >= jobs or self.depth == 2:
                break
            self.depth += 1
        self.group_share: dict[str, int] = {}
        for name, group in sorted(groups.items(), key=lambda item: -len(item[1])):
            number = min(range(jobs), key=lambda n: len(self.shares[n]))
            self.group_share[name] = number
            self.shares[number].extend(group)
        # The slow files (full-text feeds, sitemaps) first, so that the last ones to come are
        # quick pages, which the processes share out to the end.
        for number, share in enumerate(self.shares):
            self.shares[number] = collections.deque(sorted(share, key=_slow_first))

    def add(self, targets: list[Target]) -> None:
        for target in targets:
            group = _affinity(target.key, self.depth)
            if group not in self.group_share:
                self.group_share[group] = min(
                    range(len(self.shares)), key=lambda n: len(self.shares[n])
                )
            self.shares[self.group_share[group]].append(target)
        for number in range(len(self.busy)):
            while self.busy[number] < 2 and self._send(number):
                pass

    def _send(self, number: int) -> bool:
        share = self.shares[number]
        take_from_end = False
        if not share:  # out of work: take over the end of the longest share
            share = max(self.shares, key=len)
            take_from_end = True
        if not share:
            return False
        # Smaller messages towards the end, so that the processes finish together.
        left = sum(len(other) for other in self.shares)
        size = min(len(share), _Renderers.CHUNK, max(1, left // (4 * len(self.shares))))
        pop = share.pop if take_from_end else share.popleft
        chunk = [pop() for _ in range(size)]
        self.renderers.inboxes[number].put(chunk)
        self.busy[number] += 1
        return True

    def __iter__(self) -> Iterator[Produced]:
        for number in range(len(self.shares)):
            for _ in range(2):  # one queued behind the one rendering
                self._send(number)
        while any(self.busy):
            number, results = self.renderers.receive()
            self.busy[number] -= 1
            self._send(number)
            yield from results


class _Renderers:
    """Forked processes rendering pages, each kept to its own part of the site.

    Whatever a process renders it keeps for the rest of the export (teasers, pictures,
    addresses, appeals): every process that renders a language's pages renders all its
    teasers once more. So each process is given the pages of its own languages (of its own
    sections, with fewer languages than processes), a few at a time; one that runs out takes
    over the rest of the busiest one's share, so that none waits while another works.
    """

    CHUNK = 8  # pages per message: fewer round trips, yet shares end close together

    def __init__(self, jobs: int) -> None:
        context = multiprocessing.get_context("fork")
        self.results = context.Queue()
        self.inboxes = [context.SimpleQueue() for _ in range(jobs)]
        self.processes = [
            context.Process(target=_render_in_worker, args=(number, inbox, self.results))
            for number, inbox in enumerate(self.inboxes)
        ]
        for process in self.processes:
            process.daemon = True
            process.start()

    def stream(self, targets: list[Target]) -> _Stream:
        return _Shares(self, targets)

    def receive(self) -> tuple[int, list]:
        while True:
            try:
                number, results = self.results.get(timeout=1)
            except queue.Empty:
                for process in self.processes:
                    if not process.is_alive():
                        raise RuntimeError(
                            f"A rendering process ended (exit code {process.exitcode})"
                        ) from None
                continue
            if isinstance(results, str):
                raise RuntimeError(f"A rendering process failed:\n{results}")
            return number, results

    def stop(self) -> None:
        for inbox, process in zip(self.inboxes, self.processes, strict=True):
            if process.is_alive():
                inbox.put(None)
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()


def _render_in_worker(number: int, inbox, results) -> None:
    assert _WORKER is not None
    # Never speak on a database connection the parent opened: two processes on one socket
    # read each other's answers. Forget any inherited (without closing the parent's socket).
    for connection in connections.all(initialized_only=True):
        connection.connection = None
    # Rendering makes many short-lived objects and few cycles: collecting less often spares
    # a tenth of the time, for a little more memory until the process ends with the export.
    gc.set_threshold(50_000, 20, 100)
    gc.freeze()  # what it inherits (the pages loaded in bulk) lives to the end of the export
    while (chunk := inbox.get()) is not None:
        try:
            done = [_WORKER.produce(target) for target in chunk]
        except Exception:
            import traceback

            results.put((number, traceback.format_exc()))
            return
        results.put((number, done))


def _slow_first(target: Target) -> bool:
    return target.kind != XML


def _render_order(key: str) -> tuple:
    # Pages first, feeds and sitemaps last; each list's first page before its others.
    return (key.endswith((".xml", ".txt")) or "/feed/" in key, "?" in key, key)


def build_mirror(options: MirrorOptions, progress: Progress | None = None) -> Report:
    """Render the public site into `options.out` (and `options.archive`): see the module doc."""
    return MirrorBuilder(options, progress).build()


def write_archive(out: Path, archive: Path) -> None:
    """The mirror folder as a .tar.gz, without the manifest, in a stable order."""
    archive = Path(archive).resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    temporary = archive.with_name(f".{archive.name}.tmp")
    with tarfile.open(temporary, "w:gz") as tar:
        for path in sorted(Path(out).rglob("*")):
            if path.is_dir() or path.name == MANIFEST_NAME or path.resolve() == archive:
                continue
            if path.resolve() == temporary:
                continue
            tar.add(path, arcname=path.relative_to(out).as_posix(), recursive=False)
    os.replace(temporary, archive)
