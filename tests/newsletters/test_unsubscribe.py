"""One-click unsubscribe: from the page or straight from the mail client, and for good."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samizdat.core.emails import email_hash
from samizdat.newsletters.models import Subscriber
from samizdat.newsletters.sending import start_breaking, start_digest
from samizdat.newsletters.subscriptions import unsubscribe_token

from .conftest import link_in, subscriber

pytestmark = pytest.mark.django_db


def unsubscribe_path(mail) -> str:
    link = mail.header("List-Unsubscribe")[1:-1]
    return link.removeprefix("http://127.0.0.1:8000")


def test_the_mail_clients_one_click_post_unsubscribes_and_no_newsletter_follows(
    newsroom, client, smtp
):
    reader = subscriber("reader@example.org")
    newsroom.article("Ferries stop at noon")
    start_digest("en")
    (mail,) = smtp.received

    # What a mail client does for RFC 8058: POST the fixed body to the header's link,
    # without cookies and without having loaded the page.
    response = client.post(
        unsubscribe_path(mail),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    assert reader.stopped_at is not None
    assert reader.email == ""  # only the keyed hash is kept, to honour the opt-out
    start_breaking(newsroom.article("The bridge reopens"))
    start_digest("en", now=timezone.now() + datetime.timedelta(days=1))
    assert len(smtp) == 1


def test_opening_the_link_only_shows_a_button(newsroom, client):
    reader = subscriber("reader@example.org")
    path = f"/en/newsletter/unsubscribe/{unsubscribe_token(reader)}/"

    page = client.get(path)

    assert page.status_code == 200
    html = page.content.decode()
    assert f'<form method="post" action="{path}">' in html
    assert "Unsubscribe</button>" in html
    assert not page.cookies
    assert (
        "no-store" in page.headers["Cache-Control"] or "max-age=0" in page.headers["Cache-Control"]
    )
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE

    client.post(path)
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    assert "You are unsubscribed" in client.get(path).content.decode()


def test_unsubscribing_stops_the_address_in_every_language(newsroom, client, smtp):
    english = subscriber("reader@example.org")
    subscriber("reader@example.org", language="ru")

    client.post(f"/en/newsletter/unsubscribe/{unsubscribe_token(english)}/")

    assert set(
        Subscriber.objects.filter(email_hash=email_hash("reader@example.org")).values_list(
            "status", flat=True
        )
    ) == {Subscriber.Status.UNSUBSCRIBED}
    start_breaking(newsroom.article("Паромы встают", language="ru"))
    assert len(smtp) == 0


def test_a_forged_unsubscribe_link_changes_nothing(newsroom, client):
    reader = subscriber("reader@example.org")
    other = subscriber("other@example.org")
    forged = unsubscribe_token(reader).replace(f"{reader.pk}:", f"{other.pk}:")

    response = client.post(f"/en/newsletter/unsubscribe/{forged}/")

    assert response.status_code == 400
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"active"}


def test_a_former_subscriber_can_come_back_by_confirming_again(newsroom, client, smtp):
    reader = subscriber("reader@example.org")
    client.post(f"/en/newsletter/unsubscribe/{unsubscribe_token(reader)}/")

    client.post("/en/newsletter/", {"email": "reader@example.org", "breaking": "1"})
    (confirmation,) = smtp.received
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED  # not before they confirm

    client.post(link_in(confirmation.text, "/newsletter/confirm/"))

    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE
    assert reader.email == "reader@example.org"
