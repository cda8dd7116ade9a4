"""'Read more': which stories to offer at the end of an article."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count

from . import structure
from .models import NOT_IN_TEASERS, ArticlePage, ArticleTag, prefetch_structure
from .teasers import prefetch_teasers

LIMIT = 4
# Stories sharing tags are looked for among the newest this many of each tag: a tag on tens of
# thousands of stories would otherwise make every cold "Read more" count them all, and the
# choice would cost more the larger the archive. Readers want the recent ones anyway.
RECENT_PER_TAG = 200


def read_more(article: ArticlePage, request) -> list[ArticlePage]:
    """The stories an article page offers under "Read more" (ArticlePage.get_context), with
    the structure entries the page shows and the stories' teasers read in a round trip each."""
    prefetch_structure(
        article, related_key(article.pk, LIMIT), ("tags", article.pk), ("byline", article.pk)
    )
    stories = related_articles(article)
    prefetch_teasers(request, stories)
    return stories


def related_articles(article: ArticlePage, limit: int = LIMIT) -> list[ArticlePage]:
    """The editors' picks first, then stories sharing the most tags, then the section's latest.

    Always live, in the article's own language and never the article itself. The choice
    changes only when something is published, so it is kept in the structure cache and a
    warm render costs one query.
    """
    ids = structure.cached(related_key(article.pk, limit), lambda: _choose(article, limit))
    held = structure.held_objects("pages")
    if held and all(pk in held for pk in ids):
        return [held[pk] for pk in ids]  # a whole-site render loaded them all beforehand
    # The ids were chosen among live, public stories in this generation of the cache, which
    # any publish, unpublish, move or view restriction ends: no need to check that again.
    found = (
        ArticlePage.objects.live()
        .filter(pk__in=ids)
        .select_related("lead_image")
        .defer(*NOT_IN_TEASERS)  # a teaser shows neither the story nor its picks
        .in_bulk()
    )
    return [found[pk] for pk in ids if pk in found]


def related_key(pk: int, limit: int) -> tuple:
    return ("related", pk, limit)


def _choose(article: ArticlePage, limit: int) -> list[int]:
    candidates = ArticlePage.objects.live_in(article.locale_id).exclude(pk=article.pk)
    picked = [
        block.value.pk
        for block in article.related_picks
        if block.value is not None and block.value.pk != article.pk
    ]
    picked = list(candidates.filter(pk__in=picked).values_list("pk", flat=True))[:limit]
    # Keep the editor's order, which the filter above lost.
    order = [block.value.pk for block in article.related_picks if block.value is not None]
    picked.sort(key=order.index)

    def top_up(queryset) -> None:
        missing = limit - len(picked)
        if missing > 0:
            picked.extend(queryset.exclude(pk__in=picked).values_list("pk", flat=True)[:missing])

    tag_ids = [tag.pk for tag in article.tag_list]
    if tag_ids:
        recent = set()
        for tag_id in tag_ids:
            recent.update(_newest_tagged(tag_id, candidates))
        top_up(
            candidates.filter(pk__in=recent, tagged_items__tag_id__in=tag_ids)
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-first_published_at", "-pk")
        )
    if article.section is not None:
        top_up(candidates.child_of(article.section))
    return picked


def _newest_tagged(tag_id: int, candidates) -> list[int]:
    """The newest (by id: the order pages are created in) RECENT_PER_TAG candidates with this
    tag, read backwards along the (tag, article) index."""
    return list(
        ArticleTag.objects.filter(tag_id=tag_id, content_object_id__in=candidates.values("pk"))
        .order_by("-content_object_id")
        .values_list("content_object_id", flat=True)[:RECENT_PER_TAG]
    )


def warm(article_ids: Iterable[int], limit: int = LIMIT) -> int:
    """Choose 'Read more' for many articles at once and keep the choices in the cache.

    The same choice as `related_articles` makes one article at a time, from three queries
    per language instead of two or three per article: the static mirror export calls this
    before rendering a whole archive, whose cache every publish has emptied. Articles with
    editors' picks (few) are left to be chosen one by one. Returns how many were stored.
    """
    wanted = set(article_ids)
    if not wanted:
        return 0
    # Not filtered by `wanted` in SQL: a whole archive's ids would pass SQLite's limit.
    languages = ArticlePage.objects.order_by().values_list("locale_id", flat=True).distinct()
    return sum(_warm_language(locale_id, wanted, limit) for locale_id in list(languages))


def _warm_language(locale_id: int, wanted: set[int], limit: int) -> int:
    # Newest first, exactly as live_in() orders every list the choice is made from.
    rows = list(
        ArticlePage.objects.live_in(locale_id)
        .values_list("pk", "path", "related_picks")
        .order_by("-first_published_at", "-pk")
    )
    rank = {pk: position for position, (pk, _path, _picks) in enumerate(rows)}
    if wanted.isdisjoint(rank):  # none wanted in this language
        return 0
    steplen = ArticlePage.steplen
    by_parent: dict[str, list[int]] = defaultdict(list)
    parent_of: dict[int, str] = {}
    with_picks: set[int] = set()
    for pk, path, picks in rows:
        by_parent[path[:-steplen]].append(pk)
        parent_of[pk] = path[:-steplen]
        if len(picks.raw_data):  # the raw blocks: no page is fetched
            with_picks.add(pk)
    tags_of: dict[int, set[int]] = defaultdict(set)
    articles_with: dict[int, list[int]] = defaultdict(list)
    live = ArticlePage.objects.live_in(locale_id).order_by().values("pk")
    for pk, tag_id in ArticleTag.objects.filter(content_object_id__in=live).values_list(
        "content_object_id", "tag_id"
    ):
        if tag_id not in tags_of[pk]:
            tags_of[pk].add(tag_id)
            articles_with[tag_id].append(pk)

    # The same bounded candidates as _newest_tagged: the newest RECENT_PER_TAG of each tag
    # (each article's own id excluded below, as `candidates` excludes it there).
    newest_with = {
        tag_id: sorted(pks, reverse=True)[: RECENT_PER_TAG + 1]
        for tag_id, pks in articles_with.items()
    }

    entries: dict[tuple, list[int]] = {}
    for pk in wanted:
        if pk not in rank or pk in with_picks:
            continue
        picked: list[int] = []
        own_tags = tags_of.get(pk, set())
        recent = {
            other
            for tag in own_tags
            for other in [o for o in newest_with[tag] if o != pk][:RECENT_PER_TAG]
        }
        shared = Counter({other: len(own_tags & tags_of[other]) for other in recent})
        if shared:
            best = sorted(shared, key=lambda other: (-shared[other], rank[other]))
            picked.extend(best[:limit])
        for other in by_parent[parent_of[pk]]:
            if len(picked) >= limit:
                break
            if other != pk and other not in picked:
                picked.append(other)
        entries[related_key(pk, limit)] = picked
    structure.store_many(entries)
    return len(entries)
