"""Editors can write, edit and preview articles in the admin."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.images.forms import get_image_form

from samizdat.newsroom.models import Photo
from tests.factories import PhotoFactory


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-chief-1")
    client.force_login(user)
    return client


def test_editor_can_open_a_new_article_form_under_a_section(newsroom, editor_client):
    section = newsroom.section("news")
    response = editor_client.get(f"/admin/pages/add/newsroom/articlepage/{section.pk}/")
    assert response.status_code == 200
    for field in ("title", "standfirst", "lead_image", "lead_caption", "tags", "updated_at"):
        assert f'name="{field}' in response.content.decode(), field


def article_form(author, title: str, slug: str) -> dict:
    """What the admin's article form posts, as a browser would send it."""
    return {
        "title": title,
        "slug": slug,
        "standfirst": "A draft.",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "1",
        "authors-MAX_NUM_FORMS": "1000",
        "authors-0-author": str(author.pk),
        "authors-0-ORDER": "1",
        "authors-0-DELETE": "",
        "authors-0-id": "",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-value": '{"blocks":[{"key":"a","type":"unstyled","text":"Hello from the admin.",'
        '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "body-0-id": "",
        "related_picks-count": "0",
        "tags": "ports",
        "lead_caption": "",
        "updated_at": "",
    }


def test_editor_can_create_a_draft_article_through_the_admin(newsroom, editor_client):
    from samizdat.newsroom.models import ArticlePage

    section = newsroom.section("news")
    author = newsroom.author("Anna Kovar")
    data = article_form(author, "Written in the admin", "written-in-the-admin")
    response = editor_client.post(f"/admin/pages/add/newsroom/articlepage/{section.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.get(slug="written-in-the-admin")
    assert not article.live
    assert [a.author.title for a in article.authors.all()] == ["Anna Kovar"]


def test_article_without_a_byline_is_refused(newsroom, editor_client):
    section = newsroom.section("news")
    data = article_form(newsroom.author("Anna Kovar"), "No byline", "no-byline")
    data.update({"authors-TOTAL_FORMS": "0"})
    data = {k: v for k, v in data.items() if not k.startswith("authors-0-")}
    response = editor_client.post(f"/admin/pages/add/newsroom/articlepage/{section.pk}/", data)
    assert response.status_code == 200  # the form comes back with an error
    assert not section.get_children().filter(slug="no-byline").exists()


def test_editor_can_preview_unsaved_changes(newsroom, editor_client):
    section = newsroom.section("news")
    author = newsroom.author("Anna Kovar")
    preview_url = f"/admin/pages/add/newsroom/articlepage/{section.pk}/preview/"
    data = article_form(author, "Previewed headline", "previewed")
    assert editor_client.post(preview_url, data).json()["is_valid"]
    response = editor_client.get(preview_url, {"mode": ""})
    assert response.status_code == 200
    assert b"Previewed headline" in response.content
    assert b"Hello from the admin." in response.content


def test_photo_form_requires_alt_text_and_keeps_credit_fields(db):
    form_class = get_image_form(Photo)
    assert form_class.base_fields["description"].required
    for field in ("caption", "photographer", "agency"):
        assert field in form_class.base_fields


def test_admin_image_chooser_lists_photos(editor_client):
    PhotoFactory(title="Harbour at night")
    response = editor_client.get("/admin/images/")
    assert response.status_code == 200
    assert b"Harbour at night" in response.content
