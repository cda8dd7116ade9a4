"""Donor self-service by magic link: see your gifts, change or cancel a recurring one.

There are no passwords and no donor accounts. A donor asks for a link with their e-mail
address; the link carries a signed, expiring token naming the donor and their current
`links_version`, so raising that number revokes every link already sent.

The page that asks for a link answers the same, and as fast, whether or not the address is
known, so it cannot be used to learn who gives: the lookup and the e-mail happen after the answer
has gone out. Every page that shows donor data is marked uncacheable.

These pages set no cookie, not even Django's CSRF cookie, which would mark the device as one
that visited donor self-service. Their forms carry a short-lived signed token for one purpose
(this gift's cancellation, say) instead, and a POST that the browser says comes from another
site (Origin, Sec-Fetch-Site) is refused.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core import signing
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tasks import task

from samizdat.core.emails import email_hash
from samizdat.core.mail import language_url, send_mail_in_language
from samizdat.core.ratelimit import client_ip, over_limit
from samizdat.core.tokens import unsign_object
from samizdat.newsroom.names import newsroom_name
from samizdat.payments.base import Frequency, PaymentError, ProviderUnavailable
from samizdat.payments.registry import get_provider

from .gift_notices import per_period, send_gift_cancelled, send_gift_changed
from .models import FREQUENCY_CHOICES, DonationForm, Donor, RecurringDonation
from .money import AmountError, format_money, major_text, parse_amount
from .reminders import reminder_for_token, unsubscribe
from .yearly import YearlySummary, yearly_summary, years_with_gifts

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

# Asking for links: per client address, to blunt scripted probing; per donor, so nobody can
# flood a donor's inbox by typing their address again and again.
REQUESTS_PER_CLIENT = (5, 15 * 60)  # (how many, in how many seconds)
LINKS_PER_DONOR = (3, 60 * 60)


# Tokens --------------------------------------------------------------------------------------


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


# Rules ---------------------------------------------------------------------------------------


def email_manage_link(email: str, language: str) -> None:
    """Send a link if the address belongs to a donor. Says nothing either way.

    Known or not, the same work is queued: a task that decides whether there is anyone to
    write to. Only the donor's id goes into the task, never the address.
    """
    donor_id = Donor.objects.filter(email_hash=email_hash(email)).values_list("pk", flat=True)
    send_manage_link.enqueue(donor_id.first(), language)


@task()
def send_manage_link(donor_id: int | None, language: str) -> bool:
    if donor_id is None:  # nobody gives from that address
        return False
    if over_limit("manage-link-donor", str(donor_id), *LINKS_PER_DONOR):
        return False
    donor = Donor.objects.filter(pk=donor_id).first()
    if donor is None:  # erased between the request and this task
        return False
    # Signed here, not in the request: the hour counts from when the e-mail goes out.
    token = make_link_token(donor)
    send_mail_in_language(
        to=donor.email,
        template="support/email/manage_link",
        language=language,
        context={
            "newsroom": newsroom_name(language),
            "link": language_url("support:manage_gifts", language, {"token": token}),
            "valid_minutes": max(1, link_max_age() // 60),
        },
    )
    return True


class AnswerThenAskForLink(HttpResponse):
    """The "we've sent a link" page, with the lookup and the sending done only after it.

    The WSGI server calls close() once the whole answer is written to the reader, so however
    long the lookup, the rate limit and (with the "immediate" task backend) the SMTP exchange
    take, they cannot show in how long the answer took.
    """

    def __init__(self, content: str, email: str, language: str) -> None:
        super().__init__(content)
        self._link_request = (email, language)

    def close(self) -> None:
        try:
            email_manage_link(*self._link_request)
        finally:
            super().close()


def change_gift(recurring: RecurringDonation, amount_minor: int, frequency: Frequency) -> None:
    """Change the amount or frequency of a recurring gift, from its next payment: nothing is
    charged now. Raises PaymentError.

    The provider is asked first: our record changes only once it agreed, so a refusal
    leaves everything as it was. The webhook that follows repeats what we already wrote.
    The donor gets an e-mail saying what they give now and from when.
    """
    starts_at = get_provider(recurring.provider).change_recurring(
        recurring.provider_subscription_id, amount_minor, recurring.currency, frequency
    )
    RecurringDonation.objects.filter(pk=recurring.pk).update(
        amount_minor=amount_minor, frequency=frequency.value
    )
    starts_at = starts_at or next_payment_at(recurring)
    send_gift_changed.enqueue(
        recurring.pk,
        recurring.amount_minor,
        recurring.frequency,
        starts_at.isoformat() if starts_at else None,
    )


def next_payment_at(recurring: RecurringDonation) -> datetime.datetime | None:
    """When a running gift is next charged: the end of the period paid for, if still ahead."""
    end = recurring.current_period_end
    if recurring.status != RecurringDonation.Status.ACTIVE or end is None:
        return None
    return end if end > timezone.now() else None


def cancel_gift(recurring: RecurringDonation) -> None:
    """Stop a recurring gift at the provider, then here. Raises PaymentError."""
    get_provider(recurring.provider).cancel_recurring(recurring.provider_subscription_id)
    now = timezone.now()
    # status_changed_at = now: a delayed event from before the cancellation cannot revive it.
    RecurringDonation.objects.filter(pk=recurring.pk).exclude(
        status=RecurringDonation.Status.CANCELLED
    ).update(status=RecurringDonation.Status.CANCELLED, cancelled_at=now, status_changed_at=now)


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
# Gifts still charged: they can be cancelled, and given a new card.
LIVE = (RecurringDonation.Status.ACTIVE, RecurringDonation.Status.PAST_DUE)


def gift_form(action: str, donor: Donor, gift: RecurringDonation) -> str:
    """The purpose of a form that changes or cancels one gift: it names the gift and the
    donor's links, so revoking the links ends the forms shown with them too."""
    return f"{action}:{donor.pk}:{donor.links_version}:{gift.pk}"


# Forms ---------------------------------------------------------------------------------------


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)


def _form_settings(currency: str) -> DonationForm:
    # A currency the newsroom stopped offering keeps the model's default limits, so its
    # donors can still lower or raise their gift.
    return DonationForm.objects.filter(currency=currency).first() or DonationForm(currency=currency)


class ChangeGiftForm(forms.Form):
    amount = forms.CharField(label=gettext_lazy("Amount"), max_length=20)
    frequency = forms.ChoiceField(label=gettext_lazy("Frequency"))

    def __init__(self, recurring: RecurringDonation, *args, **kwargs) -> None:
        self.recurring = recurring
        self.limits = _form_settings(recurring.currency)
        kwargs.setdefault(
            "initial",
            {
                "amount": major_text(recurring.amount_minor),
                "frequency": recurring.frequency,
            },
        )
        # Several gifts can be on one page: each form's fields get their own names.
        kwargs.setdefault("prefix", f"gift-{recurring.pk}")
        super().__init__(*args, **kwargs)
        offered = set(self.limits.frequencies) | {recurring.frequency}
        self.fields["frequency"].choices = [
            (value, label)
            for value, label in FREQUENCY_CHOICES
            if value in offered and Frequency(value).recurring
        ]

    def clean_amount(self) -> int:
        """The same rules as the donation form: the newsroom's minimum and maximum."""
        try:
            amount_minor = parse_amount(self.cleaned_data["amount"])
        except AmountError as exc:
            raise forms.ValidationError(str(exc)) from exc
        currency = self.recurring.currency
        if amount_minor < self.limits.minimum_minor:
            raise forms.ValidationError(
                _("The smallest gift is %(minimum)s.")
                % {"minimum": format_money(self.limits.minimum_minor, currency)}
            )
        if amount_minor > self.limits.maximum_minor:
            raise forms.ValidationError(
                _("Online gifts go up to %(maximum)s. For a larger gift, please write to us.")
                % {"maximum": format_money(self.limits.maximum_minor, currency)}
            )
        return amount_minor

    @property
    def unchanged(self) -> bool:
        return (
            self.cleaned_data["amount"] == self.recurring.amount_minor
            and self.cleaned_data["frequency"] == self.recurring.frequency
        )


# Views ---------------------------------------------------------------------------------------

DONE_MESSAGES = {
    "changed": gettext_lazy("Your gift was changed."),
    "unchanged": gettext_lazy("Nothing changed: that is your gift already."),
    "cancelled": gettext_lazy("Your gift was cancelled. Thank you for your support."),
    "card": gettext_lazy("Your new card is saved: your gift's next payments are charged to it."),
}
REFUSED = gettext_lazy(
    "This form has expired or was not sent from our site. Nothing was changed: please send it "
    "again."
)


def _render_link_page(
    request: HttpRequest, template: str, context: dict, status: int = 200
) -> HttpResponse:
    """Pages with the "send me a link" form, which says how long links work."""
    return render(request, template, _link_page_context(context), status=status)


def _link_page_context(context: dict) -> dict:
    return {
        "link_minutes": max(1, link_max_age() // 60),
        "form_token": form_token(LINK_FORM),
        **context,
    }


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return _render_link_page(
        request, "support/manage/invalid_link.html", {"form": LinkRequestForm()}, status=403
    )


def _gifts_url(token: str, done: str = "") -> str:
    url = reverse("support:manage_gifts", kwargs={"token": token})
    return f"{url}?done={done}" if done else url


# No Django CSRF check on these views: it needs a cookie. refused_post() stands in for it.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    template = "support/manage/request.html"
    if request.method == "GET":
        return _render_link_page(request, template, {"form": LinkRequestForm()})
    if over_limit("manage-link-client", client_ip(request), *REQUESTS_PER_CLIENT):
        return _render_link_page(request, template, {"rate_limited": True}, status=429)
    form = LinkRequestForm(request.POST)
    if refused_post(request, LINK_FORM):
        return _render_link_page(request, template, {"form": form, "refused": REFUSED}, 403)
    if not form.is_valid():
        return _render_link_page(request, template, {"form": form}, status=400)
    # The same answer, as fast, whether or not we know the address.
    content = render_to_string(template, _link_page_context({"sent": True}), request)
    return AnswerThenAskForLink(content, form.cleaned_data["email"], get_language())


def _gift_rows(donor: Donor, forms_by_gift: dict[int, ChangeGiftForm]) -> list[dict]:
    rows = []
    for gift in donor.recurring.exclude(status=RecurringDonation.Status.INCOMPLETE).order_by(
        "-started_at"
    ):
        active = gift.status == RecurringDonation.Status.ACTIVE
        rows.append(
            {
                "gift": gift,
                "amount": format_money(gift.amount_minor, gift.currency),
                "next_payment_at": next_payment_at(gift),
                "form": forms_by_gift.get(gift.pk) or (ChangeGiftForm(gift) if active else None),
                "form_token": form_token(gift_form("change", donor, gift)),
                "can_cancel": gift.status in LIVE,
                "can_update_card": gift.status in LIVE and can_update_card(gift),
            }
        )
    return rows


def _render_gifts(
    request: HttpRequest,
    donor: Donor,
    token: str,
    *,
    forms_by_gift: dict[int, ChangeGiftForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    donations = [
        {"donation": donation, "amount": format_money(donation.amount_minor, donation.currency)}
        for donation in donor.donations.order_by("-created_at")[:200]
    ]
    return render(
        request,
        "support/manage/gifts.html",
        {
            "donor": donor,
            "token": token,
            "recurring_gifts": _gift_rows(donor, forms_by_gift or {}),
            "donations": donations,
            "done": DONE_MESSAGES.get(request.GET.get("done", "")),
            "receipt_years": years_with_gifts(donor),
        },
        status=status,
    )


@never_cache
@require_GET
def gifts(request: HttpRequest, token: str) -> HttpResponse:
    donor = donor_for_token(token)
    if donor is None:
        return _invalid_link(request)
    return _render_gifts(request, donor, token)


@csrf_exempt
@never_cache
@require_POST
def change(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    donor = donor_for_token(token)
    if donor is None:
        return _invalid_link(request)
    gift = get_object_or_404(RecurringDonation, pk=pk, donor=donor)
    if gift.status != RecurringDonation.Status.ACTIVE:
        return redirect(_gifts_url(token))
    form = ChangeGiftForm(gift, request.POST)
    if refused_post(request, gift_form("change", donor, gift)):
        form.is_valid()  # shows what was typed, as it was typed
        form.add_error(None, REFUSED)
        return _render_gifts(request, donor, token, forms_by_gift={gift.pk: form}, status=403)
    if not form.is_valid():
        return _render_gifts(request, donor, token, forms_by_gift={gift.pk: form}, status=400)
    if form.unchanged:
        return redirect(_gifts_url(token, "unchanged"))
    amount, frequency = form.cleaned_data["amount"], Frequency(form.cleaned_data["frequency"])
    if request.POST.get("confirm") != "1":
        # Nothing changes before the donor has seen what it means for their card, and when.
        return render(
            request,
            "support/manage/change_confirm.html",
            {
                "token": token,
                "gift": gift,
                "form": form,
                "form_token": request.POST.get("form_token", ""),
                "before": per_period(gift.amount_minor, gift.currency, gift.frequency),
                "after": per_period(amount, gift.currency, frequency),
                "starts_at": next_payment_at(gift),
            },
        )
    try:
        change_gift(gift, amount, frequency)
    except PaymentError as exc:
        form.add_error(None, exc.message)
        status = 503 if isinstance(exc, ProviderUnavailable) else 400
        return _render_gifts(request, donor, token, forms_by_gift={gift.pk: form}, status=status)
    return redirect(_gifts_url(token, "changed"))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """GET asks "are you sure?"; only the POST from that page cancels."""
    donor = donor_for_token(token)
    if donor is None:
        return _invalid_link(request)
    gift = get_object_or_404(RecurringDonation, pk=pk, donor=donor)
    if gift.status not in LIVE:
        return redirect(_gifts_url(token))
    purpose = gift_form("cancel", donor, gift)
    context = {
        "token": token,
        "gift": gift,
        "amount": format_money(gift.amount_minor, gift.currency),
        "form_token": form_token(purpose),
    }
    if request.method == "POST":
        if refused_post(request, purpose):
            context["error"] = REFUSED
            return render(request, "support/manage/cancel.html", context, status=403)
        try:
            cancel_gift(gift)
        except PaymentError as exc:
            context["error"] = exc.message
            status = 503 if isinstance(exc, ProviderUnavailable) else 400
            return render(request, "support/manage/cancel.html", context, status=status)
        # Only here, not in cancel_gift: an erasure also cancels, and writes to nobody.
        send_gift_cancelled.enqueue(gift.pk)
        return redirect(_gifts_url(token, "cancelled"))
    return render(request, "support/manage/cancel.html", context)


def can_update_card(gift: RecurringDonation) -> bool:
    try:
        provider = get_provider(gift.provider)
    except Exception:  # a provider no longer configured: nothing to offer
        return False
    return callable(getattr(provider, "start_card_update", None))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def card(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """The card page, reached from the donor's gifts page."""
    donor = donor_for_token(token)
    if donor is None:
        return _invalid_link(request)
    gift = get_object_or_404(RecurringDonation, pk=pk, donor=donor)
    return _card_page(
        request,
        gift,
        here=reverse("support:manage_card", kwargs={"token": token, "pk": gift.pk}),
        gifts_url=_gifts_url(token),
        done_url=_gifts_url(token, "card"),
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def card_link(request: HttpRequest, card_token: str) -> HttpResponse:
    """The same card page, reached from a failed renewal's e-mail: the link names the gift,
    and opens nothing else."""
    gift = gift_for_card_token(card_token)
    if gift is None:
        return _invalid_link(request)
    here = reverse("support:manage_card_link", kwargs={"card_token": card_token})
    if request.GET.get("done") == "card":
        amount = per_period(gift.amount_minor, gift.currency, gift.frequency)
        context = {"gift": gift, "amount": amount, "done": DONE_MESSAGES["card"]}
        return render(request, "support/manage/card.html", context)
    return _card_page(request, gift, here=here, gifts_url=None, done_url=f"{here}?done=card")


def _card_page(
    request: HttpRequest,
    gift: RecurringDonation,
    *,
    here: str,
    gifts_url: str | None,
    done_url: str,
) -> HttpResponse:
    """GET shows the provider's card field for a new card; the POST names the confirmed setup
    back, and that card becomes the gift's. The card number never reaches us.

    `gifts_url` is the donor's gifts page, when the link they came with opens it."""
    if gift.status not in LIVE or not can_update_card(gift):
        return redirect(gifts_url or reverse("support:manage"))
    provider = get_provider(gift.provider)
    purpose = gift_form("card", gift.donor, gift)
    context = {
        "action": here,
        "gifts_url": gifts_url,
        "gift": gift,
        "amount": per_period(gift.amount_minor, gift.currency, gift.frequency),
        "form_token": form_token(purpose),
        "browser": provider.browser_config(),
    }
    status = 200
    if request.method == "POST":
        if refused_post(request, purpose):
            context["error"], status = REFUSED, 403
        else:
            try:
                provider.finish_card_update(
                    gift.provider_subscription_id, request.POST.get("setup_id", "")[:200]
                )
            except PaymentError as exc:
                context["error"] = exc.message
                status = 503 if isinstance(exc, ProviderUnavailable) else 400
            else:
                return redirect(done_url)
    try:
        context["setup"] = provider.start_card_update(gift.provider_subscription_id)
    except PaymentError as exc:
        context["error"] = exc.message
        status = max(status, 503 if isinstance(exc, ProviderUnavailable) else 400)
    return render(request, "support/manage/card.html", context, status=status)


@never_cache
@require_GET
def yearly_receipt(request: HttpRequest, token: str, year: int) -> HttpResponse:
    donor = donor_for_token(token)
    if donor is None:
        return _invalid_link(request)
    if not 2000 <= year <= timezone.localdate().year:
        return render(
            request,
            "support/manage/yearly.html",
            {"token": token, "summary": YearlySummary(year, [], []), "donor_name": ""},
            status=404,
        )
    return render(
        request,
        "support/manage/yearly.html",
        {
            "token": token,
            "summary": yearly_summary(donor, year),
            "donor_name": "" if donor.anonymous else donor.name,
            "issued": timezone.localdate(),
        },
    )


# The signed token in the URL is what protects this POST: mail clients send RFC 8058
# one-click unsubscribes without any CSRF token, and nobody can forge the URL.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners fetch URLs; they must not unsubscribe anyone)."""
    reminder = reminder_for_token(token)
    if reminder is None:
        return render(request, "support/manage/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        unsubscribe(reminder)
        return render(request, "support/manage/unsubscribe.html", {"done": True})
    return render(
        request,
        "support/manage/unsubscribe.html",
        {"token": token, "done": reminder.unsubscribed_at is not None},
    )
