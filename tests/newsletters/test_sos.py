"""When the ways in change, one button mails them to every subscriber, in their language, once;
and every newsletter's footer carries the current ones."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from samizdat.newsletters.models import Send, Subscriber
from samizdat.newsletters.sending import start_breaking
from samizdat.reach.models import ReachPage
from tests.factories import publish

from .conftest import subscriber
from .test_admin import staff_member

pytestmark = pytest.mark.django_db

ONION = "lanternabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv.onion"
SOS = reverse("newsletters_admin:sos")


@pytest.fixture
def ways(newsroom, settings):
    """ "How to reach us" in both editions, an onion host and an alternate domain."""
    settings.WAGTAILADMIN_BASE_URL = "https://gazette.example"
    settings.SAMIZDAT_ONION_HOST = ONION
    settings.SAMIZDAT_ALTERNATE_HOSTS = ["gazette-two.example"]
    pages = {}
    for language, title, slug, note, other in (
        ("en", "How to reach us", "how-to-reach-us", "hourly", "Telegram: @gazette_en"),
        ("ru", "Как нас читать", "kak-nas-chitat", "каждый час", "Телеграм: @gazette_ru"),
    ):
        page = ReachPage(
            title=title,
            slug=slug,
            locale=newsroom.locale(language),
            mirrors=[("mirror", {"url": "https://first-mirror.example/", "note": note})],
            other_ways=f"<p>{other}</p>",
        )
        newsroom.homes[language].add_child(instance=page)
        pages[language] = publish(page)
    return pages


@pytest.fixture
def editor_client(client):
    client.force_login(staff_member("editor", "Editors"))
    return client


def add_mirror(page: ReachPage, url: str) -> None:
    page.mirrors.append(("mirror", {"url": url, "note": ""}))
    publish(page)


def test_the_new_addresses_reach_every_subscriber_once_in_their_language(ways, editor_client, smtp):
    subscriber("digest@example.org", breaking=False)
    subscriber("breaking@example.org", digest=False)
    subscriber("chitatel@example.org", language="ru", breaking=False)
    subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    subscriber("gone@example.org", status=Subscriber.Status.UNSUBSCRIBED)

    page = editor_client.get(SOS)
    assert page.status_code == 200
    assert "https://first-mirror.example/" in page.content.decode()
    first = editor_client.post(SOS)
    again = editor_client.post(SOS)  # a second press, or a second tab

    assert first.status_code == again.status_code == 302
    assert len(smtp) == 3
    assert smtp.to("pending@example.org") == smtp.to("gone@example.org") == []
    for address in ("digest@example.org", "breaking@example.org"):
        (mail,) = smtp.to(address)
        assert mail.subject == "How to reach The Test Gazette now"
        for part in (mail.text, mail.html):
            assert "https://first-mirror.example/" in part
            assert f"http://{ONION}/en/" in part
            assert "https://gazette-two.example/en/" in part
            assert "Telegram: @gazette_en" in part
            assert "https://gazette.example/en/how-to-reach-us/" in part
        assert mail.header("List-Unsubscribe").startswith("<https://gazette.example/en/newsletter/")
    (russian,) = smtp.to("chitatel@example.org")
    assert russian.header("Subject") == "Как теперь читать издание «The Test Gazette (ru)»"
    assert "каждый час" in russian.text and "Телеграм: @gazette_ru" in russian.text
    assert f"http://{ONION}/ru/" in russian.text
    assert "Telegram: @gazette_en" not in russian.text
    assert Send.objects.filter(kind=Send.Kind.SOS).count() == 2

    # The next change goes out again, with the new address.
    add_mirror(ways["ru"], "https://second-mirror.example/")
    editor_client.post(SOS)
    assert len(smtp) == 6
    assert "https://second-mirror.example/" in smtp.to("chitatel@example.org")[1].text


def test_the_button_is_offered_on_how_to_reach_us_only_while_subscribers_lack_the_addresses(
    ways, editor_client, smtp
):
    subscriber("reader@example.org")
    edit = reverse("wagtailadmin_pages:edit", args=[ways["en"].pk])
    label = "Send the new addresses to subscribers"

    assert label in editor_client.get(edit).content.decode()
    editor_client.post(SOS)
    assert label not in editor_client.get(edit).content.decode()
    assert "nothing was sent again" not in editor_client.get(SOS).content.decode()
    assert "Subscribers already have these addresses" in editor_client.get(SOS).content.decode()

    add_mirror(ways["en"], "https://second-mirror.example/")
    assert label in editor_client.get(edit).content.decode()


def test_only_editors_who_may_send_newsletters_can_press_it(ways, client, smtp):
    subscriber("reader@example.org")
    client.force_login(staff_member("reporter", "Reporters"))

    assert client.get(SOS).status_code in (302, 403)  # Wagtail sends them to the dashboard
    assert client.post(SOS).status_code in (302, 403)
    edit = reverse("wagtailadmin_pages:edit", args=[ways["en"].pk])
    assert "Send the new addresses" not in client.get(edit).content.decode()
    assert len(smtp) == 0
    assert not Send.objects.exists()


def test_every_newsletter_footer_carries_the_current_addresses(ways, newsroom, smtp):
    subscriber("reader@example.org")
    add_mirror(ways["en"], "https://second-mirror.example/")
    start_breaking(newsroom.article("Ferries stop at noon"))

    (mail,) = smtp.to("reader@example.org")
    for part in (mail.text, mail.html):
        footer = part[part.index("If our site does not open") :]
        for address in (
            "https://first-mirror.example/",
            "https://second-mirror.example/",
            "https://gazette-two.example/en/",
            f"http://{ONION}/en/",
            "https://gazette.example/en/how-to-reach-us/",
        ):
            assert address in footer


def test_publishing_new_ways_in_offers_to_send_them(ways, editor_client, smtp):
    subscriber("reader@example.org")
    editor_client.post(SOS)
    page = ways["en"]
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": rich_text(""),
            "mirrors": streamfield(
                [
                    ("mirror", {"url": "https://first-mirror.example/", "note": "hourly"}),
                    ("mirror", {"url": "https://new-mirror.example/", "note": "new"}),
                ]
            ),
            "onion_text": rich_text(""),
            "other_ways": rich_text("<p>Telegram: @gazette_en</p>"),
            "action-publish": "publish",
        }
    )

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Subscribers do not have the new addresses yet." in html
    assert f'href="{SOS}"' in html
    editor_client.post(SOS)
    assert "https://new-mirror.example/" in smtp.to("reader@example.org")[-1].text
