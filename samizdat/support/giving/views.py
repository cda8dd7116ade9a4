"""Reader pages of giving: the support page, checkout, payment, thanks, reminders, counters.

None of these views sets a cookie or keeps anything about the reader between requests. That
is also why they are exempt from CSRF checks: with no session or cookie there is no ambient
authority for another site to borrow, and what a gift needs (the signed checkout token and the
provider's card token) cannot be forged by a third party.
"""

from __future__ import annotations

import datetime
from functools import wraps

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from samizdat.core.emails import email_hash, normalise_email
from samizdat.core.ratelimit import client_ip, over_limit
from samizdat.ids import parse_id
from samizdat.payments.base import PaymentError
from samizdat.payments.registry import get_provider

from ..models import AppealStat, AppealVariant, CardTestingEpisode, Donation
from ..money import to_major
from . import cardtesting, reminders
from . import checkout as gifts
from .appeals import forget_progress, goal_progress
from .forms import (
    CheckoutForm,
    Gift,
    GiftForm,
    RemindForm,
    consent_text,
    donation_form_context,
    read_gift,
    remind_after_days,
    sign_gift,
)
from .methods import checkout_methods

THANKS_SALT = "samizdat.support.thanks"
THANKS_MAX_AGE = 7 * 24 * 3600
CONFIRM_SALT = "samizdat.support.confirm"
# How often the "still confirming" page reloads itself while a payment awaits its answer.
CONFIRMING_REFRESH_SECONDS = 10
# How long browsers and proxies keep the goal's frame: how late a gift shows at most.
GOAL_MAX_AGE = 60
STAT_FIELDS = {"impression": "impressions", "click": "clicks"}
# Beacons one client may send per minute: a page shows a few appeals, each sending an
# impression and perhaps a click; a loop is cut off here before it costs a query.
STAT_BEACONS_PER_MINUTE = 30


# Rate limits -----------------------------------------------------------------------------------


def rate_limited(scope: str):
    """At most N requests per client per window (settings.SAMIZDAT_RATE_LIMIT), to blunt card
    testing. The address is hashed into a short-lived cache counter and stored nowhere else."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limit, window = getattr(settings, "SAMIZDAT_RATE_LIMIT", (10, 60))
            if over_limit(scope, client_ip(request), limit, window):
                response = render(request, "support/too_many.html", status=429)
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Signed references ------------------------------------------------------------------------------


def thanks_url(donation: Donation) -> str:
    ref = signing.dumps(donation.pk, salt=THANKS_SALT)
    return reverse("support:thanks", args=[ref])


def mask_email(email: str) -> str:
    """a…@example.org: enough for the donor to recognise, not enough to read over a shoulder."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


# Pages -----------------------------------------------------------------------------------------


def _support_page(request, form: GiftForm | None = None, status: int = 200) -> HttpResponse:
    context = donation_form_context(
        form=form,
        initial=request.GET if form is None else None,
        variant_id=request.GET.get("variant") if form is None else None,
    )
    context["progress"] = goal_progress()
    return render(request, "support/support_page.html", context, status=status)


@require_GET
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def goal(request: HttpRequest) -> HttpResponse:
    """The month's goal, in a frame of its own on every page that shows it: a gift changes this
    small answer, which readers' browsers and proxies keep a minute, and no stored page. A
    document, not an image, so that screen readers read its figure and it shows where SVG is
    off (Tor Browser's safest level); it needs no script."""
    response = render(request, "support/goal_frame.html", {"progress": goal_progress()})
    patch_cache_control(response, public=True, max_age=GOAL_MAX_AGE)
    return response


@require_GET
def support_page(request: HttpRequest) -> HttpResponse:
    """The donation form on a page of its own: for the modal's button, mirrors and links."""
    return _support_page(request)


def _checkout_page(
    request, gift: Gift, form: CheckoutForm | None = None, address_form=None, **extra
) -> HttpResponse:
    methods = checkout_methods(gift.currency, get_language() or settings.LANGUAGE_CODE)
    card = any(m.needs_javascript for m in methods)
    context = {
        "gift": gift,
        # A fresh token per rendering: a retry after a declined card gets a new checkout key,
        # so the provider does not answer it with the earlier attempt's cached refusal.
        "token": sign_gift(gift),
        "form": form or CheckoutForm(),
        "address_form": address_form,
        "methods": methods,
        "card": card,
        # The card provider's script is loaded only where the card field is shown.
        "browser": get_provider().browser_config() if card else {},
        "wait_ticket": cardtesting.page_ticket() if card else "",
        "change_url": _change_url(gift),
        **extra,
    }
    return render(request, "support/checkout.html", context)


def _change_url(gift: Gift) -> str:
    amount = to_major(gift.amount_minor)
    query = f"?frequency={gift.frequency}&amount={amount:f}&currency={gift.currency}"
    if gift.variant_id:
        query += f"&variant={gift.variant_id}"
    return reverse("support:support") + query


@csrf_exempt
@never_cache
@rate_limited("checkout")
def checkout(request: HttpRequest) -> HttpResponse:
    """Step two: the form posted its choice; ask who gives and for the card."""
    if request.method != "POST":
        return redirect("support:support")
    form = GiftForm(request.POST)
    if not form.is_valid():
        return _support_page(request, form)
    return _checkout_page(request, form.gift)


@csrf_exempt
@never_cache
@require_POST
@rate_limited("pay")
def pay(request: HttpRequest) -> HttpResponse:
    """Charge the card (or start the recurring gift) through the provider."""
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        if form.gift is None:
            return render(request, "support/expired.html", status=400)
        return _checkout_page(request, form.gift, form)

    gift, data = form.gift, form.cleaned_data
    # The card-testing defence (cardtesting.py): nothing below depends on the client's address.
    episode = cardtesting.active_episode()
    ticket = None
    if episode is not None:
        verdict, ticket = cardtesting.check(request.POST.get("wait_ticket", ""), episode)
        if verdict is not cardtesting.Verdict.GOOD:
            return _wait_page(request, form, episode, verdict, ticket)
    if cardtesting.email_over_limit(email_hash(data["email"])):
        return _card_limit_page(request, CardTestingEpisode.Trigger.EMAIL)
    fingerprint = getattr(get_provider(), "card_fingerprint", None)
    if fingerprint and cardtesting.card_over_limit(fingerprint(data["payment_token"])):
        return _card_limit_page(request, CardTestingEpisode.Trigger.CARD)
    if ticket is not None and not cardtesting.take_turn(ticket):
        return _wait_page(request, form, episode, cardtesting.Verdict.STALE, None)
    try:
        outcome = gifts.start_gift(
            amount_minor=gift.amount_minor,
            currency=gift.currency,
            frequency=gift.frequency,
            email=data["email"],
            name=data["name"],
            anonymous=data["anonymous"],
            language=get_language() or settings.LANGUAGE_CODE,
            payment_token=data["payment_token"],
            checkout_key=gift.checkout_key,
            variant_id=gift.variant_id,
        )
    except PaymentError as exc:
        if not exc.retryable:
            cardtesting.record_decline()
        return _checkout_page(request, gift, form, error=exc.message)
    except ValueError:
        # The gift no longer fits the form's settings, or its key was reused with other details.
        return render(request, "support/expired.html", status=400)
    if str(outcome.status) == "failed" and not getattr(outcome, "retryable", False):
        cardtesting.record_decline()  # declined, or refused: not a provider that was down
    return _after_payment(request, gift, form, outcome)


def _wait_page(request, form: CheckoutForm, episode, verdict, ticket) -> HttpResponse:
    """During a card-testing episode: wait, then continue with what the reader already sent."""
    if ticket is None:
        ticket = cardtesting.issue(episode)
        cardtesting.note_challenge(episode)
    data = form.cleaned_data
    context = {
        "verdict": str(verdict),
        "seconds": ticket.remaining(),
        "wait_ticket": ticket.sign(),
        "token": request.POST.get("token", ""),
        "email": data["email"],
        "name": data["name"],
        "anonymous": data["anonymous"],
        "payment_token": data["payment_token"],
    }
    return render(request, "support/wait.html", context)


def _card_limit_page(request, trigger: str) -> HttpResponse:
    cardtesting.note_refusal(trigger)
    response = render(request, "support/too_many.html", {"card_limit": True}, status=429)
    response["Retry-After"] = str(3600)
    return response


def _after_payment(request, gift: Gift, form: CheckoutForm, outcome) -> HttpResponse:
    status = str(getattr(outcome.status, "value", outcome.status))
    if status in ("paid", "processing") and outcome.donation is not None:
        # Paid: thanks. Processing (the bank or the provider has not answered): the same
        # signed address says so, and checks again until the gift is paid or failed.
        if status == "paid":
            forget_progress()
        return redirect(thanks_url(outcome.donation))
    if status == "requires_action" and outcome.donation is not None:
        # The bank wants the donor to confirm (3-D Secure): the browser does it, then posts
        # to `confirm`, which asks the provider what happened.
        return _checkout_page(
            request,
            gift,
            form,
            client_secret=outcome.client_secret,
            confirm_ref=signing.dumps(outcome.donation.pk, salt=CONFIRM_SALT),
        )
    message = outcome.error_message or _("The payment did not go through. Nothing was charged.")
    return _checkout_page(request, gift, form, error=message)


@csrf_exempt
@never_cache
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """After 3-D Secure in the browser: ask the provider whether the payment went through."""
    try:
        donation_pk = signing.loads(request.POST.get("ref", ""), salt=CONFIRM_SALT, max_age=3600)
        donation = Donation.objects.get(pk=donation_pk)
        gift = read_gift(request.POST.get("token", ""))
    except (signing.BadSignature, Donation.DoesNotExist):
        return render(request, "support/expired.html", status=400)

    try:
        outcome = gifts.confirm_gift(donation)
    except PaymentError as exc:
        return _checkout_page(request, gift, None, error=exc.message)
    # What this checkout was given: the donor's record only takes it once the gift is paid.
    name = donation.donor.name if donation.checkout_anonymous is None else donation.checkout_name
    form = CheckoutForm(initial={"email": donation.donor.email, "name": name})
    return _after_payment(request, gift, form, outcome)


@never_cache
@require_GET
def thanks(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        donation_pk = signing.loads(ref, salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404 from exc
    donation = Donation.objects.select_related("donor").filter(pk=donation_pk).first()
    if donation is None:
        raise Http404
    gift = Gift(donation.amount_minor, donation.currency, donation.frequency)
    context = {
        "donation": donation,
        "gift": gift,
        "masked_email": mask_email(donation.donor.email),
        "manage_url": reverse("support:support") + "manage/",
    }
    if donation.status != Donation.Status.PAID:
        # Never a thank-you for a payment not known to be paid: a gift still waiting for the
        # provider's answer gets a page that checks again by itself (no script needed).
        context |= {
            "status": donation.status,
            "refresh": CONFIRMING_REFRESH_SECONDS,
            "status_url": request.path,
            "failure_message": donation.failure_message
            or _("The payment did not go through. Nothing was charged."),
        }
        return render(request, "support/confirming.html", context)
    context |= {"paid": True, "progress": goal_progress()}
    return render(request, "support/thanks.html", context)


@csrf_exempt
@require_POST
@rate_limited("remind")
def remind(request: HttpRequest) -> HttpResponse:
    """ "Remind me later": the browser already hides appeals; optionally one e-mail later."""
    form = RemindForm(request.POST)
    days = remind_after_days()
    back = reading_page(request.POST.get("page", ""))
    if not form.is_valid():
        context = {
            "remind_form": form,
            "remind_days": days,
            "consent_text": consent_text(days),
            "remind_page_id": back.pk if back else "",
        }
        return render(request, "support/remind.html", context, status=400)
    email = form.cleaned_data["email"]
    remind_at = timezone.now() + datetime.timedelta(days=days)
    if email:
        # What the reader saw when they ticked the box, in their language.
        language = get_language() or settings.LANGUAGE_CODE
        reminders.ask_for_reminder(email, language, remind_at, consent_text(days))
    return render(
        request,
        "support/remind_done.html",
        {
            "days": days,
            "email": normalise_email(email),
            "remind_at": remind_at,
            "back_url": back.get_url(request) if back else "",
        },
    )


def reading_page(value: str) -> Page | None:
    """The live, public page the reader asked from (the form sends its id, never a URL, so
    "back to the article" can lead nowhere but this site's own pages)."""
    page_id = parse_id(value)
    if page_id is None:
        return None
    return Page.objects.live().public().filter(pk=page_id).specific().first()


@csrf_exempt
@require_POST
def stats(request: HttpRequest) -> HttpResponse:
    """Aggregate counters from support.js: +1 for a variant today. Nothing about who sent it.

    One client counts at most one impression and one click per variant a day, so a script
    posting in a loop moves a counter by one. "Seen today" is a keyed hash of the client's
    address, the variant, the event and the day, in the rate limits' store until the day ends:
    no cookie, and nothing that names a reader outlives the day.
    """
    client = client_ip(request)
    if over_limit("appeal-stats", client, STAT_BEACONS_PER_MINUTE, 60):
        response = HttpResponse(status=429)
        response["Retry-After"] = "60"
        return response
    field = STAT_FIELDS.get(request.POST.get("e", ""))
    variant_id = parse_id(request.POST.get("v", ""))
    if field and variant_id is not None and AppealVariant.objects.filter(pk=variant_id).exists():
        now = timezone.localtime()
        end_of_day = datetime.datetime.combine(
            now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
        )
        seen = f"{client}|{variant_id}|{field}|{now.date().isoformat()}"
        left_today = max(1, int((end_of_day - now).total_seconds()))
        if not over_limit("appeal-stats-seen", seen, 1, left_today):
            AppealStat.count(variant_id, field)
    # Unknown variants and events are ignored quietly: there is nothing a sender can learn.
    return HttpResponse(status=204)


# The signed token in the URL is what protects this POST: mail clients send RFC 8058
# one-click unsubscribes without any CSRF token, and nobody can forge the URL.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners fetch URLs; they must not unsubscribe anyone)."""
    reminder = reminders.reminder_for_token(token)
    if reminder is None:
        return render(request, "support/manage/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        reminders.unsubscribe(reminder)
        return render(request, "support/manage/unsubscribe.html", {"done": True})
    return render(
        request,
        "support/manage/unsubscribe.html",
        {"token": token, "done": reminder.unsubscribed_at is not None},
    )
