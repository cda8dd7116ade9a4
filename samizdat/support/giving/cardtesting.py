"""The card-testing defence: limits that hold whatever address the attempts come from.

Card testers rotate addresses, so checkout also counts site-wide declines (a few in a few
minutes open a CardTestingEpisode) and attempts per e-mail hash and per card fingerprint.
During an episode a card payment needs a signed, expiring wait `Ticket` for one *turn*; the
first payment to use a turn takes it by a compare-and-set on the episode row, so one payment
goes through per wait however many tickets are gathered, and each decline doubles the wait.
Waiting costs wall-clock time faster hardware cannot buy back, and needs no JavaScript.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.utils import timezone

from samizdat.core.ratelimit import over_limit

from ..models import CardTestingEpisode

TICKET_SALT = "samizdat.support.wait-ticket"

DEFAULTS = {
    "DECLINES": 4,  # this many declined card payments across the site…
    "MINUTES": 10,  # …within this many minutes open an episode
    "EPISODE_MINUTES": 30,  # how long an episode lasts after its last decline
    "WAIT_SECONDS": 5,  # the wait before a card payment during an episode, doubled per decline
    "MAX_DOUBLINGS": 6,  # 5 s doubled 6 times: at most 320 s
    "TICKET_MINUTES": 20,  # a ticket older than this is refused
    "PER_EMAIL": 5,  # card payment attempts per e-mail address…
    "PER_EMAIL_MINUTES": 60,  # …in this many minutes
    "PER_CARD": 5,  # attempts per card (the provider's fingerprint)…
    "PER_CARD_MINUTES": 24 * 60,  # …in this many minutes
}


def option(name: str) -> int:
    return int(getattr(settings, "SAMIZDAT_CARD_TESTING", {}).get(name, DEFAULTS[name]))


# Episodes ----------------------------------------------------------------------------------------


def active_episode() -> CardTestingEpisode | None:
    """The episode during which card payments wait, if one is running now."""
    return (
        CardTestingEpisode.objects.filter(challenge=True, ends_at__gt=timezone.now())
        .order_by("-started_at")
        .first()
    )


def _extend(episode: CardTestingEpisode, **counts: int) -> None:
    ends_at = timezone.now() + datetime.timedelta(minutes=option("EPISODE_MINUTES"))
    updates = {name: F(name) + value for name, value in counts.items()}
    CardTestingEpisode.objects.filter(pk=episode.pk).update(ends_at=ends_at, **updates)


def record_decline() -> None:
    """A card payment was declined or failed at the provider (not: the provider was down)."""
    episode = active_episode()
    if episode is not None:
        # Each decline during an episode doubles the next wait.
        _extend(episode, declines=1)
        return
    window = option("MINUTES") * 60
    if over_limit("card-declines", "site", option("DECLINES") - 1, window):
        CardTestingEpisode.objects.create(
            trigger=CardTestingEpisode.Trigger.SITE,
            challenge=True,
            ends_at=timezone.now() + datetime.timedelta(minutes=option("EPISODE_MINUTES")),
        )


def note_challenge(episode: CardTestingEpisode) -> None:
    CardTestingEpisode.objects.filter(pk=episode.pk).update(challenged=F("challenged") + 1)


def note_refusal(trigger: str) -> None:
    """An attempt refused by the limit per e-mail or per card: counted in the running episode,
    or in one of its own that the newsroom sees in the admin."""
    now = timezone.now()
    episode = (
        CardTestingEpisode.objects.filter(ends_at__gt=now)
        .filter(challenge=True)
        .order_by("-started_at")
        .first()
    ) or CardTestingEpisode.objects.filter(ends_at__gt=now, trigger=trigger).first()
    if episode is None:
        minutes = option("PER_CARD_MINUTES" if trigger == "card" else "PER_EMAIL_MINUTES")
        episode = CardTestingEpisode.objects.create(
            trigger=trigger, ends_at=now + datetime.timedelta(minutes=minutes)
        )
    CardTestingEpisode.objects.filter(pk=episode.pk).update(refused=F("refused") + 1)


# Limits per e-mail and per card --------------------------------------------------------------


def email_over_limit(digest: str) -> bool:
    """Count one card payment attempt for this e-mail's keyed hash; True past the limit."""
    return over_limit("card-email", digest, option("PER_EMAIL"), option("PER_EMAIL_MINUTES") * 60)


def card_over_limit(fingerprint: str) -> bool:
    """Count one attempt for this card; a provider that reports no fingerprint is not limited."""
    if not fingerprint:
        return False
    return over_limit(
        "card-print", fingerprint, option("PER_CARD"), option("PER_CARD_MINUTES") * 60
    )


# Wait tickets ------------------------------------------------------------------------------------


class Verdict(StrEnum):
    GOOD = "good"
    MISSING = "missing"  # none sent: the episode began after the page was shown
    EARLY = "early"  # good, but not old enough yet: keep it and wait
    STALE = "stale"  # another payment took its turn, or it is from an earlier episode
    EXPIRED = "expired"
    INVALID = "invalid"  # not signed by us


@dataclass(frozen=True)
class Ticket:
    episode: int
    turn: int
    wait: int  # seconds
    issued: float  # Unix time

    def sign(self) -> str:
        data = {"e": self.episode, "n": self.turn, "w": self.wait, "t": self.issued}
        return signing.dumps(data, salt=TICKET_SALT, compress=True)

    def remaining(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        return max(0, int(self.issued + self.wait - now + 0.999))


def wait_seconds(episode: CardTestingEpisode) -> int:
    doublings = min(episode.declines, option("MAX_DOUBLINGS"))
    return option("WAIT_SECONDS") * 2**doublings


def issue(episode: CardTestingEpisode) -> Ticket:
    return Ticket(episode.pk, episode.admitted, wait_seconds(episode), time.time())


def read(signed: str) -> Ticket | None:
    try:
        data = signing.loads(signed or "", salt=TICKET_SALT)
        return Ticket(int(data["e"]), int(data["n"]), int(data["w"]), float(data["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def check(signed: str, episode: CardTestingEpisode) -> tuple[Verdict, Ticket | None]:
    """Whether this ticket lets a payment through now (without taking its turn)."""
    if not signed:
        return Verdict.MISSING, None
    ticket = read(signed)
    if ticket is None:
        return Verdict.INVALID, None
    if time.time() - ticket.issued > option("TICKET_MINUTES") * 60:
        return Verdict.EXPIRED, None
    if ticket.episode != episode.pk or ticket.turn != episode.admitted:
        return Verdict.STALE, None
    if ticket.remaining():
        return Verdict.EARLY, ticket
    return Verdict.GOOD, ticket


def take_turn(ticket: Ticket) -> bool:
    """Let one payment through on this ticket; False if another payment took the turn first."""
    taken = CardTestingEpisode.objects.filter(pk=ticket.episode, admitted=ticket.turn).update(
        admitted=F("admitted") + 1
    )
    return taken == 1


def page_ticket() -> str:
    """A ticket for the checkout page during an episode ("" otherwise): its wait runs while the
    reader types, so most donors never see the waiting page."""
    episode = active_episode()
    return issue(episode).sign() if episode is not None else ""
