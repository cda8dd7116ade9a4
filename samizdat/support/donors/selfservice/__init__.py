"""Donor self-service by magic link: see your gifts, change or cancel a recurring one.

There are no passwords and no donor accounts. A donor asks for a link with their e-mail
address; the link carries a signed, expiring token naming the donor and their current
`links_version`, so raising that number revokes every link already sent.

The page that asks for a link answers the same, and as fast, whether or not the address is
known, so it cannot be used to learn who gives: the lookup and the e-mail happen after the answer
has gone out. Every page that shows donor data is marked uncacheable.

These pages set no cookie, not even Django's CSRF cookie, which would mark the device as one
that visited donor self-service. Their forms carry a short-lived signed token for one purpose
(this gift's cancellation, say) instead, and a POST that the browser says comes from another
site (Origin, Sec-Fetch-Site) is refused.
"""

from .gifts import can_update_card, cancel_gift, change_gift, next_payment_at
from .links import email_manage_link, send_manage_link
from .tokens import (
    CARD_LINK_SALT,
    LINK_FORM,
    card_link_max_age,
    donor_for_token,
    form_token,
    gift_for_card_token,
    gift_form,
    link_max_age,
    make_card_token,
    make_link_token,
    revoke_links,
)

__all__ = [
    "CARD_LINK_SALT",
    "LINK_FORM",
    "can_update_card",
    "cancel_gift",
    "card_link_max_age",
    "change_gift",
    "donor_for_token",
    "email_manage_link",
    "form_token",
    "gift_for_card_token",
    "gift_form",
    "link_max_age",
    "make_card_token",
    "make_link_token",
    "next_payment_at",
    "revoke_links",
    "send_manage_link",
]
