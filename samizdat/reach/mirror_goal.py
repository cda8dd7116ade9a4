"""One goal figure per mirror: <lang>/support/goal.svg, written afresh by every build.

An incremental build renders only the pages an edit touched, so a figure written into pages
would differ from page to page; every page shows this one image instead (figure in its text and
<title>), the same everywhere after every run, without JavaScript.
"""

from __future__ import annotations

import re
from html import escape

from django.utils import translation
from django.utils.translation import gettext

from samizdat.support.money import format_money

GOAL_BLOCK = re.compile(r'<div class="goal">.*?</div>', re.DOTALL)
WIDTH, HEIGHT = 320, 44
_RAISED = "<strong>%(raised)s</strong>"


def goal_path(language: str) -> str:
    """Where an edition's goal image is on the mirror, under the mirror's root."""
    return f"{language}/support/goal.svg"


def goal_block(language: str) -> str:
    """What a page shows in place of its goal: the edition's image."""
    with translation.override(language):
        alt = gettext("This month's funding goal")
    return (
        f'<div class="goal"><img class="goal__image" src="/{goal_path(language)}" '
        f'alt="{escape(alt)}" width="{WIDTH}" height="{HEIGHT}"></div>'
    )


def goal_svg(progress, language: str) -> bytes:
    """The figure and its bar, in the edition's language and the site's money format."""
    with translation.override(language):
        raised = format_money(progress.raised_minor, progress.currency)
        goal = format_money(progress.goal_minor, progress.currency)
        sentence = gettext("<strong>%(raised)s</strong> of %(goal)s this month")
    before, found, after = sentence.partition(_RAISED)
    if found:
        plain = (before + raised + after) % {"goal": goal}
        text = (
            escape(before % {"goal": goal})
            + f'<tspan font-weight="bold">{escape(raised)}</tspan>'
            + escape(after % {"goal": goal})
        )
    else:  # a translation that marks the figure otherwise: the words, without the marks
        plain = re.sub(r"<[^>]*>", "", sentence % {"raised": raised, "goal": goal})
        text = escape(plain)
    bar = round(WIDTH * progress.percent / 100)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(plain)}">'
        f"<title>{escape(plain)}</title>"
        f'<text x="0" y="18" font-family="system-ui, sans-serif" font-size="16" '
        f'fill="#222">{text}</text>'
        f'<rect x="0" y="30" width="{WIDTH}" height="10" rx="5" fill="#e5e5e5"/>'
        f'<rect x="0" y="30" width="{bar}" height="10" rx="5" fill="#b3261e"/>'
        "</svg>\n"
    ).encode()
