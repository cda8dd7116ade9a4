"""Reader pages of the newsletter (sign up, confirm, unsubscribe) and the bounce webhook.

Like the other reader pages these set no cookie and keep nothing about the reader between
requests, which is why they need no CSRF token: there is no ambient authority to borrow, and
what changes anything (the signed link, the webhook's signature) cannot be forged. Signing up
only ever sends the owner of the address a link; it answers the same for every address.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from samizdat.core.ratelimit import client_ip, over_limit

from . import bounces as bounce_rules
from . import conf, subscriptions
from .forms import SubscribeForm


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, SubscribeForm())
    limit, window = getattr(settings, "SAMIZDAT_RATE_LIMIT", (10, 60))
    if over_limit("newsletter-subscribe", client_ip(request), limit, window):
        response = render(request, "newsletters/too_many.html", status=429)
        response["Retry-After"] = str(window)
        return response
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    subscriptions.subscribe(
        data["email"],
        get_language() or settings.LANGUAGE_CODE,
        digest=data["digest"],
        breaking=data["breaking"],
    )
    # The same page for a new address, a subscribed one and a bounced one.
    return render(request, "newsletters/subscribe_done.html", {"email": data["email"]})


def _form_page(request: HttpRequest, form: SubscribeForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "consent_text": subscriptions.consent_text()}
    return render(request, "newsletters/subscribe.html", context, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners that open every link in an e-mail
    must not be able to subscribe anyone."""
    confirmation = subscriptions.read_confirm_token(token)
    if confirmation is None:
        return render(request, "newsletters/confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        subscriber = subscriptions.confirm(confirmation)
        return render(request, "newsletters/confirm.html", {"done": True, "choice": subscriber})
    return render(request, "newsletters/confirm.html", {"token": token, "choice": confirmation})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST unsubscribes, from the page or straight from a mail client
    (RFC 8058 one-click: it POSTs "List-Unsubscribe=One-Click" to the link)."""
    subscriber = subscriptions.subscriber_for_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "newsletters/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return render(request, "newsletters/unsubscribe.html", {"done": True})
    done = subscriber.status not in subscriptions.RECEIVING
    return render(request, "newsletters/unsubscribe.html", {"token": token, "done": done})


@csrf_exempt
@require_POST
def bounces(request: HttpRequest) -> HttpResponse:
    """Bounce and complaint notifications from the mail server (format: bounces.py)."""
    secret = conf.bounce_secret()
    if not secret:
        # Not a 404: the language middleware would turn that into a redirect to /en/….
        return JsonResponse({"error": "bounce notifications are not configured"}, status=403)
    body = request.body
    if not bounce_rules.verify(
        secret,
        request.headers.get("X-Samizdat-Timestamp", ""),
        request.headers.get("X-Samizdat-Signature", ""),
        body,
    ):
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError("not an object")
        events = payload.get("events", [payload])
        parsed = [(str(event["email"]), str(event["type"])) for event in events]
    except (ValueError, TypeError, KeyError):
        return JsonResponse({"error": "expected {email, type} or {events: [...]}"}, status=400)
    if any(kind not in bounce_rules.KINDS for _email, kind in parsed):
        return JsonResponse({"error": f"type must be one of {bounce_rules.KINDS}"}, status=400)
    stopped = sum(bounce_rules.record(email, kind) for email, kind in parsed)
    return JsonResponse({"received": len(parsed), "stopped": stopped})
