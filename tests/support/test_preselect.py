"""An appeal's button that names an amount opens the form with that amount and frequency chosen,
and recurring amounts say so ("$10 /month") wherever the form offers them, in both languages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from samizdat.support.models import Appeal
from samizdat.support.templatetags.support_tags import label_choice
from tests.support.factories import AppealFactory, DonationFormFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")

MODAL, BANNER, LETTER = Appeal.Kind.MODAL, Appeal.Kind.BANNER, Appeal.Kind.END_OF_ARTICLE


@pytest.fixture
def usd(db):
    return DonationFormFactory()  # monthly by default; 5, 10, 20, 50 a month; from $2 to $10,000


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def chosen(page: BeautifulSoup) -> dict[str, str]:
    """What the form shows chosen: the frequency tab, the checked amount's label, the custom
    amount, as a reader without JavaScript sees them."""
    form = page.select_one("form#support-form")
    tab = form.select_one("input[name=frequency][checked]")
    group = form.select_one(f".amounts[data-frequency={tab['value']}]")
    checked = group.select_one("input[checked]")
    label = form.select_one(f"label[for={checked['id']}]").get_text() if checked else ""
    return {
        "frequency": tab["value"],
        "amount": label,
        "custom": form.select_one("#gift-custom").get("value", ""),
    }


def support_page(client, query: str, language: str = "en") -> dict[str, str]:
    return chosen(soup(client.get(f"/{language}/support/?{query}")))


# The support page reads ?amount=&frequency= ----------------------------------------------------


@pytest.mark.usefixtures("usd")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("amount=20&frequency=monthly", ("monthly", "$20 /month", "")),
        ("amount=20.00&frequency=monthly", ("monthly", "$20 /month", "")),
        ("amount=50&frequency=once", ("once", "$50", "")),
        ("amount=200&frequency=annual", ("annual", "$200 /year", "")),
        # Not among the suggestions: typed in the custom amount for the reader.
        ("amount=2&frequency=monthly", ("monthly", "", "2")),
        ("amount=7.5&frequency=once", ("once", "", "7.5")),
        ("amount=13&frequency=annual", ("annual", "", "13")),
        # No frequency: the form's default one.
        ("amount=7", ("monthly", "", "7")),
    ],
)
def test_a_link_naming_an_amount_and_frequency_opens_the_form_with_them_chosen(
    client, query, expected
):
    frequency, amount, custom = expected

    assert support_page(client, query) == {
        "frequency": frequency,
        "amount": amount,
        "custom": custom,
    }


@pytest.mark.usefixtures("usd")
@pytest.mark.parametrize(
    "query",
    [
        "amount=10000.01&frequency=monthly",  # over the maximum
        "amount=99999999999999999999999&frequency=monthly",
        "amount=1.99&frequency=monthly",  # under the minimum
        "amount=0&frequency=monthly",
        "amount=-5&frequency=monthly",
        "amount=ten&frequency=monthly",
        "amount=1e3&frequency=monthly",
        "amount=%C2%B2&frequency=monthly",  # "²": a digit to str.isdigit, not to int()
        "amount=5.555&frequency=monthly",
        "amount=&frequency=monthly",
        "amount=20&frequency=monthly&amount=x",
    ],
)
def test_an_amount_the_form_cannot_take_leaves_the_form_as_it_is(client, query):
    assert support_page(client, query) == {
        "frequency": "monthly",
        "amount": "$10 /month",  # the form's own preselection: its second suggestion
        "custom": "",
    }


@pytest.mark.parametrize("frequency", ["weekly", "annual", ""])
def test_a_frequency_not_offered_never_turns_the_amount_into_another_frequency(
    client, db, frequency
):
    DonationFormFactory(offer_annual=False)

    # "Give $13 a year" where annual gifts are not offered: not $13 a month instead.
    found = support_page(client, f"amount=13&frequency={frequency}")

    assert found["frequency"] == "monthly"
    assert found["custom"] == ("13" if frequency == "" else "")


@pytest.mark.usefixtures("usd")
def test_the_preselected_form_posted_without_javascript_gives_what_the_button_said(client):
    form = soup(client.get("/en/support/?amount=2&frequency=monthly")).select_one(
        "form#support-form"
    )
    # What a browser without JavaScript sends: hidden fields, checked radios, the typed amount.
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data.update({i["name"]: i["value"] for i in form.select("input[type=radio][checked]")})
    data["custom_amount"] = form.select_one("#gift-custom").get("value", "")

    checkout = soup(client.post(form["action"], data))

    summary = checkout.select_one(".checkout__summary").get_text(" ", strip=True)
    assert summary.startswith("$2 monthly")


# Appeal buttons ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "choice"),
    [
        ("Give $2 a month", {"amount": "2", "frequency": "monthly"}),
        ("Дать $2 в месяц", {"amount": "2", "frequency": "monthly"}),
        ("Give $1,000 a year", {"amount": "1000", "frequency": "annual"}),
        ("Подарить 1 000 ₽ ежегодно", {"amount": "1000", "frequency": "annual"}),
        ("Дать 5 € в год", {"amount": "5", "frequency": "annual"}),
        ("€2,50 every month", {"amount": "2.50", "frequency": "monthly"}),
        ("Give $25", {"amount": "25", "frequency": "once"}),
        ("Support us", {}),
        ("Поддержать", {}),
    ],
)
def test_a_button_label_names_the_amount_and_frequency_it_asks_for(label, choice):
    assert label_choice(label) == choice


@pytest.mark.parametrize(
    ("language", "label", "title"),
    [("en", "Give $2 a month", "Enjoying it?"), ("ru", "Дать $2 в месяц", "Нравится?")],
)
def test_the_modal_button_give_2_a_month_opens_the_form_at_2_a_month(
    client, newsroom, usd, language, label, title
):
    english = newsroom.article("The ferry strike")
    story = english
    if language == "ru":
        story = newsroom.article("Забастовка", language="ru", translation_of=english)
    AppealFactory(
        kind=MODAL,
        locale=story.locale,
        variants=[{"headline": title, "button_label": label}],
    )
    AppealFactory(kind=LETTER, locale=story.locale)  # a form on the page too: still a link

    link = soup(client.get(story.url)).select_one("dialog.appeal-modal a[data-support]")
    url = urlsplit(link["href"])

    assert link.get_text() == label
    assert url.path == f"/{language}/support/"
    assert parse_qs(url.query)["amount"] == ["2"]
    assert parse_qs(url.query)["frequency"] == ["monthly"]
    # Followed without JavaScript: the support page, Monthly and $2 chosen.
    assert chosen(soup(client.get(link["href"]))) == {
        "frequency": "monthly",
        "amount": "",
        "custom": "2",
    }


def test_a_button_naming_no_amount_still_jumps_to_the_letter(client, newsroom, usd):
    story = newsroom.article("The ferry strike")
    AppealFactory(kind=BANNER, variants=[{"button_label": "Support us"}])
    AppealFactory(kind=LETTER)

    link = soup(client.get(story.url)).select_one("aside.appeal-banner a[data-support]")

    assert link["href"] == "#support"


# Recurring amounts say so ------------------------------------------------------------------------


@pytest.mark.usefixtures("usd")
@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "en",
            {
                "once": ["$10", "$25", "$50", "$100"],
                "monthly": ["$5 /month", "$10 /month", "$20 /month", "$50 /month"],
                "annual": ["$50 /year", "$100 /year", "$200 /year", "$500 /year"],
            },
        ),
        (
            "ru",
            {
                "once": ["10\xa0$", "25\xa0$", "50\xa0$", "100\xa0$"],
                "monthly": ["5\xa0$/мес.", "10\xa0$/мес.", "20\xa0$/мес.", "50\xa0$/мес."],
                "annual": ["50\xa0$/год", "100\xa0$/год", "200\xa0$/год", "500\xa0$/год"],
            },
        ),
    ],
)
def test_recurring_amounts_say_how_often_without_javascript(client, language, labels):
    form = soup(client.get(f"/{language}/support/")).select_one("form#support-form")

    shown = {
        group["data-frequency"]: [label.get_text() for label in group.select("label")]
        for group in form.select(".amounts")
    }

    assert shown == labels


@pytest.mark.usefixtures("usd")
@pytest.mark.parametrize(
    ("language", "continue_", "per", "money"),
    [
        ("en", "Continue: %s", ["%s", "%s /month", "%s /year"], "$%s"),
        ("ru", "Продолжить: %s", ["%s", "%s/мес.", "%s/год"], "%s\xa0$"),
    ],
)
def test_the_continue_button_has_the_words_to_name_the_gift(
    client, language, continue_, per, money
):
    # support.js fills these in as the reader chooses: "Continue: $10 /month".
    form = soup(client.get(f"/{language}/support/")).select_one("form#support-form")

    assert form.select_one("button[data-continue]")["data-continue"] == continue_
    assert [form[f"data-per-{f}"] for f in ("once", "monthly", "annual")] == per
    assert form.select_one("[data-currency=usd]")["data-money"] == money
