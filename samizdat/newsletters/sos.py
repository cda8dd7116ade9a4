"""The SOS send: after editors change the ways in, every subscriber gets them by e-mail.

One button (admin_views.SosView) sends each edition's current ways in to its confirmed
subscribers through the usual machinery (sending.py). A send's key names the ways in and the
SOS send before it ("sos:ru:<previous send>:<ways in>"), so a double press sends once, and the
next change (even a change back) sends again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from samizdat.reach.ways_in import WaysIn, fingerprint, languages, ways_in

from .content import render_sos
from .models import Send
from .sending import recipients, start_send

# Enough of the fingerprint to tell changes apart, short enough for the key column.
KEY_DIGITS = 16


@dataclass
class Edition:
    language: str
    ways: WaysIn
    recipients: int
    last: Send | None  # the last SOS send in this language
    current: str  # the fingerprint of every edition's ways in now, shortened

    @property
    def already_sent(self) -> bool:
        return self.last is not None and self.last.key.endswith(f":{self.current}")

    @property
    def due(self) -> bool:
        """The ways in changed since this edition's subscribers last got them."""
        return bool(self.ways) and not self.already_sent

    @property
    def key(self) -> str:
        return f"sos:{self.language}:{self.last.pk if self.last else 0}:{self.current}"


def editions() -> list[Edition]:
    every = [ways_in(code) for code in languages()]
    current = fingerprint(every)[:KEY_DIGITS]
    result = []
    for ways in every:
        last = (
            Send.objects.filter(kind=Send.Kind.SOS, language=ways.language)
            .order_by("-created_at", "-pk")
            .first()
        )
        count = recipients(Send.Kind.SOS, ways.language).count()
        result.append(Edition(ways.language, ways, count, last, current))
    return result


def due() -> bool:
    """Whether the button has something to send."""
    return any(edition.due for edition in editions())


def start_sos(user=None) -> list[Send]:
    """Send the current ways in to every subscriber, each in their language. Returns the sends
    started: none when nothing changed since the last press."""
    started = []
    for edition in editions():
        if not edition.due:
            continue
        send = start_send(
            Send.Kind.SOS,
            edition.language,
            edition.key,
            [],
            covers_until=timezone.now(),
            user=user,
            rendered=render_sos(edition.ways),
        )
        if send is not None:
            started.append(send)
    return started
