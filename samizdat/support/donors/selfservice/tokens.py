"""The signed tokens of self-service: a donor's magic link, a failed renewal's card link,
and the one-purpose token each form carries in place of a CSRF cookie."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.http import HttpRequest

from samizdat.core.tokens import unsign_object

from ...models import Donor, RecurringDonation

LINK_SALT = "samizdat.support.selfservice.manage-link"
DEFAULT_LINK_MAX_AGE = 60 * 60  # seconds; settings.SAMIZDAT_MANAGE_LINK_MAX_AGE overrides it

# A failed renewal's e-mail links straight to that gift's card page: for days, not an hour,
# and good for nothing else (not the gift list, changes, cancellation or receipts).
CARD_LINK_SALT = "samizdat.support.selfservice.card-link"
DEFAULT_CARD_LINK_MAX_AGE = 14 * 24 * 60 * 60  # settings.SAMIZDAT_CARD_LINK_MAX_AGE overrides it

FORM_SALT = "samizdat.support.selfservice.form"
# How long a self-service page's form can be sent after the page was shown: long enough for a
# page left open a while, short enough that a token copied from it soon stops working.
FORM_MAX_AGE = 2 * 60 * 60


def link_max_age() -> int:
    return int(getattr(settings, "SAMIZDAT_MANAGE_LINK_MAX_AGE", DEFAULT_LINK_MAX_AGE))


def make_link_token(donor: Donor) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign_object(
        {"d": donor.pk, "v": donor.links_version}
    )


def donor_for_token(token: str) -> Donor | None:
    """The donor a valid, unexpired, unrevoked link names; None for anything else."""
    payload = unsign_object(token, LINK_SALT, link_max_age())
    if payload is None:
        return None
    return Donor.objects.filter(pk=payload.get("d"), links_version=payload.get("v")).first()


def card_link_max_age() -> int:
    return int(getattr(settings, "SAMIZDAT_CARD_LINK_MAX_AGE", DEFAULT_CARD_LINK_MAX_AGE))


def make_card_token(gift: RecurringDonation) -> str:
    donor = gift.donor
    return signing.TimestampSigner(salt=CARD_LINK_SALT).sign_object(
        {"d": donor.pk, "g": gift.pk, "v": donor.links_version}
    )


def gift_for_card_token(token: str) -> RecurringDonation | None:
    """The gift a valid, unexpired, unrevoked card link names; None for anything else."""
    payload = unsign_object(token, CARD_LINK_SALT, card_link_max_age())
    if payload is None:
        return None
    return (
        RecurringDonation.objects.select_related("donor")
        .filter(
            pk=payload.get("g"),
            donor_id=payload.get("d"),
            donor__links_version=payload.get("v"),
        )
        .first()
    )


def revoke_links(donor: Donor) -> None:
    """Every link sent to this donor so far stops working, card links too."""
    Donor.objects.filter(pk=donor.pk).update(links_version=F("links_version") + 1)


# Cross-site posts ----------------------------------------------------------------------------


def form_token(purpose: str) -> str:
    """A token for one form on one page: it says what the form may do, and expires."""
    return signing.TimestampSigner(salt=FORM_SALT).sign_object({"p": purpose})


def _form_token_valid(token: str, purpose: str) -> bool:
    payload = unsign_object(token, FORM_SALT, FORM_MAX_AGE)
    return payload is not None and payload.get("p") == purpose


def _from_another_site(request: HttpRequest) -> bool:
    """What the browser says about where a POST comes from. A browser that says nothing (an
    old one, or a privacy tool that strips the headers) still needs the form's token."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    ours = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin != ours and origin not in settings.CSRF_TRUSTED_ORIGINS


def refused_post(request: HttpRequest, purpose: str) -> bool:
    """True for a POST that another site made the browser send, or whose form token is
    missing, forged, expired or meant for another form."""
    return _from_another_site(request) or not _form_token_valid(
        request.POST.get("form_token", ""), purpose
    )


LINK_FORM = "link"


def gift_form(action: str, donor: Donor, gift: RecurringDonation) -> str:
    """The purpose of a form that changes or cancels one gift: it names the gift and the
    donor's links, so revoking the links ends the forms shown with them too."""
    return f"{action}:{donor.pk}:{donor.links_version}:{gift.pk}"
