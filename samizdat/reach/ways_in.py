"""The ways in, as a newsletter carries them: mirrors, the onion address, other domains.

"How to reach us" (ReachPage, one per edition) is where editors keep them; the onion host and
the alternate domains come from the server's settings. When they change, editors can mail
them to every subscriber at once (samizdat/newsletters/sos.py), and every newsletter's footer
carries them: when every address is blocked, e-mail still arrives.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from samizdat.core.mail import public_url

from .domains import alternate_urls, onion_url
from .models import ReachPage


@dataclass
class Mirror:
    url: str
    note: str = ""


@dataclass
class WaysIn:
    language: str
    mirrors: list[Mirror] = field(default_factory=list)
    onion_url: str = ""
    other_domains: list[str] = field(default_factory=list)
    other_ways_html: str = ""  # the editors' rich text, as stored
    page_url: str = ""  # "How to reach us" on the public site, if the edition has one

    def __bool__(self) -> bool:
        return bool(self.mirrors or self.onion_url or self.other_domains or self.other_ways_html)

    @property
    def addresses(self) -> list[str]:
        """Every address a reader can open, mirrors first."""
        onion = [self.onion_url] if self.onion_url else []
        return [mirror.url for mirror in self.mirrors] + self.other_domains + onion


def _edition_prefix(language: str) -> str:
    with translation.override(language):
        return reverse("wagtail_serve", args=("",))


def reach_page(language: str) -> ReachPage | None:
    return (
        ReachPage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )


def ways_in(language: str) -> WaysIn:
    """The edition's current ways in (the onion and other domains even without a page)."""
    page = reach_page(language)
    prefix = _edition_prefix(language)
    ways = WaysIn(
        language=language, onion_url=onion_url(prefix), other_domains=alternate_urls(prefix)
    )
    if page is not None:
        ways.mirrors = [
            Mirror(url=block.value["url"], note=block.value.get("note") or "")
            for block in page.mirrors
            if block.block_type == "mirror" and block.value.get("url")
        ]
        ways.other_ways_html = str(page.other_ways or "")
        parts = page.get_url_parts()
        if parts is not None:
            ways.page_url = public_url(parts[2])
    return ways


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def fingerprint(every: list[WaysIn] | None = None) -> str:
    """One hash of every edition's ways in: it changes when any address or note does."""
    every = every if every is not None else [ways_in(code) for code in languages()]
    data = [asdict(ways) for ways in sorted(every, key=lambda w: w.language)]
    for item in data:
        item.pop("page_url")  # moving the page is not a new way in
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
