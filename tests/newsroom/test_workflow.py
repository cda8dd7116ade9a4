"""Reporters write, editors approve: the editorial roles and workflow every newsroom starts with."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Collection, Page, Revision, WorkflowPage, WorkflowState
from wagtail.permissions import policy_registry

from samizdat.newsroom.models import ArticlePage, Photo, SectionPage
from tests.factories import PhotoFactory, default_body


def staff_member(username: str, group: str) -> User:
    user = User.objects.create_user(username, f"{username}@newsroom.test", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reporter(db) -> User:
    return staff_member("reporter", "Reporters")


@pytest.fixture
def editor(db) -> User:
    return staff_member("editor", "Editors")


def write_draft(section: SectionPage, author: User, **fields) -> ArticlePage:
    """What the page editor does when a reporter saves a new article without publishing it."""
    headline = fields.pop("title", "Port strike enters its second week")
    article = ArticlePage(
        title=headline, body=default_body(headline), live=False, owner=author, **fields
    )
    section.add_child(instance=article)
    article.save_revision(user=author)
    return ArticlePage.objects.get(pk=article.pk)


def test_the_editorial_review_workflow_covers_the_whole_tree(db):
    root = Page.get_first_root_node()
    assignment = WorkflowPage.objects.get(page=root)
    assert assignment.workflow.name == "Editorial review"
    assert assignment.workflow.active
    assert [task.name for task in assignment.workflow.tasks] == ["Editor approval"]
    task = assignment.workflow.tasks.get().specific
    assert [group.name for group in task.groups.all()] == ["Editors"]


def test_a_reporter_can_write_a_draft_but_not_publish_it(newsroom, reporter):
    section = newsroom.section("news")
    assert section.permissions_for_user(reporter).can_add_subpage()

    article = write_draft(section, reporter)

    permissions = article.permissions_for_user(reporter)
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert not article.live


def test_an_editor_can_publish_and_lock(newsroom, editor):
    article = write_draft(newsroom.section("news"), editor)

    permissions = article.permissions_for_user(editor)
    assert permissions.can_edit()
    assert permissions.can_publish()
    assert permissions.can_lock()
    assert permissions.can_unlock()


def test_submitting_a_draft_starts_editorial_review(newsroom, reporter, editor):
    article = write_draft(newsroom.section("news"), reporter)

    workflow = article.get_workflow()
    assert workflow.name == "Editorial review"
    workflow.start(article, reporter)

    article.refresh_from_db()
    state = article.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == reporter
    task = state.current_task_state.task.specific
    assert task.name == "Editor approval"
    # Only editors are offered the approve / request-changes buttons.
    assert task.get_actions(article, reporter) == []
    assert "approve" in [action for action, _label, _modal in task.get_actions(article, editor)]
    assert not article.live


def test_an_editor_approving_the_review_publishes_the_article(newsroom, reporter, editor):
    article = write_draft(newsroom.section("news"), reporter)
    article.get_workflow().start(article, reporter)
    article.refresh_from_db()
    task_state = article.current_workflow_task_state

    task_state.task.specific.on_action(task_state, editor, "approve")

    article.refresh_from_db()
    assert article.live
    assert article.first_published_at is not None
    assert WorkflowState.objects.get(pk=task_state.workflow_state_id).status == (
        WorkflowState.STATUS_APPROVED
    )


def test_translations_go_through_the_same_review(newsroom, reporter):
    english = write_draft(newsroom.section("news"), reporter)
    newsroom.section("news", "ru")
    russian = english.copy_for_translation(newsroom.locale("ru"))

    assert russian.get_workflow().name == "Editorial review"
    assert not russian.permissions_for_user(reporter).can_publish()


def test_a_scheduled_article_waits_for_the_scheduler(newsroom, editor):
    go_live_at = timezone.now() + datetime.timedelta(days=1)
    article = write_draft(newsroom.section("news"), editor, go_live_at=go_live_at)

    revision = article.save_revision(user=editor)
    revision.publish(user=editor)

    article.refresh_from_db()
    revision.refresh_from_db()
    assert not article.live
    assert revision.approved_go_live_at == go_live_at
    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert not article.live, "published before its time"

    # Travel past go_live_at: the scheduler reads both the approval and the revision's content.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    Revision.objects.filter(pk=revision.pk).update(
        approved_go_live_at=past, content=revision.content
    )
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=past)

    call_command("publish_scheduled", verbosity=0)

    article.refresh_from_db()
    assert article.live
    assert article.live_revision_id == revision.pk
    assert article.first_published_at is not None


def test_reporters_edit_only_their_own_photos_and_editors_edit_any(reporter, editor):
    photos = policy_registry.get_by_type(Photo)
    assert photos.user_has_permission(reporter, "add")
    assert photos.user_has_permission(reporter, "choose")
    own = PhotoFactory(uploaded_by_user=reporter)
    agency_photo = PhotoFactory()
    assert photos.user_has_permission_for_instance(reporter, "change", own)
    assert not photos.user_has_permission_for_instance(reporter, "change", agency_photo)
    assert photos.user_has_permission_for_instance(editor, "change", agency_photo)
    assert photos.user_has_permission(editor, "choose")


def test_editors_manage_collections_and_reporters_do_not(reporter, editor):
    collections = policy_registry.get_by_type(Collection)
    assert collections.user_has_permission(editor, "add")
    assert collections.user_has_permission(editor, "change")
    assert not collections.user_has_permission(reporter, "add")


def test_both_roles_reach_the_admin(reporter, editor):
    for user in (reporter, editor):
        assert user.has_perm("wagtailadmin.access_admin")
