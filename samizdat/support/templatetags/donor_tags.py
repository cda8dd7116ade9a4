"""Marking a browser as a donor's, for appeals to stop asking (support.js, donor.js).

The thank-you page of a paid gift and the page a donor manages their gifts on carry
{% donor_mark %}: donor.js writes what it says into localStorage, nothing goes back to us, and
the donor can make that browser forget it.
"""

from __future__ import annotations

from django import template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from ..models import Donation, Donor

register = template.Library()


def _at(moment) -> str:
    return str(int(moment.timestamp()))


def gift_mark(donation: Donation) -> dict[str, str] | None:
    """One paid gift: this browser gave, so often, then."""
    if donation.status != Donation.Status.PAID or donation.paid_at is None:
        return None
    return {"data-donor": donation.frequency, "data-at": _at(donation.paid_at)}


def donor_mark(donor: Donor) -> dict[str, str] | None:
    """Everything a donor's gifts say now: a current recurring gift, else a cancelled one (a
    lapsed donor, unless a one-time gift came after), else the last one-time gift."""
    paid = donor.donations.paid().filter(paid_at__isnull=False)
    last = paid.order_by("-paid_at").first()
    recurring = donor.recurring.started()
    current = recurring.live().order_by("-started_at").first()
    if current is not None:
        at = last.paid_at if last else current.started_at
        return {"data-donor": current.frequency, "data-at": _at(at), "data-all": ""}
    ended = recurring.order_by("-started_at").first()
    once = paid.filter(frequency="once").order_by("-paid_at").first()
    ended_at = ended and (ended.cancelled_at or ended.status_changed_at or ended.started_at)
    if ended is not None and (once is None or once.paid_at < ended_at):
        return {
            "data-donor": ended.frequency,
            "data-at": _at(ended_at),
            "data-cancelled": "",
            "data-all": "",
        }
    if once is not None:
        return {"data-donor": "once", "data-at": _at(once.paid_at), "data-all": ""}
    return None


@register.simple_tag
def mark_donor(*, donation: Donation | None = None, donor: Donor | None = None) -> str:
    """The script that remembers it, and the donor's way to make this browser forget."""
    mark = gift_mark(donation) if donation is not None else donor_mark(donor)
    if mark is None:
        return ""
    script = f'<script src="{static("samizdat/donor.js")}" defer{flatatt(mark)}></script>'
    return mark_safe(render_to_string("support/donor_mark.html") + script)
