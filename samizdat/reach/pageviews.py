"""Most read: daily view counts per article, in aggregate, and the list they make.

An article page's script (reach/viewed.js) sends one beacon per browser tab, with no cookie
or identifier; the server keeps only "+1 for this page today": no IP address, no user agent,
nothing about who read what. Counted in the browser, so cached pages count too; readers
without JavaScript are not counted.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from samizdat.newsroom import structure
from samizdat.newsroom.models import ArticlePage

from .models import PageViewCount

MOST_READ_DAYS = 7
MOST_READ_LENGTH = 5
# The list is a handful of headlines that moves slowly; a few minutes spare the aggregate
# query on every front-page view. Publishing or unpublishing anything starts it afresh.
MOST_READ_TIMEOUT = 10 * 60
# Beacons one client may send per minute before they are ignored: more than anyone reads,
# few enough that one script cannot push a story up the list. Counted under a keyed hash.
BEACONS_PER_MINUTE = 30


def is_countable(page_id: int) -> bool:
    """Live articles count; anything else (a section, a draft, a made-up id) does not."""
    return ArticlePage.objects.live().filter(pk=page_id).exists()


def record_view(page_id: int, day: datetime.date | None = None) -> bool:
    """Count one view of a live article. False, and nothing counted, for any other page."""
    if not is_countable(page_id):
        return False
    PageViewCount.count(page_id, day)
    return True


def most_read_ids(locale_id: int, today: datetime.date, limit: int) -> list[int]:
    """Page ids by views over the last MOST_READ_DAYS days up to today, most read first."""
    since = today - datetime.timedelta(days=MOST_READ_DAYS - 1)
    rows = (
        PageViewCount.objects.filter(day__gte=since, day__lte=today, page__locale_id=locale_id)
        .values("page_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-page_id")
        .values_list("page_id", flat=True)[:limit]
    )
    return list(rows)


def most_read(locale_id: int, limit: int = MOST_READ_LENGTH) -> list[ArticlePage]:
    """The most read live, public articles of one language over the last week, cached."""
    today = timezone.localdate()
    key = f"samizdat:reach:most-read:{structure.generation()}:{locale_id}:{today}:{limit}"
    found = cache.get(key)
    if found is None:
        # A few spare ids: some of the most read may have been unpublished since.
        ids = most_read_ids(locale_id, today, limit * 2)
        articles = ArticlePage.objects.live_in(locale_id).filter(pk__in=ids).in_bulk()
        found = [articles[pk] for pk in ids if pk in articles][:limit]
        cache.set(key, found, MOST_READ_TIMEOUT)
    return found
