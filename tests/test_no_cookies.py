"""No reader page sets a cookie, whatever the reader does on it.

A cookie from the newsroom marks the device: a reader stopped at a border or a house search
should not be shown to have read, given, or managed their gifts. So every answer to a reader,
read or form, in both languages, must come without any Set-Cookie header.

The walk is the HTML check's (tests/test_html_validity.py, reader_pages: every kind of page
and form in both languages), plus what that walk leaves out: the self-service actions that
change something, refused and rate-limited forms, the counting beacons, feeds and sitemaps.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from samizdat.payments import registry
from samizdat.support.donors.selfservice import LINK_FORM, form_token, gift_form, make_link_token
from samizdat.support.giving.reminders import unsubscribe_token as reminder_token
from samizdat.support.models import AppealVariant
from tests.support.factories import RecurringDonationFactory, ReminderFactory
from tests.test_html_validity import providers, reader_pages  # noqa: F401 -- providers: fixture

pytestmark = pytest.mark.django_db


class RecordingClient(Client):
    """A browser that keeps every answer it got."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.answers: list[tuple[str, object]] = []

    def request(self, **request):
        response = super().request(**request)
        self.answers.append((f"{request['REQUEST_METHOD']} {request['PATH_INFO']}", response))
        return response


def what_the_walk_leaves_out(client: RecordingClient, newsroom, settings) -> None:
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        **settings.SAMIZDAT_PAYMENT_PROVIDERS,
        "fake": {"CLASS": "tests.support.fake_provider.RecordingProvider"},
    }
    registry.reset()
    article = newsroom.article("A story with its own feed")
    for lang in ("en", "ru"):
        gift = RecurringDonationFactory(provider="fake", amount_minor=1000)
        support = f"/{lang}/support"
        manage = f"{support}/manage/"
        gifts = f"{manage}{make_link_token(gift.donor)}/gifts/{gift.pk}/"
        client.post(
            f"{gifts}change/",
            {
                f"gift-{gift.pk}-amount": "12",
                f"gift-{gift.pk}-frequency": "monthly",
                "form_token": form_token(gift_form("change", gift.donor, gift)),
            },
            follow=True,
        )
        client.post(manage, {"email": "ada@example.org"}, HTTP_ORIGIN="https://evil.example")
        client.post(f"{gifts}cancel/", {})  # no token: refused
        client.post(
            f"{gifts}cancel/",
            {"form_token": form_token(gift_form("cancel", gift.donor, gift))},
            follow=True,
        )
        client.post(
            f"{support}/manage/reminders/unsubscribe/{reminder_token(ReminderFactory())}/",
            {},
        )
        client.post(f"{support}/pay/", {"token": "forged"})
        client.post(f"{support}/confirm/", {"ref": "forged"})
        variant = AppealVariant.objects.first()
        client.post(f"{support}/stats/", {"v": str(variant.pk), "e": "impression"})
        client.post(f"/{lang}/reach/viewed/{article.pk}/")
        client.get(f"/{lang}/news/feed/rss/")
        client.get(f"/{lang}/news/feed/atom/")
    client.get("/robots.txt")
    client.get("/sitemap.xml")
    cache.clear()
    for _ in range(6):  # until the per-client limit answers instead of the form
        client.post(
            "/en/support/manage/",
            {"email": "nobody@example.org", "form_token": form_token(LINK_FORM)},
        )


def test_no_reader_page_or_form_sets_a_cookie(newsroom, providers, settings):  # noqa: F811
    client = RecordingClient()

    reader_pages(client, newsroom)
    what_the_walk_leaves_out(client, newsroom, settings)

    statuses = {status for _, response in client.answers for status in [response.status_code]}
    assert {200, 302, 400, 403, 404, 429} <= statuses  # reads, redirects and refusals alike
    assert len(client.answers) > 100
    with_cookies = [
        (request, response.cookies.output())
        for request, response in client.answers
        if response.cookies or "Set-Cookie" in response.headers
    ]
    assert with_cookies == []
    assert not client.cookies
