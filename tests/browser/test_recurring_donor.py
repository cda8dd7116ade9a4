"""A recurring donor in a real browser, in English and Russian: changing $35 a month to $300 a
year shows what is charged and when before anything changes; a new card through Stripe's card
field; and a failed renewal's e-mail that leads to giving a new card.

Screenshots of the confirmation and the card page at 1280 and 390 px go to /tmp/h11-shots/."""

from __future__ import annotations

import datetime
import re
import time
from pathlib import Path

import pytest
import requests
from django.core.cache import cache
from playwright.sync_api import expect

from samizdat.payments.base import Frequency
from samizdat.support.donors.selfservice import make_link_token
from samizdat.support.models import RecurringDonation
from tests.browser.test_support import pay_with_card
from tests.localstripe import signed_stripe_event, stripe_checkout, stripe_event, stripe_get
from tests.support.factories import DonationFactory, DonationFormFactory, RecurringDonationFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/h11-shots")
NEW_CARD = "5555555555554444"
WORDS = {
    "en": {
        "save": "Save the change",
        "confirm_heading": "Change your gift?",
        "after": "$300 a year",
        "nothing": "Nothing",
        "yes": "Yes, change my gift",
        "changed": "Your gift was changed.",
        "changed_mail": "Your gift to The Test Gazette is now $300 a year, instead of $35 a month.",
        "update": "Update your card",
        "save_card": "Save the new card",
        "card_saved": "Your new card is saved",
    },
    "ru": {
        "save": "Сохранить",
        "confirm_heading": "Изменить пожертвование?",
        "after": "300\xa0$ в год",
        "nothing": "Ничего",
        "yes": "Да, изменить пожертвование",
        "changed": "Пожертвование изменено.",
        "changed_mail": (
            "Теперь вы жертвуете изданию «The Test Gazette (ru)» 300 $ в год вместо 35 $ в месяц."
        ),
        "update": "Обновить карту",
        "save_card": "Сохранить новую карту",
        "card_saved": "Новая карта сохранена",
    },
}


@pytest.fixture
def gift(live_newsroom, localstripe, stripe_settings):  # noqa: F811
    """$35 a month at localstripe, paid once, for ada@example.org."""
    cache.clear()
    DonationFormFactory(currency="usd", minimum_minor=200, maximum_minor=1_000_000)
    started = stripe_checkout(
        localstripe, amount_minor=3500, frequency=Frequency.MONTHLY, email="ada@example.org"
    )
    subscription = stripe_get(localstripe, f"subscriptions/{started.subscription_id}")
    gift = RecurringDonationFactory(
        donor__email="ada@example.org",
        provider="stripe",
        provider_subscription_id=started.subscription_id,
        amount_minor=3500,
        status_changed_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5),
        current_period_end=datetime.datetime.fromtimestamp(
            subscription["current_period_end"], datetime.UTC
        ),
    )
    DonationFactory(
        donor=gift.donor,
        recurring=gift,
        frequency="monthly",
        amount_minor=3500,
        provider="stripe",
        provider_payment_id=started.payment_id,
    )
    return gift


def gifts_page(reader, gift, language: str) -> str:
    return reader(f"/{language}/support/manage/{make_link_token(gift.donor)}/")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def wait_for_mail(page, mailoutbox, count: int = 1):
    for _ in range(50):
        if len(mailoutbox) >= count:
            return mailoutbox
        page.wait_for_timeout(100)
    raise AssertionError([m.subject for m in mailoutbox])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_donor_changes_35_a_month_to_300_a_year_after_seeing_what_it_means(
    page, reader, gift, localstripe, mailoutbox, language
):
    words = WORDS[language]
    gift.donor.language = language
    gift.donor.save()
    page.goto(gifts_page(reader, gift, language))

    form = page.locator(f"#gift-{gift.pk} form")
    form.locator("input[inputmode=decimal]").fill("300")
    form.locator("select").select_option("annual")
    form.get_by_role("button", name=words["save"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["confirm_heading"])
    summary = page.locator(".manage__change")
    expect(summary).to_contain_text(words["after"])
    expect(summary.locator("dd").nth(2)).to_have_text(words["nothing"])
    expect(summary.locator("dd").nth(3)).not_to_be_empty()
    shoot(page, f"change-confirm-{language}")
    assert RecurringDonation.objects.get().frequency == "monthly"  # nothing changed yet

    page.get_by_role("button", name=words["yes"]).click()

    expect(page.get_by_role("status")).to_have_text(words["changed"])
    subscription = stripe_get(localstripe, f"subscriptions/{gift.provider_subscription_id}")
    plan = subscription["items"]["data"][0]["plan"]
    assert (plan["amount"], plan["interval"]) == (30000, "year")
    invoices = stripe_get(localstripe, "invoices", subscription=gift.provider_subscription_id)
    assert len(invoices["data"]) == 1  # nothing charged today
    [mail] = wait_for_mail(page, mailoutbox)
    assert words["changed_mail"] in " ".join(mail.body.split())  # (split() also splits at \xa0)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_donor_gives_a_new_card(page, reader, gift, localstripe, language):
    words = WORDS[language]
    page.goto(gifts_page(reader, gift, language))

    page.get_by_role("link", name=words["update"]).click()
    expect(page.locator("#card-element input").first).to_be_visible()
    pay_with_card(page, NEW_CARD)
    shoot(page, f"card-update-{language}")
    page.get_by_role("button", name=words["save_card"]).click()

    expect(page.get_by_role("status")).to_contain_text(words["card_saved"])
    subscription = stripe_get(localstripe, f"subscriptions/{gift.provider_subscription_id}")
    card = stripe_get(localstripe, f"payment_methods/{subscription['default_payment_method']}")
    assert card["card"]["last4"] == "4444"


def failed_renewal(gift, attempt: int) -> tuple[bytes, dict]:
    """Stripe's webhook for a renewal of the gift that the bank refused."""
    invoice = {
        "id": "in_renewal_1",
        "object": "invoice",
        "subscription": gift.provider_subscription_id,
        "customer": "cus_x",
        "amount_due": 3500,
        "currency": "usd",
        "attempt_count": attempt,
        "lines": {
            "data": [
                {
                    "plan": {
                        "id": "samizdat-usd-3500-month",
                        "amount": 3500,
                        "currency": "usd",
                        "interval": "month",
                    },
                    "period": {"end": int(time.time()) + 30 * 86400},
                }
            ]
        },
    }
    return signed_stripe_event(
        stripe_event("invoice.payment_failed", invoice, f"evt_renewal_failed_{attempt}")
    )


def test_a_failed_renewals_email_leads_the_donor_to_a_new_card(
    page, reader, gift, localstripe, mailoutbox
):
    body, headers = failed_renewal(gift, attempt=1)
    webhook = reader("/payments/webhooks/stripe/")
    assert requests.post(webhook, data=body, headers=headers, timeout=10).status_code == 200
    assert requests.post(webhook, data=body, headers=headers, timeout=10).status_code == 200

    [mail] = wait_for_mail(page, mailoutbox)
    assert mail.subject == "Your gift to The Test Gazette did not go through"
    page.wait_for_timeout(300)
    assert len(mailoutbox) == 1  # the replayed webhook sent nothing more
    # Straight to this gift's card page: no need to ask for a self-service link first.
    link = re.search(r"https?://[^/\s]+(/en/support/manage/card/[^\s/]+/)", mail.body).group(1)
    page.goto(reader(link))
    expect(page.get_by_text("The payment that did not go through is tried again")).to_be_visible()
    pay_with_card(page, NEW_CARD)
    page.get_by_role("button", name="Save the new card").click()

    expect(page.get_by_role("status")).to_contain_text("Your new card is saved")
