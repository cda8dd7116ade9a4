"""What a reader's article page carries: which appeals, hidden until the browser decides, and a
form that works without JavaScript; plus the anonymous counters and "Remind me later"."""

from __future__ import annotations

import datetime
import json
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from samizdat.core.emails import email_hash
from samizdat.support.giving.forms import consent_text
from samizdat.support.models import (
    Appeal,
    AppealStat,
    Donation,
    Donor,
    Reminder,
)
from samizdat.support.templatetags import support_tags
from tests.support.factories import AppealFactory, CampaignFactory, DonationFormFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")

MODAL, BANNER, LETTER = Appeal.Kind.MODAL, Appeal.Kind.BANNER, Appeal.Kind.END_OF_ARTICLE


@pytest.fixture
def story(newsroom):
    DonationFormFactory()
    return newsroom.article("The ferry strike")


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text_of(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


def appeals_on(client, article, **headers) -> dict[str, object]:
    page = soup(client.get(article.url, **headers))
    return {
        "modal": page.select_one("dialog.appeal-modal"),
        "banner": page.select_one("aside.appeal-banner"),
        "letter": page.select_one("section.appeal-letter"),
        "page": page,
    }


def test_article_carries_its_languages_modal_banner_and_letter(client, story):
    modal = AppealFactory(kind=MODAL, variants=[{"headline": "Enjoying ad-free journalism?"}])
    banner = AppealFactory(kind=BANNER, variants=[{"headline": "We are reader-funded"}])
    letter = AppealFactory(kind=LETTER, variants=[{"headline": "Dear reader"}])

    found = appeals_on(client, story)

    assert found["modal"]["data-appeal"] == str(modal.pk)
    assert found["modal"].h2.get_text() == "Enjoying ad-free journalism?"
    assert found["banner"]["data-appeal"] == str(banner.pk)
    assert found["letter"].select_one("[data-appeal]")["data-appeal"] == str(letter.pk)
    assert found["page"].select_one("script[src$='support.js']")


def test_modal_and_banner_are_hidden_until_the_browser_decides(client, story):
    AppealFactory(kind=MODAL)
    AppealFactory(kind=BANNER)

    found = appeals_on(client, story)

    assert found["modal"].has_attr("hidden")
    assert found["modal"]["aria-modal"] == "true"
    assert found["modal"].select_one("button[data-close]")["aria-label"] == "Close"
    assert found["banner"].has_attr("hidden")


def test_letter_and_form_show_without_javascript_with_the_first_variant(client, story):
    appeal = AppealFactory(
        kind=LETTER,
        variants=[
            {"headline": "Dear reader", "body": "<p>We dropped all ads.</p>"},
            {"headline": "A letter, version B"},
        ],
    )
    first, second = appeal.variants.order_by("sort_order")

    letter = appeals_on(client, story)["letter"]

    assert not letter.has_attr("hidden")
    assert letter.h2.get_text() == "A message from The Test Gazette"
    shown = [v for v in letter.select("[data-variant]") if not v.has_attr("hidden")]
    assert [v["data-variant"] for v in shown] == [str(first.pk)]
    assert "We dropped all ads." in shown[0].get_text()
    assert letter.select_one(f"[data-variant='{second.pk}']").has_attr("hidden")
    form = letter.select_one("form#support-form")
    assert form["action"] == "/en/support/checkout/"
    assert form.select_one("input[name=variant]")["value"] == str(first.pk)
    assert form.select_one("input[name=page]")["value"] == str(story.pk)
    assert letter.select_one("details.remind form")["action"] == "/en/support/remind/"


def test_form_posted_without_javascript_reaches_checkout(client, story):
    AppealFactory(kind=LETTER)
    form = appeals_on(client, story)["letter"].select_one("form#support-form")
    # What a browser without JavaScript sends: hidden fields and the checked radios.
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data.update({i["name"]: i["value"] for i in form.select("input[type=radio][checked]")})

    checkout = soup(client.post(form["action"], data))

    assert (
        checkout.select_one(".checkout__summary")
        .get_text(" ", strip=True)
        .startswith("$10 monthly")
    )


def test_appeals_follow_the_page_language(client, newsroom):
    DonationFormFactory()
    english = newsroom.article("The ferry strike")
    russian = newsroom.article("Забастовка", language="ru", translation_of=english)
    AppealFactory(kind=MODAL, locale=russian.locale, variants=[{"headline": "Нравится?"}])

    assert appeals_on(client, english)["modal"] is None
    assert appeals_on(client, english)["page"].select_one("script[src$='support.js']") is None
    modal = appeals_on(client, russian)["modal"]
    assert modal.h2.get_text() == "Нравится?"


def test_appeal_for_one_section_shows_only_there_and_beats_a_general_one(client, newsroom):
    DonationFormFactory()
    news = newsroom.article("A news story", section="news")
    culture = newsroom.article("A culture story", section="culture")
    AppealFactory(kind=MODAL, variants=[{"headline": "Everywhere"}])
    AppealFactory(
        kind=MODAL, sections=[newsroom.section("culture")], variants=[{"headline": "Culture"}]
    )

    assert appeals_on(client, news)["modal"].h2.get_text() == "Everywhere"
    assert appeals_on(client, culture)["modal"].h2.get_text() == "Culture"


def test_appeal_for_one_domain_shows_only_on_that_domain(client, story, settings):
    settings.ALLOWED_HOSTS = ["localhost", "mirror.example.net", "testserver"]
    AppealFactory(kind=BANNER, domains="mirror.example.net, other.example")

    assert appeals_on(client, story)["banner"] is None
    assert appeals_on(client, story, HTTP_HOST="mirror.example.net")["banner"] is not None


def test_appeals_outside_their_schedule_or_switched_off_are_not_shown(client, story):
    now = timezone.now()
    AppealFactory(kind=MODAL, starts_at=now + datetime.timedelta(days=1))
    AppealFactory(kind=BANNER, ends_at=now - datetime.timedelta(minutes=1))
    AppealFactory(kind=LETTER, live=False)
    AppealFactory(kind=LETTER, variants=[{"weight": 0}])  # its only variant is paused

    found = appeals_on(client, story)

    assert found["modal"] is found["banner"] is found["letter"] is None
    assert found["page"].select_one("#support-config") is None


def test_config_lists_each_appeal_with_its_variants_weights_and_snooze(client, story):
    modal = AppealFactory(kind=MODAL, snooze_days=3, variants=[{"weight": 3}, {"weight": 1}])
    letter = AppealFactory(kind=LETTER)
    a, b = modal.variants.order_by("sort_order")

    page = appeals_on(client, story)["page"]
    config = json.loads(page.select_one("script#support-config[type='application/json']").string)

    by_kind = {appeal["kind"]: appeal for appeal in config["appeals"]}
    assert by_kind["modal"] == {
        "id": modal.pk,
        "kind": "modal",
        "snooze": 3,
        "variants": [[a.pk, 3], [b.pk, 1]],
    }
    assert by_kind["end_of_article"]["variants"] == [[letter.variants.get().pk, 1]]
    assert config["stats"] == "/en/support/stats/"
    assert config["remindDays"] == 7


def test_modal_shows_the_goal_and_its_button_jumps_to_the_letter(client, story):
    CampaignFactory(goal_minor=1_000_000)
    donor = Donor.objects.create(email="a@example.org", email_hash=email_hash("a@example.org"))
    Donation.objects.create(
        donor=donor,
        amount_minor=642_000,
        currency="usd",
        frequency="once",
        status=Donation.Status.PAID,
        paid_at=timezone.now(),
    )
    AppealFactory(kind=MODAL)
    AppealFactory(kind=LETTER)

    modal = appeals_on(client, story)["modal"]

    # The figure is in the goal's own frame, which screen readers read as text.
    frame = modal.select_one(".goal iframe")
    assert frame["title"] == "This month's funding goal"
    goal = soup(client.get(frame["src"]))
    assert goal.select_one(".goal__text").get_text() == "$6,420 of $10,000 this month"
    assert goal.select_one("progress")["value"] == "64"
    assert modal.select_one("a[data-support]")["href"] == "#support"


def test_without_a_letter_the_modal_button_leads_to_the_support_page(client, story):
    modal = AppealFactory(kind=MODAL)

    link = appeals_on(client, story)["modal"].select_one("a[data-support]")

    assert link["href"] == f"/en/support/?variant={modal.variants.get().pk}"


def test_stats_endpoint_only_adds_to_todays_counters(client, story):
    variant = AppealFactory(kind=MODAL).variants.get()

    # Two readers see the appeal, one clicks.
    beacons = [("192.0.2.1", "impression"), ("192.0.2.2", "impression"), ("192.0.2.1", "click")]
    for address, event in beacons:
        response = client.post(
            "/en/support/stats/", {"v": variant.pk, "e": event}, REMOTE_ADDR=address
        )
        assert response.status_code == 204
        assert not response.cookies

    stat = AppealStat.objects.get()
    assert (stat.day, stat.variant_id) == (timezone.localdate(), variant.pk)
    assert (stat.impressions, stat.clicks, stat.completed) == (2, 1, 0)


@pytest.mark.parametrize(
    "data",
    [
        {"v": "999999", "e": "impression"},
        {"v": "not-a-number", "e": "click"},
        {"v": "", "e": "click"},
        {"e": "impression"},
        {"v": "VARIANT", "e": "purchase"},
    ],
)
def test_stats_endpoint_ignores_unknown_variants_and_events(client, story, data):
    variant = AppealFactory(kind=MODAL).variants.get()
    data = {key: str(variant.pk) if value == "VARIANT" else value for key, value in data.items()}

    assert client.post("/en/support/stats/", data).status_code == 204
    assert not AppealStat.objects.exists()


def test_remind_me_later_creates_one_reminder_with_the_consent_the_reader_saw(client, story):
    AppealFactory(kind=LETTER)
    before = timezone.now()

    response = client.post("/en/support/remind/", {"email": "Reader@Example.org", "consent": "1"})

    assert "We will send one reminder to reader@example.org" in text_of(response)
    reminder = Reminder.objects.get()
    assert reminder.email == "reader@example.org"
    assert reminder.email_hash == email_hash("reader@example.org")
    assert reminder.language == "en"
    assert reminder.consent_text == consent_text(7)
    assert "one reminder by e-mail in 7 days" in reminder.consent_text
    due = reminder.remind_at - before
    assert datetime.timedelta(days=7) <= due < datetime.timedelta(days=7, minutes=1)
    # The checkbox on the page says exactly what was recorded.
    letter = appeals_on(client, story)["letter"]
    assert consent_text(7) in letter.select_one("details.remind label.check").get_text()


def test_asking_twice_still_makes_one_reminder(client, story):
    for _ in range(2):
        client.post("/en/support/remind/", {"email": "reader@example.org", "consent": "1"})

    assert Reminder.objects.count() == 1


def test_reminder_is_recorded_in_the_readers_language(client, story):
    client.post("/ru/support/remind/", {"email": "chitatel@example.org", "consent": "1"})

    assert Reminder.objects.get().language == "ru"


def test_no_reminder_without_consent_or_without_an_address(client, story):
    refused = client.post("/en/support/remind/", {"email": "reader@example.org"})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()

    no_address = client.post("/en/support/remind/", {"consent": "1"})
    assert no_address.status_code == 200
    assert "We won't ask you again in this browser for 7 days" in text_of(no_address)

    assert not Reminder.objects.exists()


def test_reader_pages_set_no_cookies(client, story):
    AppealFactory(kind=MODAL)
    AppealFactory(kind=LETTER)
    gift = {"currency": "usd", "frequency": "monthly", "amount_monthly": "10"}

    responses = [
        client.get(story.url),
        client.get("/en/support/"),
        client.post("/en/support/checkout/", gift),
        client.post("/en/support/checkout/", {**gift, "custom_amount": "1"}),
        client.post("/en/support/remind/", {"email": "r@example.org", "consent": "1"}),
        client.post("/en/support/stats/", {"v": "1", "e": "impression"}),
    ]

    for response in responses:
        assert response.status_code in (200, 204), response.status_code
        assert "Set-Cookie" not in response.headers
        assert not response.cookies


def test_pages_other_than_checkout_do_not_load_the_providers_script(client, story):
    AppealFactory(kind=MODAL)
    AppealFactory(kind=LETTER)
    gift = {"currency": "usd", "frequency": "monthly", "amount_monthly": "10"}

    for response in (client.get(story.url), client.get("/en/support/")):
        scripts = [s["src"] for s in soup(response).select("script[src]")]
        assert scripts and all(src.startswith("/static/") for src in scripts), scripts

    checkout = soup(client.post("/en/support/checkout/", gift))
    assert any("js.stripe.com" in s["src"] for s in checkout.select("script[src]"))


def test_appeal_changes_show_after_the_next_publish(client, newsroom):
    DonationFormFactory()
    article = newsroom.article("First")
    assert appeals_on(client, article)["modal"] is None

    AppealFactory(kind=MODAL)
    newsroom.article("Second")  # publishing bumps the structure generation the cache follows

    assert appeals_on(client, article)["modal"] is not None


def test_article_with_every_kind_of_appeal_fits_the_page_weight_budget(client, newsroom):
    from tests.newsroom.test_page_weight import (
        JS_BUDGET,
        PAGE_BUDGET,
        local_asset_size,
        long_article,
    )

    DonationFormFactory()
    CampaignFactory()
    AppealFactory(kind=MODAL, variants=[{}, {"headline": "Version B"}])
    AppealFactory(kind=BANNER, variants=[{}, {"headline": "Version B"}])
    AppealFactory(kind=LETTER, variants=[{}, {"headline": "Version B"}])
    article = long_article(newsroom)

    response = client.get(article.url)
    page = soup(response)
    css = sum(local_asset_size(link["href"]) for link in page.select("link[rel=stylesheet]"))
    js = sum(local_asset_size(script["src"]) for script in page.select("script[src]"))
    inline_js = sum(
        len(s.string or "")
        for s in page.select("script")
        if not s.get("src") and s.get("type") not in ("application/ld+json", "application/json")
    )
    print(f"article with appeals: html={len(response.content)} css={css} js={js}")
    support_js = local_asset_size(page.select_one("script[src*='support.js']")["src"])
    assert support_js <= 9 * 1024  # support.js's share of the page's JavaScript
    assert len(response.content) + css + js <= PAGE_BUDGET
    assert js + inline_js <= JS_BUDGET


def test_appeal_overlays_are_rendered_once_per_copy_and_language(client, newsroom, settings):
    settings.SAMIZDAT_PAGE_CACHE = False  # every request renders its page
    DonationFormFactory()
    appeal = AppealFactory(kind=MODAL, variants=[{"headline": "Enjoying ad-free journalism?"}])
    AppealFactory(kind=MODAL, locale=newsroom.locale("ru"), variants=[{"headline": "Нравится?"}])
    stories = [newsroom.article("The ferry strike"), newsroom.article("Паром", language="ru")]
    rendered = []
    render = support_tags._render_overlays

    def counted(*args):
        rendered.append(args)
        return render(*args)

    def headline(article) -> str:
        return appeals_on(client, article)["modal"].h2.get_text()

    with mock.patch.object(support_tags, "_render_overlays", counted):
        for _ in range(3):
            assert [headline(story) for story in stories] == [
                "Enjoying ad-free journalism?",
                "Нравится?",
            ]
        assert len(rendered) <= 2  # once each (or none, kept from an earlier test)

        variant = appeal.variants.get()
        variant.headline = "Still enjoying it?"
        variant.save()
        assert headline(stories[0]) == "Still enjoying it?"
