"""Reader search: one search document per live, public article.

On PostgreSQL each findable article has a row in ArticleSearchDocument: its locale, its
publication time and a weighted tsvector (headline A, standfirst B, body C, byline and tags D)
made with its language's text search configuration. A GIN index answers the match, a btree on
(locale, published_at) the newest-first order, so a search reads the few rows it shows instead
of scanning Wagtail's whole index table, and the count stops at SEARCH_COUNT_CAP.

The documents are written in SQL (INSERT … SELECT with to_tsvector) by `index_articles`, for
one article when it is published and for a whole subtree when pages move or a view restriction
changes; `samizdat rebuild_search` runs the same SELECT over the whole site, on parallel
workers. The GIN index is SQL of its own (GIN_INDEX), not in the model's Meta: SQLite has none.

On SQLite the table stays empty and search goes through Wagtail's database backend (FTS5),
newest first, with the same capped count: one view and one template serve both.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

# Beyond this many matches a reader is told "more than 1,000": counting all 141,646 matches
# of a common word costs more than the whole page.
SEARCH_COUNT_CAP = 1000
# PostgreSQL text search configurations by language code; any other language is 'simple'
# (no stemming, no stop words), which still finds whole words.
TEXT_SEARCH_CONFIGS = {"en": "english", "ru": "russian"}


class ArticleSearchDocument(models.Model):
    """What reader search looks through for one live, public article (PostgreSQL only)."""

    article = models.OneToOneField(
        "newsroom.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()
    # A tsvector on PostgreSQL; the migration leaves a plain text column on SQLite.
    vector = SearchVectorField()

    class Meta:
        app_label = "newsroom"
        verbose_name = _("article search document")
        indexes = [
            models.Index(fields=["locale", "-published_at"], name="newsroom_search_newest"),
        ]

    def __str__(self) -> str:
        return f"search document of article {self.article_id}"


def uses_documents() -> bool:
    """Whether this database searches the documents (PostgreSQL) or Wagtail's index."""
    return connection.vendor == "postgresql"


def text_search_config(language_code: str) -> str:
    return TEXT_SEARCH_CONFIGS.get(language_code.split("-")[0].lower(), "simple")


# --- Writing the documents ------------------------------------------------------------------


def _document_select(only_missing: bool, by_id: bool = False) -> str:
    """SELECT of (article, locale, published_at, vector) for the live, unrestricted articles
    whose path starts with %(prefix)s (`by_id`: whose id is in %(ids)s). Body text: every
    string inside the blocks' values (rich text HTML tags are skipped by the text search
    parser). No correlated subquery,
    not even a lateral one, so that PostgreSQL may spread a rebuild over parallel workers."""
    config = "CASE split_part(lower(l.language_code), '-', 1) "
    config += " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in TEXT_SEARCH_CONFIGS.items())
    config += " ELSE 'simple' END::regconfig"
    missing = (
        " AND NOT EXISTS (SELECT 1 FROM newsroom_articlesearchdocument d WHERE d.article_id = p.id)"
        if only_missing
        else ""
    )

    def within(alias: str) -> str:
        return f"{alias}.id = ANY(%(ids)s)" if by_id else f"{alias}.path LIKE %(prefix)s"

    return f"""
        SELECT p.id, p.locale_id, coalesce(p.first_published_at, p.go_live_at, now()),
            setweight(to_tsvector(c.config, p.title), 'A')
            || setweight(to_tsvector(c.config, a.standfirst), 'B')
            || setweight(to_tsvector(c.config, jsonb_path_query_array(
                a.body::jsonb, 'strict $[*].value.** ? (@.type() == "string")')), 'C')
            || setweight(to_tsvector(c.config,
                coalesce(byline.names, '') || ' ' || coalesce(tags.names, '')), 'D')
        FROM wagtailcore_page p
        JOIN newsroom_articlepage a ON a.page_ptr_id = p.id
        JOIN wagtailcore_locale l ON l.id = p.locale_id
        LEFT JOIN (
            SELECT b.page_id, string_agg(author.title, ' ') AS names
            FROM newsroom_articleauthor b
            JOIN wagtailcore_page author ON author.id = b.author_id
            JOIN wagtailcore_page bp ON bp.id = b.page_id AND {within("bp")}
            GROUP BY b.page_id) byline ON byline.page_id = p.id
        LEFT JOIN (
            SELECT x.content_object_id AS page_id, string_agg(t.name, ' ') AS names
            FROM newsroom_articletag x
            JOIN taggit_tag t ON t.id = x.tag_id
            JOIN wagtailcore_page tp ON tp.id = x.content_object_id AND {within("tp")}
            GROUP BY x.content_object_id) tags ON tags.page_id = p.id
        CROSS JOIN LATERAL (SELECT {config} AS config) c
        WHERE p.live AND {within("p")}
        AND NOT EXISTS (
            SELECT 1 FROM wagtailcore_pageviewrestriction r
            JOIN wagtailcore_page rp ON rp.id = r.page_id
            WHERE starts_with(p.path, rp.path)){missing}
    """


_UNFINDABLE = """
    DELETE FROM newsroom_articlesearchdocument d USING wagtailcore_page p
    WHERE d.article_id = p.id AND p.path LIKE %(prefix)s AND (NOT p.live OR EXISTS (
        SELECT 1 FROM wagtailcore_pageviewrestriction r
        JOIN wagtailcore_page rp ON rp.id = r.page_id
        WHERE starts_with(p.path, rp.path)))
"""


def index_pages(ids: list[int]) -> None:
    """The documents of these pages written again: a batch of imported articles in one
    statement that reads only their rows, whatever the size of the archive."""
    if not uses_documents() or not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM newsroom_articlesearchdocument WHERE article_id = ANY(%(ids)s)",
            {"ids": ids},
        )
        cursor.execute(
            "INSERT INTO newsroom_articlesearchdocument (article_id, locale_id, published_at, "
            f"vector) {_document_select(only_missing=False, by_id=True)}",
            {"ids": ids},
        )


def index_articles(path: str = "", refresh: bool = True) -> None:
    """Bring the documents of the articles at or under `path` up to date: drop those no longer
    live or public, write those that are. `refresh=False` writes only missing documents
    (a move or a view restriction changes who may be found, not what an article says)."""
    if not uses_documents():
        return
    params = {"prefix": path + "%"}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_UNFINDABLE, params)
        cursor.execute(
            "INSERT INTO newsroom_articlesearchdocument (article_id, locale_id, published_at, "
            f"vector) {_document_select(only_missing=not refresh)} "
            "ON CONFLICT (article_id) DO UPDATE SET locale_id = EXCLUDED.locale_id, "
            "published_at = EXCLUDED.published_at, vector = EXCLUDED.vector",
            params,
        )


def rebuild() -> int:
    """Every document written again from scratch; returns how many.

    The documents are computed by CREATE TABLE … AS, which PostgreSQL runs on parallel workers
    (an INSERT … SELECT runs on one core, and to_tsvector is nearly all of the cost), then
    copied in; the GIN index is built once afterwards, many times faster than row by row."""
    if not uses_documents():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        if _lz4_available(cursor):
            cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
        cursor.execute(
            "CREATE TEMPORARY TABLE samizdat_search_rebuild ON COMMIT DROP AS "
            + _document_select(only_missing=False),
            {"prefix": "%"},
        )
        # Django's foreign keys are deferred; PostgreSQL neither truncates nor builds an index
        # while checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # TRUNCATE leaves no dead rows behind (DELETE would double the table until a vacuum);
        # searches wait for the rebuild to commit.
        cursor.execute("TRUNCATE newsroom_articlesearchdocument")
        with _gin_index_dropped(cursor):
            cursor.execute(
                "INSERT INTO newsroom_articlesearchdocument (article_id, locale_id, "
                "published_at, vector) SELECT * FROM samizdat_search_rebuild"
            )
            count = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE newsroom_articlesearchdocument")
    return count


def _lz4_available(cursor) -> bool:
    cursor.execute(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def compress_vectors_with_lz4(cursor) -> None:
    """Vectors are a few kilobytes, stored compressed: lz4 (where PostgreSQL has it) writes
    and reads them faster than the default pglz (a rebuild's copy took 40% less time)."""
    if _lz4_available(cursor):
        cursor.execute(
            "ALTER TABLE newsroom_articlesearchdocument ALTER COLUMN vector SET COMPRESSION lz4"
        )


GIN_INDEX = (
    "CREATE INDEX IF NOT EXISTS newsroom_search_vector "
    "ON newsroom_articlesearchdocument USING gin (vector)"
)


@contextmanager
def _gin_index_dropped(cursor):
    cursor.execute("DROP INDEX IF EXISTS newsroom_search_vector")
    yield
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    cursor.execute(GIN_INDEX)


# --- Keeping them up to date (connected in apps.py) -----------------------------------------


def _path_of(page_id: int) -> str | None:
    return Page.objects.filter(pk=page_id).values_list("path", flat=True).first()


def _article_page() -> type:
    """ArticlePage, as the documents' relation names it: models.py imports this module for the
    document model, so this one reads the page model from the registry, not from models.py."""
    return ArticleSearchDocument._meta.get_field("article").related_model


def article_published(instance, **_kwargs) -> None:
    if isinstance(instance, _article_page()):
        index_articles(instance.path)


def article_unpublished(instance, **_kwargs) -> None:
    if isinstance(instance, _article_page()) and uses_documents():
        ArticleSearchDocument.objects.filter(article_id=instance.pk).delete()


def subtree_changed(page_id: int) -> None:
    """After a move or a view-restriction change, once the transaction is committed (a
    restriction is also deleted with its page, whose articles must not come back)."""

    def sync() -> None:
        path = _path_of(page_id)
        if path is not None:
            index_articles(path, refresh=False)

    if uses_documents():
        transaction.on_commit(sync)


def page_moved(instance, **_kwargs) -> None:
    subtree_changed(instance.pk)


def restriction_changed(instance, **_kwargs) -> None:
    subtree_changed(instance.page_id)


# The name the publish receiver is connected under (the importer pauses it for a batch).
PUBLISH_UID = "samizdat-search-publish"


def connect() -> None:
    page_published.connect(article_published, dispatch_uid=PUBLISH_UID)
    page_unpublished.connect(article_unpublished, dispatch_uid="samizdat-search-unpublish")
    post_page_move.connect(page_moved, dispatch_uid="samizdat-search-move")
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"samizdat-search-restriction-{signal!r}",
        )


# --- Searching -------------------------------------------------------------------------------


class CappedResults:
    """Search hits for a Paginator, counted up to SEARCH_COUNT_CAP only: pages past the cap
    are not offered, and `capped` tells the template to say "more than 1,000"."""

    def __init__(self, hits, fetch: Callable[[list], list], unordered=None):
        self._hits = hits
        self._fetch = fetch
        # Counting needs no order: unordered, PostgreSQL stops after the first 1,001 matches
        # it finds instead of the 1,001 newest.
        self._unordered = hits if unordered is None else unordered
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._unordered[: SEARCH_COUNT_CAP + 1].count()
        return min(self._count, SEARCH_COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.count() < (self._count or 0)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._fetch(list(self._hits[index]))
        return self[index : index + 1][0]


def search_articles(query: str, locale) -> CappedResults:
    """Live, public articles of `locale` matching the reader's query, newest first.

    PostgreSQL reads the query as a web search: "a phrase", this OR that, -without."""
    articles = _article_page().objects
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL in text: search without it
    if not uses_documents():
        # Wagtail's backend takes plain filters only, so privacy uses Wagtail's public().
        hits = (
            articles.live()
            .public()
            .filter(locale_id=locale.pk)
            .order_by("-first_published_at", "-id")
            .search(query, operator="and", order_by_relevance=False)
        )
        return CappedResults(hits, lambda pages: pages)

    ids = (
        ArticleSearchDocument.objects.filter(
            locale_id=locale.pk,
            vector=SearchQuery(
                query, config=text_search_config(locale.language_code), search_type="websearch"
            ),
        )
        .order_by("-published_at", "-article_id")
        .values_list("article_id", flat=True)
    )

    def fetch(page_ids: list[int]) -> list:
        # live_in() checks again what the documents promise: never show a stale one.
        pages = articles.live_in(locale).in_bulk(page_ids)
        return [pages[pk] for pk in page_ids if pk in pages]

    return CappedResults(ids, fetch, unordered=ids.order_by())
