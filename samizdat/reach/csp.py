"""The Content-Security-Policy of reader pages, built by django-csp.

settings.CONTENT_SECURITY_POLICY is the strict policy (our own host only, no inline script or
style, no framing). Added here per response: form-action allows the origin of
SAMIZDAT_CHECKOUT_URL (where the form posts when read on a mirror), and the checkout step alone
allows the payment provider's hosts (`get_provider().script_origins()`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from samizdat.payments.registry import get_provider

# The views that render the checkout page (support/checkout.html): the step itself, and the
# answers to a declined card or a bank's confirmation, which render it again; and a donor's
# new card for a recurring gift (support/manage/card.html, also from a failed renewal's e-mail).
CHECKOUT_VIEWS = frozenset(
    {
        "support:checkout",
        "support:pay",
        "support:confirm",
        "support:pay_to_address",
        "support:manage_card",
        "support:manage_card_link",
    }
)


def origin_of(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def checkout_origin() -> str | None:
    return origin_of(getattr(settings, "SAMIZDAT_CHECKOUT_URL", "") or "")


def is_checkout_step(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in CHECKOUT_VIEWS


def is_admin_preview(request: HttpRequest) -> bool:
    """A page rendered for the admin's preview: Wagtail runs it through the middleware as a
    made-up request for the page's own URL, flagged `is_dummy`."""
    return getattr(request, "is_dummy", False)


def payment_origins() -> list[str]:
    return [origin for origin in get_provider().script_origins() if origin_of(origin)]


def page_additions() -> dict[str, list[str]]:
    """What every reader page's policy adds to the settings' one."""
    checkout = checkout_origin()
    return {"form-action": [checkout]} if checkout else {}


def reader_page_policy() -> str:
    """The Content-Security-Policy of a reader page (not the checkout step), directives in the
    settings' order: what nginx sends with the page files (samizdat/reach/nginxconf.py)."""
    policy = dict(
        part.strip().split(" ", 1)
        for part in build_policy(update=page_additions() or None).split(";")
    )
    order = list(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    ordered = sorted(policy, key=lambda name: order.index(name) if name in order else len(order))
    return "; ".join(f"{name} {policy[name]}" for name in ordered)


def policy_additions(request: HttpRequest) -> dict[str, list[str]]:
    """What this response's policy adds to the settings' one."""
    update = page_additions()
    if is_checkout_step(request):
        origins = payment_origins()
        if origins:
            update["script-src"] = origins
            update["connect-src"] = origins
            # The provider's frames (card fields, the bank's confirmation); ours stay allowed.
            update["frame-src"] = [SELF, *origins]
    return update


class ReaderCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only:
            update = dict(parts.update or {})
            for directive, sources in policy_additions(request).items():
                update[directive] = [*sources, *(update.get(directive) or [])]
            parts.update = update or None
            if is_admin_preview(request):
                # The admin shows previews in a frame of its own; nobody else may frame them.
                parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
