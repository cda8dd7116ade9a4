"""The payment methods a donation form lists: only what configured providers really take, in the
order each edition's editors chose, the same for every reader of that edition."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from samizdat.payments import registry
from samizdat.support.models import DonationForm
from tests.support import fake_coins
from tests.support.factories import AppealFactory, DonationFormFactory

pytestmark = pytest.mark.usefixtures("db", "fresh_cache")

NEVER_OFFERED = ("Apple Pay", "Google Pay", "SEPA", "PayPal")
RU_WHY = "Карты российских банков за рубежом не работают, а Monero и Bitcoin — работают."
EDITIONS = {
    "en": {"methods": ["card", "monero", "bitcoin"]},
    "ru": {"methods": ["monero", "bitcoin", "card"], "why": RU_WHY},
}


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def methods_on(page: BeautifulSoup) -> list[str]:
    return [span["data-method"] for span in page.select(".gift__methods span")]


def why_on(page: BeautifulSoup) -> str:
    found = page.select_one(".gift__why")
    return found.get_text(strip=True) if found else ""


# What readers see ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_with_stripe_alone_the_form_names_the_card_and_nothing_it_does_not_take(
    client, stripe_only, language
):
    DonationFormFactory(methods_by_edition=EDITIONS)

    page = soup(client.get(f"/{language}/support/"))

    assert methods_on(page) == ["card"]
    text = page.get_text(" ")
    for claim in (*NEVER_OFFERED, "Monero", "Bitcoin"):
        assert claim not in text, f"the {language} form names {claim}"


def test_the_russian_edition_shows_monero_first_with_its_reason(client, coins):
    DonationFormFactory(methods_by_edition=EDITIONS)

    page = soup(client.get("/ru/support/"))

    assert methods_on(page) == ["monero", "bitcoin", "card"]
    assert why_on(page) == RU_WHY
    labels = [span.get_text(" ", strip=True) for span in page.select(".gift__methods span")]
    # The form offers monthly gifts, which an address cannot take by itself.
    assert labels == [
        "Monero (XMR) · разовые пожертвования",
        "Bitcoin (BTC) · разовые пожертвования",
        "Банковская карта",
    ]


def test_the_english_edition_shows_the_card_first(client, coins):
    DonationFormFactory(methods_by_edition=EDITIONS)

    page = soup(client.get("/en/support/"))

    assert methods_on(page) == ["card", "monero", "bitcoin"]
    assert why_on(page) == ""
    labels = [span.get_text(" ", strip=True) for span in page.select(".gift__methods span")]
    assert labels == ["Card", "Monero (XMR) · one-time gifts", "Bitcoin (BTC) · one-time gifts"]


def test_a_form_for_one_time_gifts_only_needs_no_one_time_label(client, coins):
    DonationFormFactory(
        offer_monthly=False, offer_annual=False, default_frequency="once", methods_by_edition={}
    )

    page = soup(client.get("/en/support/"))

    assert "one-time" not in page.select_one(".gift__methods").get_text()


def test_a_chosen_method_that_is_not_configured_is_not_shown_nor_its_reason(client, stripe_only):
    DonationFormFactory(methods_by_edition=EDITIONS)

    page = soup(client.get("/ru/support/"))

    assert methods_on(page) == ["card"]
    # "Monero and Bitcoin work" would no longer be true.
    assert why_on(page) == ""
    assert "Monero" not in page.get_text()


def test_an_edition_with_no_choice_shows_every_configured_method_in_settings_order(client, coins):
    DonationFormFactory(methods_by_edition={"ru": EDITIONS["ru"]})

    page = soup(client.get("/en/support/"))

    assert methods_on(page) == ["card", "monero", "bitcoin"]


def test_the_methods_do_not_depend_on_who_reads(client, coins):
    """Pages are cached per URL: an address in Russia or a Russian browser changes nothing."""
    DonationFormFactory(methods_by_edition=EDITIONS)

    plain = soup(client.get("/en/support/"))
    from_moscow = soup(
        client.get("/en/support/", REMOTE_ADDR="95.167.0.1", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    )

    assert methods_on(from_moscow) == methods_on(plain) == ["card", "monero", "bitcoin"]
    assert str(from_moscow.select_one("#support-form")) == str(plain.select_one("#support-form"))


def test_each_currency_lists_its_own_methods(client, coins):
    DonationFormFactory(methods_by_edition={"en": {"methods": ["card"]}})
    DonationFormFactory(
        currency="eur", is_default=False, methods_by_edition={"en": {"methods": ["monero"]}}
    )

    page = soup(client.get("/en/support/"))

    shown = {
        box["data-currency"]: (
            [s["data-method"] for s in box.select("span")],
            box.has_attr("hidden"),
        )
        for box in page.select(".gift__payment")
    }
    assert shown == {"usd": (["card"], False), "eur": (["monero"], True)}


def test_an_article_letter_follows_the_configuration(client, newsroom, settings):
    """The end-of-article letter is rendered once per process and reused: a change of
    providers makes a new one."""
    DonationFormFactory(methods_by_edition=EDITIONS)
    AppealFactory(locale=newsroom.locale("ru"))
    story = newsroom.article("Паромщики бастуют", language="ru")

    fake_coins.configure(settings, stripe=fake_coins.stripe(settings))
    assert methods_on(soup(client.get(story.url))) == ["card"]
    fake_coins.configure(
        settings,
        stripe=fake_coins.stripe(settings),
        monero=fake_coins.MONERO,
        bitcoin=fake_coins.BITCOIN,
    )
    try:
        page = soup(client.get(story.url))
    finally:
        registry.reset()

    assert methods_on(page) == ["monero", "bitcoin", "card"]
    assert why_on(page) == RU_WHY


# What editors choose from ----------------------------------------------------------------------


def method_menus(page: str) -> dict[str, list[str]]:
    """Each menu of the methods field: its name and the methods it offers."""
    soup_ = BeautifulSoup(page, "html.parser")
    return {
        select["name"]: [o["value"] for o in select.select("option") if o["value"]]
        for select in soup_.select("select[name^=methods_by_edition-]")
    }


def test_the_admin_offers_only_the_configured_methods(admin_client, stripe_only):
    page = admin_client.get(reverse("wagtailsnippets_support_donationform:add")).text

    assert method_menus(page) == {
        "methods_by_edition-en-0": ["card"],
        "methods_by_edition-ru-0": ["card"],
    }
    for claim in NEVER_OFFERED:
        assert claim not in page


def test_the_admin_offers_a_menu_per_configured_method_and_edition(admin_client, coins):
    form = DonationFormFactory(methods_by_edition=EDITIONS)

    page = admin_client.get(
        reverse("wagtailsnippets_support_donationform:edit", args=[form.pk])
    ).text

    menus = method_menus(page)
    assert sorted(menus) == [
        f"methods_by_edition-{lang}-{n}" for lang in ("en", "ru") for n in range(3)
    ]
    assert set(map(tuple, menus.values())) == {("card", "monero", "bitcoin")}
    chosen = re.findall(
        r'<select name="methods_by_edition-ru-\d"[^>]*>.*?<option value="(\w+)" selected>',
        page,
        re.DOTALL,
    )
    assert chosen == ["monero", "bitcoin", "card"]
    assert f'value="{RU_WHY}"' in page


@pytest.fixture
def revenue_client(client):
    """Someone of the Revenue team, who sets up donation forms."""
    user = get_user_model().objects.create_user("fundraiser", "f@newsroom.test", "pw-12345")
    user.groups.add(Group.objects.get(name="Revenue team"))
    client.force_login(user)
    return client


def form_data(**changes) -> dict:
    return {
        "currency": "USD",
        "offer_once": "on",
        "offer_monthly": "on",
        "default_frequency": "monthly",
        "amounts_once": "10,25",
        "amounts_monthly": "5,10",
        "amounts_annual": "50",
        "minimum_minor": "2",
        "maximum_minor": "10000",
        **changes,
    }


def test_editors_order_each_editions_methods_and_say_why(revenue_client, coins):
    response = revenue_client.post(
        reverse("wagtailsnippets_support_donationform:add"),
        form_data(
            **{
                "methods_by_edition-ru-0": "monero",
                "methods_by_edition-ru-1": "bitcoin",
                "methods_by_edition-ru-2": "",
                "methods_by_edition-ru-why": f"  {RU_WHY} ",
                "methods_by_edition-en-0": "",
                "methods_by_edition-en-1": "",
                "methods_by_edition-en-2": "",
                "methods_by_edition-en-why": "",
            }
        ),
    )

    assert response.status_code == 302, response.text[:3000]
    assert DonationForm.objects.get().methods_by_edition == {
        "ru": {"methods": ["monero", "bitcoin"], "why": RU_WHY}
    }


@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ({"methods_by_edition-en-0": "paypal"}, "English: this site does not take paypal."),
        (
            {"methods_by_edition-en-0": "card", "methods_by_edition-en-1": "card"},
            "English: choose each method once (Card is there twice).",
        ),
        (
            {"methods_by_edition-ru-why": RU_WHY},
            "Русский: choose the methods the line on why is about.",
        ),
    ],
)
def test_the_admin_refuses_what_it_cannot_show(revenue_client, coins, posted, error):
    response = revenue_client.post(
        reverse("wagtailsnippets_support_donationform:add"), form_data(**posted)
    )

    assert response.status_code == 200
    assert error in BeautifulSoup(response.text, "html.parser").get_text(" ")
    assert not DonationForm.objects.exists()


def test_the_checkout_step_offers_the_editions_methods_in_its_order(client, coins):
    DonationFormFactory(currency="usd", methods_by_edition=EDITIONS)
    gift = {"currency": "usd", "frequency": "once", "custom_amount": "25"}
    ru = soup(client.post("/ru/support/checkout/", gift))
    assert [h.get_text() for h in ru.select("h2.checkout__method")] == [
        "Monero (XMR)",
        "Bitcoin (BTC)",
        "Банковская карта",
    ]
    en = soup(client.post("/en/support/checkout/", gift))
    assert [h.get_text() for h in en.select("h2.checkout__method")] == [
        "Card",
        "Monero (XMR)",
        "Bitcoin (BTC)",
    ]


def test_a_method_the_edition_left_out_cannot_be_chosen_at_checkout(client, coins):
    from samizdat.support.giving.forms import Gift, sign_gift
    from samizdat.support.models import PaymentRequest

    DonationFormFactory(currency="usd", methods_by_edition={"en": {"methods": ["card", "monero"]}})
    page = soup(
        client.post(
            "/en/support/checkout/", {"currency": "usd", "frequency": "once", "custom_amount": "25"}
        )
    )
    assert [h.get_text() for h in page.select("h2.checkout__method")] == ["Card", "Monero (XMR)"]
    token = sign_gift(Gift(2500, "usd", "once"))
    refused = client.post("/en/support/pay/address/", {"token": token, "method": "bitcoin"})
    assert "This form was changed after it was loaded" in refused.content.decode()
    assert not PaymentRequest.objects.exists()
