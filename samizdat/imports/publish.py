"""A new imported story published in a third of the queries Wagtail's own path takes."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published


def publish_new(
    page: Page, parent: Page, last_child: str | None, edited: datetime.datetime | None
) -> list:
    """Write `page` as `add_child`, `save_revision` and `publish` would, after `last_child`
    (the path of the parent's last child): one revision that is both its latest and its live
    one, then the `page_published` signal (search documents, page cache, structure, CDN).
    Returns the rows left to insert with the batch: its byline, tags and history lines."""
    now = timezone.now()
    step = Page._str2int(last_child[-Page.steplen :]) + 1 if last_child else 1
    page.path = Page._get_path(parent.path, parent.depth + 1, step)
    page._is_site_root = False  # a new page under a section: no site starts at it
    page.depth = parent.depth + 1
    page.numchild = 0
    page._cached_parent_obj = parent  # for the url_path, without asking the database
    page.live = True
    page.has_unpublished_changes = False
    page.draft_title = page.title
    page.first_published_at = page.first_published_at or now
    # The sitemap's lastmod: when the story last changed there, not today.
    page.last_published_at = edited or now
    # Its byline and tags go in with one insert each, and stay in memory for its revision
    # and its references to be read from.
    if not hasattr(page, "_cluster_related_objects"):
        page._cluster_related_objects = {}
    pending = page._cluster_related_objects
    children = [
        (rel, pending.pop(rel.get_accessor_name(), [])) for rel in get_all_child_relations(page)
    ]
    page.save(clean=False, log_action=None)
    rows = []
    for rel, objects in children:
        for child in objects:
            setattr(child, rel.field.name, page)
        rows += objects
        pending[rel.get_accessor_name()] = objects
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    parent.numchild += 1
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        content=page.serializable_data(),
        object_str=str(page),
    )
    page.latest_revision = page.live_revision = revision
    page.latest_revision_created_at = revision.created_at
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=revision,
        latest_revision_created_at=revision.created_at,
    )
    entry = {
        "content_type": ContentType.objects.get_for_model(page, for_concrete_model=False),
        "label": page.get_admin_display_title(),
        "timestamp": now,
        "data": {},
        "page_id": page.pk,
        "content_changed": True,
        "uuid": get_active_log_context().uuid,
    }
    rows += [
        PageLogEntry(action="wagtail.create", **entry),
        PageLogEntry(action="wagtail.publish", revision=revision, **entry),
    ]
    page_published.send(sender=type(page), instance=page, revision=revision)
    return rows
