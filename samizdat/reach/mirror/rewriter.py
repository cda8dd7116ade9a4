"""Rewriting a rendered file for the mirror: every address of the site to its place there."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from wagtail.models import Site

from samizdat.core.mail import public_url
from samizdat.reach import mirror_forms, mirror_goal

from .files import root_files
from .plan import HTML, MirrorOptions, Plan, Target

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
    shows: set[str] = field(default_factory=set)  # of SHOWN's generations, those it read


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
