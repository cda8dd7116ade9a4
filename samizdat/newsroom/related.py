"""'Read more': which stories to offer at the end of an article."""

from __future__ import annotations

from django.db.models import Count

from . import structure
from .models import ArticlePage, live_articles


def related_articles(article: ArticlePage, limit: int = 4) -> list[ArticlePage]:
    """The editors' picks first, then stories sharing the most tags, then the section's latest.

    Always live, in the article's own language and never the article itself. The choice
    changes only when something is published, so it is kept in the structure cache and a
    warm render costs one query.
    """
    ids = structure.cached(("related", article.pk, limit), lambda: _choose(article, limit))
    found = live_articles(article.locale_id).filter(pk__in=ids).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def _choose(article: ArticlePage, limit: int) -> list[int]:
    candidates = live_articles(article.locale_id).exclude(pk=article.pk)
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
        top_up(
            candidates.filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-first_published_at", "-pk")
        )
    if article.section is not None:
        top_up(candidates.child_of(article.section))
    return picked
