"""Appeals that know whom they talk to, in a real browser: a donor stops being asked (after a
gift paid through localstripe, or the manage link), and the rules editors set per appeal
(articles read this month, a weekly cap, arriving from the newsletter, lapsed donors) are
decided in the browser from localStorage, with nothing sent and no cookie."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from playwright.sync_api import expect

from samizdat.support.donors.selfservice import make_link_token
from samizdat.support.giving.views import thanks_url
from samizdat.support.models import Appeal, Donation, RecurringDonation
from tests.browser.test_support import pay_with_card
from tests.localstripe import CARD_OK
from tests.support.factories import (
    AppealFactory,
    CampaignFactory,
    DonationFactory,
    DonationFormFactory,
    RecurringDonationFactory,
)

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/h9-shots")
KEY = "samizdat:support"
DAY_MS = 86_400_000
THANKS = "Thank you for keeping us going"


@pytest.fixture
def newsroom(live_newsroom):
    cache.clear()  # the rate limits of earlier tests, counted on the same loopback address
    DonationFormFactory()
    CampaignFactory(goal_minor=1_000_000)
    return live_newsroom


def modal(page):
    return page.locator("dialog.appeal-modal:visible")


def letter(page):
    return page.locator("section.appeal-letter")


def remembered(page) -> dict:
    return page.evaluate(f"JSON.parse(localStorage.getItem('{KEY}') || '{{}}')")


def remember(page, **values) -> None:
    """Set what this browser remembers (on a page of the site: localStorage is per origin)."""
    page.evaluate(
        "([key, values]) => localStorage.setItem(key, JSON.stringify("
        "Object.assign(JSON.parse(localStorage.getItem(key) || '{}'), values)))",
        [KEY, values],
    )


def thanking_appeals(
    locale=None,
    thanks=THANKS,
    text="<p>Your gift paid for this story.</p>",
    ask="Enjoying ad-free journalism?",
):
    """A modal and a letter that thank current donors, and a banner that hides from them."""
    extra = {"locale": locale} if locale else {}
    thanking = {
        "donors_see": Appeal.DonorsSee.THANKS,
        "thanks_headline": thanks,
        "thanks_text": text,
    }
    AppealFactory(
        kind=Appeal.Kind.MODAL,
        variants=[{"headline": ask}],
        **thanking,
        **extra,
    )
    AppealFactory(
        kind=Appeal.Kind.END_OF_ARTICLE,
        variants=[{"headline": "Dear reader,"}],
        **thanking,
        **extra,
    )
    AppealFactory(kind=Appeal.Kind.BANNER, variants=[{"headline": "We are reader-funded"}], **extra)


def test_after_a_paid_gift_the_donor_is_thanked_instead_of_asked(
    page, reader, newsroom, stripe_settings
):
    thanking_appeals()
    article = newsroom.article("The ferry strike")
    cookies_before = page.context.cookies()

    page.goto(reader(article.url))
    expect(modal(page).get_by_role("heading")).to_have_text("Enjoying ad-free journalism?")
    modal(page).get_by_role("link", name="Support us").click()
    form = page.locator("form#support-form")
    form.locator("label", has_text="Once").click()
    form.locator("fieldset.amounts[data-frequency=once] label", has_text="$25").click()
    form.get_by_role("button", name="Continue").click()
    page.get_by_label("E-mail").fill("donor@example.org")
    pay_with_card(page, CARD_OK)
    page.get_by_role("button", name="Give $25 once").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    expect(page.get_by_text("This browser now remembers that you gave")).to_be_visible()
    paid = Donation.objects.get(status=Donation.Status.PAID)
    assert remembered(page)["d"] == {"kind": "once", "at": int(paid.paid_at.timestamp()) * 1000}

    page.goto(reader(article.url))
    # The letter thanks instead of asking; the banner hides from donors; the modal stays away
    # as the reader closed it going to give.
    expect(letter(page).get_by_role("heading", name=THANKS)).to_be_visible()
    expect(letter(page).get_by_text("Your gift paid for this story.")).to_be_visible()
    expect(letter(page).get_by_text("Dear reader,")).to_be_hidden()
    expect(letter(page).locator("form#support-form")).to_be_hidden()
    expect(page.locator("aside.appeal-banner")).to_be_hidden()
    expect(modal(page)).to_have_count(0)
    assert page.context.cookies() == cookies_before == []


def test_a_donor_can_make_the_browser_forget_the_gift(page, reader, newsroom):
    thanking_appeals()
    article = newsroom.article("The ferry strike")

    page.goto(reader(thanks_url(DonationFactory(frequency="monthly"))))
    assert remembered(page)["d"]["kind"] == "monthly"
    page.get_by_role("button", name="Forget it on this device").click()
    expect(page.get_by_text("this browser no longer remembers your gift")).to_be_visible()
    assert "d" not in remembered(page)

    page.goto(reader(article.url))
    expect(modal(page).get_by_role("heading")).to_have_text("Enjoying ad-free journalism?")
    expect(letter(page).get_by_role("button", name="Continue")).to_be_visible()


def test_the_manage_link_marks_a_donor_and_a_cancelled_gift_a_lapsed_one(page, reader, newsroom):
    thanking_appeals()
    AppealFactory(
        kind=Appeal.Kind.BANNER,
        audience=Appeal.Audience.LAPSED,
        variants=[{"headline": "We miss you"}],
    )
    article = newsroom.article("The ferry strike")
    monthly = RecurringDonationFactory()
    DonationFactory(recurring=monthly)
    manage = reader(f"/en/support/manage/{make_link_token(monthly.donor)}/")

    page.goto(manage)
    page.goto(reader(article.url))
    dialog = modal(page)
    expect(dialog.get_by_role("heading")).to_have_text(THANKS)
    expect(dialog.get_by_text("Your gift paid for this story.")).to_be_visible()
    expect(dialog.get_by_role("link", name="Support us")).to_be_hidden()
    expect(page.locator("aside.appeal-banner:visible")).to_have_count(0)

    # Cancelled (here, or by the provider's webhook): the donor's page says so, and the browser.
    monthly.status, monthly.cancelled_at = RecurringDonation.Status.CANCELLED, timezone.now()
    monthly.save()
    page.goto(manage)
    expect(page.get_by_text("Cancelled on")).to_be_visible()
    assert remembered(page)["d"]["cancelled"] == 1

    page.goto(reader(article.url))
    expect(page.locator("aside.appeal-banner:visible")).to_contain_text("We miss you")


def test_a_one_time_gift_over_a_year_ago_makes_a_lapsed_donor(page, reader, newsroom):
    AppealFactory(
        kind=Appeal.Kind.MODAL,
        audience=Appeal.Audience.LAPSED,
        variants=[{"headline": "We miss you"}],
    )
    AppealFactory(kind=Appeal.Kind.MODAL, variants=[{"headline": "Enjoying ad-free journalism?"}])
    article = newsroom.article("The ferry strike")
    now = int(time.time() * 1000)

    page.goto(reader(article.url))
    expect(modal(page).get_by_role("heading")).to_have_text("Enjoying ad-free journalism?")

    for days_ago, shown in ((400, "We miss you"), (300, None)):
        context = page.context.browser.new_context()
        try:
            other = context.new_page()
            other.goto(reader("/en/support/"))
            remember(other, d={"kind": "once", "at": now - days_ago * DAY_MS})
            other.goto(reader(article.url))
            if shown:
                expect(modal(other).get_by_role("heading")).to_have_text(shown)
            else:  # a donor of this year: the appeal for everyone hides from donors
                other.wait_for_load_state("networkidle")
                expect(modal(other)).to_have_count(0)
        finally:
            context.close()


def test_an_appeal_after_three_articles_shows_from_the_third(page, reader, newsroom):
    AppealFactory(
        kind=Appeal.Kind.MODAL, min_articles=3, variants=[{"headline": "Your third story"}]
    )
    articles = [newsroom.article(f"Story {n}") for n in (1, 2, 3)]

    for article in articles[:2]:
        page.goto(reader(article.url))
        page.wait_for_load_state("networkidle")
        expect(modal(page)).to_have_count(0)
    page.reload()  # a reload is not another article
    page.wait_for_load_state("networkidle")
    expect(modal(page)).to_have_count(0)

    page.goto(reader(articles[2].url))
    expect(modal(page).get_by_role("heading")).to_have_text("Your third story")
    assert remembered(page)["r"][1] == 3


def test_at_most_once_a_week(page, reader, newsroom):
    banner = AppealFactory(
        kind=Appeal.Kind.BANNER, per_week=1, variants=[{"headline": "Once a week"}]
    )
    first, second = newsroom.article("Story 1"), newsroom.article("Story 2")
    shown = page.locator("aside.appeal-banner:visible")

    page.goto(reader(first.url))
    expect(shown).to_contain_text("Once a week")
    page.goto(reader(second.url))
    page.wait_for_load_state("networkidle")
    expect(shown).to_have_count(0)

    eight_days_ago = int(time.time() * 1000) - 8 * DAY_MS
    remember(page, w={str(banner.pk): [eight_days_ago]})
    page.goto(reader(first.url))
    expect(shown).to_contain_text("Once a week")


def test_readers_from_the_newsletter_get_its_appeal_for_their_whole_visit(
    page, reader, newsroom, browser
):
    AppealFactory(
        kind=Appeal.Kind.BANNER, sources="newsletter", variants=[{"headline": "Hello, subscriber"}]
    )
    AppealFactory(kind=Appeal.Kind.BANNER, variants=[{"headline": "We are reader-funded"}])
    first, second = newsroom.article("Story 1"), newsroom.article("Story 2")
    shown = page.locator("aside.appeal-banner:visible")

    page.goto(reader(first.url + "?utm_source=newsletter"))
    expect(shown).to_contain_text("Hello, subscriber")
    page.goto(reader(second.url))  # the same visit, without the tag in the address
    expect(shown).to_contain_text("Hello, subscriber")

    context = browser.new_context()
    try:
        stranger = context.new_page()
        stranger.goto(reader(second.url))
        expect(stranger.locator("aside.appeal-banner:visible")).to_contain_text(
            "We are reader-funded"
        )
        stranger.goto(reader(first.url + "#utm_source=newsletter"))  # never sent to the server
        expect(stranger.locator("aside.appeal-banner:visible")).to_contain_text("Hello, subscriber")
    finally:
        context.close()


def test_without_javascript_the_letter_for_everyone_shows(browser, reader, newsroom):
    AppealFactory(
        kind=Appeal.Kind.END_OF_ARTICLE, min_articles=3, variants=[{"headline": "Third story!"}]
    )
    AppealFactory(kind=Appeal.Kind.END_OF_ARTICLE, variants=[{"headline": "Dear reader,"}])
    article = newsroom.article("The ferry strike")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(reader(article.url))

        expect(letter(page).get_by_text("Dear reader,")).to_be_visible()
        expect(letter(page).get_by_text("Third story!")).to_be_hidden()
        expect(letter(page).get_by_role("button", name="Continue")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_an_appeal_and_the_donors_thank_you(
    browser, reader, newsroom, language, width
):
    english = newsroom.article("The ferry strike")
    if language == "ru":
        from wagtail.models import Locale

        thanking_appeals(
            locale=Locale.objects.get(language_code="ru"),
            thanks="Спасибо, что вы с нами",
            text="<p>Ваш взнос оплатил этот репортаж.</p>",
            ask="Нравится журналистика без рекламы?",
        )
        article = newsroom.article("Забастовка паромщиков", language="ru", translation_of=english)
    else:
        thanking_appeals()
        article = english
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 860})
    try:
        page = context.new_page()
        page.goto(reader(article.url))
        expect(page.locator("dialog.appeal-modal:visible")).to_have_count(1)
        page.screenshot(path=SHOTS / f"appeal-{language}-{width}.png")
        remember(page, d={"kind": "monthly", "at": int(time.time() * 1000)}, x={})
        page.goto(reader(article.url))
        dialog = page.locator("dialog.appeal-modal:visible")
        expect(dialog.locator("[data-thanks]")).to_be_visible()
        page.screenshot(path=SHOTS / f"thanks-{language}-{width}.png")
        dialog.locator("[data-close]").click()
        letter(page).scroll_into_view_if_needed()
        expect(letter(page).locator("[data-thanks]")).to_be_visible()
        letter(page).screenshot(path=SHOTS / f"thanks-letter-{language}-{width}.png")
        with translation.override(language):
            page.goto(reader(thanks_url(DonationFactory(frequency="monthly"))))
        expect(page.locator("[data-forget]")).to_be_visible()
        page.screenshot(path=SHOTS / f"thanks-page-{language}-{width}.png", full_page=True)
    finally:
        context.close()
