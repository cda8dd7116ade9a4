"""Where a reader's request starts routing (the site for the host, the locale, the edition's
home in the reader's language) comes from the structure cache (newsroom/views.py), and a change
of sites or locales is seen on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, Site

from samizdat.newsroom import structure
from samizdat.newsroom.models import HomePage
from tests.factories import publish


@pytest.fixture(autouse=True)
def every_request_renders(settings):
    settings.SAMIZDAT_PAGE_CACHE = False


@pytest.fixture
def other_site(newsroom, settings):
    """A second newsroom on its own host, with a home page of its own."""
    home = HomePage(
        title="The Other Gazette", slug="other", tagline="Elsewhere", locale=newsroom.locale("en")
    )
    Page.get_first_root_node().add_child(instance=home)
    publish(home)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.test"]
    return Site.objects.create(hostname="other.test", port=80, root_page=home, site_name="Other")


def home_title(client, host: str) -> str:
    response = client.get("/en/", HTTP_HOST=host)
    assert response.status_code == 200
    html = response.content.decode()
    return next(t for t in ("The Other Gazette", "The Test Gazette") if t in html)


def test_each_host_is_routed_from_its_own_site(newsroom, client, other_site):
    for _ in range(2):  # found, then from the structure cache
        assert home_title(client, "other.test") == "The Other Gazette"
        assert home_title(client, "localhost") == "The Test Gazette"


def test_a_site_given_another_root_page_is_routed_from_it_on_the_next_request(
    newsroom, client, other_site
):
    assert home_title(client, "other.test") == "The Other Gazette"  # now in the cache

    other_site.root_page = newsroom.homes["en"]
    other_site.save()
    assert home_title(client, "other.test") == "The Test Gazette"


def test_a_site_that_gives_up_its_host_no_longer_answers_for_it(newsroom, client, other_site):
    assert home_title(client, "other.test") == "The Other Gazette"

    other_site.hostname = "moved.test"
    other_site.save()
    assert home_title(client, "other.test") == "The Test Gazette"  # the default site's


def test_a_host_allowed_only_by_a_wildcard_is_left_to_wagtail(newsroom, client, settings):
    # Any subdomain passes ".example.org": keeping an entry per Host header would let anyone
    # fill the cache, so such a request is routed as Wagtail routes it (three queries more).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example.org"]
    article = newsroom.article("A story for every host")

    def queries(host: str) -> int:
        client.get(article.url, HTTP_HOST=host)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(article.url, HTTP_HOST=host)
        assert response.status_code == 200
        assert article.title in response.content.decode()
        return len(captured)

    assert queries("a.example.org") == queries("localhost") + 3
    assert queries("b.example.org") == queries("localhost") + 3


def test_a_change_of_locales_moves_the_structure_on(newsroom):
    before = structure.generation()
    Locale.objects.get(language_code="ru").save()
    assert structure.generation() != before
