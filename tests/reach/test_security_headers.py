"""Reader pages carry a strict Content Security Policy and the usual security headers; only the
checkout step lets the payment provider in; and no reader page has anything inline the policy
would block."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from samizdat.payments import registry
from tests.reader_pages import every_kind_of_reader_page

STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
PROVIDER = ["https://js.pay.example", "https://api.pay.example", "https://hooks.stripe.com"]
TEMPLATES = Path(__file__).resolve().parents[2] / "samizdat" / "templates"
# Data blocks: not executed, so the policy allows them.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def provider(settings):
    """A Stripe-like provider on its own script, API and frame hosts; nothing is contacted."""
    settings.SAMIZDAT_PAYMENT_PROVIDERS = {
        "stripe": {
            "CLASS": "samizdat.payments.providers.stripe.StripeProvider",
            "OPTIONS": {
                "secret_key": "sk_test_x",
                "publishable_key": "pk_test_x",
                "webhook_secret": "whsec_x",
                "api_base": "https://api.pay.example",
                "js_url": "https://js.pay.example/v3/",
                "localstripe": False,
            },
        }
    }
    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def reader_pages(newsroom, provider) -> list[str]:
    """Every kind of reader page, with every appeal showing and the goal on."""
    return [*every_kind_of_reader_page(newsroom).values(), "/en/no-such-page/"]


def checkout(client):
    return client.post(
        "/en/support/checkout/",
        {"currency": "usd", "frequency": "monthly", "amount_monthly": "10"},
    )


# Headers ------------------------------------------------------------------------------------


def test_every_reader_page_carries_the_strict_policy(client, reader_pages):
    for url in reader_pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert policy(response) == STRICT, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_every_reader_page_carries_the_usual_security_headers(client, reader_pages):
    for url in reader_pages:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        features = dict(
            item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "interest-cohort"):
            assert features[feature] == "()", (url, feature)


def test_only_the_checkout_step_lets_the_payment_provider_in(client, reader_pages):
    response = checkout(client)
    assert response.status_code == 200
    assert b'id="checkout-form"' in response.content
    found = policy(response)
    assert found["script-src"] == ["'self'", *PROVIDER]
    assert found["connect-src"] == ["'self'", *PROVIDER]
    assert found["frame-src"] == ["'self'", *PROVIDER]
    unchanged = set(STRICT) - {"script-src", "connect-src"}
    assert {name: found[name] for name in unchanged} == {name: STRICT[name] for name in unchanged}
    # The step before it, the donation form, does not.
    assert policy(client.get("/en/support/")) == STRICT


def test_a_declined_card_renders_checkout_again_with_the_provider_allowed(client, reader_pages):
    page = BeautifulSoup(checkout(client).content, "html.parser")
    token = page.select_one("input[name=token]")["value"]
    response = client.post("/en/support/pay/", {"token": token, "email": "not an address"})
    assert b'id="checkout-form"' in response.content
    assert "https://js.pay.example" in policy(response)["script-src"]


def test_form_action_also_allows_the_configured_checkout_domain(client, reader_pages, settings):
    settings.SAMIZDAT_CHECKOUT_URL = "https://give.lantern.example:8443/en/support/"
    response = client.get("/en/support/")
    assert policy(response)["form-action"] == ["'self'", "https://give.lantern.example:8443"]


def test_the_wagtail_admin_gets_no_policy(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert "Content-Security-Policy" not in client.get("/admin/login/")


def test_the_admin_can_frame_its_previews_of_reader_pages(admin_client, newsroom, settings):
    settings.SAMIZDAT_ONION_HOST = "lanternnewsxyz.onion"
    preview = f"/admin/pages/add/reach/reachpage/{newsroom.homes['en'].pk}/preview/"
    # What the editor's browser posts as they type, for the preview panel to show.
    data = nested_form_data(
        {
            "title": "Ways in, previewed",
            "slug": "ways-in",
            "intro": rich_text("<p>Blocked?</p>"),
            "mirrors": streamfield([]),
            "onion_text": rich_text(""),
            "other_ways": rich_text(""),
        }
    )
    assert admin_client.post(preview, data).json()["is_valid"]

    response = admin_client.get(preview, {"mode": ""})

    assert b"Ways in, previewed" in response.content
    assert policy(response) == {**STRICT, "frame-ancestors": ["'self'"]}
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "Onion-Location" not in response


# Nothing inline ---------------------------------------------------------------------------


def inline_violations(html: bytes) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    found = []
    for script in page.find_all("script"):
        if not script.get("src") and script.get("type") not in DATA_SCRIPT_TYPES:
            found.append(f"inline script: {str(script)[:80]}")
    found += [f"<style>: {str(style)[:80]}" for style in page.find_all("style")]
    for tag in page.find_all(True):
        for attribute in tag.attrs:
            if attribute == "style" or attribute.lower().startswith("on"):
                found.append(f"{tag.name}[{attribute}]")
        if str(tag.get("href", "")).lower().startswith("javascript:"):
            found.append(f"{tag.name}[href=javascript:]")
    return found


def test_reader_pages_have_no_inline_script_style_or_event_handler(client, reader_pages):
    article = BeautifulSoup(client.get(reader_pages[3]).content, "html.parser")  # the article
    # Every appeal is on the page being checked: the modal with its goal, the banner, the letter.
    for part in ("dialog.appeal-modal .goal", "aside.appeal-banner", "section.appeal-letter"):
        assert article.select_one(part), part
    for url in [*reader_pages, "/en/feed/rss/"]:
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            assert inline_violations(response.content) == [], url
    assert inline_violations(checkout(client).content) == []


def test_reader_templates_have_no_inline_script_style_or_event_handler():
    # Admin and e-mail templates are not reader pages: the admin has no policy, mail no CSP.
    reader_templates = [
        path
        for path in TEMPLATES.rglob("*.html")
        if not {"admin", "email"} & set(path.relative_to(TEMPLATES).parts)
    ]
    assert len(reader_templates) > 20
    for path in reader_templates:
        text = path.read_text()
        assert inline_violations(text.encode()) == [], path
