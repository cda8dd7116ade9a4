"""A renewal that fails: the donor hears about it a few times at most, and once, kindly, when
the provider gives up. Replayed events send nothing more."""

from __future__ import annotations

import re
import time

import pytest

from samizdat.payments.base import EventKind
from samizdat.payments.intake import accept_event
from samizdat.payments.providers.stripe import StripeProvider
from samizdat.support.donors.selfservice import cancel_gift, gift_for_card_token
from samizdat.support.models import DonorNotice, RecurringDonation
from tests.localstripe import WEBHOOK_SECRET, signed_stripe_event, stripe_event

from .factories import DonationFactory, RecurringDonationFactory
from .test_ledger import at, renewal_failed, subscription_event

# Real commits: the e-mails go out once the event's transaction has committed, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

FAILED_SUBJECT = "Your gift to Samizdat did not go through"
LAPSED_SUBJECT = "Your gift to Samizdat has ended"


@pytest.fixture
def gift(provider):
    """$10 a month, paid once already, at the recording fake provider."""
    gift = RecurringDonationFactory(
        provider="fake", provider_subscription_id="sub_dun", status_changed_at=at(0)
    )
    DonationFactory(donor=gift.donor, recurring=gift, frequency="monthly", amount_minor=1000)
    return gift


def fail(attempt: int | None = 1, invoice: str = "in_dun", days: float = 31, **fields):
    metadata = {"attempt": str(attempt)} if attempt else {}
    event = renewal_failed("sub_dun", invoice, at(days), metadata=metadata, **fields)
    return accept_event("fake", event)


def subjects(mailoutbox) -> list[str]:
    return [mail.subject for mail in mailoutbox]


def test_a_failed_renewal_tells_the_donor_how_to_keep_their_gift(gift, mailoutbox):
    fail()

    [mail] = mailoutbox
    assert mail.subject == FAILED_SUBJECT
    body = " ".join(mail.body.split())
    assert "We could not take the payment of $10 for your gift of $10 a month on" in body
    assert "“Update your card”" in body
    assert "http://127.0.0.1:8000/en/support/manage/" in body
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.PAST_DUE


def test_the_email_is_in_the_donors_language(gift, mailoutbox):
    gift.donor.language = "ru"
    gift.donor.save()

    fail()

    assert subjects(mailoutbox) == ["Ваше пожертвование изданию «Samizdat» не прошло"]
    assert "Обновить карту" in mailoutbox[0].body


def test_one_email_per_attempt_up_to_the_configured_number(gift, mailoutbox, settings):
    settings.SAMIZDAT_DUNNING_EMAILS = 3
    for attempt in range(1, 6):
        fail(attempt, days=31 + attempt)

    assert subjects(mailoutbox) == [FAILED_SUBJECT] * 3


def test_the_number_is_a_setting(gift, mailoutbox, settings):
    settings.SAMIZDAT_DUNNING_EMAILS = 1
    fail(1)
    fail(2, days=33)

    assert len(mailoutbox) == 1


def test_a_replayed_failure_sends_no_second_email(gift, mailoutbox):
    fail(1)
    fail(1, days=31.5)  # the same attempt, seen again under another event id (reconcile)
    same = renewal_failed("sub_dun", "in_dun", at(31), id="evt_same", metadata={"attempt": "1"})
    accept_event("fake", same)
    assert accept_event("fake", same) is False

    assert len(mailoutbox) == 1
    assert DonorNotice.objects.count() == 1


def test_a_first_payment_that_fails_sends_no_dunning_email(provider, mailoutbox):
    fail(1)  # a gift we do not know: the checkout shows the donor what went wrong

    assert mailoutbox == []


def test_the_provider_giving_up_ends_the_gift_with_one_kind_message(gift, mailoutbox):
    fail(1)
    gave_up = subscription_event(EventKind.RECURRING_CANCELLED, "sub_dun", "canceled", at(45))
    accept_event("fake", gave_up)
    again = subscription_event(EventKind.RECURRING_UPDATED, "sub_dun", "canceled", at(46))
    accept_event("fake", again)

    assert subjects(mailoutbox) == [FAILED_SUBJECT, LAPSED_SUBJECT]
    body = " ".join(mailoutbox[1].body.split())
    assert "Your gift of $10 a month to Samizdat has ended" in body
    assert "Nothing more will be charged." in body
    assert "Thank you for everything you gave." in body
    assert "http://127.0.0.1:8000/en/support/" in body
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.CANCELLED


def test_the_lapse_message_in_russian(gift, mailoutbox):
    gift.donor.language = "ru"
    gift.donor.save()
    fail(1)
    accept_event(
        "fake", subscription_event(EventKind.RECURRING_CANCELLED, "sub_dun", "canceled", at(45))
    )

    assert mailoutbox[1].subject == "Ваше пожертвование изданию «Samizdat» прекратилось"
    assert "Спасибо за всё, что вы нам дали." in mailoutbox[1].body


def test_a_donor_who_cancels_gets_no_lapse_message(gift, mailoutbox):
    fail(1)
    cancel_gift(gift)  # from the self-service page, while past due
    accept_event(
        "fake", subscription_event(EventKind.RECURRING_CANCELLED, "sub_dun", "canceled", at(45))
    )

    assert subjects(mailoutbox) == [FAILED_SUBJECT]


def test_a_gift_paid_again_gets_no_email_about_an_old_failure(gift, mailoutbox):
    gift.status = RecurringDonation.Status.ACTIVE
    gift.status_changed_at = at(40)
    gift.save()

    fail(1, days=31)  # an older failure arriving late: the gift is running

    assert mailoutbox == []


def test_stripe_says_which_attempt_failed():
    provider = StripeProvider("sk_x", "pk_x", WEBHOOK_SECRET)
    invoice = {
        "id": "in_1",
        "object": "invoice",
        "subscription": "sub_1",
        "customer": "cus_1",
        "amount_due": 1000,
        "currency": "usd",
        "attempt_count": 2,
        "lines": {
            "data": [
                {
                    "plan": {
                        "id": "samizdat-usd-1000-month",
                        "amount": 1000,
                        "currency": "usd",
                        "interval": "month",
                    },
                    "period": {"end": int(time.time()) + 86400},
                }
            ]
        },
    }
    body, headers = signed_stripe_event(stripe_event("invoice.payment_failed", invoice, "evt_1"))

    event = provider.parse_webhook(body, headers)

    assert event.kind is EventKind.RECURRING_PAYMENT_FAILED
    assert event.metadata["attempt"] == "2"


# Viewing donors is audited, and the audit log refuses the flush of a transactional test.
@pytest.mark.django_db
def test_the_newsroom_sees_past_due_gifts_and_how_often_the_donor_was_told(gift, admin_client):
    from django.urls import reverse

    gift.donor.name = "Card Expired"
    gift.donor.save()
    fail(1)
    fail(2, days=33)

    page = admin_client.get(reverse("revenue_recurring:index"), {"status": "past_due"})

    html = page.content.decode()
    assert "Card Expired" in html
    assert "Payment-failed e-mails" in html
    assert re.search(r"<td[^>]*>\s*2\s*</td>", html)


@pytest.fixture
def card_updates(monkeypatch):
    """The gift's provider takes new cards (the recording fake provider does not)."""
    monkeypatch.setattr("samizdat.support.giving.dunning.can_update_card", lambda gift: True)


@pytest.mark.usefixtures("card_updates")
def test_the_email_links_straight_to_the_gifts_card_page_and_says_for_how_long(gift, mailoutbox):
    fail()

    body = " ".join(mailoutbox[0].body.split())
    assert "give us a new one on this page (the link works for 2 weeks)" in body
    token = re.search(r"http://127\.0\.0\.1:8000/en/support/manage/card/(\S+)/", body)[1]
    assert gift_for_card_token(token) == gift
    assert f'href="http://127.0.0.1:8000/en/support/manage/card/{token}/"' in html_of(mailoutbox[0])


@pytest.mark.usefixtures("card_updates")
def test_the_email_says_how_long_the_configured_link_works(gift, mailoutbox, settings):
    settings.SAMIZDAT_CARD_LINK_MAX_AGE = 3 * 24 * 3600 + 3600

    fail()

    assert "(the link works for 3 days)" in " ".join(mailoutbox[0].body.split())


@pytest.mark.usefixtures("card_updates")
def test_the_card_link_in_russian(gift, mailoutbox):
    gift.donor.language = "ru"
    gift.donor.save()

    fail()

    body = " ".join(mailoutbox[0].body.split())
    assert "укажите её на этой странице (ссылка действует 2 недели)" in body
    assert "http://127.0.0.1:8000/ru/support/manage/card/" in body


def html_of(mail) -> str:
    [(html, _type)] = mail.alternatives
    return html
