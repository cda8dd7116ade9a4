"""In a real browser, in English and Russian: an appeal's "Give $2 a month" opens the form at $2
a month (with JavaScript on the article, without it on the support page), amounts and Continue
say how often, and after a one-time card gift the thank-you page makes it monthly in one click.

Screenshots of the form and of the offer at 1280 and 390 px wide go to /tmp/h10-shots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect
from wagtail.models import Locale

from samizdat.support.models import Appeal, Donation, RecurringDonation, Reminder
from tests.browser.test_support import modal_of, pay_with_card
from tests.localstripe import CARD_OK
from tests.support.factories import AppealFactory, CampaignFactory, DonationFormFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/h10-shots")
WORDS = {
    "en": {
        "headline": "Ferry crews strike over six months of unpaid wages",
        "button": "Give $2 a month",
        "continue": "Continue: $2 /month",
        "annual": "Annual",
        "annual_continue": "Continue: $100 /year",
        "typed_continue": "Continue: $30 /year",
        "summary": "$2 monthly",
        "give_once": "Give $25 once",
        "offer": "Give $8 a month",
        "thanks": "Your gift: $8 monthly.",
        "remind": "Remind me next month",
        "reminded": "We will remind you",
    },
    "ru": {
        "headline": "Паромщики бастуют из-за долгов по зарплате",
        "button": "Дать $2 в месяц",
        "continue": "Продолжить: 2\xa0$/мес.",
        "annual": "Ежегодно",
        "annual_continue": "Продолжить: 100\xa0$/год",
        "typed_continue": "Продолжить: 30\xa0$/год",
        "summary": "2\xa0$ ежемесячно",
        "give_once": "Пожертвовать 25\xa0$ разово",
        "offer": "Давать 8\xa0$ в месяц",
        "thanks": "Ваше пожертвование: 8\xa0$ ежемесячно.",
        "remind": "Напомнить через месяц",
        "reminded": "Мы напомним",
    },
}


@pytest.fixture
def appeals(live_newsroom, stripe_settings):  # noqa: F811
    """An article in each language with a modal whose button names $2 a month, and a letter."""
    cache.clear()  # the rate limits of earlier tests, counted on the same loopback address
    DonationFormFactory()
    CampaignFactory(goal_minor=1_000_000)
    english = live_newsroom.article(WORDS["en"]["headline"])
    russian = live_newsroom.article(WORDS["ru"]["headline"], language="ru", translation_of=english)
    for language in ("en", "ru"):
        locale = Locale.objects.get(language_code=language)
        AppealFactory(
            kind=Appeal.Kind.MODAL,
            locale=locale,
            variants=[
                {"headline": "No ads. Just readers.", "button_label": WORDS[language]["button"]}
            ],
        )
        AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE, locale=locale)
    return {"en": english, "ru": russian}


def shoot(page, target, name: str) -> None:
    """`target` at 1280 and 390 px wide, in /tmp/h10-shots/<name>-<width>.png."""
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        target.scroll_into_view_if_needed()
        target.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language", ["en", "ru"])
def test_give_2_a_month_in_the_modal_sets_the_form_on_the_article(page, reader, appeals, language):
    words = WORDS[language]
    page.goto(reader(appeals[language].url))

    modal_of(page).get_by_role("link", name=words["button"]).click()

    expect(modal_of(page)).to_be_hidden()
    assert page.url == reader(appeals[language].url)  # the reader stays on the article
    form = page.locator("form#support-form")
    expect(form).to_be_in_viewport()
    expect(form.locator("input[name=frequency][value=monthly]")).to_be_checked()
    expect(form.locator("#gift-custom")).to_have_value("2")
    expect(form.locator("fieldset.amounts[data-frequency=monthly] input:checked")).to_have_count(0)
    button = form.locator("button[type=submit]")
    expect(button).to_have_text(words["continue"])
    # Switching frequency says so on Continue; so does typing an amount.
    form.locator("fieldset.amounts[data-frequency=monthly] label").first.click()
    form.locator("label", has_text=words["annual"]).click()
    form.locator("fieldset.amounts[data-frequency=annual] label").nth(1).click()
    expect(button).to_have_text(words["annual_continue"])
    form.locator("#gift-custom").fill("30")
    expect(button).to_have_text(words["typed_continue"])
    form.locator("label", has_text=words["annual"]).click()
    shoot(page, form, f"form-{language}")

    form.locator("label[for=gift-f-monthly]").click()
    form.locator("#gift-custom").fill("2")
    expect(button).to_have_text(words["continue"])
    button.click()

    expect(page.locator(".checkout__summary strong")).to_have_text(words["summary"])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_without_javascript_the_button_opens_the_support_page_at_2_a_month(
    browser, reader, appeals, language
):
    words = WORDS[language]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(reader(appeals[language].url))
        # The modal shows only with JavaScript; its link is what a reader without it follows
        # from a banner or a shared link.
        link = modal_of(page).locator("a[data-support]")
        assert link.text_content() == words["button"]
        href = link.get_attribute("href")
        page.goto(reader(href))

        form = page.locator("form#support-form")
        expect(form.locator("input[name=frequency][value=monthly]")).to_be_checked()
        expect(form.locator("#gift-custom")).to_have_value("2")
        expect(form.locator("fieldset.amounts[data-frequency=monthly] label").first).to_have_text(
            {"en": "$5 /month", "ru": "5\xa0$/мес."}[language]
        )
        form.locator("button[type=submit]").click()

        expect(page.locator(".checkout__summary strong")).to_have_text(words["summary"])
    finally:
        context.close()


def give_25_once(page, reader, language: str) -> None:
    page.goto(reader(f"/{language}/support/?amount=25&frequency=once"))
    page.locator("form#support-form button[type=submit]").click()
    page.locator("input[name=email]").fill("ada@example.org")
    pay_with_card(page, CARD_OK)
    page.get_by_role("button", name=WORDS[language]["give_once"]).click()
    expect(page.locator(".thanks__gift")).to_be_visible(timeout=30_000)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_after_a_one_time_gift_one_click_makes_it_monthly_on_the_same_card(
    page, reader, appeals, language
):
    words = WORDS[language]
    give_25_once(page, reader, language)
    offer = page.locator("section.upsell")
    expect(offer).to_be_visible()
    shoot(page, page.locator("section.thanks"), f"upsell-{language}")

    offer.get_by_role("button", name=words["offer"]).dblclick()

    # Charging the saved card and the redirect after it can take seconds on a loaded machine.
    expect(page.locator(".thanks__gift")).to_have_text(words["thanks"], timeout=30_000)
    expect(page.locator("section.upsell")).to_have_count(0)
    recurring = RecurringDonation.objects.get()
    assert (recurring.amount_minor, recurring.frequency, recurring.status) == (
        800,
        "monthly",
        RecurringDonation.Status.ACTIVE,
    )
    monthly = Donation.objects.get(frequency="monthly")
    assert monthly.status == Donation.Status.PAID
    assert monthly.donor == Donation.objects.get(frequency="once").donor
    assert not page.context.cookies()


def test_remind_me_next_month_works_without_javascript_too(browser, reader, appeals):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        with_script = browser.new_context()
        try:
            # The card field needs the provider's script; the offer does not.
            give_25_once(with_script.new_page(), reader, "en")
            thanks_url = with_script.pages[0].url
        finally:
            with_script.close()
        page.goto(thanks_url)
        page.locator("section.upsell").get_by_role("button", name=WORDS["en"]["remind"]).click()

        expect(page.get_by_role("heading", level=1)).to_have_text(WORDS["en"]["reminded"])
        assert Reminder.objects.get().email == "ada@example.org"
        assert not RecurringDonation.objects.exists()
    finally:
        context.close()
