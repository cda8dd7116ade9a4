"""A real SMTP server on 127.0.0.1 for the newsletter tests, and helpers to read what it got."""

from __future__ import annotations

import asyncio
import email
import re
import socket
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache

from samizdat.core.emails import email_hash
from samizdat.newsletters.models import Subscriber


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.message["To"]

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()

    def header(self, name: str) -> str | None:
        """The header's value, unfolded (long ones arrive folded onto a second line)."""
        value = self.message[name]
        return None if value is None else " ".join(str(value).split())


class Inbox:
    """aiosmtpd's handler: every message the server accepted, parsed with the email package."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: set[str] = set()  # addresses the server answers "no such mailbox"
        self.delay = 0.0  # seconds the server takes to accept a message, as a distant one would
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append(Received(list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [item for item in self.received if address in item.recipients]

    def __len__(self) -> int:
        return len(self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Django sends through SMTP to a server on 127.0.0.1 that keeps what it receives."""
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), server_hostname="smtp.test"
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache; one test's sign-ups must not count against the next.
    cache.clear()
    yield
    cache.clear()


def link_in(text: str, path_part: str) -> str:
    """The first absolute link in `text` whose path contains `path_part`, as a path."""
    match = re.search(rf"https?://[^/\s]+(/\S*{re.escape(path_part)}\S*?/)(?=[\s\"<>]|$)", text)
    assert match, f"no link containing {path_part!r} in:\n{text}"
    return match[1]


def subscriber(address: str, language: str = "en", **fields) -> Subscriber:
    """An active subscriber, as if they had confirmed."""
    values = {
        "email": address,
        "status": Subscriber.Status.ACTIVE,
        "digest": True,
        "breaking": True,
        **fields,
    }
    return Subscriber.objects.create(email_hash=email_hash(address), language=language, **values)
