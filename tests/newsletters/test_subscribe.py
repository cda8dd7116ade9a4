"""Signing up with double opt-in: nothing but a confirmation until the reader follows the link."""

from __future__ import annotations

import datetime
import time

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.utils import timezone

from samizdat.core.emails import email_hash
from samizdat.newsletters import subscriptions
from samizdat.newsletters.models import Subscriber
from samizdat.newsletters.sending import start_breaking, start_digest

from .conftest import link_in, subscriber

pytestmark = pytest.mark.django_db

# What a reader agrees to, word for word, in each edition's language.
CONSENT = {
    "en": (
        "We will e-mail you the newsletters you ticked, with the full text of our stories, and "
        "nothing else. We keep only your address and your choice; one click in any newsletter "
        "unsubscribes you."
    ),
    "ru": (
        "Мы будем присылать вам выбранные рассылки с полным текстом наших материалов — и ничего "
        "больше. Мы храним только ваш адрес и ваш выбор; отписаться можно одним щелчком в любом "
        "письме рассылки."
    ),
}


def sign_up(client, address: str, language: str = "en", **choice):
    data = {"email": address, "digest": "1", **choice}
    return client.post(f"/{language}/newsletter/", data)


def consent_on_the_form(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [" ".join(hint.get_text().split()) for hint in page.select("form p.hint")]


def test_the_sign_up_form_offers_both_newsletters_and_says_what_the_reader_agrees_to(
    newsroom, client
):
    response = client.get("/en/newsletter/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' in html
    assert 'name="digest" value="1" checked' in html
    assert 'name="breaking" value="1">' in html
    assert CONSENT["en"] in consent_on_the_form(response)
    assert not response.cookies


def test_a_russian_reader_reads_and_agrees_to_the_wording_in_russian(newsroom, client, smtp):
    form = client.get("/ru/newsletter/")

    assert CONSENT["ru"] in consent_on_the_form(form)

    sign_up(client, "chitatel@example.org", language="ru")
    client.post(link_in(smtp.received[0].text, "/newsletter/confirm/"))

    assert Subscriber.objects.get().consent_text == CONSENT["ru"]


def test_a_new_reader_gets_only_a_confirmation_until_they_follow_the_link(newsroom, client, smtp):
    article = newsroom.article("Ferries stop at noon")

    response = sign_up(client, "Reader@Example.org", breaking="1")

    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert len(smtp) == 1
    confirmation = smtp.received[0]
    assert confirmation.recipients == ["reader@example.org"]
    assert confirmation.subject == "Confirm your subscription to The Test Gazette"
    pending = Subscriber.objects.get(email_hash=email_hash("reader@example.org"))
    assert pending.status == Subscriber.Status.PENDING
    assert pending.language == "en"

    # Not confirmed: neither the digest nor breaking news reaches the address.
    start_digest("en")
    start_breaking(article)
    assert len(smtp) == 1

    confirm_path = link_in(confirmation.text, "/newsletter/confirm/")
    assert confirm_path in confirmation.html
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Yes, subscribe me" in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING  # opening the link confirms nothing

    done = client.post(confirm_path)

    assert done.status_code == 200
    assert "You are subscribed" in done.content.decode()
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.ACTIVE
    assert (pending.digest, pending.breaking) == (True, True)
    assert pending.confirmed_at is not None
    assert pending.consent_text == CONSENT["en"]

    start_breaking(newsroom.article("The bridge reopens"))
    assert [item.subject for item in smtp.to("reader@example.org")][1:] == [
        "Breaking: The bridge reopens"
    ]


def test_a_reader_signs_up_in_the_language_of_the_page(newsroom, client, smtp):
    sign_up(client, "chitatel@example.org", language="ru")

    assert Subscriber.objects.get().language == "ru"
    # In the Russian edition's name (and, once translated, in Russian).
    assert "The Test Gazette (ru)" in smtp.received[0].subject
    assert "/ru/newsletter/confirm/" in smtp.received[0].text


def test_a_forged_confirmation_link_is_refused(newsroom, client, smtp):
    sign_up(client, "reader@example.org")
    path = link_in(smtp.received[0].text, "/newsletter/confirm/")
    forged = path.replace("/confirm/", "/confirm/x")

    for response in (client.get(forged), client.post(forged)):
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_link_signed_for_another_subscriber_is_refused(newsroom, client):
    sign_up(client, "reader@example.org")
    pending = Subscriber.objects.get()
    # A well-formed payload naming the subscriber, signed with the wrong key.
    token = signing.TimestampSigner(key="not-our-key", salt=subscriptions.CONFIRM_SALT).sign_object(
        {"s": pending.pk, "v": pending.link_version, "d": True, "b": False}
    )

    response = client.post(f"/en/newsletter/confirm/{token}/")

    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


def test_an_expired_confirmation_link_is_refused(newsroom, client, monkeypatch, settings):
    settings.SAMIZDAT_NEWSLETTER_CONFIRM_MAX_AGE = 3 * 24 * 3600
    sign_up(client, "reader@example.org")
    pending = Subscriber.objects.get()
    four_days_ago = signing.b62_encode(int(time.time()) - 4 * 24 * 3600)
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: four_days_ago)
        token = subscriptions.confirm_token(pending, digest=True, breaking=False)

    response = client.post(f"/en/newsletter/confirm/{token}/")

    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


def test_an_old_confirmation_link_cannot_undo_an_unsubscribe(newsroom, client):
    sign_up(client, "reader@example.org")
    pending = Subscriber.objects.get()
    token = subscriptions.confirm_token(pending, digest=True, breaking=False)
    client.post(f"/en/newsletter/confirm/{token}/")
    subscriptions.unsubscribe(pending)

    response = client.post(f"/en/newsletter/confirm/{token}/")

    assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_the_form_answers_the_same_for_new_subscribed_and_bounced_addresses(newsroom, client, smtp):
    subscriber("known@example.org")
    subscriber("bounced@example.org", status=Subscriber.Status.BOUNCED, email="")

    pages = {
        address: sign_up(client, address).content.decode().replace(address, "ADDRESS")
        for address in ("new@example.org", "known@example.org", "bounced@example.org")
    }

    assert pages["new@example.org"] == pages["known@example.org"] == pages["bounced@example.org"]
    # The bounced address gets nothing; the others a link that changes nothing by itself.
    assert sorted(item.recipients[0] for item in smtp.received) == [
        "known@example.org",
        "new@example.org",
    ]
    assert Subscriber.objects.get(email_hash=email_hash("known@example.org")).status == "active"


def test_a_subscriber_changes_their_choice_only_by_confirming_it(newsroom, client, smtp):
    known = subscriber("known@example.org", digest=True, breaking=False)

    sign_up(client, "known@example.org", digest="", breaking="1")
    known.refresh_from_db()
    assert (known.digest, known.breaking) == (True, False)

    client.post(link_in(smtp.received[0].text, "/newsletter/confirm/"))
    known.refresh_from_db()
    assert (known.digest, known.breaking) == (False, True)


def test_asking_again_and_again_sends_one_confirmation(newsroom, client, smtp):
    for _attempt in range(3):
        assert sign_up(client, "reader@example.org").status_code == 200

    assert len(smtp) == 1


def test_sign_ups_are_rate_limited_per_client(newsroom, client, settings):
    settings.SAMIZDAT_RATE_LIMIT = (2, 60)

    statuses = [sign_up(client, f"r{n}@example.org").status_code for n in range(3)]

    assert statuses == [200, 200, 429]
    assert Subscriber.objects.count() == 2


def test_the_form_needs_an_address_and_a_newsletter(newsroom, client, smtp):
    no_address = client.post("/en/newsletter/", {"email": "not-an-address", "digest": "1"})
    no_newsletter = client.post("/en/newsletter/", {"email": "reader@example.org"})

    assert no_address.status_code == 400
    assert "Enter a valid e-mail address" in no_address.content.decode()
    assert no_newsletter.status_code == 400
    assert "Tick at least one newsletter" in no_newsletter.content.decode()
    assert Subscriber.objects.count() == 0
    assert len(smtp) == 0


def test_unconfirmed_sign_ups_are_forgotten_once_their_link_expired(newsroom, client):
    sign_up(client, "never-confirmed@example.org")
    later = timezone.now() + datetime.timedelta(days=4)

    assert subscriptions.forget_unconfirmed(later) == 1
    assert Subscriber.objects.count() == 0


def test_the_footer_links_to_the_newsletter(newsroom, client):
    html = client.get("/en/").content.decode()

    assert 'href="/en/newsletter/"' in html
