"""Writing an Archive into the site: authors, sections, tags, stories, pictures, old addresses.

Every item is written whole or not at all (a savepoint of its own) together with its
ImportedItem, which keys it by the old site's id and holds a digest of what it was made from.
Items are committed a batch at a time, with the search and reference indexes of the batch's
pages written in one go at its end: a run stopped halfway is resumed by running again, and an
item whose digest has not changed is left alone (no new revision). Pages are published the way
an editor publishes them, so feeds, sitemaps, the page cache and mirrors take them up like any
other page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from tqdm import tqdm
from wagtail.models import Page
from wagtail.signals import page_published

from samizdat.newsroom import structure
from samizdat.newsroom.models import ArticleAuthor, ArticlePage, ArticleTag, AuthorPage, InfoPage
from samizdat.pagecache import store as pagecache

from . import body
from . import report as reasons
from .addresses import OldAddresses
from .indexing import (
    DEFERRED_RECEIVERS,
    index_batch,
    index_page,
    indexed_once,
    no_purges_for_no_cdn,
    page_models,
    paused,
)
from .models import ImportedItem
from .pictures import PhotoMaker, PictureFiles
from .publish import publish_new
from .report import Report
from .source import Archive, Author, Picture, Story, Term
from .tree import Tree, free_slug, group_translation_key, make_slug

# Where articles with no section go when no --default-section is given.
ARCHIVE_SLUG = "archive"
ARCHIVE_TITLES = {"en": "Archive", "ru": "Архив"}

# Part of every digest: a new version of the conversion writes every story again.
CONVERTER_VERSION = "1"

# Items per transaction: a stopped run redoes at most this many, and the indexes are written
# once per batch instead of once per page.
BATCH = 100


@dataclass
class Options:
    language: str = ""  # the default edition for stories whose language the export does not say
    sections: dict[str, str] = field(default_factory=dict)  # old slug → section slug here
    default_section: str = ""  # for articles with no section
    media_prefixes: list[str] = field(default_factory=list)
    pictures: Path | None = None  # the uploads / images folder, or a zip of it
    dry_run: bool = False
    progress: bool | None = None  # None: on a terminal only


def _digest(*parts) -> str:
    text = json.dumps(parts, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{CONVERTER_VERSION}\n{text}".encode()).hexdigest()


def _rich_text(plain: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in plain.split("\n\n") if p.strip())


class Importer:
    def __init__(self, archive: Archive, options: Options) -> None:
        self.archive = archive
        self.options = options
        self.report = Report(dry_run=options.dry_run)
        self.source = archive.source
        self.site_key = archive.site_url.rstrip("/")
        self.tree = Tree(self._key, count=self._count_section)
        self.files = PictureFiles(
            [*archive.media_prefixes, *options.media_prefixes], options.pictures
        )
        self.photos = PhotoMaker(self.source, self.site_key)
        self._photo_ids: dict[str, int | None] = {}
        self.authors = {a.source_id: a for a in archive.authors}
        self.terms = {t.source_id: t for t in archive.sections}
        self.tag_terms = {t.source_id: t for t in archive.tags}
        self._author_pages: dict[str, int] = {}
        self._author_editions: set[tuple[int, str]] = set()  # (author page, language) known
        self._tags: dict[str, Tag] = {}
        self.addresses = OldAddresses(self.report)
        self._known: dict[tuple[str, str], ImportedItem] | None = None
        # Pages and rows the current item wrote, and those of the batch's finished items.
        self._item_pages: list[tuple[Page, bool]] = []  # (page, new)
        self._item_rows: list = []
        self._batch_pages: list[tuple[Page, bool]] = []
        self._batch_rows: list = []
        self._last_child: dict[int, str | None] = {}  # parent → path of its last child
        self._slugs: dict[int, set[str]] = {}  # parent → its children's slugs
        self._missing: set[str] = set()  # pictures the current item names that are not found
        default = Tree.edition_language(options.language or archive.language)
        self.default_language = default or settings.LANGUAGE_CODE
        if default is None and (options.language or archive.language):
            self.report.add(
                reasons.NOTES,
                f"The site has no {options.language or archive.language!r} edition: stories "
                f"without a language of their own go into {self.default_language!r} "
                "(choose another with --language)",
            )

    # --- The run ----------------------------------------------------------------------------

    def run(self) -> Report:
        for note in self.archive.notes:
            self.report.add(reasons.NOTES, note)
        show = self.options.progress
        if show is None:
            show = sys.stderr.isatty()
        stories = sorted(self.archive.stories, key=lambda s: (s.kind != "page", s.source_id))
        for author in self.archive.authors:
            self._item(self.import_author, author)
        with tqdm(total=len(stories), disable=not show, unit="post") as bar:
            for start in range(0, len(stories), BATCH):
                with self._batch():
                    for story in stories[start : start + BATCH]:
                        self._item(self.import_story, story)
                        bar.update()
        if not self.options.dry_run:
            # Publishing moved both generations on already; once more once all is committed,
            # so that nothing rendered during the run is served afterwards.
            structure.bump()
            pagecache.bump()
        return self.report

    @contextlib.contextmanager
    def _batch(self) -> Iterator[None]:
        """One transaction for a batch of items; their indexes are written at its end."""
        if self.options.dry_run:
            yield
            return
        with (
            transaction.atomic(),
            paused(page_published, *DEFERRED_RECEIVERS),
            no_purges_for_no_cdn(),
        ):
            yield
            self._flush_rows()
            pages, self._batch_pages = self._batch_pages, []
            index_batch(pages)
            if pages:
                structure.bump()

    def _flush_rows(self) -> None:
        """The rows the batch's finished items left to be inserted together, by table."""
        rows, self._batch_rows = self._batch_rows, []
        by_model: dict[type, list] = {}
        for row in rows:
            by_model.setdefault(type(row), []).append(row)
        for model, objects in by_model.items():
            model.objects.bulk_create(objects)

    def _item(self, work: Callable, record) -> None:
        if self.options.dry_run:
            work(record)
            return
        counted = {kind: Counter(counter) for kind, counter in self.report.counts.items()}
        self._item_pages, self._item_rows = [], []
        try:
            with transaction.atomic():
                work(record)
            self._batch_pages += self._item_pages
            self._batch_rows += self._item_rows
        except Exception as exc:  # one bad item must not stop an archive of thousands
            # Rolled back to where it started; what the batch's earlier items left to insert
            # goes in now, before the caches below are read again from the database.
            self._flush_rows()
            self._forget_children()
            self.report.counts = counted
            name = getattr(record, "title", None) or getattr(record, "name", "")
            self.report.add(reasons.FAILED, f"{name} ({record.source_id}): {exc!r}")
            self.report.count("stories" if isinstance(record, Story) else "authors", "skipped")
            # What this item made was rolled back with it: find or make it again next time.
            self.tree = Tree(self._key, self.tree.site, self._count_section)
            self._author_editions.clear()
            self._photo_ids.clear()
            self._tags.clear()
            self.addresses.forget()

    def _forget_children(self, parent_id: int | None = None) -> None:
        """What is remembered of a parent's children (all parents': None), to be read again."""
        for known in (self._last_child, self._slugs):
            if parent_id is None:
                known.clear()
            else:
                known.pop(parent_id, None)

    def _free_slug(self, slug: str, parent: Page) -> str:
        if parent.pk not in self._slugs:
            self._slugs[parent.pk] = set(parent.get_children().values_list("slug", flat=True))
        return free_slug(slug, parent, taken=self._slugs[parent.pk])

    def _count_section(self, outcome: str) -> None:
        self.report.count("sections", outcome)
        if outcome == "created":
            self._forget_children()  # a new section under a home

    def _key(self, kind: str, source_id: str) -> dict:
        return {"source": self.source, "site": self.site_key, "kind": kind, "source_id": source_id}

    def _existing(self, kind: str, source_id: str) -> ImportedItem | None:
        if self._known is None:
            # What earlier runs imported from this site, read once: an unchanged item then
            # costs no query at all.
            self._known = {
                (item.kind, item.source_id): item
                for item in ImportedItem.objects.filter(
                    source=self.source, site=self.site_key, kind__in=("story", "author")
                ).only("kind", "source_id", "page_id", "digest", "missing_pictures")
            }
        return self._known.get((kind, source_id))

    def _remember(self, kind: str, source_id: str, digest: str, page: Page, created: bool) -> None:
        # Not added to self._known: each item is imported once per run.
        values = {"page": page, "digest": digest, "missing_pictures": sorted(self._missing)}
        if created:
            self._item_rows.append(ImportedItem(**self._key(kind, source_id), **values))
        else:
            ImportedItem.objects.filter(**self._key(kind, source_id)).update(
                **values, imported_at=timezone.now()
            )

    def _unchanged(self, item: ImportedItem | None, digest: str) -> bool:
        """Imported before from the same record, and none of its missing pictures has turned
        up in the uploads since."""
        return (
            item is not None
            and item.page_id is not None
            and item.digest == digest
            and not any(self.files.exists(url) for url in item.missing_pictures)
        )

    # --- Authors ----------------------------------------------------------------------------

    def import_author(self, author: Author) -> None:
        digest = _digest(dataclasses.asdict(author))
        self._forget_children()  # authors are few, and their index may be new under a home
        item = self._existing("author", author.source_id)
        self._missing = set()
        if self._unchanged(item, digest):
            self._author_pages[author.source_id] = item.page_id
            self.report.count("authors", "unchanged")
            return
        if self.options.dry_run:
            self.report.count("authors", "updated" if item and item.page_id else "created")
            return
        index = self.tree.author_index(self.default_language)
        page = AuthorPage.objects.filter(pk=item.page_id).first() if item else None
        if page is None:
            slug = make_slug(author.slug, author.name)
            page = AuthorPage.objects.child_of(index).filter(slug=slug).first()
        created = page is None
        if created:
            page = AuthorPage(slug=free_slug(make_slug(author.slug, author.name), index))
        page.title = author.name or author.slug or author.source_id
        page.role = author.role[:200]
        page.bio = _rich_text(author.bio)
        if author.picture is not None:
            photo_id = self.photo_id(author.picture, f'author "{page.title}"')
            page.photo_id = photo_id or page.photo_id
        self._publish_author(page, index, created)
        self._remember("author", author.source_id, digest, page, created=item is None)
        self._author_pages[author.source_id] = page.pk
        self.report.count("authors", "created" if created else "updated")

    def _author_editions_for(self, byline: list[int], language: str) -> None:
        """A byline in another edition leads to the author's page in that edition (a
        translation of theirs, which lists their stories in it): made where missing."""
        if not byline:
            return
        index = self.tree.author_index(language)
        for author_id in byline:
            if (author_id, language) in self._author_editions:
                continue
            self._author_editions.add((author_id, language))
            author = AuthorPage.objects.get(pk=author_id)
            if author.locale_id == index.locale_id:
                continue
            if AuthorPage.objects.filter(
                translation_key=author.translation_key, locale_id=index.locale_id
            ).exists():
                continue
            page = AuthorPage(
                title=author.title,
                slug=self._free_slug(author.slug, index),
                role=author.role,
                bio=author.bio,
                photo_id=author.photo_id,
                translation_key=author.translation_key,
                locale_id=index.locale_id,
            )
            self._publish_author(page, index, created=True)
            self.report.add(reasons.AUTHOR_EDITION, f"{author.title} ({language})")
            self.report.count("authors", "created")

    def _publish_author(self, page: AuthorPage, index, created: bool) -> None:
        """Publish an author's page, added under the edition's author index when new."""
        with indexed_once(page_models):
            if created:
                page.live = False
                index.add_child(instance=page)
                self._forget_children(index.pk)
            page.save_revision().publish()
            index_page(page)

    # --- Pictures ---------------------------------------------------------------------------

    def photo_id(self, picture: Picture, where: str) -> int | None:
        """The Photo for a picture of the export (made on first use), or None if its file is
        not in the local copy; that is reported."""
        if not picture.url and picture.source_id:
            # Named by id only (a gallery's ids): the export's own record of it, if it has one.
            known = self.archive.pictures.get(picture.source_id)
            if known is None:
                self.report.add(
                    reasons.MISSING_PICTURE,
                    f"picture {picture.source_id}, not in the export (in {where})",
                )
                return None
            picture = known
        if picture.url in self._photo_ids:
            if self._photo_ids[picture.url] is None:
                self._missing.add(picture.url)
                self.report.add(reasons.MISSING_PICTURE, f"{picture.url} (in {where})")
            return self._photo_ids[picture.url]
        photo_id = None
        if self.options.dry_run:
            if not self.files.exists(picture.url):
                self.report.add(reasons.MISSING_PICTURE, f"{picture.url} (in {where})")
            self._photo_ids[picture.url] = None
            return None
        found = self.files.read(picture.url)
        if found is None:
            self.report.add(reasons.MISSING_PICTURE, f"{picture.url} (in {where})")
            self._missing.add(picture.url)
        else:
            try:
                photo_id, created = self.photos.photo_for(picture, *found)
            except ValueError as exc:
                self.report.add(reasons.MISSING_PICTURE, f"{picture.url} (in {where}): {exc}")
            else:
                self.report.count("pictures", "created" if created else "unchanged")
        self._photo_ids[picture.url] = photo_id
        return photo_id

    # --- Stories ----------------------------------------------------------------------------

    def import_story(self, story: Story) -> None:
        ref = story.ref
        if story.status == "scheduled" and (
            story.published_at is None or story.published_at <= timezone.now()
        ):
            # Its time has come (the old site would publish it at its next tick), or it had
            # none: published now or kept as a draft, as Wagtail would.
            status = "live" if story.published_at else "draft"
            story = dataclasses.replace(story, status=status)
        if story.status == "private":
            self.report.add(reasons.PRIVATE, ref)
        elif story.status == "members":
            self.report.add(reasons.MEMBERS_ONLY, ref)
        for note in story.notes:
            self.report.add(reasons.NOTES, f"{note} (in {ref})")
        language = self._language(story)
        section = self._section_term(story) if story.kind == "article" else None
        if story.kind == "article" and section is None:
            # One article per published post: those without a section go to the edition's
            # archive, named in the report (choose another with --default-section).
            section = ARCHIVE_SLUG, ARCHIVE_TITLES.get(language, "Archive"), ""
            self.report.add(reasons.NO_SECTION, ref)
        digest = _digest(dataclasses.asdict(story), language, section, self.options.sections)
        item = self._existing("story", story.source_id)
        self._missing = set()
        if self._unchanged(item, digest):
            self.report.count("stories", "unchanged")
            return
        page = None
        if item is not None and item.page_id:
            page = Page.objects.filter(pk=item.page_id).first()
        byline = self._byline(story, ref)
        if self.options.dry_run:
            self._body(story, ref)
            self.report.count("stories", "updated" if page else "created")
            return
        model = ArticlePage if story.kind == "article" else InfoPage
        if page is not None and not isinstance(page.specific, model):
            self.report.add(reasons.SKIPPED, f"{ref}: its page is no longer a {model.__name__}")
            self.report.count("stories", "skipped")
            return
        if section is not None:
            parent = self.tree.section(*section, language=language)
        else:
            parent = self.tree.home(language)
        if page is not None and section is not None:
            page = self._move_to(page, parent, ref)
        with indexed_once(page_models):
            new = page is None
            page = self._write_page(story, model, page.specific if page else None, parent, byline)
        self._item_pages.append((page, new))
        if model is ArticlePage:
            self._author_editions_for(byline, language)
        self._remember("story", story.source_id, digest, page, created=item is None)
        self._redirects(story, page, parent)

    def _move_to(self, page: Page, section: Page, ref: str) -> Page:
        """An article whose section changed at the old site moves to the new one; Wagtail
        redirects its address there to where it is now."""
        if page.get_parent().pk == section.pk:
            return page
        if free_slug(page.slug, section, page) != page.slug:
            self.report.add(
                reasons.NOT_MOVED, f"{ref}: {section.title!r} has a story at {page.slug!r}"
            )
            return page
        page.specific.move(section, pos="last-child")
        self._forget_children()
        self.addresses.forget()  # the move made redirects of its own
        self.report.add(reasons.MOVED, f"{ref}: to {section.title!r}")
        return Page.objects.get(pk=page.pk)

    def _language(self, story: Story) -> str:
        if story.language:
            language = Tree.edition_language(story.language)
            if language is None:
                self.report.add(
                    reasons.SKIPPED,
                    f"{story.ref}: no edition in {story.language!r}, imported into "
                    f"{self.default_language!r}",
                )
            return language or self.default_language
        return self.default_language

    def _section_term(self, story: Story) -> tuple[str, str, str] | None:
        """(slug here, title, description) of the story's section, or None."""
        for source_id in story.sections[:1]:
            term = self.terms.get(source_id) or self.tag_terms.get(source_id)
            if term is not None:
                return self._mapped(term)
        if self.options.default_section:
            slug = self.options.default_section
            return slug, slug.replace("-", " ").title(), ""
        return None

    def _mapped(self, term: Term) -> tuple[str, str, str]:
        mapped = self.options.sections.get(term.slug)
        if mapped:
            return mapped, mapped.replace("-", " ").title(), ""
        return make_slug(term.slug, term.name), term.name, term.description

    def _byline(self, story: Story, ref: str) -> list[int]:
        pages = []
        for source_id in story.authors:
            page_id = self._author_pages.get(source_id)
            if page_id is None:
                if source_id not in self.authors:
                    self.report.add(reasons.UNKNOWN_AUTHOR, f"{source_id} (in {ref})")
                continue
            pages.append(page_id)
        return list(dict.fromkeys(pages))

    def _body(self, story: Story, ref: str) -> list[dict]:
        def report(message: str) -> None:
            self.report.add(message, ref)

        return body.convert(
            story.html,
            body_format=story.body_format,
            pictures=lambda picture: self.photo_id(picture, ref),
            report=report,
        )

    def _write_page(self, story, model, page, parent, byline):
        created = page is None
        if created:
            page = model(live=False)
            if story.translation_group:
                key = group_translation_key(self.source, self.site_key, story.translation_group)
                taken = Page.objects.filter(translation_key=key, locale=parent.locale_id)
                if not taken.exists():
                    page.translation_key = key
            page.slug = self._free_slug(make_slug(story.slug, story.title), parent)
        page.title = story.title[:255] or story.slug or story.source_id
        page.standfirst = story.excerpt
        page.body = self._body(story, story.ref)
        if model is ArticlePage:
            self._article_fields(story, page, byline)
        page.first_published_at = story.published_at if story.status == "live" else None
        page.go_live_at = story.published_at if story.status == "scheduled" else None
        if not created and page.first_published_at is None:
            page.first_published_at = Page.objects.get(pk=page.pk).first_published_at
        if created:
            page.locale_id = parent.locale_id
            if story.status == "live":
                self._add_live(page, parent, story)
                self.report.count("stories", "created")
                return page
            parent.add_child(instance=page)
            self._forget_children(parent.pk)
        elif page.first_published_at is not None:
            # Kept from the page's row when a revision is published, not from the revision.
            Page.objects.filter(pk=page.pk).update(first_published_at=page.first_published_at)
        revision = page.save_revision()
        if story.status in ("live", "scheduled"):
            revision.publish()
            if page.live:
                edited = max(filter(None, [story.modified_at, story.published_at]), default=None)
                if edited is not None:
                    # The sitemap's lastmod: when the story last changed there, not today.
                    type(page).objects.filter(pk=page.pk).update(last_published_at=edited)
        elif page.live:
            page.unpublish()
        self.report.count("stories", "created" if created else "updated")
        return page

    def _add_live(self, page: Page, parent: Page, story: Story) -> None:
        if parent.pk not in self._last_child:
            self._last_child[parent.pk] = (
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
        edited = max(filter(None, [story.modified_at, story.published_at]), default=None)
        self._item_rows += publish_new(page, parent, self._last_child[parent.pk], edited)
        self._last_child[parent.pk] = page.path
        self._slugs.setdefault(parent.pk, set()).add(page.slug)

    def _article_fields(self, story: Story, page: ArticlePage, byline: list[int]) -> None:
        # No "Updated" line from the export's modified date: WordPress and Ghost move it on
        # every save (a typo, a new category, a plugin touching all posts), while readers
        # read "Updated" as the newsroom's word that the story changed in substance.
        page.lead_image_id = None
        page.lead_caption = ""
        if story.lead_picture is not None:
            page.lead_image_id = self.photo_id(story.lead_picture, story.ref)
            page.lead_caption = story.lead_picture.caption[:500]
        page.authors = [
            ArticleAuthor(author_id=author_id, sort_order=n) for n, author_id in enumerate(byline)
        ]
        names = [self.tag_terms[t].name[:100] for t in story.tags if t in self.tag_terms]
        tags = [self._tag(name) for name in dict.fromkeys(names)]
        if page.pk is None:  # a new page's tags, without asking taggit what it has already
            page.tagged_items = [ArticleTag(tag=tag) for tag in tags]
        else:
            page.tags.set(tags)

    def _tag(self, name: str) -> Tag:
        """The tag of this name, looked up once per run."""
        if name not in self._tags:
            tag = Tag.objects.filter(name=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name)  # taggit makes a unique slug
            self._tags[name] = tag
        return self._tags[name]

    def _redirects(self, story: Story, page: Page, parent: Page) -> None:
        self._item_rows += self.addresses.redirects(self.tree.site, story, page, parent)


def run(archive: Archive, options: Options | None = None) -> Report:
    return Importer(archive, options or Options()).run()
