"""Reach's reader-facing endpoints: the "most read" beacon."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from samizdat.support.ratelimit import client_ip, over_limit

from .pageviews import BEACONS_PER_MINUTE, record_view


@csrf_exempt  # no cookie, no session: nothing another site could borrow
@require_POST
def viewed(request: HttpRequest, page_id: int) -> HttpResponse:
    """+1 for this article today. Answers 204 whatever happened: a sender learns nothing."""
    if not over_limit("reach-viewed", client_ip(request), BEACONS_PER_MINUTE, 60):
        record_view(page_id)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
