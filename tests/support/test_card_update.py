"""A donor gives a new card for a recurring gift from the self-service link: Stripe confirms it
(a SetupIntent), and it becomes the card the gift's next payments are charged to."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
import requests
from django.core import signing

from samizdat.payments.base import Frequency
from samizdat.support.donors.selfservice import CARD_LINK_SALT, make_link_token, revoke_links
from samizdat.support.giving.dunning import send_notice
from samizdat.support.models import DonorNotice, RecurringDonation
from tests.localstripe import (
    CARD_3DS,
    CARD_CHARGE_FAILS,
    CARD_OK,
    PUBLISHABLE_KEY,
    stripe_checkout,
    stripe_get,
)

from .factories import RecurringDonationFactory
from .test_selfservice import form_token_on, gifts_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

NEW_CARD = "5555555555554444"


@pytest.fixture
def gift(localstripe, stripe_settings):
    started = stripe_checkout(
        localstripe, amount_minor=1000, frequency=Frequency.MONTHLY, email="ada@example.org"
    )
    return RecurringDonationFactory(
        provider="stripe", provider_subscription_id=started.subscription_id
    )


_links: dict[int, str] = {}


def link(gift) -> str:
    """The donor's gifts page: one link per test, as the donor has one e-mail (a link signed a
    second later is another string)."""
    return _links.setdefault(gift.donor.pk, gifts_url(gift.donor))


@pytest.fixture(autouse=True)
def _fresh_links():
    _links.clear()


def card_url(gift) -> str:
    return f"{link(gift)}gifts/{gift.pk}/card/"


def confirm_in_browser(localstripe: str, page, number: str = NEW_CARD) -> str:
    """What Stripe.js confirmCardSetup() does with the card typed in its field: the setup's id."""
    secret = re.search(r'data-client-secret="([^"]+)"', page.content.decode())[1]
    setup_id = secret.split("_secret_")[0]
    response = requests.post(
        f"{localstripe}/v1/setup_intents/{setup_id}/confirm",
        data={
            "key": PUBLISHABLE_KEY,
            "client_secret": secret,
            "payment_method_data[type]": "card",
            "payment_method_data[card][number]": number,
            "payment_method_data[card][exp_month]": "12",
            "payment_method_data[card][exp_year]": "2034",
            "payment_method_data[card][cvc]": "123",
        },
        timeout=5,
    )
    response.raise_for_status()
    return setup_id


def save(client, gift, setup_id: str, url: str | None = None):
    action = card_url(gift)
    token = form_token_on(client.get(action), action)
    return client.post(url or action, {"form_token": token, "setup_id": setup_id})


def subscription_card(localstripe: str, gift) -> str:
    subscription = stripe_get(localstripe, f"subscriptions/{gift.provider_subscription_id}")
    return subscription.get("default_payment_method") or ""


def card_number_end(localstripe: str, payment_method: str) -> str:
    return stripe_get(localstripe, f"payment_methods/{payment_method}")["card"]["last4"]


def test_the_gifts_page_offers_a_new_card(client, gift):
    page = client.get(link(gift)).content.decode()

    assert f'href="{card_url(gift)}">Update your card</a>' in page


def test_a_cancelled_gift_offers_no_card_update(client, gift):
    RecurringDonation.objects.filter(pk=gift.pk).update(status="cancelled")

    assert "Update your card" not in client.get(link(gift)).content.decode()
    assert client.get(card_url(gift)).status_code == 302


def test_the_card_page_loads_the_providers_card_field_and_allows_only_it(client, gift, localstripe):
    page = client.get(card_url(gift))

    assert page.status_code == 200
    html = page.content.decode()
    assert f'<script src="{localstripe}/js.stripe.com/v3/" defer></script>' in html
    assert 'data-client-secret="seti_' in html
    assert localstripe in page["Content-Security-Policy"]
    assert localstripe not in client.get(link(gift))["Content-Security-Policy"]
    assert page.cookies == {}


def test_a_confirmed_new_card_becomes_the_gifts_card(client, gift, localstripe):
    setup_id = confirm_in_browser(localstripe, client.get(card_url(gift)))

    response = save(client, gift, setup_id)

    assert response.status_code == 302
    assert response["Location"].endswith("?done=card")
    card = subscription_card(localstripe, gift)
    assert card_number_end(localstripe, card) == "4444"
    subscription = stripe_get(localstripe, f"subscriptions/{gift.provider_subscription_id}")
    customer = stripe_get(localstripe, f"customers/{subscription['customer']}")
    assert customer["invoice_settings"]["default_payment_method"] == card
    done = client.get(response["Location"]).content.decode()
    assert "Your new card is saved" in done


def test_a_setup_the_bank_did_not_confirm_changes_nothing(client, gift, localstripe):
    before = subscription_card(localstripe, gift)
    # The bank asked for 3-D Secure and the donor never answered.
    unconfirmed = confirm_in_browser(localstripe, client.get(card_url(gift)), CARD_3DS)

    response = save(client, gift, unconfirmed)

    assert response.status_code == 400
    assert "Your new card was not confirmed. Nothing was changed." in response.content.decode()
    assert subscription_card(localstripe, gift) == before


def test_another_donors_card_cannot_be_put_on_this_gift(client, gift, localstripe):
    other = stripe_checkout(
        localstripe, amount_minor=500, frequency=Frequency.MONTHLY, email="eve@example.org"
    )
    other_gift = RecurringDonationFactory(
        provider="stripe", provider_subscription_id=other.subscription_id
    )
    theirs = confirm_in_browser(localstripe, client.get(card_url(other_gift)))
    before = subscription_card(localstripe, gift)

    response = save(client, gift, theirs)

    assert response.status_code == 400
    assert subscription_card(localstripe, gift) == before


def test_a_forged_link_shows_no_card_form(client, gift):
    response = client.get(card_url(gift).replace("/manage/", "/manage/x"))

    assert response.status_code == 403
    assert "data-client-secret" not in response.content.decode()


def test_a_card_posted_without_the_pages_form_token_is_refused(client, gift, localstripe):
    setup_id = confirm_in_browser(localstripe, client.get(card_url(gift)))
    before = subscription_card(localstripe, gift)

    response = client.post(card_url(gift), {"setup_id": setup_id})

    assert response.status_code == 403
    assert subscription_card(localstripe, gift) == before


def test_a_past_due_gift_can_be_given_a_new_card(client, localstripe, stripe_settings):
    started = stripe_checkout(
        localstripe,
        amount_minor=1000,
        frequency=Frequency.MONTHLY,
        email="ada@example.org",
        card=CARD_OK,
    )
    gift = RecurringDonationFactory(
        provider="stripe", provider_subscription_id=started.subscription_id, status="past_due"
    )
    page = client.get(card_url(gift))
    assert "The payment that did not go through is tried again with it." in page.content.decode()
    save(client, gift, confirm_in_browser(localstripe, page, CARD_CHARGE_FAILS))

    assert card_number_end(localstripe, subscription_card(localstripe, gift)) == "0341"


# The link in a failed renewal's e-mail -------------------------------------------------------


def emailed_card_link(gift, mailoutbox) -> str:
    """The path of the link in the e-mail a failed renewal of this gift sends."""
    RecurringDonation.objects.filter(pk=gift.pk).update(status=RecurringDonation.Status.PAST_DUE)
    notice = DonorNotice.objects.create(
        recurring=gift, kind=DonorNotice.Kind.PAYMENT_FAILED, provider_payment_id="in_1", attempt=1
    )
    assert send_notice.call(notice.pk, 1000) is True
    return re.search(
        r"http://127\.0\.0\.1:8000(/en/support/manage/card/\S+/)", mailoutbox[-1].body
    )[1]


def card_token_in(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def refused(response) -> bool:
    """The "link expired" page, with the form to ask for a new link, and no card form."""
    page = response.content.decode()
    return (
        response.status_code == 403
        and 'name="email"' in page
        and "card-form" not in page
        and "client-secret" not in page
    )


def test_the_failed_renewal_emails_link_opens_that_gifts_card_page(
    client, gift, localstripe, mailoutbox
):
    path = emailed_card_link(gift, mailoutbox)

    response = client.get(path)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="card-form"' in page and f'action="{path}"' in page
    assert localstripe in response["Content-Security-Policy"]  # Stripe's card field may load
    assert "The next payments of your gift of $10 a month" in page
    assert "Back to your gifts" not in page  # the link does not open the gift list
    assert not response.cookies


def test_the_emailed_link_works_for_days_not_an_hour(client, gift, mailoutbox, monkeypatch):
    path = emailed_card_link(gift, mailoutbox)
    later = time.time() + 13 * 24 * 3600
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))

    assert client.get(path).status_code == 200


def test_an_expired_emailed_link_is_refused(client, gift, mailoutbox, monkeypatch):
    path = emailed_card_link(gift, mailoutbox)
    later = time.time() + 15 * 24 * 3600
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))

    assert refused(client.get(path))


def test_the_card_link_lifetime_is_a_setting(client, gift, mailoutbox, settings):
    path = emailed_card_link(gift, mailoutbox)
    settings.SAMIZDAT_CARD_LINK_MAX_AGE = -1

    assert refused(client.get(path))


def test_a_forged_card_link_is_refused(client, gift, mailoutbox):
    path = emailed_card_link(gift, mailoutbox)
    token = card_token_in(path)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert refused(client.get(f"/en/support/manage/card/{forged}/"))
    # A magic link (another salt) is no card link either.
    assert refused(client.get(f"/en/support/manage/card/{make_link_token(gift.donor)}/"))


def test_a_card_link_cannot_name_another_donors_gift(client, gift, localstripe, stripe_settings):
    started = stripe_checkout(
        localstripe, amount_minor=2500, frequency=Frequency.MONTHLY, email="eve@example.org"
    )
    other = RecurringDonationFactory(
        provider="stripe", provider_subscription_id=started.subscription_id
    )
    # Signed with our key, but the donor it names does not give that gift.
    token = signing.TimestampSigner(salt=CARD_LINK_SALT).sign_object(
        {"d": gift.donor.pk, "g": other.pk, "v": gift.donor.links_version}
    )

    assert refused(client.get(f"/en/support/manage/card/{token}/"))


def test_each_gift_gets_its_own_link(client, gift, localstripe, mailoutbox):
    started = stripe_checkout(
        localstripe, amount_minor=2500, frequency=Frequency.MONTHLY, email="ada@example.org"
    )
    second = RecurringDonationFactory(
        donor=gift.donor,
        amount_minor=2500,
        provider="stripe",
        provider_subscription_id=started.subscription_id,
    )

    page = client.get(emailed_card_link(second, mailoutbox)).content.decode()

    assert "$25 a month" in page and "$10 a month" not in page


def test_revoking_the_donors_links_revokes_the_card_link(client, gift, mailoutbox):
    path = emailed_card_link(gift, mailoutbox)

    revoke_links(gift.donor)

    assert refused(client.get(path))


def test_the_card_link_opens_nothing_but_the_card_page(client, gift, mailoutbox):
    token = card_token_in(emailed_card_link(gift, mailoutbox))
    manage = f"/en/support/manage/{token}"

    assert refused(client.get(f"{manage}/"))
    assert refused(client.get(f"{manage}/gifts/{gift.pk}/card/"))
    assert refused(client.get(f"{manage}/gifts/{gift.pk}/cancel/"))
    assert refused(client.post(f"{manage}/gifts/{gift.pk}/cancel/", {}))
    assert refused(client.post(f"{manage}/gifts/{gift.pk}/change/", {}))
    assert refused(client.get(f"{manage}/receipts/2026/"))
    gift.refresh_from_db()
    assert gift.status == RecurringDonation.Status.PAST_DUE


def test_a_new_card_can_be_given_through_the_emailed_link(client, gift, localstripe, mailoutbox):
    path = emailed_card_link(gift, mailoutbox)
    page = client.get(path)
    setup_id = confirm_in_browser(localstripe, page)

    response = client.post(path, {"form_token": form_token_on(page, path), "setup_id": setup_id})

    assert response.status_code == 302 and response["Location"] == f"{path}?done=card"
    done = client.get(response["Location"])
    assert "Your new card is saved" in done.content.decode()
    assert "card-form" not in done.content.decode()
    assert not done.cookies
    assert card_number_end(localstripe, subscription_card(localstripe, gift)) == "4444"


def test_the_emailed_links_form_keeps_the_cross_site_checks(client, gift, localstripe, mailoutbox):
    path = emailed_card_link(gift, mailoutbox)
    before = subscription_card(localstripe, gift)
    page = client.get(path)
    setup_id = confirm_in_browser(localstripe, page)
    token = form_token_on(page, path)

    without_token = client.post(path, {"setup_id": setup_id})
    from_elsewhere = client.post(
        path,
        {"form_token": token, "setup_id": setup_id},
        headers={"Origin": "https://evil.example"},
    )

    assert without_token.status_code == 403 and from_elsewhere.status_code == 403
    assert "This form has expired or was not sent from our site" in from_elsewhere.content.decode()
    assert subscription_card(localstripe, gift) == before
