"""Editors see subscriber counts and sends, find one subscriber by exact address, and send a
story as breaking news after saying yes to a confirmation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from samizdat.newsletters.models import Delivery, Send, Subscriber
from samizdat.newsletters.sending import start_breaking

from .conftest import subscriber

pytestmark = pytest.mark.django_db


def staff_member(username: str, group: str) -> User:
    user = User.objects.create_user(username, f"{username}@newsroom.test", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(staff_member("editor", "Editors"))
    return client


def test_editors_see_counts_per_language_and_status_but_no_addresses(newsroom, editor_client):
    subscriber("one@example.org")
    subscriber("two@example.org", breaking=False)
    subscriber("three@example.org", language="ru")
    subscriber("four@example.org", status=Subscriber.Status.PENDING)
    subscriber("five@example.org", status=Subscriber.Status.UNSUBSCRIBED, email="")

    response = editor_client.get(reverse("newsletters_admin:subscribers"))

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.context["rows"]}
    statuses = [status for status, _label in Subscriber.Status.choices]
    english = dict(zip(statuses, rows["en"]["counts"], strict=True))
    assert english == {"pending": 1, "active": 2, "unsubscribed": 1, "bounced": 0, "complained": 0}
    assert (rows["en"]["total"], rows["en"]["digest"], rows["en"]["breaking"]) == (4, 2, 1)
    assert rows["ru"]["counts"][statuses.index("active")] == 1
    html = response.content.decode()
    assert "@example.org" not in html


def test_a_subscriber_is_found_by_exact_address_only(newsroom, editor_client):
    subscriber("reader@example.org")
    url = reverse("newsletters_admin:subscribers")

    exact = editor_client.get(url, {"email": "Reader@Example.org"})
    partial = editor_client.get(url, {"email": "reader"})

    assert [s.email for s in exact.context["matches"]] == ["reader@example.org"]
    assert "matches" not in partial.context
    assert "exact matches only" in partial.content.decode()


def test_an_editor_can_unsubscribe_a_reader_who_asks_by_letter(newsroom, editor_client):
    reader = subscriber("reader@example.org")

    response = editor_client.post(
        reverse("newsletters_admin:subscribers"), {"subscriber": reader.pk}
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED


def test_the_sends_list_counts_recipients_delivered_and_failed(newsroom, editor_client, smtp):
    subscriber("reader@example.org")
    subscriber("gone@example.org")
    smtp.refuse.add("gone@example.org")
    start_breaking(newsroom.article("Ferries stop at noon"))

    response = editor_client.get(reverse("newsletters_admin:sends"))

    assert response.status_code == 200
    (send,) = response.context["page_obj"].object_list
    assert (send.recipients, send.delivered, send.failed) == (2, 1, 1)
    assert "Breaking: Ferries stop at noon" in response.content.decode()


def test_breaking_news_is_sent_only_after_the_editor_confirms(newsroom, editor_client, smtp):
    article = newsroom.article("Ferries stop at noon")
    subscriber("reader@example.org")
    url = reverse("newsletters_admin:breaking", args=[article.pk])

    question = editor_client.get(url)

    assert question.status_code == 200
    assert "to 1 breaking-news subscriber in English?" in question.content.decode()
    assert Send.objects.count() == 0 and len(smtp) == 0

    done = editor_client.post(url)
    twice = editor_client.post(url)

    assert done.status_code == twice.status_code == 302
    send = Send.objects.get()
    assert send.kind == Send.Kind.BREAKING
    assert send.created_by.username == "editor"
    assert [mail.subject for mail in smtp.received] == ["Breaking: Ferries stop at noon"]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 1


def test_the_article_editor_offers_send_as_breaking_news(newsroom, editor_client):
    article = newsroom.article("Ferries stop at noon")
    draft = newsroom.article("Not yet", live=False)

    live_page = editor_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    draft_page = editor_client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))

    breaking_url = reverse("newsletters_admin:breaking", args=[article.pk])
    assert breaking_url in live_page.content.decode()
    assert "Send as breaking news" not in draft_page.content.decode()

    refused = editor_client.post(reverse("newsletters_admin:breaking", args=[draft.pk]))
    assert "Only a published story" in refused.content.decode()
    assert Send.objects.count() == 0


def test_reporters_cannot_send_or_see_subscribers(newsroom, client):
    article = newsroom.article("Ferries stop at noon")
    client.force_login(staff_member("reporter", "Reporters"))

    for url in (
        reverse("newsletters_admin:breaking", args=[article.pk]),
        reverse("newsletters_admin:subscribers"),
        reverse("newsletters_admin:sends"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert client.post(url).status_code in (302, 403), url
    assert Send.objects.count() == 0


def test_editors_find_newsletters_in_the_menu_and_breaking_news_in_the_page_listing(
    newsroom, editor_client
):
    article = newsroom.article("Ferries stop at noon")

    dashboard = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    listing = editor_client.get(
        reverse("wagtailadmin_explore", args=[article.get_parent().pk])
    ).content.decode()

    assert reverse("newsletters_admin:subscribers") in dashboard
    assert reverse("newsletters_admin:sends") in dashboard
    assert reverse("newsletters_admin:breaking", args=[article.pk]) in listing
