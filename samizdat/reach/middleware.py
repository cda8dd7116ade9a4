"""Headers every reader page carries for readers behind a block: Onion-Location and
Permissions-Policy. (The Content-Security-Policy is samizdat/reach/csp.py's.)"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .domains import is_onion_request, onion_host

ONION_LOCATION = "Onion-Location"
PERMISSIONS_POLICY = "Permissions-Policy"


def is_reader_page(request: HttpRequest, response: HttpResponse) -> bool:
    """An HTML page a reader can open: not the admin, not a feed, an image or a redirect."""
    prefixes = settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES", ())
    return (
        not request.path_info.startswith(tuple(prefixes))
        and response.get("Content-Type", "").startswith("text/html")
        and 200 <= response.status_code < 300
    )


class ReachHeadersMiddleware:
    """Advertise the onion address on every reader page, and switch off what no page uses.

    Tor Browser reads Onion-Location and offers the reader the same page on the onion host,
    which no block of a domain name can stop. The header names the page itself, path and query,
    so the switch lands where the reader was. Pages served on the onion host do not send it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "SAMIZDAT_PERMISSIONS_POLICY", "")
        if policy and PERMISSIONS_POLICY not in response:
            response[PERMISSIONS_POLICY] = policy
        onion = onion_host()
        if (
            onion
            and is_reader_page(request, response)
            and not is_onion_request(request)
            and not getattr(request, "is_dummy", False)  # a preview in the admin
        ):
            response[ONION_LOCATION] = f"http://{onion}{request.get_full_path()}"
        return response
