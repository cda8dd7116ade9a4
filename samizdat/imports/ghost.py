"""Ghost's JSON export (Ghost 3 to 6) read into an `Archive`.

Ghost exports its database tables: `posts` (pages too), `posts_meta` (the feature image's alt
text and caption since Ghost 4), `users`, `tags`, and the join tables `posts_authors` and
`posts_tags`, whose `sort_order` gives the byline and the primary tag. Admin exports wrap it as
`{"db": [{"meta": ..., "data": ...}]}`; the exporter's own file is the bare `{"meta", "data"}`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .ghost_cards import html_to_text, render_lexical, render_mobiledoc
from .source import Archive, Author, ExportError, Picture, Status, Story, Term

__all__ = ["SUPPORTED_MAJOR_VERSIONS", "read"]

SUPPORTED_MAJOR_VERSIONS = (3, 4, 5, 6)

GHOST_URL = "__GHOST_URL__"  # Ghost's placeholder for its own address in bodies and images

_STATUSES: dict[str, Status] = {"published": "live", "draft": "draft", "scheduled": "scheduled"}

# Ghost's default: every post and page at /{slug}/. routes.yaml, which the export does not hold,
# can say otherwise; a `permalinks` setting (where Ghost 1 kept it) is honoured where present.
DEFAULT_PERMALINK = "/{slug}/"


def read(path: str | Path) -> Archive:
    """Read a Ghost export file; raise `ExportError` if it is not one we can read."""
    path = Path(path)
    meta, data = _unwrap(_load(path), path.name)
    version = _version(meta, path.name)
    settings = _settings(data.get("settings"))
    site_url = _site_url(settings)

    archive = Archive(
        source="ghost",
        version=version,
        site_url=site_url,
        language=_language(settings),
        media_prefixes=_media_prefixes(site_url),
    )
    users = _rows(data, "users")
    tags = _rows(data, "tags")
    archive.authors = [_author(user) for user in users if user.get("id")]
    tags_by_id = {str(tag["id"]): tag for tag in tags if tag.get("id")}

    reader = _PostReader(data, settings, {a.source_id: a for a in archive.authors}, tags_by_id)
    archive.stories = [reader.story(post) for post in _rows(data, "posts") if post.get("id")]

    archive.tags = [_term(tag) for tag in tags_by_id.values() if not _is_internal(tag)]
    primary = {story.sections[0] for story in archive.stories if story.sections}
    archive.sections = [term for term in archive.tags if term.source_id in primary]

    internal = [tag.get("name", "") for tag in tags_by_id.values() if _is_internal(tag)]
    if internal:
        archive.notes.append(f"internal tags skipped: {', '.join(sorted(internal))}")
    if not site_url:
        archive.notes.append(
            "the export does not name the site's address; pictures are found under "
            f"{GHOST_URL}/content/images/ and /content/images/"
        )
    return archive


def _load(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ExportError(f"{path.name} cannot be read: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportError(
            f"{path.name} is not a Ghost export: it is not UTF-8 text (byte {error.start})"
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError(
            f"{path.name} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}"
        ) from error


def _unwrap(document: Any, name: str) -> tuple[dict, dict]:
    if isinstance(document, dict) and isinstance(document.get("db"), list):
        if not document["db"]:
            raise ExportError(f"{name} is a Ghost export with no database in it")
        document = document["db"][0]
    if not (
        isinstance(document, dict)
        and isinstance(document.get("meta"), dict)
        and isinstance(document.get("data"), dict)
    ):
        if isinstance(document, list):
            shape = "a list (a WordPress REST or API dump?)"
        elif isinstance(document, dict):
            shape = "an object without Ghost's “meta” and “data”"
        else:
            shape = f"a JSON {type(document).__name__}"
        raise ExportError(
            f"{name} is not a Ghost export: it holds {shape}, not the file Ghost's "
            "Settings → Labs → Export makes"
        )
    if not isinstance(document["data"].get("posts", []), list):
        raise ExportError(f"{name} is not a Ghost export: its “posts” is not a list")
    return document["meta"], document["data"]


def _version(meta: dict, name: str) -> str:
    version = str(meta.get("version") or "").strip()
    match = re.match(r"v?(\d+)\.", version + ".")
    if not match:
        raise ExportError(f"{name} does not say which Ghost version made it (meta.version)")
    if int(match.group(1)) not in SUPPORTED_MAJOR_VERSIONS:
        supported = ", ".join(str(v) for v in SUPPORTED_MAJOR_VERSIONS)
        raise ExportError(
            f"{name} was exported by Ghost {version}, which this importer does not read "
            f"(it reads Ghost {supported}); upgrade the Ghost site and export again"
        )
    return version


def _rows(data: dict, table: str) -> list[dict]:
    rows = data.get(table) or []
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _settings(rows: Any) -> dict[str, Any]:
    if isinstance(rows, dict):  # some tools write settings as one object
        return rows
    if not isinstance(rows, list):
        return {}
    return {r["key"]: r.get("value") for r in rows if isinstance(r, dict) and "key" in r}


def _site_url(settings: dict) -> str:
    for key in ("url", "site_url"):
        value = settings.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value.rstrip("/")
    return ""


def _language(settings: dict) -> str:
    # Ghost 5+ `locale`, Ghost 4 `lang`, Ghost 3 `default_locale`.
    for key in ("locale", "lang", "default_locale"):
        value = settings.get(key)
        if isinstance(value, str) and value.strip():
            return re.split(r"[-_]", value.strip())[0].lower()
    return ""


def _media_prefixes(site_url: str) -> list[str]:
    prefixes = [f"{GHOST_URL}/content/images/"]
    if site_url:
        prefixes.append(f"{site_url}/content/images/")
        path = urlsplit(site_url).path.rstrip("/")
        if path:  # a site in a subdirectory keeps relative addresses under it
            prefixes.append(f"{path}/content/images/")
    prefixes.append("/content/images/")
    return prefixes


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _picture(url: Any, alt: Any = "", caption_html: Any = "") -> Picture | None:
    url = _text(url)
    if not url:
        return None
    return Picture(url=url, alt=_text(alt), caption=html_to_text(_text(caption_html)))


def _author(user: dict) -> Author:
    picture = None
    image = _text(user.get("profile_image"))
    # Ghost fills an empty profile picture with the person's Gravatar; that is not the newsroom's.
    if image and "gravatar.com/" not in image:
        picture = _picture(image)
    return Author(
        source_id=str(user["id"]),
        name=_text(user.get("name")) or _text(user.get("slug")),
        slug=_text(user.get("slug")),
        bio=html_to_text(_text(user.get("bio"))),
        picture=picture,
    )


def _is_internal(tag: dict) -> bool:
    return _text(tag.get("name")).startswith("#") or tag.get("visibility") == "internal"


def _term(tag: dict) -> Term:
    return Term(
        source_id=str(tag["id"]),
        name=_text(tag.get("name")),
        slug=_text(tag.get("slug")),
        description=_text(tag.get("description")),
        parent=str(tag.get("parent_id") or ""),
    )


def _datetime(value: Any) -> datetime | None:
    """Ghost's dates: ISO 8601 in UTC ("2021-03-24T04:34:09.000Z"), MySQL's "2021-03-24
    04:34:09" (UTC), or milliseconds since 1970 in the oldest files."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _by_post(rows: list[dict], key: str) -> dict[str, list[str]]:
    ordered: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for position, row in enumerate(rows):
        if row.get("post_id") and row.get(key):
            order = row.get("sort_order")
            ordered[str(row["post_id"])].append(
                (order if isinstance(order, int) else 0, position, str(row[key]))
            )
    return {post: [value for _, _, value in sorted(values)] for post, values in ordered.items()}


class _PostReader:
    """Turns Ghost's post rows into stories, with the join tables read once."""

    def __init__(self, data: dict, settings: dict, authors: dict, tags: dict) -> None:
        self.authors = authors
        self.tags = tags
        self.post_authors = _by_post(_rows(data, "posts_authors"), "author_id")
        self.post_tags = _by_post(_rows(data, "posts_tags"), "tag_id")
        self.post_tiers = _by_post(_rows(data, "posts_products"), "product_id")
        self.tier_names = {
            str(p["id"]): _text(p.get("name")) for p in _rows(data, "products") if p.get("id")
        }
        self.meta = {str(m["post_id"]): m for m in _rows(data, "posts_meta") if m.get("post_id")}
        self.permalink = _text(settings.get("permalinks")) or DEFAULT_PERMALINK
        timezone = _text(settings.get("timezone")) or _text(settings.get("active_timezone"))
        try:
            self.timezone = ZoneInfo(timezone) if timezone else UTC
        except (ZoneInfoNotFoundError, ValueError):
            self.timezone = UTC

    def story(self, post: dict) -> Story:
        post_id = str(post["id"])
        notes: list[str] = []
        kind = self._kind(post)
        html, body_notes = self._body(post)
        notes.extend(body_notes)
        story = Story(
            source_id=post_id,
            kind=kind,
            title=_text(post.get("title")),
            slug=_text(post.get("slug")),
            html=html,
            body_format="html",
            excerpt=_text(post.get("custom_excerpt")),
            status=self._status(post, notes),
            published_at=_datetime(post.get("published_at")),
            modified_at=_datetime(post.get("updated_at")),
            authors=self._authors(post, notes),
            lead_picture=self._lead_picture(post),
            language=_language({"locale": post.get("locale")}),
            canonical_url=_text(post.get("canonical_url")),
            notes=notes,
        )
        self._terms(post_id, story)
        if post.get("status") == "published":  # only published posts had a public address
            story.old_urls = self._old_urls(story, kind)
        return story

    @staticmethod
    def _kind(post: dict) -> str:
        if post.get("type") in ("post", "page"):
            return "page" if post["type"] == "page" else "article"
        return "page" if post.get("page") in (True, 1, "1", "true") else "article"

    @staticmethod
    def _body(post: dict) -> tuple[str, list[str]]:
        html = post.get("html")
        if isinstance(html, str) and html.strip():
            return html, []
        for field, render in (("lexical", render_lexical), ("mobiledoc", render_mobiledoc)):
            document = post.get(field)
            if not document:
                continue
            try:
                rendered, notes = render(document)
            except (ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
                return "", [f"the {field} body could not be read ({error}); imported empty"]
            return rendered, [f"body rendered from {field}: {note}" for note in notes]
        return "", []

    def _status(self, post: dict, notes: list[str]) -> Status:
        ghost_status = _text(post.get("status"))
        status = _STATUSES.get(ghost_status)
        if status is None:
            # "sent": e-mailed to members but never on the site.
            notes.append(f"Ghost status “{ghost_status or '(none)'}” imported as a draft")
            status = "draft"
        visibility = _text(post.get("visibility")) or "public"
        if visibility != "public":
            who = {
                "members": "members only",
                "paid": "paying members only",
                "tiers": "members of some tiers only",
            }.get(visibility, "some members only")
            segment = _text(post.get("visibility_filter"))
            if segment:  # Ghost 4's segment of members, e.g. "status:-free"
                who += f" ({segment})"
            tiers = [self.tier_names.get(t, t) for t in self.post_tiers.get(str(post["id"]), [])]
            if visibility == "tiers" and tiers:
                who += f" ({', '.join(tiers)})"
            notes.append(f"was for {who} on Ghost; imported as a draft")
            if status in ("live", "scheduled"):
                status = "members"
        return status

    def _authors(self, post: dict, notes: list[str]) -> list[str]:
        ids = self.post_authors.get(str(post["id"])) or (
            [str(post["author_id"])] if post.get("author_id") else []
        )
        known = [author for author in ids if author in self.authors]
        for unknown in dict.fromkeys(author for author in ids if author not in self.authors):
            notes.append(f"author {unknown} is not among the export's staff users; left out")
        return list(dict.fromkeys(known))

    def _terms(self, post_id: str, story: Story) -> None:
        public = []
        for tag_id in dict.fromkeys(self.post_tags.get(post_id, [])):
            tag = self.tags.get(tag_id)
            if tag is None:
                story.notes.append(f"tag {tag_id} is not in the export; left out")
            elif _is_internal(tag):
                story.notes.append(f"internal tag “{_text(tag.get('name'))}” skipped")
            else:
                public.append(tag_id)
        # Ghost's primary tag is the first public one; it becomes the story's section.
        story.sections = public[:1]
        story.tags = public[1:]

    def _lead_picture(self, post: dict) -> Picture | None:
        meta = self.meta.get(str(post["id"]), {})
        return _picture(
            meta.get("feature_image") or post.get("feature_image"),
            meta.get("feature_image_alt") or post.get("feature_image_alt"),
            meta.get("feature_image_caption") or post.get("feature_image_caption"),
        )

    def _old_urls(self, story: Story, kind: str) -> list[str]:
        if not story.slug:
            return []
        pattern = DEFAULT_PERMALINK if kind == "page" else self.permalink
        local = (story.published_at or datetime.now(UTC)).astimezone(self.timezone)
        author = self.authors.get(story.authors[0]) if story.authors else None
        primary = self.tags.get(story.sections[0]) if story.sections else None
        values = {
            "year": f"{local.year:04d}",
            "month": f"{local.month:02d}",
            "day": f"{local.day:02d}",
            "slug": story.slug,
            "id": story.source_id,
            "primary_tag": _text(primary.get("slug")) if primary else "all",
            "author": author.slug if author and author.slug else "all",
        }
        # routes.yaml writes {slug}; Ghost 1's `permalinks` setting wrote :slug.
        url = re.sub(
            r"\{(\w+)\}|:(\w+)",
            lambda m: values.get(m.group(1) or m.group(2), m.group(0)),
            pattern,
        )
        if not url.startswith("/"):
            url = "/" + url
        return [url]
