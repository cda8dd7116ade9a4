"""Appeals that know whom they talk to: each appeal's rules (donor or not, visit, source,
articles read, a weekly cap) reach the page as data attributes for the browser to check, every
appeal a browser might be shown is on the page in the order it tries them, the thank-you
current donors see is there too, and the pages that know a gift is paid mark the browser."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from samizdat.support.models import Appeal, Donation, RecurringDonation
from samizdat.support.templatetags.donor_tags import donor_mark, gift_mark
from tests.support.factories import (
    AppealFactory,
    DonationFactory,
    DonationFormFactory,
    DonorFactory,
    RecurringDonationFactory,
)

pytestmark = [pytest.mark.usefixtures("fresh_cache"), pytest.mark.django_db]

MODAL, BANNER, LETTER = Appeal.Kind.MODAL, Appeal.Kind.BANNER, Appeal.Kind.END_OF_ARTICLE
RULES = ("data-audience", "data-visit", "data-from", "data-min", "data-max", "data-week")


@pytest.fixture
def story(newsroom):
    DonationFormFactory()
    return newsroom.article("The ferry strike")


def page_of(client, article) -> BeautifulSoup:
    response = client.get(article.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def config_of(page) -> list[dict]:
    return json.loads(page.select_one("script#support-config").string)["appeals"]


def test_an_appeals_rules_are_on_its_element_for_the_browser_to_check(client, story):
    modal = AppealFactory(
        kind=MODAL,
        audience=Appeal.Audience.NEW,
        visit=Appeal.Visit.FIRST,
        sources="Newsletter, mastodon",
        min_articles=3,
        max_articles=10,
        per_week=1,
    )

    element = page_of(client, story).select_one(f"dialog[data-appeal='{modal.pk}']")

    assert {name: element.get(name) for name in RULES} == {
        "data-audience": "new",
        "data-visit": "first",
        "data-from": "newsletter mastodon",
        "data-min": "3",
        "data-max": "10",
        "data-week": "1",
    }
    assert not element.has_attr("data-donors")  # current donors are not shown it


def test_an_appeal_for_everyone_carries_no_rules(client, story):
    AppealFactory(kind=BANNER)

    element = page_of(client, story).select_one("aside.appeal-banner")

    assert not [name for name in (*RULES, "data-donors") if element.has_attr(name)]


def test_the_thank_you_current_donors_see_is_on_the_page_hidden(client, story):
    kwargs = {
        "donors_see": Appeal.DonorsSee.THANKS,
        "thanks_headline": "Thank you for keeping us going",
        "thanks_text": "<p>Your gift paid for this story.</p>",
    }
    modal = AppealFactory(kind=MODAL, **kwargs)
    AppealFactory(kind=BANNER, **kwargs)
    AppealFactory(kind=LETTER, **kwargs)

    page = page_of(client, story)

    dialog = page.select_one("dialog.appeal-modal")
    assert dialog["data-donors"] == "thanks"
    thanks = dialog.select_one("[data-thanks]")
    assert thanks.has_attr("hidden")
    assert thanks.h2["id"] == f"appeal-thanks-{modal.pk}"
    assert thanks.h2.get_text() == "Thank you for keeping us going"
    assert "Your gift paid for this story." in thanks.get_text()
    assert page.select_one("aside.appeal-banner [data-thanks]").get_text(strip=True) == (
        "Thank you for keeping us going"
    )
    letter_thanks = page.select_one("section.appeal-letter [data-thanks]")
    assert letter_thanks.has_attr("hidden")
    assert "Your gift paid for this story." in letter_thanks.get_text()


def test_every_appeal_a_browser_might_get_is_on_the_page_in_the_order_it_tries_them(client, story):
    older_general = AppealFactory(kind=MODAL, variants=[{"headline": "Older, for everyone"}])
    newsletter = AppealFactory(kind=MODAL, sources="newsletter", variants=[{"headline": "Hi"}])
    general = AppealFactory(kind=MODAL, variants=[{"headline": "For everyone"}])
    for_donors = AppealFactory(
        kind=MODAL, audience=Appeal.Audience.DONORS, variants=[{"headline": "Go monthly?"}]
    )

    page = page_of(client, story)

    # Those written for some readers first, newest first; then the newest for everyone. The
    # older one for everyone could never be shown (the newer one takes every reader it would):
    # not sent.
    expected = [for_donors.pk, newsletter.pk, general.pk]
    assert [int(d["data-appeal"]) for d in page.select("dialog.appeal-modal")] == expected
    assert [a["id"] for a in config_of(page)] == expected
    assert older_general.pk not in [a["id"] for a in config_of(page)]


def test_without_javascript_the_letter_is_the_one_for_everyone(client, story):
    targeted = AppealFactory(kind=LETTER, min_articles=3, variants=[{"headline": "Third!"}])
    general = AppealFactory(kind=LETTER, variants=[{"headline": "Dear reader"}])

    letter = page_of(client, story).select_one("section.appeal-letter")

    assert letter.select_one(f"[data-appeal='{targeted.pk}']").has_attr("hidden")
    shown = letter.select_one(f"[data-appeal='{general.pk}']")
    assert not shown.has_attr("hidden")
    assert shown.h3.get_text() == "Dear reader"
    form = letter.select_one("form#support-form")
    assert form.select_one("input[name=variant]")["value"] == str(general.variants.get().pk)


def test_a_letter_only_for_donors_is_not_what_a_reader_without_javascript_sees(client, story):
    new = AppealFactory(kind=LETTER, audience=Appeal.Audience.NEW, variants=[{"headline": "New"}])
    # Newer, so tried first by a browser.
    AppealFactory(kind=LETTER, audience=Appeal.Audience.DONORS, variants=[{"headline": "Donor"}])

    letter = page_of(client, story).select_one("section.appeal-letter")

    [shown] = [d for d in letter.select("[data-appeal]") if not d.has_attr("hidden")]
    assert shown["data-appeal"] == str(new.pk)


# The pages that know a gift is paid ---------------------------------------------------------


def test_a_paid_gifts_thank_you_page_marks_the_browser(client, story):
    from samizdat.support.giving.views import thanks_url

    gift = DonationFactory(frequency="monthly")

    page = BeautifulSoup(client.get(thanks_url(gift)).content, "html.parser")

    script = page.select_one("script[data-donor]")
    assert script["src"].endswith("donor.js")
    assert script["data-donor"] == "monthly"
    assert int(script["data-at"]) == int(gift.paid_at.timestamp())
    assert page.select_one("[data-forget]").has_attr("hidden")  # shown by the script


def test_a_gift_not_known_to_be_paid_marks_nothing(client, story):
    from samizdat.support.giving.views import thanks_url

    gift = DonationFactory(status=Donation.Status.PENDING, paid_at=None)

    page = BeautifulSoup(client.get(thanks_url(gift)).content, "html.parser")

    assert page.select_one("script[data-donor]") is None
    assert gift_mark(gift) is None


def test_the_manage_page_says_what_the_donors_gifts_are_now(db):
    donor = DonorFactory()
    monthly = RecurringDonationFactory(donor=donor)
    DonationFactory(recurring=monthly)
    assert donor_mark(donor) | {"data-at": ""} == {
        "data-donor": "monthly",
        "data-at": "",
        "data-all": "",
    }

    monthly.status = RecurringDonation.Status.CANCELLED
    monthly.cancelled_at = timezone.now()
    monthly.save()
    assert "data-cancelled" in donor_mark(donor)  # lapsed

    DonationFactory(donor=donor, paid_at=timezone.now() + timezone.timedelta(minutes=1))
    assert donor_mark(donor)["data-donor"] == "once"  # gave again since
    assert "data-cancelled" not in donor_mark(donor)
    assert donor_mark(DonorFactory()) is None  # never paid


# The editors' side ---------------------------------------------------------------------------


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("chief", "chief@newsroom.test", "pw-chief-1")
    client.force_login(user)
    return client


def appeal_form(**fields) -> dict:
    return nested_form_data(
        {
            "name": "Newsletter readers",
            "kind": "modal",
            "live": "on",
            "snooze_days": "7",
            "audience": "",
            "donors_see": "hide",
            "thanks_headline": "",
            "thanks_text": rich_text(""),
            "visit": "",
            "sources": "",
            "min_articles": "",
            "max_articles": "",
            "per_week": "",
            "domains": "",
            "variants": inline_formset(
                [
                    {
                        "label": "A",
                        "headline": "Enjoying the newsletter?",
                        "body": rich_text("<p>Readers pay for it.</p>"),
                        "button_label": "Support us",
                        "weight": "1",
                    }
                ]
            ),
            **fields,
        }
    )


def test_editors_set_who_sees_an_appeal_in_the_admin(editor):
    editor_page = editor.get(reverse("wagtailsnippets_support_appeal:add")).content.decode()
    for label in ("What current donors see", "Show at most this many times a week"):
        assert label in editor_page

    response = editor.post(
        reverse("wagtailsnippets_support_appeal:add"),
        appeal_form(
            audience="new",
            visit="returning",
            sources="newsletter",
            min_articles="3",
            per_week="1",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    appeal = Appeal.objects.get()
    assert (appeal.audience, appeal.visit) == ("new", "returning")
    assert appeal.source_list == ["newsletter"]
    assert (appeal.min_articles, appeal.max_articles, appeal.per_week) == (3, None, 1)


def test_editors_write_the_thank_you_current_donors_see(editor):
    response = editor.post(
        reverse("wagtailsnippets_support_appeal:add"),
        appeal_form(
            donors_see="thanks",
            thanks_headline="Thank you!",
            thanks_text=rich_text("<p>You keep us going.</p>"),
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    appeal = Appeal.objects.get()
    assert appeal.donors_see == Appeal.DonorsSee.THANKS
    assert "You keep us going." in appeal.thanks_text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"donors_see": "thanks"}, "Write the thank-you current donors will see."),
        (
            {"donors_see": "thanks", "thanks_headline": "Thanks", "audience": "new"},
            "Only an appeal for everyone can thank current donors",
        ),
        ({"min_articles": "5", "max_articles": "2"}, "cannot be below the first article number"),
        ({"sources": "news letter"}, "Letters, digits, - and _ only"),
    ],
)
def test_rules_that_cannot_work_are_refused_with_a_reason(editor, fields, message):
    response = editor.post(reverse("wagtailsnippets_support_appeal:add"), appeal_form(**fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_newsletters_links_say_where_the_reader_comes_from_without_telling_the_server(
    newsroom,
):
    from samizdat.newsletters.content import render_send

    article = newsroom.article("The ferry strike")

    html = render_send("breaking", "en", [article]).html

    # After "#": read by support.js for appeals "only for readers arriving from newsletter",
    # never sent in a request.
    links = BeautifulSoup(html, "html.parser").select("a[href*='ferry-strike']")
    assert links and all(a["href"].endswith("/#utm_source=newsletter") for a in links)


def test_the_appeals_list_says_whom_each_is_for(editor):
    AppealFactory(name="Win them back", audience=Appeal.Audience.LAPSED)

    listing = BeautifulSoup(
        editor.get(reverse("wagtailsnippets_support_appeal:list")).content, "html.parser"
    )

    [row] = [tr for tr in listing.select("table tbody tr") if "Win them back" in tr.get_text()]
    assert "Lapsed donors" in row.get_text()
