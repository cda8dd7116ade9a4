"""A large archive in seconds: article pages written straight into PostgreSQL.

Creating 200,000 pages through Wagtail (`add_child`, revisions, signals) takes hours. This writes
the rows Wagtail itself would have written, in a few INSERT … SELECT statements per section:

- `wagtailcore_page` rows under each English section, with treebeard's materialised path (the
  parent's path plus a 4-character base-36 step), depth, url_path, locale, content type, live
  and publication dates, and the parent's `numchild` brought up to date;
- the `newsroom_articlepage` row of each, copied from one of the demo's English stories in turn
  (standfirst, lead photo, body), with that story's byline and tags;
- the search index entry of each (`wagtailsearch_indexentry`), copied from that story's entry, so
  that PostgreSQL full-text search has the whole archive to look through.

Generated stories are named `archive-<n>` and dated before every demo story, as an archive is.
PostgreSQL only (generate_series, gen_random_uuid).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, 4 characters a step
SLUG_PREFIX = "archive-"


def _base36_step(expression: str) -> str:
    """SQL for the 4-character treebeard step of the integer `expression`."""
    digits = [f"({expression} / {36**power}) %% 36" for power in (3, 2, 1, 0)]
    return " || ".join(f"substr('{ALPHABET}', {digit} + 1, 1)" for digit in digits)


def _page_columns() -> dict[str, str]:
    """Every column of wagtailcore_page but the id, with the SQL that fills it; `t` is the
    template story's row, `g` the new page's place among its parent's children."""
    from wagtail.models import Page

    title = "t.title || ' (archive ' || %(section)s || ' ' || g || ')'"
    published = "now() - interval '30 days' - g * interval '1 hour'"
    overrides = {
        "path": f"%(parent_path)s || {_base36_step('g')}",
        "depth": "%(depth)s",
        "numchild": "0",
        "title": title,
        "draft_title": title,
        "slug": f"'{SLUG_PREFIX}' || g",
        "url_path": f"%(parent_url)s || '{SLUG_PREFIX}' || g || '/'",
        "translation_key": "gen_random_uuid()",
        "live": "true",
        "has_unpublished_changes": "false",
        "first_published_at": published,
        "last_published_at": published,
        "latest_revision_created_at": published,
        "go_live_at": "NULL",
        "expire_at": "NULL",
        "expired": "false",
        "locked": "false",
        "locked_at": "NULL",
        "locked_by_id": "NULL",
        "live_revision_id": "NULL",
        "latest_revision_id": "NULL",
        "alias_of_id": "NULL",
        "owner_id": "NULL",
    }
    columns = {}
    for field in Page._meta.concrete_fields:
        if field.primary_key:
            continue
        columns[field.column] = overrides.get(field.column, f"t.{field.column}")
    return columns


def article_count() -> int:
    from samizdat.newsroom.models import ArticlePage

    return ArticlePage.objects.count()


def grow_archive(total: int, language: str = "en") -> int:
    """Add English archive stories until the site has `total` articles; returns how many
    were added. The demo newsroom (or any site with a few stories per section) must exist."""
    from wagtail.models import Page

    from samizdat.newsroom.models import ArticlePage, SectionPage

    missing = total - article_count()
    if missing <= 0:
        return 0
    sections = list(SectionPage.objects.filter(locale__language_code=language).order_by("path"))
    templates = list(
        ArticlePage.objects.filter(locale__language_code=language)
        .exclude(slug__startswith=SLUG_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not sections or not templates:
        raise ValueError(f"no {language} sections or stories to model the archive on")
    content_type = ArticlePage.objects.filter(pk=templates[0]).values_list(
        "content_type_id", flat=True
    )[0]
    columns = _page_columns()
    page_insert = (
        f"INSERT INTO {Page._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(columns.values())} "
        "FROM generate_series(%(first)s, %(last)s) AS g "
        f"JOIN {Page._meta.db_table} t "
        "ON t.id = (%(templates)s::int[])[1 + g %% cardinality(%(templates)s::int[])]"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {Page._meta.db_table}")
        newest_before = cursor.fetchone()[0]
        for index, section in enumerate(sections):
            count = missing // len(sections) + (1 if index < missing % len(sections) else 0)
            if not count:
                continue
            parent = Page.objects.get(pk=section.pk)
            cursor.execute(
                page_insert,
                {
                    "first": parent.numchild + 1,
                    "last": parent.numchild + count,
                    "parent_path": parent.path,
                    "parent_url": parent.url_path,
                    "depth": parent.depth + 1,
                    "section": section.slug,
                    "templates": templates,
                },
            )
            Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
        _copy_details(cursor, newest_before, templates, content_type)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Pages moved under the cache's feet: forget what was cached about the site's structure.
    from samizdat.newsroom import structure

    structure.bump()
    return missing


def _copy_details(cursor, newest_before: int, templates: list[int], content_type: int) -> None:
    """The article, byline, tag and search-index rows of every page added after
    `newest_before`, copied from its template story."""
    from wagtail.models import Page
    from wagtail.search.models import IndexEntry

    from samizdat.newsroom.models import ArticleAuthor, ArticlePage, ArticleTag

    new_pages = (
        "WITH new AS ("
        f" SELECT id, title, (%(templates)s::int[])[1 + substr(slug, {len(SLUG_PREFIX) + 1})::int"
        " %% cardinality(%(templates)s::int[])] AS template"
        f" FROM {Page._meta.db_table} WHERE id > %(newest)s"
        ") "
    )
    params = {"templates": templates, "newest": newest_before, "content_type": content_type}
    article_columns = [
        f.column for f in ArticlePage._meta.local_concrete_fields if not f.primary_key
    ]
    link = ArticlePage._meta.pk.column
    cursor.execute(
        new_pages + f"INSERT INTO {ArticlePage._meta.db_table} ({link}, "
        f"{', '.join(article_columns)}) SELECT new.id, "
        f"{', '.join('a.' + c for c in article_columns)} FROM new "
        f"JOIN {ArticlePage._meta.db_table} a ON a.{link} = new.template",
        params,
    )
    cursor.execute(
        new_pages + f"INSERT INTO {ArticleAuthor._meta.db_table} (sort_order, page_id, author_id) "
        "SELECT b.sort_order, new.id, b.author_id FROM new "
        f"JOIN {ArticleAuthor._meta.db_table} b ON b.page_id = new.template",
        params,
    )
    cursor.execute(
        new_pages + f"INSERT INTO {ArticleTag._meta.db_table} (content_object_id, tag_id) "
        "SELECT new.id, x.tag_id FROM new "
        f"JOIN {ArticleTag._meta.db_table} x ON x.content_object_id = new.template",
        params,
    )
    with _gin_indexes_rebuilt(cursor, IndexEntry._meta.db_table):
        cursor.execute(
            new_pages + f"INSERT INTO {IndexEntry._meta.db_table} (object_id, title_norm, "
            "content_type_id, autocomplete, title, body, title_text, body_text) "
            "SELECT new.id::text, e.title_norm, e.content_type_id, e.autocomplete, e.title, "
            f"e.body, new.title, e.body_text FROM new JOIN {IndexEntry._meta.db_table} e "
            "ON e.object_id = new.template::text AND e.content_type_id = %(content_type)s",
            params,
        )


@contextmanager
def _gin_indexes_rebuilt(cursor, table: str) -> Iterator[None]:
    """Drop the table's full-text (GIN) indexes for a bulk insert and build them again after:
    one build is many times faster than 200,000 index updates. Inside the caller's
    transaction, so a failure leaves the indexes as they were."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE tablename = %s AND indexdef LIKE '%%USING gin%%'",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    # Django's foreign keys are deferred; PostgreSQL builds no index while checks are pending.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        cursor.execute(definition)


def first_section(language: str = "en"):
    """The edition's first section, the one whose long list the bench reads deep into."""
    from samizdat.newsroom.models import HomePage, SectionPage

    home = HomePage.objects.get(locale__language_code=language)
    return SectionPage.objects.child_of(home).order_by("path").first()


def reader_urls(language: str = "en") -> dict[str, str]:
    """One address of every kind of reader page, each the one the archive makes longest: the
    front page, the first section's list, the most used tag's and the most prolific author's
    lists, the newest story, a search, the feeds and the sitemaps."""
    from django.db.models import Count
    from taggit.models import Tag

    from samizdat.newsroom.models import ArticleAuthor, ArticlePage, AuthorPage, HomePage

    home = HomePage.objects.get(locale__language_code=language)
    section = first_section(language)
    tag = (
        Tag.objects.filter(newsroom_articletag_items__content_object__locale=home.locale)
        .annotate(stories=Count("newsroom_articletag_items"))
        .order_by("-stories", "pk")
        .first()
    )
    author = (
        ArticleAuthor.objects.filter(page__locale=home.locale)
        .values("author")
        .annotate(stories=Count("pk"))
        .order_by("-stories", "author")
        .first()
    )
    newest = ArticlePage.objects.live().filter(locale=home.locale).order_by("-first_published_at")
    return {
        "home": home.url,
        "section": section.url,
        "tag": f"{home.url}tags/{tag.slug}/",
        "author": AuthorPage.objects.get(pk=author["author"]).url,
        "article": newest.first().url,
        "search": f"{home.url}search/?q=river",
        "feed (edition, RSS)": f"{home.url}feed/rss/",
        "feed (section, Atom)": f"{section.url}feed/atom/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/sitemap-news.xml",
    }
