"""Signing a browser in to the admin, for the browser tests of the editors' side."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client


def signed_in_client(username: str = "chief") -> Client:
    """A test client signed in as a new superuser."""
    user = get_user_model().objects.create_superuser(username, f"{username}@example.org", "pw-1")
    client = Client()
    client.force_login(user)
    return client


def signed_in_context(browser, live_server, client: Client):
    """A browser context carrying `client`'s admin session on the live server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return context
