"""Changing a recurring gift holds no surprise: the donor sees what is charged and when before
anything changes, nothing is charged on the day, and every e-mail says what really happened."""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats, timezone, translation

from samizdat.payments.base import Frequency
from samizdat.support.donors import selfservice
from samizdat.support.giving.receipts import send_receipt_later
from samizdat.support.models import RecurringDonation
from tests.localstripe import stripe_checkout, stripe_get

from .factories import DonationFactory, RecurringDonationFactory
from .test_selfservice import cancel, form_token_on, gifts_url
from .test_selfservice import gift as monthly_gift  # noqa: F401 -- a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

IN_20_DAYS = timezone.now() + datetime.timedelta(days=20)


def day(when: datetime.datetime, language: str = "en") -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(when), "DATE_FORMAT")


@pytest.fixture
def gift(monthly_gift):  # noqa: F811
    """$35 a month, next paid in 20 days."""
    monthly_gift.amount_minor = 3500
    monthly_gift.current_period_end = IN_20_DAYS
    monthly_gift.save()
    return monthly_gift


def ask_to_change(client, gift, amount: str, frequency: str, language: str = "en"):
    """Fill in the gift's form and press "Save the change": the confirmation page."""
    page_url = gifts_url(gift.donor, language)
    action = f"{page_url}gifts/{gift.pk}/change/"
    return client.post(
        action,
        {
            f"gift-{gift.pk}-amount": amount,
            f"gift-{gift.pk}-frequency": frequency,
            "form_token": form_token_on(client.get(page_url), action),
        },
    )


def confirm(client, page, gift):
    """Press "Yes, change my gift" on the confirmation page, sending what the page holds."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(page.content, "html.parser").find("input", attrs={"name": "confirm"})
    form = form.find_parent("form")
    assert form["action"].endswith(f"/gifts/{gift.pk}/change/")
    return client.post(form["action"], {i["name"]: i["value"] for i in form.find_all("input")})


# The confirmation step ---------------------------------------------------------------------


def test_a_change_shows_what_is_charged_and_when_before_anything_changes(client, gift, provider):
    page = ask_to_change(client, gift, "300", "annual")

    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "Change your gift?" in text
    assert "$35 a month" in text and "$300 a year" in text
    assert "<dt>Charged today</dt><dd>Nothing</dd>" in text
    assert f"From your next payment, on {day(IN_20_DAYS)}, you give $300 a year." in text
    assert provider.calls == []
    gift.refresh_from_db()
    assert (gift.amount_minor, gift.frequency) == (3500, "monthly")


def test_confirming_makes_the_change(client, gift, provider):
    response = confirm(client, ask_to_change(client, gift, "300", "annual"), gift)

    assert response.status_code == 302
    assert response["Location"].endswith("?done=changed")
    assert provider.calls == [("change_recurring", "sub_abc", 30000, "usd", Frequency.ANNUAL)]
    gift.refresh_from_db()
    assert (gift.amount_minor, gift.frequency) == (30000, "annual")


def test_the_confirmation_page_in_russian(client, gift, provider):
    page = ask_to_change(client, gift, "300", "annual", language="ru")

    text = " ".join(page.content.decode().split())
    assert "Изменить пожертвование?" in text
    assert f"Со следующего платежа, {day(IN_20_DAYS, 'ru')}, вы жертвуете 300 $ в год." in text


# E-mails after a change or a cancellation -----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "sentences"),
    [
        (
            "en",
            "Your gift to Samizdat was changed",
            [
                "Your gift to Samizdat is now $300 a year, instead of $35 a month.",
                "Nothing was charged today: the new amount is first charged on {date}.",
            ],
        ),
        (
            "ru",
            "Ваше пожертвование изданию «Samizdat» изменено",
            [
                "Теперь вы жертвуете изданию «Samizdat» 300 $ в год вместо 35 $ в месяц.",
                "Сегодня ничего не списано: новая сумма будет впервые списана {date}.",
            ],
        ),
    ],
)
def test_a_change_is_confirmed_by_email(client, gift, mailoutbox, language, subject, sentences):
    gift.donor.language = language
    gift.donor.save()

    confirm(client, ask_to_change(client, gift, "300", "annual"), gift)

    [mail] = mailoutbox
    assert mail.subject == subject
    body = " ".join(mail.body.split())
    for sentence in sentences:
        assert sentence.format(date=day(IN_20_DAYS, language)) in body


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        (
            "en",
            "Your gift to Samizdat was cancelled",
            "Your gift of $35 a month to Samizdat is cancelled: we will not charge you again.",
        ),
        (
            "ru",
            "Ваше пожертвование изданию «Samizdat» отменено",
            "Ваше пожертвование изданию "
            "«Samizdat» (35 $ в месяц) отменено: больше мы ничего не спишем.",
        ),
    ],
)
def test_a_cancellation_is_confirmed_by_email(
    client, gift, mailoutbox, language, subject, sentence
):
    gift.donor.language = language
    gift.donor.save()

    cancel(client, gift)

    [mail] = mailoutbox
    assert mail.subject == subject
    assert sentence in " ".join(mail.body.split())


def test_an_erasure_cancels_the_gift_without_writing_to_the_donor(gift, mailoutbox):
    from samizdat.support.donors.privacy import erase_donor

    erase_donor(gift.donor)

    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.CANCELLED
    assert mailoutbox == []


def test_a_refused_change_sends_no_email(client, gift, provider, mailoutbox):
    from samizdat.payments.base import PaymentError

    provider.refuse_with = PaymentError("Declined.")
    confirm(client, ask_to_change(client, gift, "300", "annual"), gift)

    assert mailoutbox == []


# Next payment dates ---------------------------------------------------------------------------


def test_the_gifts_page_gives_an_annual_gift_its_own_next_payment(client, provider):
    in_a_year = timezone.now() + datetime.timedelta(days=360)
    gift = RecurringDonationFactory(frequency="annual", current_period_end=in_a_year)

    text = client.get(gifts_url(gift.donor)).content.decode()

    assert f"Next payment on {day(in_a_year)}" in text


def test_a_period_end_already_past_is_not_shown_as_the_next_payment(client, provider):
    gift = RecurringDonationFactory(current_period_end=timezone.now() - datetime.timedelta(days=2))

    assert "Next payment on" not in client.get(gifts_url(gift.donor)).content.decode()


def test_the_first_payment_after_a_change_says_so_and_names_the_next_date(mailoutbox):
    in_a_year = timezone.now() + datetime.timedelta(days=365)
    gift = RecurringDonationFactory(
        frequency="annual", amount_minor=30000, current_period_end=in_a_year
    )
    month_ago = timezone.now() - datetime.timedelta(days=30)
    DonationFactory(
        donor=gift.donor, recurring=gift, frequency="monthly", amount_minor=3500, paid_at=month_ago
    )
    after_change = DonationFactory(
        donor=gift.donor, recurring=gift, frequency="annual", amount_minor=30000
    )

    send_receipt_later(after_change.pk)

    body = " ".join(mailoutbox[0].body.split())
    assert "Your gift to Samizdat is now $300 a year, as you asked" in body
    assert "was renewed" not in body
    assert f"Next payment: {day(in_a_year)}" in body


def test_a_receipt_names_no_next_payment_before_the_payment_itself(mailoutbox):
    gift = RecurringDonationFactory(current_period_end=timezone.now() - datetime.timedelta(days=1))
    first = DonationFactory(recurring=gift)

    send_receipt_later(first.pk)

    assert "Next payment" not in mailoutbox[0].body


# At the provider: nothing is charged on the day ------------------------------------------------


def invoices(localstripe, subscription_id: str) -> list[dict]:
    return stripe_get(localstripe, "invoices", subscription=subscription_id, limit=100)["data"]


@pytest.mark.parametrize(
    ("start", "amount", "frequency", "interval"),
    [
        (Frequency.MONTHLY, 30000, Frequency.ANNUAL, "year"),  # month -> year
        (Frequency.ANNUAL, 3500, Frequency.MONTHLY, "month"),  # year -> month
        (Frequency.MONTHLY, 5000, Frequency.MONTHLY, "month"),  # more
        (Frequency.MONTHLY, 2000, Frequency.MONTHLY, "month"),  # less
    ],
)
def test_a_change_at_the_provider_charges_nothing_now_and_keeps_the_next_payment_date(
    localstripe, stripe_settings, start, amount, frequency, interval
):
    started = stripe_checkout(
        localstripe, amount_minor=3500, frequency=start, email="ada@example.org"
    )
    before = stripe_get(localstripe, f"subscriptions/{started.subscription_id}")
    gift = RecurringDonationFactory(
        provider="stripe",
        provider_subscription_id=started.subscription_id,
        amount_minor=3500,
        frequency=start.value,
        current_period_end=datetime.datetime.fromtimestamp(
            before["current_period_end"], datetime.UTC
        ),
    )

    selfservice.change_gift(gift, amount, frequency)

    after = stripe_get(localstripe, f"subscriptions/{started.subscription_id}")
    plan = after["items"]["data"][0]["plan"]
    assert (plan["amount"], plan["interval"]) == (amount, interval)
    assert len(invoices(localstripe, started.subscription_id)) == 1  # the first payment only
    pending = stripe_get(localstripe, "invoiceitems", customer=after["customer"])["data"]
    assert [item for item in pending if not item.get("invoice")] == []  # no credit, no charge
    assert after["current_period_end"] == before["current_period_end"]
    assert after["status"] in ("active", "trialing")
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.ACTIVE


def test_an_invoice_with_a_credit_for_unused_time_gives_the_new_periods_end():
    from samizdat.payments.base import EventKind
    from samizdat.payments.providers.stripe import StripeProvider
    from tests.localstripe import WEBHOOK_SECRET, signed_stripe_event, stripe_event

    now = int(timezone.now().timestamp())
    month, year = now + 31 * 86400, now + 365 * 86400
    invoice = {
        "id": "in_change",
        "object": "invoice",
        "subscription": "sub_1",
        "customer": "cus_1",
        "amount_paid": 26500,
        "currency": "usd",
        "lines": {
            "data": [
                {
                    "proration": True,
                    "plan": {"id": "samizdat-usd-3500-month", "amount": 3500, "interval": "month"},
                    "period": {"end": month},
                },
                {
                    "proration": False,
                    "plan": {"id": "samizdat-usd-30000-year", "amount": 30000, "interval": "year"},
                    "period": {"end": year},
                },
            ]
        },
    }
    body, headers = signed_stripe_event(stripe_event("invoice.payment_succeeded", invoice, "e1"))

    event = StripeProvider("sk_x", "pk_x", WEBHOOK_SECRET).parse_webhook(body, headers)

    assert event.kind is EventKind.RECURRING_PAID
    assert event.frequency is Frequency.ANNUAL
    assert int(event.current_period_end.timestamp()) == year
