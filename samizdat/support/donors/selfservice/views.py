"""Self-service pages. No Django CSRF check: it needs a cookie, and these pages set none;
refused_post() stands in for it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from samizdat.core.ratelimit import client_ip, over_limit
from samizdat.payments.base import Frequency, PaymentError, ProviderUnavailable
from samizdat.payments.registry import get_provider

from ...models import Donor, RecurringDonation
from ...money import format_money
from ..gift_notices import per_period, send_gift_cancelled
from ..yearly import YearlySummary, yearly_summary, years_with_gifts
from .forms import ChangeGiftForm, LinkRequestForm
from .gifts import can_update_card, cancel_gift, change_gift, next_payment_at
from .links import AnswerThenAskForLink
from .tokens import (
    LINK_FORM,
    donor_for_token,
    form_token,
    gift_for_card_token,
    gift_form,
    link_max_age,
    refused_post,
)

# Asking for links, per client address: to blunt scripted probing.
REQUESTS_PER_CLIENT = (5, 15 * 60)  # (how many, in how many seconds)


def provider_error_status(exc: PaymentError) -> int:
    """503 when the provider did not answer (the donor can try again soon), 400 when it said no."""
    return 503 if isinstance(exc, ProviderUnavailable) else 400


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


def page(*methods: str) -> Callable:
    """A self-service page: never cached, `methods` only, and no Django CSRF check on a POST
    (it needs a cookie; refused_post() or a signed URL stands in for it)."""

    def decorate(view: Callable) -> Callable:
        checked = never_cache(require_http_methods(list(methods))(view))
        return csrf_exempt(checked) if "POST" in methods else checked

    return decorate


def donor_page(*methods: str) -> Callable:
    """A page the donor's signed link opens; an unknown or expired link gets the invalid-link
    page. The view is called with the donor, and with the donor's gift in place of the `pk`
    the URL names."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def open_link(request: HttpRequest, token: str, pk: int | None = None, **kwargs):
            donor = donor_for_token(token)
            if donor is None:
                return _invalid_link(request)
            if pk is not None:
                kwargs["gift"] = get_object_or_404(RecurringDonation, pk=pk, donor=donor)
            return view(request, donor, token, **kwargs)

        return page(*methods)(open_link)

    return decorate


def _gifts_url(token: str, done: str = "") -> str:
    url = reverse("support:manage_gifts", kwargs={"token": token})
    return f"{url}?done={done}" if done else url


@page("GET", "POST")
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
    for gift in donor.recurring.started().order_by("-started_at"):
        active = gift.status == RecurringDonation.Status.ACTIVE
        rows.append(
            {
                "gift": gift,
                "amount": format_money(gift.amount_minor, gift.currency),
                "next_payment_at": next_payment_at(gift),
                "form": forms_by_gift.get(gift.pk) or (ChangeGiftForm(gift) if active else None),
                "form_token": form_token(gift_form("change", donor, gift)),
                "can_cancel": gift.is_live,
                "can_update_card": gift.is_live and can_update_card(gift),
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


@donor_page("GET")
def gifts(request: HttpRequest, donor: Donor, token: str) -> HttpResponse:
    return _render_gifts(request, donor, token)


@donor_page("POST")
def change(request: HttpRequest, donor: Donor, token: str, gift: RecurringDonation) -> HttpResponse:
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
        status = provider_error_status(exc)
        return _render_gifts(request, donor, token, forms_by_gift={gift.pk: form}, status=status)
    return redirect(_gifts_url(token, "changed"))


@donor_page("GET", "POST")
def cancel(request: HttpRequest, donor: Donor, token: str, gift: RecurringDonation) -> HttpResponse:
    """GET asks "are you sure?"; only the POST from that page cancels."""
    if not gift.is_live:
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
            status = provider_error_status(exc)
            return render(request, "support/manage/cancel.html", context, status=status)
        # Only here, not in cancel_gift: an erasure also cancels, and writes to nobody.
        send_gift_cancelled.enqueue(gift.pk)
        return redirect(_gifts_url(token, "cancelled"))
    return render(request, "support/manage/cancel.html", context)


@donor_page("GET", "POST")
def card(request: HttpRequest, donor: Donor, token: str, gift: RecurringDonation) -> HttpResponse:
    """The card page, reached from the donor's gifts page."""
    return _card_page(
        request,
        gift,
        here=reverse("support:manage_card", kwargs={"token": token, "pk": gift.pk}),
        gifts_url=_gifts_url(token),
        done_url=_gifts_url(token, "card"),
    )


@page("GET", "POST")
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
    if not gift.is_live or not can_update_card(gift):
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
                status = provider_error_status(exc)
            else:
                return redirect(done_url)
    try:
        context["setup"] = provider.start_card_update(gift.provider_subscription_id)
    except PaymentError as exc:
        context["error"] = exc.message
        status = max(status, provider_error_status(exc))
    return render(request, "support/manage/card.html", context, status=status)


@donor_page("GET")
def yearly_receipt(request: HttpRequest, donor: Donor, token: str, year: int) -> HttpResponse:
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
