"""Webhook intake: POST /payments/webhooks/<provider>/."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import registry
from .base import InvalidWebhook, PaymentError
from .intake import accept_event

logger = logging.getLogger(__name__)


@csrf_exempt  # the provider signs its requests; it has no CSRF token to send
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        payment_provider = registry.get_provider(provider)
        if not hasattr(payment_provider, "parse_webhook"):
            raise LookupError(provider)  # an address provider: its payments are not pushed
    except LookupError:
        # A urlconf without i18n_patterns, so LocaleMiddleware does not redirect this 404 to
        # /en/payments/…, which the reader pages' catch-all route would "find".
        request.urlconf = "samizdat.payments.urls"
        return HttpResponse("no such payment provider", status=404, content_type="text/plain")
    try:
        event = payment_provider.parse_webhook(request.body, request.headers)
    except InvalidWebhook:
        logger.warning("Refused a %s webhook with a bad signature or body", provider)
        return HttpResponse("invalid webhook", status=400, content_type="text/plain")
    except PaymentError:
        # Translating the event needed the provider's API and it did not answer: ask the
        # provider to deliver it again later.
        logger.warning("Could not translate a %s webhook now; asking for a retry", provider)
        return HttpResponse("try again later", status=503, content_type="text/plain")
    try:
        applied = accept_event(payment_provider.name, event)
    except Exception:
        logger.exception("Applying %s event %s failed; the provider will retry", provider, event.id)
        return HttpResponse("not applied", status=500, content_type="text/plain")
    return HttpResponse("ok" if applied else "duplicate", content_type="text/plain")
