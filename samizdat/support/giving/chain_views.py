"""Reader pages of a gift paid to an address: asking for the address, and the payment's page.

Both work with JavaScript off (Tor Browser's "Safest" level) and without an e-mail address: the
payment page shows the address as text, a wallet link with the amount, a QR code drawn on the
server, and refreshes itself until the payment is seen, confirmed, and thanked for.
"""

from __future__ import annotations

import re

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from samizdat.payments import registry
from samizdat.payments.base import ProviderUnavailable

from ..models import PaymentRequest
from ..money import format_money
from . import chain
from .forms import AddressCheckoutForm
from .views import _checkout_page, rate_limited

# While a payment is awaited the page asks again this often; readers leave it open.
REFRESH_SECONDS = 15
# A payment request's reference: uuid4().hex.
REFERENCE = re.compile(r"[0-9a-f]{32}")


@csrf_exempt  # no cookie or session to borrow: see views.py
@never_cache
@require_POST
@rate_limited("pay")
def pay_to_address(request: HttpRequest) -> HttpResponse:
    """The reader chose Monero or Bitcoin on the checkout step: make the request, show it."""
    form = AddressCheckoutForm(request.POST)
    if not form.is_valid():
        if form.gift is None:
            return render(request, "support/expired.html", status=400)
        errors = form.errors.get("method")
        return _checkout_page(
            request, form.gift, address_form=form, error=errors[0] if errors else ""
        )
    gift, data = form.gift, form.cleaned_data
    try:
        payment = chain.open_request(
            provider_name=data["method"],
            amount_minor=gift.amount_minor,
            currency=gift.currency,
            checkout_key=gift.checkout_key,
            language=get_language() or settings.LANGUAGE_CODE,
            email=data["email"],
            variant_id=gift.variant_id,
        )
    except chain.NoRate:
        error = _("This way of paying is not available right now. Nothing was recorded.")
        return _checkout_page(request, gift, address_form=form, error=error)
    except (chain.RequestRefused, ProviderUnavailable) as exc:
        return _checkout_page(request, gift, address_form=form, error=exc.message)
    except ValueError:
        return render(request, "support/expired.html", status=400)
    return redirect(payment_url(payment))


def payment_url(payment: PaymentRequest) -> str:
    return reverse("support:payment", args=[payment.reference])


@never_cache
@require_GET
def payment_page(request: HttpRequest, reference: str) -> HttpResponse:
    # Only what a reference looks like reaches the database (PostgreSQL refuses a NUL in text).
    if not REFERENCE.fullmatch(reference):
        raise Http404
    payment = (
        PaymentRequest.objects.select_related("donation", "rate")
        .filter(reference=reference)
        .first()
    )
    if payment is None:
        raise Http404
    try:
        provider = registry.get_provider(payment.provider)
    except LookupError as exc:
        raise Http404 from exc
    coin = provider.coin
    now = timezone.now()
    donation = payment.donation
    uri = provider.payment_uri(payment.address, payment.amount_atomic)
    status = payment.status
    waiting = status in (PaymentRequest.Status.OPEN, PaymentRequest.Status.SEEN)
    received = payment.received_atomic + payment.seen_atomic
    context = {
        "payment": payment,
        "coin": coin,
        "status": status,
        "uri": uri,
        "qr": _qr_svg(uri),
        "amount_coin": chain.coin_text(payment.amount_atomic, coin),
        # What was asked, in the form's currency (the donation's own amount becomes the value
        # of what arrived once it is paid).
        "amount_fiat": format_money(
            chain.value_of(payment.amount_atomic, payment.rate, coin), donation.currency
        ),
        "received_coin": chain.coin_text(received, coin) if received else "",
        "received_fiat": format_money(donation.amount_minor, donation.currency),
        "short": 0 < received < payment.amount_atomic,
        "over": received > payment.amount_atomic,
        "minutes_left": max(0, int((payment.expires_at - now).total_seconds() // 60)),
        "confirmations_required": provider.confirmations_required,
        "confirmations": max((t.confirmations for t in payment.transfers.all()), default=0),
        "refresh": REFRESH_SECONDS if waiting else None,
        "rate_set_at": payment.rate.set_at,
    }
    return render(request, "support/payment.html", context)


def _qr_svg(uri: str) -> str:
    """The wallet link as a QR code in inline SVG: drawn here, no script, no other host."""
    qr = segno.make(uri, error="m")
    return mark_safe(qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=False))  # noqa: S308
