"""Mirrors without forms (`mirror build --no-forms`), where no address of the running site can
take a gift, a reminder or a sign-up.

A form on a static host posts to nothing, and its reader may think they gave, so each form is
replaced by a note: the site's addresses that may still open (onion, alternate domains), rails
that take a gift there without a card, "Giving safely" and "How to reach us".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samizdat.support.giving.giving_safely import CARD, OTHER, kind_of
from samizdat.support.giving.methods import configured_methods, method_label

from .domains import alternate_urls, onion_url
from .ways_in import reach_page

SEARCH_FORM = re.compile(r"""<form\b[^>]*\brole=["']search["'][^>]*>.*?</form>\s*""", re.DOTALL)
# "Remind me later" and the like: a <details> that only opens onto a form.
_DETAILS_WITH_FORM = re.compile(
    r"<details\b[^>]*>(?:(?!</details>).)*?<form\b(?:(?!</details>).)*</details>\s*", re.DOTALL
)
_FORM = re.compile(r"<form\b[^>]*>.*?</form>\s*", re.DOTALL)


@dataclass(frozen=True)
class GivingWithoutForms:
    """What the note says, in one edition."""

    site_addresses: tuple[str, ...]  # the support page on the onion host and other domains
    coins: str  # "Monero (XMR) and Bitcoin (BTC)", or "" when the site takes no coin
    giving_safely: str
    reach_page: str


def giving_without_forms(language: str) -> GivingWithoutForms:
    with translation.override(language):
        support = reverse("support:support")
        coins = [method_label(m) for m in configured_methods() if kind_of(m) not in (CARD, OTHER)]
        page = reach_page(language)
        giving_safely = reverse("support:giving_safely")
        if len(coins) > 1:
            joined = translation.gettext("%(first)s and %(last)s") % {
                "first": ", ".join(coins[:-1]),
                "last": coins[-1],
            }
        else:
            joined = "".join(coins)
    addresses = [onion_url(support), *alternate_urls(support)]
    return GivingWithoutForms(
        site_addresses=tuple(url for url in addresses if url),
        coins=joined,
        giving_safely=giving_safely,
        reach_page=(page.url or "") if page is not None else "",
    )


def note(language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "reach/mirror_no_forms.html", {"giving": giving_without_forms(language)}
        )


def without_forms(html: str, note_html: str) -> str:
    """`html` with no form left: the first that takes something from readers becomes the
    note, the others (and the <details> that only open onto one) go."""
    html = SEARCH_FORM.sub("", html)
    html = _DETAILS_WITH_FORM.sub("", html)
    noted = False

    def replace(match: re.Match) -> str:
        nonlocal noted
        if noted:
            return ""
        noted = True
        return note_html

    return _FORM.sub(replace, html)
