"""Bounces and complaints: an address that cannot or will not receive stops receiving."""

from __future__ import annotations

import json
import time

import pytest
from django.core.management import call_command

from samizdat.core.emails import email_hash
from samizdat.newsletters import bounces
from samizdat.newsletters.models import Subscriber
from samizdat.newsletters.sending import start_breaking

from .conftest import subscriber

pytestmark = pytest.mark.django_db

SECRET = "bounce-secret-for-tests"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SAMIZDAT_NEWSLETTER_BOUNCE_SECRET = SECRET


def notify(client, payload: dict, secret: str = SECRET, timestamp: int | None = None):
    body = json.dumps(payload).encode()
    stamp = str(timestamp or int(time.time()))
    return client.post(
        "/newsletters/bounces/",
        body,
        content_type="application/json",
        headers={
            "X-Samizdat-Timestamp": stamp,
            "X-Samizdat-Signature": bounces.signature(secret, stamp, body),
        },
    )


def status_of(address: str, language: str = "en") -> str:
    return Subscriber.objects.get(email_hash=email_hash(address), language=language).status


def test_a_hard_bounce_stops_delivery_at_once(newsroom, client, smtp):
    subscriber("gone@example.org")
    subscriber("gone@example.org", language="ru")
    subscriber("reader@example.org")

    response = notify(client, {"type": "hard_bounce", "email": "Gone@Example.org"})

    assert response.status_code == 200
    assert response.json() == {"received": 1, "stopped": 2}
    assert status_of("gone@example.org") == status_of("gone@example.org", "ru") == "bounced"
    start_breaking(newsroom.article("Ferries stop at noon"))
    assert [mail.recipients for mail in smtp.received] == [["reader@example.org"]]


def test_a_complaint_stops_delivery_at_once(newsroom, client, smtp):
    subscriber("annoyed@example.org")

    notify(client, {"events": [{"type": "complaint", "email": "annoyed@example.org"}]})

    assert status_of("annoyed@example.org") == "complained"
    start_breaking(newsroom.article("Ferries stop at noon"))
    assert len(smtp) == 0


def test_soft_bounces_stop_delivery_after_the_third(newsroom, client):
    subscriber("full@example.org")
    event = {"type": "soft_bounce", "email": "full@example.org"}

    notify(client, event)
    notify(client, event)
    assert status_of("full@example.org") == "active"
    notify(client, event)

    assert status_of("full@example.org") == "bounced"


def test_unsigned_forged_or_stale_notifications_are_refused(newsroom, client):
    subscriber("reader@example.org")
    event = {"type": "hard_bounce", "email": "reader@example.org"}
    body = json.dumps(event)

    unsigned = client.post("/newsletters/bounces/", body, content_type="application/json")
    forged = notify(client, event, secret="guessed")
    stale = notify(client, event, timestamp=int(time.time()) - 3600)

    assert [r.status_code for r in (unsigned, forged, stale)] == [403, 403, 403]
    assert status_of("reader@example.org") == "active"


def test_without_a_configured_secret_the_webhook_accepts_nothing(newsroom, client, settings):
    settings.SAMIZDAT_NEWSLETTER_BOUNCE_SECRET = ""
    subscriber("reader@example.org")

    response = notify(client, {"type": "hard_bounce", "email": "reader@example.org"}, secret="")

    assert response.status_code == 403
    assert status_of("reader@example.org") == "active"


def test_a_malformed_notification_is_refused_whole(newsroom, client):
    subscriber("reader@example.org")

    response = notify(
        client,
        {
            "events": [
                {"type": "hard_bounce", "email": "reader@example.org"},
                {"type": "bounced-somehow", "email": "reader@example.org"},
            ]
        },
    )

    assert response.status_code == 400
    assert status_of("reader@example.org") == "active"


def test_the_bounce_command_stops_an_address(newsroom, smtp, capsys):
    subscriber("gone@example.org")
    subscriber("full@example.org")

    call_command("newsletter_bounce", "gone@example.org")
    for _ in range(3):
        call_command("newsletter_bounce", "--soft", "full@example.org")

    assert status_of("gone@example.org") == "bounced"
    assert status_of("full@example.org") == "bounced"
    assert "1 subscription(s) stopped" in capsys.readouterr().out
    start_breaking(newsroom.article("Ferries stop at noon"))
    assert len(smtp) == 0


def test_a_bounced_address_gets_no_confirmation_when_signed_up_again(newsroom, client, smtp):
    subscriber("gone@example.org")
    call_command("newsletter_bounce", "gone@example.org")

    response = client.post("/en/newsletter/", {"email": "gone@example.org", "digest": "1"})

    assert response.status_code == 200
    assert len(smtp) == 0
    assert status_of("gone@example.org") == "bounced"
