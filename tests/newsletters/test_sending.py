"""The daily digest and breaking news: full text, in the reader's language, once per reader."""

from __future__ import annotations

import datetime
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.signals import task_enqueued

from samizdat.core.emails import email_hash
from samizdat.newsletters import sending
from samizdat.newsletters.models import Delivery, Send, Subscriber
from samizdat.newsletters.sending import send_batch, start_breaking, start_digest
from samizdat.newsletters.subscriptions import unsubscribe, unsubscribe_token
from tests.factories import PhotoFactory, paragraph

from .conftest import free_port, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued():
    """The batches queued for the task worker, as (send id, batch number)."""
    batches = []

    def record(sender, task_result, **kwargs):
        if task_result.task.name == send_batch.name:
            batches.append(tuple(task_result.args))

    task_enqueued.connect(record)
    yield batches
    task_enqueued.disconnect(record)


def story_body(lead: str) -> list:
    return [
        paragraph(f"{lead} The first paragraph, told plainly."),
        ("subhead", "What happened next"),
        paragraph('The second paragraph, with <a href="/en/news/">a link</a>.'),
        ("quote", {"text": "We will keep publishing.", "attribution": "The editor"}),
    ]


def test_the_digest_carries_the_full_text_of_each_article_in_the_subscribers_language_only(
    newsroom, smtp, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://gazette.example"
    photo = PhotoFactory()
    newsroom.article(
        "Ferries stop at noon",
        lead_image=photo,
        standfirst="The river crossing closes for a week.",
        authors=[newsroom.author("Ida Reporter")],
        body=[*story_body("ENGLISH-ONE."), ("image", {"image": photo, "caption": "The pier"})],
    )
    newsroom.article("The bridge reopens", body=story_body("ENGLISH-TWO."))
    newsroom.article("Паромы встают", language="ru", body=story_body("RUSSIAN-ONE."))
    yesterday = timezone.now() - datetime.timedelta(days=2)
    newsroom.article("Old news", body=story_body("ENGLISH-OLD."), published_at=yesterday)
    subscriber("reader@example.org")
    subscriber("chitatel@example.org", language="ru")
    subscriber("breaking-only@example.org", digest=False)

    english_send = start_digest("en")
    russian_send = start_digest("ru")

    assert english_send.articles.count() == 2
    assert russian_send.articles.count() == 1
    (english_mail,) = smtp.to("reader@example.org")
    (russian_mail,) = smtp.to("chitatel@example.org")
    assert smtp.to("breaking-only@example.org") == []
    assert english_mail.message.get_content_type() == "multipart/alternative"
    assert english_mail.subject.startswith("The Test Gazette: the day's stories")
    for part in (english_mail.text, english_mail.html):
        assert "ENGLISH-ONE. The first paragraph, told plainly." in part
        assert "ENGLISH-TWO. The first paragraph, told plainly." in part
        assert "What happened next" in part
        assert "We will keep publishing." in part
        assert "RUSSIAN-ONE" not in part
        assert "ENGLISH-OLD" not in part  # published before the window
        assert "https://gazette.example/en/news/ferries-stop-at-noon/" in part
        assert "The river crossing closes for a week." in part
        assert "Ida Reporter" in part
    html = english_mail.html
    assert 'href="https://gazette.example/en/news/"' in html  # the body's own links, absolute
    assert '<img src="https://gazette.example/media/images/' in html  # the lead photo
    assert 'srcset="https://gazette.example/media/images/' in html  # inline photos
    assert 'src="/' not in html and 'href="/' not in html
    assert "[a link](https://gazette.example/en/news/)" in english_mail.text
    for part in (russian_mail.text, russian_mail.html):
        assert "RUSSIAN-ONE. The first paragraph, told plainly." in part
        assert "https://gazette.example/ru/news/" in part
        assert "ENGLISH-ONE" not in part and "ENGLISH-TWO" not in part
    assert english_send.html_body.count("ENGLISH-ONE") == 1  # rendered once, for everyone


def test_every_newsletter_carries_a_one_click_unsubscribe(newsroom, smtp):
    newsroom.article("Ferries stop at noon")
    reader = subscriber("reader@example.org")

    start_digest("en")

    (mail,) = smtp.received
    unsubscribe = mail.header("List-Unsubscribe")
    assert unsubscribe.startswith("<http://127.0.0.1:8000/en/newsletter/unsubscribe/")
    assert unsubscribe.endswith("/>")
    assert mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    link = unsubscribe[1:-1]
    assert link in mail.text and link in mail.html
    # Each subscriber's own link.
    assert unsubscribe_token(reader) in link


def test_the_next_digest_starts_where_the_last_one_ended(newsroom, smtp):
    subscriber("reader@example.org")
    newsroom.article("Monday story", published_at=timezone.now() - datetime.timedelta(hours=2))
    first = start_digest("en", now=timezone.now() - datetime.timedelta(hours=1))
    newsroom.article("Tuesday story")

    second = start_digest("en", now=timezone.now() + datetime.timedelta(days=1))

    assert [a.title for a in first.articles.all()] == ["Monday story"]
    assert [a.title for a in second.articles.all()] == ["Tuesday story"]
    assert [mail.subject.split(",")[0] for mail in smtp.received] == [
        "The Test Gazette: the day's stories"
    ] * 2


def test_a_digest_is_sent_once_a_day_and_not_at_all_without_news(newsroom, smtp):
    subscriber("reader@example.org")
    assert start_digest("en") is None  # nothing published yet
    newsroom.article("Ferries stop at noon")

    assert start_digest("en") is not None
    assert start_digest("en") is None  # cron ran twice

    assert len(smtp) == 1


def test_breaking_news_goes_to_breaking_subscribers_in_the_articles_language(newsroom, smtp):
    article = newsroom.article("Ferries stop at noon", body=story_body("BREAKING-TEXT."))
    subscriber("both@example.org")
    subscriber("digest-only@example.org", breaking=False)
    subscriber("russian@example.org", language="ru")

    send = start_breaking(article)
    again = start_breaking(article)

    assert again is None  # a story goes out as breaking news once
    assert send.kind == Send.Kind.BREAKING
    assert [mail.recipients for mail in smtp.received] == [["both@example.org"]]
    (mail,) = smtp.received
    assert mail.subject == "Breaking: Ferries stop at noon"
    assert "BREAKING-TEXT. The first paragraph, told plainly." in mail.text
    assert "BREAKING-TEXT. The first paragraph, told plainly." in mail.html


def test_450_subscribers_get_one_message_each_in_3_batches_even_when_a_batch_runs_twice(
    newsroom, smtp, enqueued
):
    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{n}@example.org",
            email_hash=email_hash(f"reader{n}@example.org"),
            language="en",
            status=Subscriber.Status.ACTIVE,
        )
        for n in range(450)
    )
    newsroom.article("Ferries stop at noon")

    send = start_digest("en")

    assert send.batch_count == 3
    assert enqueued == [(send.pk, 0), (send.pk, 1), (send.pk, 2)]
    sizes = Counter(Delivery.objects.filter(send=send).values_list("batch", flat=True))
    assert sizes == {0: 200, 1: 200, 2: 50}
    assert len(smtp) == 450

    assert send_batch.call(send.pk, 1) == {}  # a worker picks batch 1 up again
    assert send_batch.call(send.pk, 2) == {}

    per_recipient = Counter(mail.recipients[0] for mail in smtp.received)
    assert len(per_recipient) == 450
    assert set(per_recipient.values()) == {1}
    assert Delivery.objects.filter(send=send, status=Delivery.Status.SENT).count() == 450


def test_a_subscriber_who_leaves_while_a_send_is_queued_is_skipped(newsroom, smtp, monkeypatch):
    queued = []
    monkeypatch.setattr(sending, "send_batch", SimpleNamespace(enqueue=lambda *a: queued.append(a)))
    newsroom.article("Ferries stop at noon")
    stays = subscriber("stays@example.org")
    leaves = subscriber("leaves@example.org")
    send = start_digest("en")
    assert len(queued) == 1 and len(smtp) == 0  # queued, not sent yet

    unsubscribe(leaves)
    counts = send_batch.call(send.pk, 0)

    assert counts == {"sent": 1, "skipped": 1}
    assert [mail.recipients for mail in smtp.received] == [[stays.email]]


def test_when_the_mail_server_is_down_the_batch_waits_to_be_run_again(
    newsroom, smtp, settings, monkeypatch
):
    queued = []
    monkeypatch.setattr(sending, "send_batch", SimpleNamespace(enqueue=lambda *a: queued.append(a)))
    newsroom.article("Ferries stop at noon")
    subscriber("reader@example.org")
    send = start_digest("en")
    server_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there

    with pytest.raises(OSError):
        send_batch.call(send.pk, 0)

    assert Delivery.objects.get(send=send).status == Delivery.Status.PENDING
    settings.EMAIL_PORT = server_port
    assert send_batch.call(send.pk, 0) == {"sent": 1}
    assert len(smtp) == 1


def test_a_recipient_the_server_refuses_is_recorded_as_failed_and_the_others_still_get_it(
    newsroom, smtp
):
    newsroom.article("Ferries stop at noon")
    subscriber("gone@example.org")
    subscriber("reader@example.org")
    smtp.refuse.add("gone@example.org")

    send = start_digest("en")

    statuses = dict(
        Delivery.objects.filter(send=send).values_list("subscriber__email_hash", "status")
    )
    assert statuses[email_hash("gone@example.org")] == Delivery.Status.FAILED
    assert statuses[email_hash("reader@example.org")] == Delivery.Status.SENT
    assert [mail.recipients for mail in smtp.received] == [["reader@example.org"]]
    assert "No such mailbox" in Delivery.objects.get(status=Delivery.Status.FAILED).error


def test_the_daily_command_sends_each_languages_digest(newsroom, smtp, capsys):
    newsroom.article("Ferries stop at noon")
    newsroom.article("Паромы встают", language="ru")
    subscriber("reader@example.org")
    subscriber("chitatel@example.org", language="ru")

    call_command("newsletter_digest")
    call_command("newsletter_digest")

    output = capsys.readouterr().out
    assert "en: digest of 1 article(s) to 1 subscriber(s) in 1 batch(es)." in output
    assert "ru: digest of 1 article(s) to 1 subscriber(s) in 1 batch(es)." in output
    assert "en: nothing to send" in output
    assert sorted(mail.recipients[0] for mail in smtp.received) == [
        "chitatel@example.org",
        "reader@example.org",
    ]
