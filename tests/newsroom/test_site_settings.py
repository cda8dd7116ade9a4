"""The newsroom's name, logo, favicon and share image, set under Settings in the admin."""

from __future__ import annotations

import json
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from samizdat.newsroom import site_settings
from samizdat.newsroom.models import NewsroomSettings
from samizdat.support.giving.receipts import send_receipt_later
from tests.factories import PhotoFactory
from tests.newsroom.test_workflow import staff_member
from tests.support.factories import DonationFactory

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def chosen(db):
    """Every setting filled in: a wide logo, a square favicon, a share image."""
    caches["renditions"].clear()  # the photos' ids may be an earlier test's, its files gone
    record = NewsroomSettings.load()
    record.name = "The River Courier"
    record.logo = PhotoFactory(
        title="Logo", description="Courier logo", file__width=1200, file__height=400
    )
    record.favicon = PhotoFactory(title="Icon", file__width=256, file__height=256)
    record.social_image = PhotoFactory(title="Share", description="The river at night")
    record.save()
    return record


def page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def media_file(url: str) -> Path:
    relative = url.split(django_settings.MEDIA_URL, 1)[1]
    return Path(django_settings.MEDIA_ROOT) / relative


def test_the_masthead_shows_the_logo_with_the_name_as_its_alt_text(newsroom, client, chosen):
    article = newsroom.article("A story")
    for path in (newsroom.homes["en"].url, article.url):
        document = page(client, path)
        logo = document.select_one(".masthead__name img")
        assert logo["alt"] == "The River Courier"
        assert (int(logo["width"]), int(logo["height"])) == (180, 60)  # 1200x400 within 600x60
        assert media_file(logo["src"]).is_file()
        assert (
            document.title.string == "A story — The River Courier"
            or path == newsroom.homes["en"].url
        )


def test_without_settings_the_masthead_names_each_edition_as_before(newsroom, client):
    assert (
        page(client, newsroom.homes["en"].url).select_one(".masthead__name").text
        == "The Test Gazette"
    )
    russian = newsroom.homes["ru"]
    masthead = page(client, russian.url).select_one(".masthead__name")
    assert masthead.text == "The Test Gazette (ru)" and masthead.img is None
    assert page(client, newsroom.homes["en"].url).find("link", rel="icon")["href"] == "/favicon.ico"


def test_the_name_alone_overrides_the_masthead_in_both_editions(newsroom, client):
    record = NewsroomSettings.load()
    record.name = "The River Courier"
    record.save()
    russian = newsroom.homes["ru"]
    for home in (newsroom.homes["en"], russian):
        masthead = page(client, home.url).select_one(".masthead__name")
        assert masthead.text == "The River Courier"


def test_the_publisher_logo_in_structured_data_is_a_rendition_within_600_by_60(
    newsroom, client, chosen, settings
):
    settings.SAMIZDAT_PUBLISHER_LOGO = "samizdat/demo-logo.png"  # the chosen logo wins
    article = newsroom.article("A story")
    script = page(client, article.url).find("script", type="application/ld+json")
    publisher = json.loads(script.string)["publisher"]

    assert publisher["name"] == "The River Courier"
    url = publisher["logo"]["url"]
    assert url.startswith("http://localhost/media/") and url.endswith(".png")
    with Image.open(media_file(url)) as image:
        assert image.format == "PNG"
        assert image.width <= 600 and image.height <= 60


def test_the_favicon_is_a_32_pixel_png(newsroom, client, chosen):
    icon = page(client, newsroom.homes["en"].url).find("link", rel="icon")
    assert (icon["type"], icon["sizes"]) == ("image/png", "32x32")
    with Image.open(media_file(icon["href"])) as image:
        assert (image.format, image.size) == ("PNG", (32, 32))


def test_pages_without_a_lead_photo_share_the_social_image(newsroom, client, chosen):
    plain = newsroom.article("No photo")
    illustrated = newsroom.article("With photo", lead_image=PhotoFactory())

    def og(path):
        head = page(client, path).head
        return {
            tag["property"]: tag["content"]
            for tag in head.find_all("meta", property=True)
            if tag["property"].startswith("og:image")
        }

    shared = og(plain.url)
    assert shared["og:image"].startswith("http://localhost/media/")
    assert shared["og:image:alt"] == "The river at night"
    assert (shared["og:image:width"], shared["og:image:height"]) == ("1200", "630")
    assert og(newsroom.homes["en"].url)["og:image"] == shared["og:image"]
    assert og(illustrated.url)["og:image"] != shared["og:image"]  # its own photo first


def test_a_receipt_names_the_newsroom_as_set(newsroom, chosen, mailoutbox):
    send_receipt_later(DonationFactory().pk)
    assert mailoutbox[0].subject == "Thank you for your gift to The River Courier"


def test_feeds_carry_the_name_logo_and_icon(newsroom, client, chosen):
    newsroom.article("A story")
    rss = ET.fromstring(client.get(newsroom.homes["en"].url + "feed/rss/").content)
    assert rss.findtext("channel/title") == "The River Courier"
    assert rss.findtext("channel/image/title") == "The River Courier"
    logo = rss.findtext("channel/image/url")
    assert logo.startswith("http://localhost/media/") and media_file(logo).is_file()

    atom = ET.fromstring(client.get(newsroom.homes["en"].url + "feed/atom/").content)
    assert atom.findtext("atom:title", namespaces=ATOM) == "The River Courier"
    assert atom.findtext("atom:logo", namespaces=ATOM) == logo
    icon = atom.findtext("atom:icon", namespaces=ATOM)
    assert icon.startswith("http://localhost/media/") and icon.endswith(".png")


def test_a_change_in_the_settings_shows_on_the_next_request(newsroom, client, chosen):
    assert page(client, newsroom.homes["en"].url).select_one(".masthead__name img") is not None
    chosen.logo = None
    chosen.name = "The Night Courier"
    chosen.save()
    masthead = page(client, newsroom.homes["en"].url).select_one(".masthead__name")
    assert masthead.img is None and masthead.text == "The Night Courier"


def test_the_settings_cost_an_article_page_no_query(newsroom, client, settings):
    settings.SAMIZDAT_PAGE_CACHE = False  # count a render, not a cached copy
    article = newsroom.article("A story", lead_image=PhotoFactory(), tags=["river"])

    def queries() -> int:
        client.get(article.url)  # warm the caches (structure, renditions, site)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(article.url)
        assert response.status_code == 200
        return len(captured)

    plain = queries()
    record = NewsroomSettings.load()
    record.name = "The River Courier"
    record.logo, record.favicon, record.social_image = (PhotoFactory() for _ in range(3))
    record.save()
    assert queries() == plain
    with CaptureQueriesContext(connection) as captured:
        assert site_settings.current()["name"] == "The River Courier"
    assert len(captured) == 0  # kept in the structure cache since the first request


def test_editors_edit_the_settings_in_the_admin_and_reporters_may_not(newsroom, client):
    url = reverse("wagtailsettings:edit", args=["newsroom", "newsroomsettings"])
    client.force_login(staff_member("reporter", "Reporters"))
    assert client.get(url).status_code in (302, 403)

    client.force_login(staff_member("editor", "Editors"))
    form = client.get(url, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0], {"name": "The River Courier"})
    assert response.status_code == 302
    assert NewsroomSettings.load().name == "The River Courier"
    client.logout()
    masthead = page(client, newsroom.homes["en"].url).select_one(".masthead__name")
    assert masthead.text == "The River Courier"


def test_pages_with_the_logo_and_favicon_are_valid_html(newsroom, client, chosen, tmp_path):
    from tests.test_html_validity import vnu_errors

    files = {}
    for name, url in (("home", newsroom.homes["en"].url), ("story", newsroom.article("A").url)):
        files[name] = tmp_path / f"{name}.html"
        files[name].write_bytes(client.get(url).content)
    assert vnu_errors(files) == {}
