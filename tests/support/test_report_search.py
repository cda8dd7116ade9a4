"""Finding a donor's gifts in the revenue reports never puts their address in a web address.

Web addresses end up in the access logs of nginx and Django, in the browser's history and in
every proxy between: a search by e-mail is a POST, answered with the listing filtered by the
donor's id, and everything the listing then links to (pages, sorting, filters, exports, the
recurring report's tabs) carries that id, never the address.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from .factories import DonationFactory, DonorFactory, RecurringDonationFactory

pytestmark = pytest.mark.django_db

ADDRESS = "ada.lovelace+gifts@example.org"
REPORTS = ["revenue_donations:index", "revenue_recurring:index"]


@pytest.fixture
def ada():
    """A donor with more gifts than one page of a report holds, and someone else.
    (admin_client: pytest-django's, a superuser.)"""
    donor = DonorFactory(email=ADDRESS, name="Ada Lovelace")
    DonationFactory.create_batch(51, donor=donor, amount_minor=2500)
    DonationFactory(donor=donor, status="failed", paid_at=None)
    RecurringDonationFactory.create_batch(51, donor=donor)
    other = DonorFactory(email="grace@example.org", name="Grace Hopper")
    DonationFactory(donor=other)
    RecurringDonationFactory(donor=other)
    return donor


def urls_in(html: str) -> list[str]:
    """Every link, form action, script, stylesheet and URL-valued data attribute of a page."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        for name, value in tag.attrs.items():
            if not isinstance(value, str):
                continue
            if name in ("href", "src", "action", "formaction") or name.endswith(
                ("-url", "-src-value")
            ):
                found.append(value)
    return found


def names_the_address(url: str) -> bool:
    decoded = unquote_plus(unquote_plus(url)).lower()
    return ADDRESS in decoded or "lovelace+gifts" in decoded or "%40" in url.lower()


def search(client, url_name: str, query: str):
    return client.post(reverse(url_name), {"query": query})


@pytest.mark.parametrize("url_name", REPORTS)
def test_a_search_by_address_answers_with_the_donors_id_not_their_address(
    admin_client, ada, url_name
):
    found = search(admin_client, url_name, ADDRESS.upper())

    assert found.status_code == 302
    assert parse_qs(urlsplit(found["Location"]).query) == {"donor": [str(ada.pk)]}
    page = admin_client.get(found["Location"])
    fragment = admin_client.get(
        reverse(url_name.replace(":index", ":index_results")), {"donor": ada.pk, "p": 2}
    )
    urls = urls_in(page.content.decode()) + urls_in(fragment.content.decode())
    assert len(urls) > 20
    assert [url for url in urls if names_the_address(url)] == []
    # No search box that sends what is typed in a GET, as Wagtail's own does at each keystroke.
    assert 'name="q"' not in page.content.decode()
    assert "Grace Hopper" not in page.content.decode()
    assert "Ada Lovelace" in page.content.decode()


@pytest.mark.parametrize(
    ("url_name", "status"),
    [("revenue_donations:index", "paid"), ("revenue_recurring:index", "active")],
)
def test_pages_exports_and_filters_keep_to_the_donor_found(admin_client, ada, url_name, status):
    page = admin_client.get(search(admin_client, url_name, ADDRESS)["Location"]).content.decode()
    links = urls_in(page)

    next_page = next(u for u in links if re.search(r"[?&]p=2\b", u))
    csv_export = next(u for u in links if "export=csv" in u)
    assert parse_qs(urlsplit(next_page).query)["donor"] == [str(ada.pk)]
    second = admin_client.get(next_page).content.decode()
    assert "Ada Lovelace" in second and "Grace Hopper" not in second
    exported = b"".join(admin_client.get(csv_export).streaming_content).decode()
    assert "Ada Lovelace" in exported and "Grace Hopper" not in exported
    # The filter form sends the donor's id along with any filter chosen next.
    donor_field = BeautifulSoup(page, "html.parser").find("input", attrs={"name": "donor"})
    assert donor_field["value"] == str(ada.pk)
    filtered = admin_client.get(
        reverse(url_name), {"donor": ada.pk, "status": status}
    ).content.decode()
    assert "Ada Lovelace" in filtered and "Grace Hopper" not in filtered


def test_a_new_search_keeps_the_filters_and_replaces_the_last_search(admin_client, ada):
    url = reverse("revenue_donations:index")
    other = DonorFactory(email="grace2@example.org")

    found = admin_client.post(
        f"{url}?status=paid&donor={ada.pk}&p=2", {"query": "grace2@example.org"}
    )

    assert parse_qs(urlsplit(found["Location"]).query) == {
        "status": ["paid"],
        "donor": [str(other.pk)],
    }


@pytest.mark.parametrize("url_name", REPORTS)
def test_an_address_in_the_web_address_searches_nothing(admin_client, ada, url_name):
    page = admin_client.get(reverse(url_name), {"q": ADDRESS}).content.decode()

    assert "Grace Hopper" in page  # not a search: everyone is listed
    assert "Searches are not read from the web address" in page
    payment = admin_client.get(reverse(url_name), {"payment": ADDRESS}).content.decode()
    assert "Ada Lovelace" not in payment


def test_an_unknown_address_finds_no_gifts_and_says_so(admin_client, ada):
    response = search(admin_client, "revenue_donations:index", "nobody@example.org")

    assert response.status_code == 200
    page = response.content.decode()
    assert "No donor has this address." in page
    assert "Ada Lovelace" not in page and "Grace Hopper" not in page


def test_a_payment_id_is_found_from_the_same_box(admin_client, ada):
    DonationFactory(donor=DonorFactory(name="Card Holder"), provider_payment_id="pi_123")

    found = search(admin_client, "revenue_donations:index", " pi_123 ")
    page = admin_client.get(found["Location"]).content.decode()

    assert parse_qs(urlsplit(found["Location"]).query) == {"payment": ["pi_123"]}
    assert "Card Holder" in page and "Ada Lovelace" not in page
