"""WordPress's export format (WXR 1.0–1.2) read into an `Archive`.

The file is read once, element by element, and each item is dropped as soon as it is turned
into a record, so a large archive costs little memory. Nothing is written anywhere: a file
this module refuses leaves the site untouched.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta, tzinfo
from datetime import timezone as fixed_zone
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_etree
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from django.utils.text import slugify

from .source import Archive, Author, ExportError, Picture, Status, Story, Term
from .wxr_dates import OffsetGuess, in_site_time, naive, utc, zone_named

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")

_WP_NS = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC_NS = "http://purl.org/dc/elements/1.1/"

_STATUSES: dict[str, Status] = {
    "publish": "live",
    "draft": "draft",
    "pending": "draft",
    "auto-draft": "draft",
    "future": "scheduled",
    "private": "private",
}
# Control characters XML forbids; old exports carry them (pasted from word processors), and
# WordPress's own importer reads such files, so they are dropped rather than refused.
_XML_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DATED_UPLOAD = re.compile(r"/(\d{4}/\d{2}/[^/]+)$")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# The fields of <wp:category>, <wp:tag> and <wp:term>: slug, name, parent's slug, description.
_TERM_FIELDS = {
    "category": ("category_nicename", "cat_name", "category_parent", "category_description"),
    "tag": ("tag_slug", "tag_name", "", "tag_description"),
    "term": ("term_slug", "term_name", "term_parent", "term_description"),
}
_TAXONOMIES = {"category": "category", "tag": "post_tag"}
# Polylang keeps a translation group's members in its term description, a PHP array such as
# a:2:{s:2:"en";i:12;s:2:"ru";i:15;}
_PHP_LANG_TO_ID = re.compile(r's:\d+:"([^"]+)";i:(\d+);')
# Newspack's image credit fields on an attachment.
_CREDIT_KEYS = ("_media_credit", "_navis_media_credit_org")


def read(path: str | Path, *, language: str = "", timezone: str | None = None) -> Archive:
    """Read a WXR file.

    `language` overrides the channel's language; `timezone` (an IANA name such as
    "Europe/Riga") is the old site's zone, used for dates the export gives only in local time
    (drafts); without it the zone is inferred from the published posts.
    """
    path = Path(path)
    zone = zone_named(timezone)
    reader = _Reader(path)
    try:
        with path.open("rb") as raw:
            _refuse_other_formats(path, raw.read(512))
            raw.seek(0)
            reader.parse(_CleanStream(raw))
    except OSError as error:
        raise ExportError(f"{path.name} could not be read: {error.strerror or error}.") from error
    return reader.archive(language=language, zone=zone)


def _refuse_other_formats(path: Path, head: bytes) -> None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text:
        raise ExportError(f"{path.name} is empty.")
    if text[:1] in (b"{", b"["):
        raise ExportError(
            f"{path.name} is JSON (a Ghost export?), not a WordPress export (WXR); "
            "WordPress exports are XML files from Tools → Export."
        )
    if text.startswith(b"<!doctype html") or text.startswith(b"<html"):
        raise ExportError(
            f"{path.name} is an HTML page, not a WordPress export (WXR); "
            "download the XML file from Tools → Export in WordPress's admin."
        )


class _CleanStream:
    """A file whose reads skip the control characters XML forbids."""

    def __init__(self, raw):
        self.raw = raw
        self.dropped = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        cleaned, count = _XML_ILLEGAL.subn(b"", chunk)
        self.dropped += count
        return cleaned


@dataclass
class _Item:
    """What one <item> holds, by local name."""

    fields: dict[str, str] = field(default_factory=dict)
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, nicename, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: int = 0


@dataclass
class _PendingStory:
    story: Story
    own_offset: timedelta | None  # post_date - post_date_gmt, where the export gives both
    local_date: str  # post_date as written, for a draft's time in the site's zone
    local_modified: str
    link: str  # the old permalink
    thumbnail: str
    primary_category: str


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.version = ""
        self.channel: dict[str, str] = {}
        self.authors: dict[str, Author] = {}
        # (taxonomy, nicename as written) -> Term; items name terms by nicename only.
        self.terms: dict[tuple[str, str], Term] = {}
        self.term_parents: dict[tuple[str, str], str] = {}
        self.polylang_groups: dict[str, str] = {}  # post id -> group
        self.polylang_languages: dict[str, str] = {}  # post id -> language
        self.stories: list[_PendingStory] = []
        self.pictures: dict[str, Picture] = {}
        self.media_prefixes: list[str] = []  # learnt from attachments' URLs
        self.skipped: Counter[str] = Counter()
        self.comments = 0
        self.offsets: list[tuple[str, timedelta]] = []  # (post_date, local - UTC) of published
        self.stream: _CleanStream | None = None

    # Reading the XML

    def parse(self, stream: _CleanStream) -> None:
        self.stream = stream
        stack: list[Element] = []
        try:
            events = safe_etree.iterparse(stream, events=("start", "end"), forbid_dtd=True)
            for event, element in events:
                if event == "start":
                    if not stack and _name(element.tag) != "rss":
                        raise self._not_wxr(f"its root element is <{_name(element.tag)}>")
                    if len(stack) == 2 and _name(element.tag) == "item" and not self.version:
                        raise self._not_wxr("it has no <wp:wxr_version> before its first item")
                    stack.append(element)
                    continue
                stack.pop()
                if len(stack) == 2:  # a child of <channel>
                    self._channel_child(element)
                    stack[1].remove(element)
        except DTDForbidden as error:
            raise ExportError(
                f"{self.path.name} declares a document type (<!DOCTYPE {error.name}>), which "
                "WordPress never writes and which can hide entity expansion (a 'billion "
                "laughs') or external entities; the file is refused."
            ) from error
        except (EntitiesForbidden, ExternalReferenceForbidden) as error:
            raise ExportError(
                f"{self.path.name} declares XML entities, which WordPress never writes; the "
                "file is refused."
            ) from error
        except ParseError as error:
            raise self._broken(error) from error
        if not self.version:
            raise self._not_wxr("it has no <wp:wxr_version>")

    def _not_wxr(self, why: str) -> ExportError:
        return ExportError(
            f"{self.path.name} is not a WordPress export (WXR): {why}. Export the site from "
            "Tools → Export in WordPress's admin."
        )

    def _broken(self, error: ParseError) -> ExportError:
        line, column = error.position
        reason = str(error).split(":")[0]
        if reason in ("no element found", "unclosed token"):
            return ExportError(
                f"{self.path.name} ends too early, at line {line}, column {column}: the export "
                "looks truncated. Download it again."
            )
        return ExportError(
            f"{self.path.name} is not well-formed XML: {reason} at line {line}, column {column}."
        )

    def _channel_child(self, element: Element) -> None:
        namespace, name = _split(element.tag)
        if namespace is None and name != "item":
            self.channel[name] = (element.text or "").strip()
        elif namespace == "wp":
            if name == "wxr_version":
                self._version((element.text or "").strip())
            elif name in ("base_site_url", "base_blog_url"):
                self.channel[name] = (element.text or "").strip()
            elif name == "author":
                self._author(_fields(element))
            elif name in ("category", "tag", "term"):
                self._term(name, _fields(element))
        elif name == "item":
            self._item(_read_item(element))

    def _version(self, version: str) -> None:
        if version not in SUPPORTED_VERSIONS:
            raise ExportError(
                f"{self.path.name} is a WXR {version!r} export; this importer reads WXR "
                f"{', '.join(SUPPORTED_VERSIONS[:-1])} and {SUPPORTED_VERSIONS[-1]}."
            )
        self.version = version

    # Channel records

    def _author(self, data: dict[str, str]) -> None:
        login = data.get("author_login", "").strip()
        if not login:
            return
        full_name = " ".join(
            part for part in (data.get("author_first_name"), data.get("author_last_name")) if part
        )
        name = html.unescape(data.get("author_display_name", "")).strip() or full_name or login
        # The e-mail address is left behind on purpose: author pages are public.
        self.authors[login] = Author(source_id=login, name=name, slug=slugify(login))

    def _term(self, kind: str, data: dict[str, str]) -> None:
        slug_key, name_key, parent_key, text_key = _TERM_FIELDS[kind]
        taxonomy = _TAXONOMIES.get(kind) or data.get("term_taxonomy", "").strip()
        nicename = data.get(slug_key, "").strip()
        description = data.get(text_key, "")
        if taxonomy == "post_translations":
            for language, post_id in _PHP_LANG_TO_ID.findall(description):
                self.polylang_groups.setdefault(post_id, nicename)
                self.polylang_languages.setdefault(post_id, language)
            return
        if taxonomy not in ("category", "post_tag") or not nicename:
            return
        key = (taxonomy, nicename)
        if key in self.terms:  # WXR 1.2 lists a category both as <wp:category> and <wp:term>
            return
        term_id = data.get("term_id", "").strip()
        self.terms[key] = Term(
            # The term id survives a renamed slug; WXR 1.0 has none, so the slug stands in.
            source_id=term_id or _decode_slug(nicename),
            name=_plain(data.get(name_key, "")) or _decode_slug(nicename),
            slug=_decode_slug(nicename),
            description=_plain(description),
        )
        if parent_key and data.get(parent_key, "").strip():
            self.term_parents[key] = data[parent_key].strip()

    def _item_term(self, taxonomy: str, nicename: str, name: str) -> str:
        """The source id of a term an item names, declaring it if the channel did not."""
        key = (taxonomy, nicename)
        if key not in self.terms:
            slug = _decode_slug(nicename)
            self.terms[key] = Term(source_id=slug, name=_plain(name) or slug, slug=slug)
        return self.terms[key].source_id

    # Items

    def _item(self, item: _Item) -> None:
        self.comments += item.comments
        post_type = item.fields.get("post_type", "").strip() or "post"
        raw_status = item.fields.get("status", "").strip()
        if post_type == "attachment":
            self._attachment(item)
            return
        if post_type not in ("post", "page"):
            self.skipped[post_type] += 1
            return
        if raw_status == "trash":
            self.skipped["trash"] += 1
            return
        self.stories.append(self._story(item, "article" if post_type == "post" else "page"))

    def _attachment(self, item: _Item) -> None:
        post_id = item.fields.get("post_id", "").strip()
        url = item.fields.get("attachment_url", "").strip() or item.fields.get("guid", "").strip()
        if not post_id or not url:
            return
        credit = " / ".join(item.meta[key].strip() for key in _CREDIT_KEYS if item.meta.get(key))
        self.pictures[post_id] = Picture(
            url=url,
            alt=_plain(item.meta.get("_wp_attachment_image_alt", "")),
            caption=_plain(item.fields.get("excerpt", "")),
            credit=_plain(credit),
            title=_plain(item.fields.get("title", "")),
            source_id=post_id,
        )
        # The part of the URL before the file's path in the uploads folder is a media prefix;
        # without `_wp_attached_file`, WordPress's default year/month folders show where it ends.
        attached = item.meta.get("_wp_attached_file", "").strip()
        if not attached:
            dated = _DATED_UPLOAD.search(url)
            attached = dated.group(1) if dated else ""
        if attached and url.endswith("/" + attached):
            self.media_prefixes.append(url[: -len(attached)])

    def _story(self, item: _Item, kind: str) -> _PendingStory:
        data = item.fields
        post_id = data.get("post_id", "").strip()
        title = _plain(data.get("title", ""))
        status = _STATUSES.get(data.get("status", "").strip(), "draft")
        notes = []
        if data.get("status", "").strip() not in _STATUSES:
            notes.append(f"status {data.get('status', '').strip()!r} imported as a draft")
        if data.get("post_password", ""):
            status = "private"
            notes.append("password-protected on the old site; imported as private")
        if data.get("is_sticky", "").strip() == "1":
            notes.append("sticky (pinned to the front page) on the old site")
        story = Story(
            source_id=post_id,
            kind=kind,  # type: ignore[arg-type]
            title=title,
            slug=_decode_slug(data.get("post_name", "").strip())
            or slugify(title, allow_unicode=True),
            html=data.get("encoded", ""),
            body_format="wordpress",
            excerpt=_plain(data.get("excerpt", "")),
            status=status,
            published_at=utc(data.get("post_date_gmt", "")),
            modified_at=utc(data.get("post_modified_gmt", "")),
            notes=notes,
        )
        creator = data.get("creator", "").strip()
        story.authors = [creator] if creator else []
        for domain, nicename, name in item.categories:
            if domain == "category":
                story.sections.append(self._item_term("category", nicename, name))
            elif domain in ("post_tag", "tag"):
                story.tags.append(self._item_term("post_tag", nicename, name))
            elif domain == "language":
                story.language = nicename.lower()
            elif domain == "post_translations":
                story.translation_group = nicename
            elif domain == "author":  # Co-Authors Plus (Newspack): one term per byline
                login = nicename.removeprefix("cap-")
                if login not in story.authors:
                    story.authors.append(login)
        story.language = story.language or item.meta.get("_wpml_import_language_code", "")
        story.translation_group = story.translation_group or item.meta.get(
            "_wpml_import_translation_group", ""
        )
        story.sections = list(dict.fromkeys(story.sections))
        story.tags = list(dict.fromkeys(story.tags))
        own_offset = None
        local = naive(data.get("post_date", ""))
        if local and story.published_at:
            own_offset = local - story.published_at.replace(tzinfo=None)
            self.offsets.append((data["post_date"].strip(), own_offset))
        return _PendingStory(
            story=story,
            own_offset=own_offset,
            local_date=data.get("post_date", ""),
            local_modified=data.get("post_modified", ""),
            link=data.get("link", "").strip(),
            thumbnail=item.meta.get("_thumbnail_id", "").strip(),
            primary_category=item.meta.get("_yoast_wpseo_primary_category", "").strip(),
        )

    # The archive

    def archive(self, *, language: str, zone: tzinfo | None) -> Archive:
        site = (
            self.channel.get("base_blog_url")
            or self.channel.get("base_site_url")
            or self.channel.get("link", "")
        ).rstrip("/")
        archive = Archive(
            source="wordpress",
            version=self.version,
            site_url=site,
            language=language or _primary_language(self.channel.get("language", "")),
            authors=list(self.authors.values()),
            media_prefixes=self._prefixes(),
            pictures=dict(self.pictures),
        )
        for key, parent in self.term_parents.items():
            parent_term = self.terms.get((key[0], parent))
            if parent_term:
                self.terms[key].parent = parent_term.source_id
        archive.sections = [term for (tax, _), term in self.terms.items() if tax == "category"]
        archive.tags = [term for (tax, _), term in self.terms.items() if tax == "post_tag"]
        by_id = {term.source_id: term for term in archive.sections}
        guess = OffsetGuess(self.offsets) if zone is None else None
        blog_path = urlsplit(site).path.rstrip("/")
        for pending in self.stories:
            story = pending.story
            self._dates(pending, zone, guess)
            self._lead_picture(pending)
            if pending.primary_category in story.sections:
                story.sections.remove(pending.primary_category)
                story.sections.insert(0, pending.primary_category)
            elif pending.primary_category and pending.primary_category not in by_id:
                story.notes.append(f"primary category {pending.primary_category} is not listed")
            story.language = story.language or self.polylang_languages.get(story.source_id, "")
            story.translation_group = story.translation_group or self.polylang_groups.get(
                story.source_id, ""
            )
            story.old_urls = _old_urls(pending, blog_path)
            archive.stories.append(story)
        archive.notes = self._notes(zone, guess)
        return archive

    def _dates(self, pending: _PendingStory, zone: tzinfo | None, guess: OffsetGuess | None):
        """Fill in the dates the export gives only in the site's local time.

        A draft's publication date is "0000-00-00 00:00:00" in UTC until it is published (its
        local date is just when it was last saved), so a draft has none."""
        story = pending.story
        if story.published_at is None and story.status != "draft":
            story.published_at = in_site_time(pending.local_date, zone, guess)
        if story.modified_at is None:
            local = pending.local_modified
            if not naive(local) and story.status == "draft":
                local = pending.local_date
            if pending.own_offset is not None and zone is None and naive(local):
                story.modified_at = naive(local).replace(tzinfo=fixed_zone(pending.own_offset))
            else:
                story.modified_at = in_site_time(local, zone, guess)

    def _lead_picture(self, pending: _PendingStory) -> None:
        if not pending.thumbnail:
            return
        picture = self.pictures.get(pending.thumbnail)
        if picture is None:
            pending.story.notes.append(
                f"featured image {pending.thumbnail} is not among the export's attachments"
            )
        else:
            pending.story.lead_picture = replace(picture)

    def _prefixes(self) -> list[str]:
        prefixes = []
        for key in ("base_site_url", "base_blog_url"):
            url = self.channel.get(key, "").strip().rstrip("/")
            if "://" not in url:
                continue
            rest = url.split("://", 1)[1]
            prefixes += [f"{scheme}://{rest}/wp-content/uploads/" for scheme in ("https", "http")]
        return list(dict.fromkeys(prefixes + self.media_prefixes))

    def _notes(self, zone: tzinfo | None, guess: OffsetGuess | None) -> list[str]:
        notes = []
        if self.skipped.get("trash"):
            notes.append(f"trashed posts or pages skipped: {self.skipped.pop('trash')}")
        if self.skipped:
            kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.skipped.items()))
            notes.append(f"skipped items that are neither posts nor pages: {kinds}")
        if self.comments:
            notes.append(f"{self.comments} comments not imported")
        if self.stream and self.stream.dropped:
            notes.append(f"{self.stream.dropped} control characters XML forbids were removed")
        if zone is None and guess is not None:
            notes.append(guess.describe())
        return notes


# Element helpers


def _split(tag: str) -> tuple[str | None, str]:
    if tag[0] != "{":
        return None, tag
    uri, name = tag[1:].split("}", 1)
    return _namespace_kind(uri), name


_KINDS: dict[str, str] = {}


def _namespace_kind(uri: str) -> str:
    kind = _KINDS.get(uri)
    if kind is None:
        if _WP_NS.match(uri):
            kind = "wp"
        elif _EXCERPT_NS.match(uri):
            kind = "excerpt"
        elif uri == _CONTENT_NS:
            kind = "content"
        elif uri == _DC_NS:
            kind = "dc"
        else:
            kind = "other"
        _KINDS[uri] = kind
    return kind


def _name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _fields(element: Element) -> dict[str, str]:
    return {_name(child.tag): child.text or "" for child in element}


def _read_item(element: Element) -> _Item:
    item = _Item()
    fields = item.fields
    for child in element:
        namespace, name = _split(child.tag)
        if namespace is None:
            if name == "category":
                nicename = child.get("nicename")
                if nicename:  # WXR 1.0 repeats each term without one
                    item.categories.append((child.get("domain", ""), nicename, child.text or ""))
            else:
                fields[name] = child.text or ""
        elif namespace == "wp":
            if name == "postmeta":
                meta = _fields(child)
                key = meta.get("meta_key", "").strip()
                if key:
                    item.meta[key] = meta.get("meta_value", "")
            elif name == "comment":
                item.comments += 1
            else:
                fields[name] = child.text or ""
        elif namespace == "content" and name == "encoded":
            fields["encoded"] = child.text or ""
        elif namespace == "excerpt" and name == "encoded":
            fields["excerpt"] = child.text or ""
        elif namespace == "dc" and name == "creator":
            fields["creator"] = child.text or ""
    return item


# Values


def _plain(text: str) -> str:
    """Text without tags or entities, on one line."""
    if not text:
        return ""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def _decode_slug(slug: str) -> str:
    """WordPress stores non-ASCII slugs percent-encoded (%d0%bf%d1%80…)."""
    if "%" not in slug:
        return slug
    try:
        return unquote(slug, errors="strict").lower()
    except UnicodeDecodeError:
        return slug


def _primary_language(code: str) -> str:
    return code.strip().replace("_", "-").split("-")[0].lower()


def _old_urls(pending: _PendingStory, blog_path: str) -> list[str]:
    story = pending.story
    urls = []
    if pending.link:
        parts = urlsplit(pending.link)
        urls.append((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
    urls.append(f"{blog_path}/?p={story.source_id}")
    if story.kind == "page":
        urls.append(f"{blog_path}/?page_id={story.source_id}")
    return list(dict.fromkeys(urls))
