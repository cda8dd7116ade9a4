"""What an importer reads out of an export, before anything is written.

A reader (`wordpress.read`, `ghost.read`) turns an export file into one `Archive` of these plain
records; `run` writes them into the site. Nothing here touches the database, so a reader is
tested on its own and a bad file is refused before the first write.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal


class ExportError(Exception):
    """The file is not an export we can read (wrong format, truncated, unsupported version).

    The message is shown to the operator as is, so it names the file's problem plainly."""


# live: published; draft: not published; scheduled: goes live at `published_at`;
# private: imported unpublished (WordPress private posts); members: Ghost members-only or paid
# posts, imported as drafts and listed in the report.
Status = Literal["live", "draft", "scheduled", "private", "members"]


@dataclass
class Picture:
    """A picture as the export names it; the importer finds its file on disk."""

    url: str  # as written in the export (absolute, or relative to the site)
    alt: str = ""
    caption: str = ""  # plain text
    credit: str = ""  # photographer / agency, plain text
    title: str = ""
    source_id: str = ""  # the export's own id (a WordPress attachment), where it has one


@dataclass
class Author:
    source_id: str  # WordPress login, Ghost user id
    name: str
    slug: str = ""
    bio: str = ""  # plain text
    role: str = ""
    picture: Picture | None = None


@dataclass
class Term:
    """A WordPress category or tag, a Ghost tag."""

    source_id: str
    name: str
    slug: str
    description: str = ""
    parent: str = ""  # the parent term's source_id, for nested categories


@dataclass
class Story:
    source_id: str  # WordPress post id, Ghost post id
    kind: Literal["article", "page"]
    title: str
    slug: str
    html: str  # the body as the export holds it; `body_format` says how to read it
    body_format: Literal["wordpress", "html"] = "html"  # wordpress: shortcodes, blocks, wpautop
    excerpt: str = ""  # plain text, becomes the standfirst
    status: Status = "live"
    published_at: datetime | None = None  # timezone-aware
    modified_at: datetime | None = None  # timezone-aware
    authors: list[str] = field(default_factory=list)  # Author.source_id, in byline order
    sections: list[str] = field(default_factory=list)  # Term.source_id; the first is primary
    tags: list[str] = field(default_factory=list)  # Term.source_id
    lead_picture: Picture | None = None
    language: str = ""  # a language code ("en", "ru") where the export says
    translation_group: str = ""  # stories sharing a group are translations of each other
    old_urls: list[str] = field(default_factory=list)  # every address it answered at
    canonical_url: str = ""
    notes: list[str] = field(default_factory=list)  # what the reader noticed, for the report

    @property
    def ref(self) -> str:
        """How the report names it."""
        return f'"{self.title}" ({self.kind} {self.source_id})'


@dataclass
class Archive:
    source: Literal["wordpress", "ghost"]
    version: str  # the export format's version, e.g. "1.2" (WXR) or "5.75.0" (Ghost)
    site_url: str = ""  # the old site's address, e.g. "https://example.org"
    language: str = ""  # the site's language, where the export says
    authors: list[Author] = field(default_factory=list)
    sections: list[Term] = field(default_factory=list)
    tags: list[Term] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    # URL prefixes under which the export's pictures live, e.g.
    # "https://example.org/wp-content/uploads/" or "__GHOST_URL__/content/images/"; the part of a
    # picture's URL after one of them is its path in the uploads / images folder.
    media_prefixes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # archive-wide remarks for the report
    # The export's own pictures by id (WordPress attachments): a body that names a picture by
    # id only (`[gallery ids="12,13"]`) is given its file and words from here.
    pictures: dict[str, Picture] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Story]:
        return iter(self.stories)
