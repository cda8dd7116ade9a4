"""Donor self-service by magic link: no passwords; a signed link that expires."""

from __future__ import annotations

import datetime
import re
import time
from importlib import import_module
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samizdat.payments.base import (
    CheckoutStatus,
    Frequency,
    PaymentError,
    ProviderUnavailable,
)
from samizdat.support.donors.selfservice import (
    LINK_FORM,
    form_token,
    gift_form,
    make_link_token,
    revoke_links,
)
from samizdat.support.donors.selfservice import views as selfservice_views
from samizdat.support.models import RecurringDonation
from tests.localstripe import stripe_checkout, stripe_get
from tests.support.test_privacy import DATABASE_TASKS, run_queued_tasks

from .factories import (
    DonationFactory,
    DonationFormFactory,
    DonorFactory,
    RecurringDonationFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

MANAGE = "/en/support/manage/"
SENT = "If this address has gifts with us, we've sent a link to it."
INVALID = "This link has expired or is not valid"


@pytest.fixture
def gift(provider):
    DonationFormFactory(currency="usd", minimum_minor=200, maximum_minor=1_000_000)
    return RecurringDonationFactory(
        provider="fake",
        provider_subscription_id="sub_abc",
        amount_minor=1000,
        current_period_end=timezone.now() + datetime.timedelta(days=20),
    )


def gifts_url(donor, language: str = "en") -> str:
    return f"/{language}/support/manage/{make_link_token(donor)}/"


def link_in(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/\S+/support/manage/\S+/)", message.body)[1]


def form_token_on(page, action: str) -> str:
    """The token in the page's form that posts to `action`, as a browser would send it."""
    form = BeautifulSoup(page.content, "html.parser").find("form", action=action)
    assert form is not None, f"no form posting to {action}"
    return form.find("input", attrs={"name": "form_token"})["value"]


def ask_for_link(client, email: str, language: str = "en"):
    """Open the form, then send it."""
    url = f"/{language}/support/manage/"
    token = form_token_on(client.get(url), url)
    return client.post(url, {"email": email, "form_token": token})


# Asking for a link --------------------------------------------------------------------------


def test_the_page_asks_for_an_email_address(client):
    response = client.get(MANAGE)

    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert form_token_on(response, MANAGE)
    assert not response.cookies


def test_a_known_donor_gets_a_link_that_opens_their_gifts(client, mailoutbox):
    donor = DonorFactory(email="ada@example.org")
    DonationFactory(donor=donor, amount_minor=2500)

    response = ask_for_link(client, "Ada@Example.org ")

    assert SENT in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.org"]
    assert "works for 60 minutes" in mailoutbox[0].body
    page = client.get(link_in(mailoutbox[0]))
    assert page.status_code == 200
    assert "Your gifts" in page.content.decode()
    assert "$25" in page.content.decode()


def test_an_unknown_address_gets_no_email_and_the_same_answer(client, mailoutbox):
    DonorFactory(email="ada@example.org")

    known = ask_for_link(client, "ada@example.org")
    unknown = ask_for_link(client, "nobody@example.org")

    assert len(mailoutbox) == 1
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content


def test_the_answer_is_ready_before_anything_about_the_address_is_looked_up(mailoutbox):
    DonorFactory(email="ada@example.org")

    def answer(email: str):
        fields = {"email": email, "form_token": form_token(LINK_FORM)}
        request = RequestFactory().post(MANAGE, fields)
        with CaptureQueriesContext(connection) as queries:
            response = selfservice_views.request_link(request)
        return response, [query["sql"] for query in queries]

    answer("first@example.org")  # the newsroom's settings are read once, then kept in the cache
    known, known_queries = answer("ada@example.org")
    unknown, unknown_queries = answer("nobody@example.org")

    # Up to the answer, the same work and the same words for both.
    assert known.content == unknown.content
    assert known_queries == unknown_queries
    assert mailoutbox == []
    # The server closes each answer once the reader has it; only then is the link sent.
    # (As the test client does, keep the test's database connection open through close().)
    request_finished.disconnect(close_old_connections)
    try:
        known.close()
        unknown.close()
    finally:
        request_finished.connect(close_old_connections)
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]


def test_with_a_task_worker_every_address_queues_the_same_task_and_no_address(
    client, settings, mailoutbox
):
    settings.TASKS = DATABASE_TASKS
    ada = DonorFactory(email="ada@example.org")

    ask_for_link(client, "ada@example.org")
    ask_for_link(client, "nobody@example.org")

    queued = [(r.task_path, r.args_kwargs) for r in DBTaskResult.objects.order_by("enqueued_at")]
    task = "samizdat.support.donors.selfservice.links.send_manage_link"
    assert queued == [
        (task, {"args": [ada.pk, "en"], "kwargs": {}}),
        (task, {"args": [None, "en"], "kwargs": {}}),
    ]
    assert mailoutbox == []
    run_queued_tasks()
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]


def test_a_link_queued_before_an_upgrade_that_moved_the_task_is_still_sent(
    client, settings, mailoutbox
):
    settings.TASKS = DATABASE_TASKS
    DonorFactory(email="ada@example.org")
    ask_for_link(client, "ada@example.org")
    # What the task queue holds for a request made before support/ was split into packages.
    DBTaskResult.objects.update(task_path="samizdat.support.selfservice.send_manage_link")

    import_module("samizdat.support.migrations.0014_queued_tasks_new_paths").point_queued_tasks(
        django_apps, None
    )
    run_queued_tasks()

    assert [message.to for message in mailoutbox] == [["ada@example.org"]]


def test_the_link_comes_in_the_language_it_was_asked_in(client, mailoutbox):
    DonorFactory(email="ivan@example.org", language="en")

    ask_for_link(client, "ivan@example.org", "ru")

    assert "/ru/support/manage/" in link_in(mailoutbox[0])
    assert "Вот ваша ссылка" in mailoutbox[0].body


def test_a_malformed_address_is_refused_clearly(client, mailoutbox):
    response = ask_for_link(client, "not an address")

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert mailoutbox == []


def test_asking_again_and_again_from_one_connection_is_stopped(client, mailoutbox):
    DonorFactory(email="ada@example.org")
    for _ in range(5):
        assert ask_for_link(client, "nobody@example.org").status_code == 200

    response = ask_for_link(client, "ada@example.org")

    assert response.status_code == 429
    assert mailoutbox == []


def test_a_donors_inbox_cannot_be_flooded_with_links(mailoutbox):
    DonorFactory(email="ada@example.org")
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"):
        response = ask_for_link(Client(REMOTE_ADDR=address), "ada@example.org")
        assert SENT in response.content.decode()

    assert len(mailoutbox) == 3


def expired(token_maker):
    with mock.patch("time.time", return_value=time.time() - 2 * 3600 - 1):
        return token_maker()


def forged(token: str) -> str:
    return token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")


# What a page on another site can make a reader's browser send. Nothing is sent as a cookie
# either way: there is none to borrow.
CROSS_SITE_POSTS = {
    "no token": lambda token: ({}, {}),
    "a forged token": lambda token: ({"form_token": forged(token)}, {}),
    "another site's Origin": lambda token: (
        {"form_token": token},
        {"HTTP_ORIGIN": "https://evil.example"},
    ),
    "an opaque Origin": lambda token: ({"form_token": token}, {"HTTP_ORIGIN": "null"}),
    "Sec-Fetch-Site: cross-site": lambda token: (
        {"form_token": token},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
    ),
    "Sec-Fetch-Site: same-site": lambda token: (
        {"form_token": token},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
    ),
}


@pytest.mark.parametrize("attack", CROSS_SITE_POSTS)
def test_the_form_refuses_a_post_from_another_site(client, mailoutbox, attack):
    DonorFactory(email="ada@example.org")
    fields, headers = CROSS_SITE_POSTS[attack](form_token(LINK_FORM))

    response = client.post(MANAGE, {"email": "ada@example.org", **fields}, **headers)

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired or was not sent from our site." in page
    assert 'value="ada@example.org"' in page  # nothing typed is lost: send it again
    assert mailoutbox == []


def test_the_form_refuses_an_expired_token_and_one_for_another_form(client, mailoutbox, gift):
    DonorFactory(email="ada@example.org")
    old = expired(lambda: form_token(LINK_FORM))
    cancel_token = form_token(gift_form("cancel", gift.donor, gift))

    for token in (old, cancel_token):
        response = client.post(MANAGE, {"email": "ada@example.org", "form_token": token})
        assert response.status_code == 403

    assert mailoutbox == []


def test_a_same_origin_post_from_a_browser_is_accepted(client, mailoutbox):
    DonorFactory(email="ada@example.org")

    response = client.post(
        MANAGE,
        {"email": "ada@example.org", "form_token": form_token(LINK_FORM)},
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert SENT in response.content.decode()
    assert len(mailoutbox) == 1


# The gifts page ------------------------------------------------------------------------------


def test_the_gifts_page_lists_payments_and_recurring_gifts(client, gift):
    DonationFactory(recurring=gift)
    DonationFactory(donor=gift.donor, amount_minor=5000, status="refunded")

    response = client.get(gifts_url(gift.donor))

    page = response.content.decode()
    assert "$10 · Monthly" in page
    assert "Active" in page
    assert "Next payment on" in page
    assert "$50" in page and "Refunded" in page
    assert "Cancel this gift" in page
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in page


def test_an_expired_link_is_refused(client, gift):
    an_hour_ago = time.time() - 3601
    with mock.patch("time.time", return_value=an_hour_ago):
        expired = gifts_url(gift.donor)

    response = client.get(expired)

    assert response.status_code == 403
    assert INVALID in response.content.decode()
    assert 'name="email"' in response.content.decode()


def test_the_lifetime_of_links_is_a_setting(client, gift, settings):
    settings.SAMIZDAT_MANAGE_LINK_MAX_AGE = -1

    assert client.get(gifts_url(gift.donor)).status_code == 403


def test_a_forged_link_is_refused(client, gift):
    token = make_link_token(gift.donor)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    for url in (f"{MANAGE}{forged}/", f"{MANAGE}not-a-token/"):
        response = client.get(url)
        assert response.status_code == 403
        assert INVALID in response.content.decode()


def test_a_revoked_link_is_refused(client, gift):
    url = gifts_url(gift.donor)
    assert "$10 · Monthly" in client.get(url).content.decode()  # it opened the gifts until now

    revoke_links(gift.donor)

    response = client.get(url)
    assert response.status_code == 403
    assert INVALID in response.content.decode()
    gift.donor.refresh_from_db()
    assert "$10 · Monthly" in client.get(gifts_url(gift.donor)).content.decode()  # a new link


# Changing a recurring gift -------------------------------------------------------------------


def change(client, gift, amount: str, frequency: str = "monthly", url: str | None = None, **extra):
    """Send the gift's form from the donor's page (to `url`, another link, if given)."""
    page_url = gifts_url(gift.donor)
    token = form_token_on(client.get(page_url), f"{page_url}gifts/{gift.pk}/change/")
    return client.post(
        f"{url or page_url}gifts/{gift.pk}/change/",
        {
            f"gift-{gift.pk}-amount": amount,
            f"gift-{gift.pk}-frequency": frequency,
            "form_token": token,
            "confirm": "1",  # as the confirmation page sends it
        },
        **extra,
    )


def cancel(client, gift, url: str | None = None):
    """Press "Yes, cancel my gift" on the confirmation page."""
    action = f"{url or gifts_url(gift.donor)}gifts/{gift.pk}/cancel/"
    token = form_token_on(client.get(action), action)
    return client.post(action, {"form_token": token})


def test_changing_the_amount_asks_the_provider_then_updates_the_gift(client, gift, provider):
    response = change(client, gift, "15.50")

    assert response.status_code == 302
    assert response["Location"].endswith("?done=changed")
    assert provider.calls == [("change_recurring", "sub_abc", 1550, "usd", Frequency.MONTHLY)]
    gift.refresh_from_db()
    assert gift.amount_minor == 1550
    assert "Your gift was changed." in client.get(response["Location"]).content.decode()


def test_a_monthly_gift_can_become_annual(client, gift, provider):
    change(client, gift, "100", frequency="annual")

    assert provider.calls == [("change_recurring", "sub_abc", 10000, "usd", Frequency.ANNUAL)]
    gift.refresh_from_db()
    assert (gift.amount_minor, gift.frequency) == (10000, "annual")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1", "The smallest gift is $2."),
        ("0", "The smallest gift is $2."),
        ("-5", "Enter an amount above zero."),
        ("ten", "Enter the amount in numbers"),
        ("10000.01", "Online gifts go up to $10,000."),
    ],
)
def test_an_amount_outside_the_limits_is_refused(client, gift, provider, amount, message):
    response = change(client, gift, amount)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert provider.calls == []
    gift.refresh_from_db()
    assert gift.amount_minor == 1000


def test_a_frequency_that_is_not_recurring_is_refused(client, gift, provider):
    response = change(client, gift, "10", frequency="once")

    assert response.status_code == 400
    assert provider.calls == []


def test_asking_for_the_same_gift_changes_nothing(client, gift, provider):
    response = change(client, gift, "10")

    assert response["Location"].endswith("?done=unchanged")
    assert provider.calls == []


def test_a_provider_refusal_is_shown_and_nothing_changes_here(client, gift, provider):
    provider.refuse_with = PaymentError("Your bank refused the new amount.")

    response = change(client, gift, "20")

    assert response.status_code == 400
    assert "Your bank refused the new amount." in response.content.decode()
    gift.refresh_from_db()
    assert gift.amount_minor == 1000


def test_a_provider_that_does_not_answer_changes_nothing(client, gift, provider):
    provider.refuse_with = ProviderUnavailable()

    response = change(client, gift, "20")

    assert response.status_code == 503
    assert "The payment service is not answering." in response.content.decode()
    gift.refresh_from_db()
    assert gift.amount_minor == 1000


def test_an_expired_link_changes_nothing(client, gift, provider):
    with mock.patch("time.time", return_value=time.time() - 3601):
        expired = gifts_url(gift.donor)

    response = change(client, gift, "20", url=expired)

    assert response.status_code == 403
    assert INVALID in response.content.decode()
    assert provider.calls == []


def test_one_donors_link_cannot_touch_another_donors_gift(client, gift, provider):
    stranger = DonorFactory()

    response = change(client, gift, "20", url=gifts_url(stranger))

    assert response.status_code == 404
    assert provider.calls == []


@pytest.mark.parametrize("attack", CROSS_SITE_POSTS)
def test_a_change_posted_from_another_site_is_refused(client, gift, provider, attack):
    url = f"{gifts_url(gift.donor)}gifts/{gift.pk}/change/"
    fields, headers = CROSS_SITE_POSTS[attack](form_token(gift_form("change", gift.donor, gift)))

    response = client.post(url, {f"gift-{gift.pk}-amount": "99", **fields}, **headers)

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired or was not sent from our site." in page
    assert 'value="99"' in page
    assert provider.calls == []
    gift.refresh_from_db()
    assert gift.amount_minor == 1000


def test_a_change_with_an_expired_token_or_one_for_another_gift_is_refused(client, gift, provider):
    other = RecurringDonationFactory(donor=gift.donor, provider="fake")
    url = f"{gifts_url(gift.donor)}gifts/{gift.pk}/change/"
    tokens = [
        expired(lambda: form_token(gift_form("change", gift.donor, gift))),
        form_token(gift_form("change", gift.donor, other)),
        form_token(gift_form("cancel", gift.donor, gift)),
    ]

    for token in tokens:
        response = client.post(url, {f"gift-{gift.pk}-amount": "99", "form_token": token})
        assert response.status_code == 403

    assert provider.calls == []


def test_revoking_links_ends_the_forms_shown_with_them(client, gift, provider):
    token = form_token(gift_form("change", gift.donor, gift))
    revoke_links(gift.donor)
    gift.donor.refresh_from_db()

    response = client.post(
        f"{gifts_url(gift.donor)}gifts/{gift.pk}/change/",
        {f"gift-{gift.pk}-amount": "99", "form_token": token},
    )

    assert response.status_code == 403
    assert provider.calls == []


# Cancelling ----------------------------------------------------------------------------------


def test_cancelling_asks_for_confirmation_first(client, gift, provider):
    response = client.get(f"{gifts_url(gift.donor)}gifts/{gift.pk}/cancel/")

    assert response.status_code == 200
    assert "Yes, cancel my gift" in response.content.decode()
    assert provider.calls == []
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE


def test_confirming_cancels_at_the_provider_and_here(client, gift, provider):
    response = cancel(client, gift)

    assert response["Location"].endswith("?done=cancelled")
    assert provider.calls == [("cancel_recurring", "sub_abc")]
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.CANCELLED
    assert gift.cancelled_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "Your gift was cancelled." in page
    assert "Cancel this gift" not in page


def test_a_cancellation_notice_queued_before_an_upgrade_that_moved_it_is_still_sent(
    client, gift, provider, settings, mailoutbox
):
    settings.TASKS = DATABASE_TASKS
    cancel(client, gift)
    # What the task queue holds for a cancellation made before gift notices moved to donors/.
    DBTaskResult.objects.update(
        task_path="samizdat.support.giving.gift_notices.send_gift_cancelled"
    )

    import_module("samizdat.support.migrations.0015_gift_notices_with_donors").point_queued_tasks(
        django_apps, None
    )
    run_queued_tasks()

    assert [message.to for message in mailoutbox] == [[gift.donor.email]]


def test_a_cancelled_gift_is_not_cancelled_twice(client, gift, provider):
    cancel(client, gift)

    client.post(
        f"{gifts_url(gift.donor)}gifts/{gift.pk}/cancel/",
        {"form_token": form_token(gift_form("cancel", gift.donor, gift))},
    )

    assert provider.calls == [("cancel_recurring", "sub_abc")]


def test_a_refused_cancellation_is_shown_and_the_gift_stays(client, gift, provider):
    provider.refuse_with = PaymentError("We could not reach your subscription.")

    response = cancel(client, gift)

    assert response.status_code == 400
    assert "We could not reach your subscription." in response.content.decode()
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE


@pytest.mark.parametrize("attack", CROSS_SITE_POSTS)
def test_a_cancellation_posted_from_another_site_is_refused(client, gift, provider, attack):
    url = f"{gifts_url(gift.donor)}gifts/{gift.pk}/cancel/"
    fields, headers = CROSS_SITE_POSTS[attack](form_token(gift_form("cancel", gift.donor, gift)))

    response = client.post(url, fields, **headers)

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired or was not sent from our site." in page
    assert "Yes, cancel my gift" in page  # the reader can still confirm from here
    assert provider.calls == []
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE


def test_a_cancellation_with_an_expired_token_is_refused(client, gift, provider):
    url = f"{gifts_url(gift.donor)}gifts/{gift.pk}/cancel/"
    token = expired(lambda: form_token(gift_form("cancel", gift.donor, gift)))

    response = client.post(url, {"form_token": token})

    assert response.status_code == 403
    assert provider.calls == []


def test_the_manage_urls_reverse_by_name(gift):
    token = make_link_token(gift.donor)

    assert reverse("support:manage") == MANAGE
    assert reverse("support:manage_gifts", kwargs={"token": token}) == f"{MANAGE}{token}/"


# Against localstripe -------------------------------------------------------------------------


@pytest.mark.usefixtures("stripe_settings")
def test_a_donor_changes_then_cancels_a_real_subscription(client, localstripe):  # noqa: F811
    DonationFormFactory(currency="usd")
    started = stripe_checkout(
        localstripe,
        amount_minor=1000,
        frequency=Frequency.MONTHLY,
        email="ada@example.org",
        name="Ada",
        idempotency_key="selfservice-localstripe-1",
    )
    assert started.status == CheckoutStatus.SUCCEEDED
    gift = RecurringDonationFactory(
        provider="stripe", provider_subscription_id=started.subscription_id, amount_minor=1000
    )
    url = gifts_url(gift.donor)

    change(client, gift, "25", frequency="annual", url=url)

    subscription = stripe_get(localstripe, f"subscriptions/{started.subscription_id}")
    plan = subscription["items"]["data"][0]["plan"]
    assert (plan["amount"], plan["interval"]) == (2500, "year")
    gift.refresh_from_db()
    assert (gift.amount_minor, gift.frequency) == (2500, "annual")

    cancel(client, gift, url)

    subscription = stripe_get(localstripe, f"subscriptions/{started.subscription_id}")
    assert subscription["status"] == "canceled"
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.CANCELLED
