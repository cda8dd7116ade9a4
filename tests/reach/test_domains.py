"""One newsroom on several domains and an onion host: every page answers on each, and every
absolute link (canonical, hreflang, share card, structured data, feeds, sitemaps, e-mails)
names the primary domain; navigation stays on whichever host the reader came in on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import defusedxml.ElementTree as ET
import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from wagtail.models import Site

from samizdat.reach.domains import align_primary_site, align_primary_site_after_migrate
from tests.factories import PhotoFactory
from tests.test_settings import KEYS

PRIMARY = "https://lantern.example"
MIRROR = "lantern-news.example.net"
ONION = "lanternnewsxyzabcdefghijklmnopqrstuvwxyz234567abcdefghij.onion"
ALL_HOSTS = ["lantern.example", MIRROR, ONION]

PROBE = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({"hosts": settings.ALLOWED_HOSTS, "public": settings.WAGTAILADMIN_BASE_URL,
                  "onion": settings.SAMIZDAT_ONION_HOST}))
"""


def load_settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAMIZDAT_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="samizdat.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout)


@pytest.fixture
def lantern(newsroom, settings):
    """The test newsroom published at https://lantern.example, also on a mirror and an onion."""
    settings.WAGTAILADMIN_BASE_URL = PRIMARY
    settings.SAMIZDAT_ALTERNATE_HOSTS = [MIRROR]
    settings.SAMIZDAT_ONION_HOST = ONION
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *ALL_HOSTS]
    assert align_primary_site()
    return newsroom


@pytest.fixture
def story(lantern):
    author = lantern.author("Anna Kovar")
    english = lantern.article(
        "Ferry crews strike", authors=[author], tags=["river"], lead_image=PhotoFactory()
    )
    lantern.article("Паромщики бастуют", language="ru", translation_of=english)
    return english


def page_on(client, path: str, host: str) -> BeautifulSoup:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


# Settings ------------------------------------------------------------------------------------


def test_public_alternate_and_onion_hosts_are_all_allowed_hosts():
    found = load_settings(
        SECRET_KEY="x" * 50,
        **KEYS,
        ALLOWED_HOSTS="127.0.0.1",
        SAMIZDAT_PUBLIC_URL=PRIMARY + "/",
        SAMIZDAT_ALTERNATE_HOSTS=f"{MIRROR}, https://Lantern.Example.ORG/",
        SAMIZDAT_ONION_HOST=f"http://{ONION}/",
    )
    assert found["hosts"] == ["127.0.0.1", "lantern.example", MIRROR, "lantern.example.org", ONION]
    assert found["public"] == PRIMARY
    assert found["onion"] == ONION


def test_a_public_domain_still_needs_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        load_settings(SAMIZDAT_PUBLIC_URL=PRIMARY)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        load_settings(SAMIZDAT_ONION_HOST=ONION)


# The primary Site ----------------------------------------------------------------------------


def test_the_default_site_follows_the_public_url(newsroom, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://lantern.example"
    assert align_primary_site()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("lantern.example", 443, PRIMARY)
    assert not align_primary_site()  # nothing left to change

    settings.WAGTAILADMIN_BASE_URL = "http://lantern.example:8080/"
    assert align_primary_site()
    assert Site.objects.get(is_default_site=True).root_url == "http://lantern.example:8080"


def test_migrate_aligns_the_site_only_when_the_deployment_names_its_public_url(newsroom, settings):
    from django.apps import apps

    settings.WAGTAILADMIN_BASE_URL = PRIMARY
    settings.SAMIZDAT_ALIGN_SITE = False
    align_primary_site_after_migrate(apps.get_app_config("reach"))
    assert Site.objects.get(is_default_site=True).hostname == "localhost"

    settings.SAMIZDAT_ALIGN_SITE = True
    align_primary_site_after_migrate(apps.get_app_config("reach"))
    assert Site.objects.get(is_default_site=True).hostname == "lantern.example"


@pytest.mark.parametrize("host", ALL_HOSTS)
def test_every_host_is_served_by_the_primary_site(lantern, host):
    request = RequestFactory().get("/en/", HTTP_HOST=host)
    assert Site.find_for_request(request) == lantern.site
    assert lantern.homes["en"].get_full_url(request) == PRIMARY + "/en/"


# Reader pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ALL_HOSTS)
def test_an_article_on_any_host_links_canonically_to_the_primary_domain(client, story, host):
    page = page_on(client, story.url, host)
    canonical = PRIMARY + "/en/news/ferry-crews-strike/"

    assert page.select_one("link[rel=canonical]")["href"] == canonical
    assert page.select_one("meta[property='og:url']")["content"] == canonical
    hreflang = {link["hreflang"]: link["href"] for link in page.select("link[hreflang]")}
    assert hreflang == {
        "en": canonical,
        "ru": PRIMARY + "/ru/news/ferry-crews-strike/",
        "x-default": canonical,
    }
    assert page.select_one("meta[property='og:image']")["content"].startswith(PRIMARY + "/media/")
    data = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert data["url"] == data["mainEntityOfPage"]["@id"] == canonical
    assert data["author"][0]["url"] == PRIMARY + "/en/authors/anna-kovar/"
    assert data["publisher"]["url"] == PRIMARY + "/en/"


@pytest.mark.parametrize("host", [MIRROR, ONION])
def test_navigation_keeps_the_reader_on_the_host_they_came_in_on(client, story, host):
    page = page_on(client, story.url, host)
    links = [a["href"] for a in page.select("header a, nav a, main a, footer a")]
    links += [form["action"] for form in page.select("form")]
    assert links
    assert all(link.startswith(("/", "#")) for link in links), links


@pytest.mark.parametrize("path", ["/en/", "/ru/", "/en/news/", "/en/authors/anna-kovar/"])
def test_every_kind_of_page_answers_on_the_mirror_with_a_primary_canonical(client, story, path):
    page = page_on(client, path, MIRROR)
    assert page.select_one("link[rel=canonical]")["href"] == PRIMARY + path


# Feeds, sitemaps, robots.txt and e-mails ----------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_asked_for_on_the_onion_host_link_to_the_primary_domain(client, story, kind):
    response = client.get(f"/en/feed/{kind}/", HTTP_HOST=ONION)
    assert response.status_code == 200
    text = response.content.decode()
    assert "lantern.example/en/news/ferry-crews-strike/" in text
    assert ONION not in text and MIRROR not in text
    document = ET.fromstring(response.content)
    urls = [el.text for el in document.iter() if el.tag.endswith("link") and el.text]
    urls += [el.get("href") for el in document.iter() if el.get("href")]
    urls += [el.get("url") for el in document.iter() if el.get("url")]
    assert urls and all(url.startswith(PRIMARY + "/") for url in urls), urls


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-news.xml"])
def test_sitemaps_asked_for_on_a_mirror_list_primary_urls(client, story, path):
    response = client.get(path, HTTP_HOST=MIRROR)
    document = ET.fromstring(b"".join(response.streaming_content))
    locations = [el.text for el in document.iter() if el.tag.endswith("}loc")]
    locations += [el.get("href") for el in document.iter() if el.get("href")]
    assert PRIMARY + "/en/news/ferry-crews-strike/" in locations
    assert all(url.startswith(PRIMARY + "/") for url in locations), locations


def test_robots_txt_on_a_mirror_points_at_the_primary_sitemaps(client, lantern):
    response = client.get("/robots.txt", HTTP_HOST=MIRROR)
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {PRIMARY}/sitemap.xml" in lines
    assert f"Sitemap: {PRIMARY}/sitemap-news.xml" in lines


def test_an_email_asked_for_on_the_onion_host_links_to_the_primary_domain(
    client, lantern, mailoutbox
):
    from samizdat.support.donors.selfservice import LINK_FORM, form_token
    from tests.support.factories import DonationFactory, DonorFactory

    DonationFactory(donor=DonorFactory(email="ada@example.org"))
    client.post(
        "/en/support/manage/",
        {"email": "ada@example.org", "form_token": form_token(LINK_FORM)},
        HTTP_HOST=ONION,
    )

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert f"{PRIMARY}/en/support/manage/" in body
    assert ONION not in body


# Onion-Location -----------------------------------------------------------------------------


def test_reader_pages_name_the_same_page_on_the_onion_host(client, story):
    response = client.get(story.url + "?utm=x", HTTP_HOST="lantern.example")
    assert response["Onion-Location"] == f"http://{ONION}/en/news/ferry-crews-strike/?utm=x"
    assert client.get("/ru/", HTTP_HOST=MIRROR)["Onion-Location"] == f"http://{ONION}/ru/"


def test_pages_served_on_the_onion_host_do_not_send_the_reader_there_again(client, story):
    assert "Onion-Location" not in client.get(story.url, HTTP_HOST=ONION)


def test_no_onion_location_without_an_onion_host(client, story, settings):
    settings.SAMIZDAT_ONION_HOST = ""
    assert "Onion-Location" not in client.get(story.url, HTTP_HOST="lantern.example")


def test_only_reader_pages_carry_onion_location(client, story):
    assert "Onion-Location" not in client.get("/en/feed/rss/", HTTP_HOST="lantern.example")
    assert "Onion-Location" not in client.get("/admin/login/", HTTP_HOST="lantern.example")
    assert "Onion-Location" not in client.get("/en/no-such-page/", HTTP_HOST="lantern.example")
