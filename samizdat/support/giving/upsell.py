"""After a one-time card gift, the thank-you page offers to make it monthly with the same card, or
to remind the donor next month.

- Only for a paid one-time card gift whose provider can reuse the saved card
  (`start_recurring_with_saved_method`), in a currency whose form offers monthly gifts,
  within two days of the payment.
- The offer is a third of the gift in whole units (at least the form's minimum, at most the
  gift), so a year's giving stays above the gift; the first payment is today.
- The buttons post a signed, expiring token; the checkout key is the donation's own
  (`upsell-<id>`), so a double click or replay gets the first outcome, never a second gift.
- "Remind me next month" records one reminder, not sent if the donor gives again first.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from samizdat.payments import registry
from samizdat.payments.base import Frequency

from ..models import Donation, DonationForm
from ..money import MINOR_PER_MAJOR, format_money, to_major
from . import reminders
from .appeals import forget_progress
from .checkout import GiftStatus, start_gift
from .views import mask_email, rate_limited, thanks_url

UPSELL_SALT = "samizdat.support.upsell"
# How long after the gift the offer holds, and a token with it.
UPSELL_MAX_AGE = datetime.timedelta(days=2)
SHARE = 3  # the monthly amount offered: a third of the one-time gift


@dataclass(frozen=True)
class Offer:
    donation: Donation
    amount_minor: int
    token: str

    @property
    def amount(self) -> str:
        return format_money(self.amount_minor, self.donation.currency)

    @property
    def remind_at(self) -> datetime.datetime:
        return next_month(timezone.now())


def checkout_key(donation: Donation) -> str:
    """The monthly gift's checkout key: one per one-time gift, so one subscription at most."""
    return f"upsell-{donation.pk}"


def monthly_amount(one_time_minor: int, form: DonationForm) -> int | None:
    """A third of the one-time gift in whole units, at least the form's minimum; None when
    that would be more than the gift itself or than the form takes."""
    third = one_time_minor // SHARE // MINOR_PER_MAJOR * MINOR_PER_MAJOR
    amount = max(third, form.minimum_minor)
    if amount > one_time_minor or amount > form.maximum_minor:
        return None
    return amount


def next_month(now: datetime.datetime) -> datetime.datetime:
    """The same day next month (the last day of a shorter month)."""
    year, month = now.year + now.month // 12, now.month % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return now.replace(year=year, month=month, day=min(now.day, last_day))


def _can_save_cards(provider_name: str) -> bool:
    try:
        provider = registry.get_provider(provider_name)
    except LookupError:
        return False
    return callable(getattr(provider, "start_recurring_with_saved_method", None))


def offer_for(donation: Donation) -> Offer | None:
    """What the thank-you page offers after this gift, or None."""
    if (
        donation.status != Donation.Status.PAID
        or donation.frequency != Frequency.ONCE
        or donation.recurring_id is not None
        or not donation.provider_payment_id
        or donation.paid_at is None
        or timezone.now() - donation.paid_at > UPSELL_MAX_AGE
        or Donation.objects.filter(idempotency_key=checkout_key(donation)).exists()
    ):
        return None
    form = DonationForm.objects.filter(currency=donation.currency).first()
    if form is None or Frequency.MONTHLY not in form.frequencies:
        return None
    amount = monthly_amount(donation.amount_minor, form)
    if amount is None or not _can_save_cards(donation.provider):
        return None
    token = signing.dumps({"d": donation.pk, "a": amount}, salt=UPSELL_SALT, compress=True)
    return Offer(donation=donation, amount_minor=amount, token=token)


def remind_consent(remind_at: datetime.datetime) -> str:
    """The words on the reminder's button, recorded as the donor's consent."""
    date = formats.date_format(timezone.localtime(remind_at), "DATE_FORMAT")
    return gettext(
        "Remind me next month: one e-mail on %(date)s, and nothing else; one click in it "
        "unsubscribes."
    ) % {"date": date}


def _read_token(token: str) -> tuple[int, int] | None:
    try:
        payload = signing.loads(token, salt=UPSELL_SALT, max_age=UPSELL_MAX_AGE.total_seconds())
        return int(payload["d"]), int(payload["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _form_url(amount_minor: int) -> str:
    query = urlencode({"amount": f"{to_major(amount_minor):f}", "frequency": "monthly"})
    return f"{reverse('support:support')}?{query}"


@csrf_exempt
@never_cache
@require_POST
@rate_limited("upsell")
def upsell(request: HttpRequest) -> HttpResponse:
    """One click on the thank-you page: the same card every month, or a reminder next month."""
    found = _read_token(request.POST.get("token", "")[:1000])
    choice = request.POST.get("choice", "")
    donation = None
    if found is not None and choice in ("monthly", "remind"):
        donation = Donation.objects.select_related("donor").filter(pk=found[0]).first()
    if donation is None:
        return render(request, "support/expired.html", status=400)
    amount_minor = found[1]
    taken = Donation.objects.filter(idempotency_key=checkout_key(donation)).first()
    if taken is not None:
        # A second click, a reload, a replayed token: what the first click did.
        return _after(request, taken, amount_minor)
    offer = offer_for(donation)
    if offer is None or offer.amount_minor != amount_minor:
        taken = Donation.objects.filter(idempotency_key=checkout_key(donation)).first()
        if taken is not None:  # a parallel click started it since the look above
            return _after(request, taken, amount_minor)
        return render(request, "support/expired.html", status=400)
    language = get_language() or settings.LANGUAGE_CODE
    donor = donation.donor
    if choice == "remind":
        remind_at = offer.remind_at
        reminders.ask_for_reminder(donor.email, language, remind_at, remind_consent(remind_at))
        context = {"email": mask_email(donor.email), "remind_at": remind_at, "days": 0}
        return render(request, "support/remind_done.html", context)
    try:
        outcome = start_gift(
            amount_minor=amount_minor,
            currency=donation.currency,
            frequency=Frequency.MONTHLY.value,
            email=donor.email,
            name=donor.name,
            anonymous=donor.anonymous,
            language=language,
            payment_token="",
            checkout_key=checkout_key(donation),
            saved_payment_id=donation.provider_payment_id,
        )
    except ValueError:
        return render(request, "support/expired.html", status=400)
    if outcome.status is GiftStatus.PAID:
        forget_progress()
    return _after(request, outcome.donation, amount_minor)


def _after(request: HttpRequest, monthly: Donation, amount_minor: int) -> HttpResponse:
    """The monthly gift's own thank-you (or "still confirming") page; or why it did not start."""
    if monthly.status != Donation.Status.FAILED:
        return redirect(thanks_url(monthly))
    context = {
        "error": monthly.failure_message,
        "form_url": _form_url(amount_minor),
    }
    return render(request, "support/upsell_failed.html", context)
