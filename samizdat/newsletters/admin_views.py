"""Newsletters in the Wagtail admin: subscriber counts, the sends, and "send as breaking news".

Subscriber addresses are personal data of readers who may be at risk for reading us, so the
admin never lists them: it shows counts, and finds one subscriber only by their exact address
(through the keyed hash, as everything else does). There is no export.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_email
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from samizdat.core.emails import email_hash
from samizdat.newsroom.models import ArticlePage

from . import sos, subscriptions
from .content import render_sos
from .models import Send, Subscriber, sends_with_counts
from .sending import recipients, start_breaking

VIEW_SUBSCRIBERS = "newsletters.view_subscriber"
CHANGE_SUBSCRIBERS = "newsletters.change_subscriber"
VIEW_SENDS = "newsletters.view_send"
SEND_BREAKING = "newsletters.add_send"


class NewsletterAdminView(WagtailAdminTemplateMixin, TemplateView):
    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


def language_names() -> dict[str, str]:
    return dict(settings.LANGUAGES)


class SubscribersView(NewsletterAdminView):
    permission = VIEW_SUBSCRIBERS
    page_title = gettext_lazy("Newsletter subscribers")
    header_icon = "group"
    template_name = "newsletters/admin/subscribers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = subscriber_counts()
        context["statuses"] = Subscriber.Status.choices
        query = self.request.GET.get("email", "").strip()
        context["query"] = query
        if query:
            try:
                validate_email(query)
            except ValidationError:
                context["query_error"] = _(
                    "Enter a whole e-mail address: search finds exact matches only."
                )
            else:
                context["matches"] = list(
                    Subscriber.objects.filter(email_hash=email_hash(query)).order_by("language")
                )
        context["can_unsubscribe"] = self.request.user.has_perm(CHANGE_SUBSCRIBERS)
        return context

    def post(self, request, *args, **kwargs):
        """Unsubscribe one found subscriber, e.g. when a reader asks by letter."""
        if not request.user.has_perm(CHANGE_SUBSCRIBERS):
            raise PermissionDenied
        subscriber = get_object_or_404(Subscriber, pk=request.POST.get("subscriber"))
        subscriptions.unsubscribe(subscriber)
        messages.success(request, _("The address will receive no more newsletters."))
        return HttpResponseRedirect(reverse("newsletters_admin:subscribers"))


def subscriber_counts() -> list[dict]:
    """One row per language: how many subscribers in each status, and who gets what."""
    names = language_names()
    rows: dict[str, dict] = defaultdict(lambda: {"statuses": defaultdict(int), "total": 0})
    for code in names:
        rows[code]  # every language of the site, even one nobody subscribed to yet
    for item in Subscriber.objects.values("language", "status").annotate(n=Count("pk")):
        row = rows[item["language"]]
        row["statuses"][item["status"]] += item["n"]
        row["total"] += item["n"]
    active = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
    digest = dict(active.filter(digest=True).values_list("language").annotate(n=Count("pk")))
    breaking = dict(active.filter(breaking=True).values_list("language").annotate(n=Count("pk")))
    return [
        {
            "language": names.get(code, code),
            "code": code,
            "counts": [row["statuses"][status] for status, _label in Subscriber.Status.choices],
            "total": row["total"],
            "digest": digest.get(code, 0),
            "breaking": breaking.get(code, 0),
        }
        for code, row in rows.items()
    ]


class SendsView(NewsletterAdminView):
    permission = VIEW_SENDS
    page_title = gettext_lazy("Newsletter sends")
    header_icon = "mail"
    template_name = "newsletters/admin/sends.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sends = sends_with_counts().select_related("created_by")
        context["page_obj"] = Paginator(sends, self.per_page).get_page(self.request.GET.get("p"))
        context["languages"] = language_names()
        return context


class BreakingView(NewsletterAdminView):
    """Asks first, then sends one article to its language's breaking-news subscribers."""

    permission = SEND_BREAKING
    page_title = gettext_lazy("Send as breaking news")
    header_icon = "mail"
    template_name = "newsletters/admin/breaking.html"

    def article(self) -> ArticlePage | None:
        # Live and public only: a draft or a restricted story must not leave by e-mail.
        return (
            ArticlePage.objects.live_in()
            .filter(pk=self.kwargs["page_id"])
            .select_related("locale")
            .first()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.article()
        if article is None:
            context["unavailable"] = True
            return context
        language = article.locale.language_code
        context.update(
            article=article,
            language=language_names().get(language, language),
            recipients=recipients(Send.Kind.BREAKING, language).count(),
            already_sent=Send.objects.filter(key=f"breaking:{article.pk}").first(),
            sends_url=reverse("newsletters_admin:sends"),
            edit_url=reverse("wagtailadmin_pages:edit", args=[article.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        article = self.article()
        if article is None:
            return self.get(request, *args, **kwargs)
        send = start_breaking(article, user=request.user)
        if send is None:
            messages.warning(request, _("This story was already sent as breaking news."))
        else:
            messages.success(
                request,
                _("“%(title)s” is going out to %(count)d subscriber(s).")
                % {"title": article.title, "count": send.deliveries.count()},
            )
        return HttpResponseRedirect(reverse("newsletters_admin:sends"))


class SosView(NewsletterAdminView):
    """The new ways in, to every subscriber in their language: shows what goes out, then sends
    on POST. A second press for the same change sends nothing."""

    permission = SEND_BREAKING
    page_title = gettext_lazy("Send the new addresses to subscribers")
    header_icon = "mail"
    template_name = "newsletters/admin/sos.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        names = language_names()
        rows = []
        for edition in sos.editions():
            rows.append(
                {
                    "edition": edition,
                    "language": names.get(edition.language, edition.language),
                    "preview": render_sos(edition.ways) if edition.ways else None,
                }
            )
        context.update(
            rows=rows,
            due=any(row["edition"].due for row in rows),
            sends_url=reverse("newsletters_admin:sends"),
        )
        return context

    def post(self, request, *args, **kwargs):
        sends = sos.start_sos(user=request.user)
        if not sends:
            messages.warning(
                request, _("Subscribers already have these addresses: nothing was sent again.")
            )
        else:
            total = sum(send.deliveries.count() for send in sends)
            messages.success(
                request,
                _("The new addresses are going out to %(count)d subscriber(s).") % {"count": total},
            )
        return HttpResponseRedirect(reverse("newsletters_admin:sends"))
