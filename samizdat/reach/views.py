"""Reach's endpoints: the "most read" beacon, and the mirror check's signed reports."""

from __future__ import annotations

import json

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from samizdat.core.ratelimit import client_ip, over_limit

from . import mirror_check
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


@csrf_exempt  # signed with the shared secret instead
@require_POST
def mirror_report(request: HttpRequest) -> HttpResponse:
    """Results of `samizdat mirror check --report-to`: kept when signed with the secret."""
    secret = mirror_check.report_secret()
    if not secret:
        raise Http404  # reports are off until the site has a secret
    body = request.body
    if not mirror_check.verify(
        secret,
        request.headers.get(mirror_check.TIMESTAMP_HEADER, ""),
        body,
        request.headers.get(mirror_check.SIGNATURE_HEADER, ""),
    ):
        return HttpResponse(
            "Not signed with the site's secret, or too old.\n",
            status=403,
            content_type="text/plain",
        )
    try:
        with transaction.atomic():
            count = mirror_check.store_report(json.loads(body))
    except (ValueError, TypeError) as exc:
        return HttpResponse(f"Not a report: {exc}\n", status=400, content_type="text/plain")
    return HttpResponse(f"{count} results kept.\n", content_type="text/plain")
