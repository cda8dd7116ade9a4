"""'Read more': which stories to offer at the end of an article."""

from __future__ import annotations

from django.db.models import Count

from .models import ArticlePage, live_articles


def related_articles(article: ArticlePage, limit: int = 4) -> list[ArticlePage]:
    """The editors' picks first, then stories sharing the most tags, then the section's latest.

    Always in the article's own language, never the article itself, newest first among equals.
    """
    picked = [
        pick.article
        for pick in article.related_picks.select_related("article__lead_image")
        if pick.article.live and pick.article.locale_id == article.locale_id
    ][:limit]
    candidates = live_articles(article.locale).exclude(pk=article.pk)

    def top_up(queryset):
        missing = limit - len(picked)
        if missing > 0:
            picked.extend(queryset.exclude(pk__in=[p.pk for p in picked])[:missing])

    tag_ids = [tag.pk for tag in article.tags.all()]
    if tag_ids:
        top_up(
            candidates.filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-first_published_at", "-pk")
        )
    if article.section is not None:
        top_up(candidates.child_of(article.section))
    return picked
