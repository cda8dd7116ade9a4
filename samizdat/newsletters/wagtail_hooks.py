"""The "Newsletters" admin menu, "Send as breaking news" on every live article, and "Send the
new addresses to subscribers" on "How to reach us" when its ways in changed."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import Button

from samizdat.newsroom.models import ArticlePage
from samizdat.reach.models import ReachPage

from . import admin_views, sos

admin_urlpatterns = [
    path("subscribers/", admin_views.SubscribersView.as_view(), name="subscribers"),
    path("sends/", admin_views.SendsView.as_view(), name="sends"),
    path("breaking/<int:page_id>/", admin_views.BreakingView.as_view(), name="breaking"),
    path("sos/", admin_views.SosView.as_view(), name="sos"),
]


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [path("newsletters/", include((admin_urlpatterns, "newsletters_admin")))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs) -> None:
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request) -> bool:
        return request.user.has_perm(self.permission)


@hooks.register("register_newsletters_menu_item")
def subscribers_menu_item():
    return PermissionMenuItem(
        _("Subscribers"),
        reverse("newsletters_admin:subscribers"),
        icon_name="group",
        order=100,
        permission=admin_views.VIEW_SUBSCRIBERS,
    )


@hooks.register("register_newsletters_menu_item")
def sends_menu_item():
    return PermissionMenuItem(
        _("Sends"),
        reverse("newsletters_admin:sends"),
        icon_name="mail",
        order=200,
        permission=admin_views.VIEW_SENDS,
    )


@hooks.register("register_admin_menu_item")
def newsletters_menu():
    # A submenu with nothing the user may see is hidden by Wagtail.
    return SubmenuMenuItem(
        _("Newsletters"),
        Menu(register_hook_name="register_newsletters_menu_item"),
        name="newsletters",
        icon_name="mail",
        order=460,  # after Reader revenue
    )


def _breaking_button(page, user, priority: int):
    if (
        page.live
        and page.specific_class is ArticlePage
        and user.has_perm(admin_views.SEND_BREAKING)
    ):
        yield Button(
            _("Send as breaking news"),
            reverse("newsletters_admin:breaking", args=[page.pk]),
            icon_name="mail",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def breaking_header_button(page, user, view_name=None, next_url=None):
    yield from _breaking_button(page, user, priority=80)


@hooks.register("register_page_listing_more_buttons")
def breaking_listing_button(page, user, next_url=None):
    yield from _breaking_button(page, user, priority=80)


def _sos_button(page, user, priority: int):
    if page.specific_class is ReachPage and user.has_perm(admin_views.SEND_BREAKING) and sos.due():
        yield Button(
            _("Send the new addresses to subscribers"),
            reverse("newsletters_admin:sos"),
            icon_name="mail",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def sos_header_button(page, user, view_name=None, next_url=None):
    yield from _sos_button(page, user, priority=70)


@hooks.register("register_newsletters_menu_item")
def sos_menu_item():
    return PermissionMenuItem(
        _("Send new addresses"),
        reverse("newsletters_admin:sos"),
        icon_name="warning",
        order=300,
        permission=admin_views.SEND_BREAKING,
    )


@hooks.register("after_publish_page")
def offer_sos_after_publish(request, page):
    """Publishing new ways in offers to mail them at once, to whoever may send newsletters."""
    if page.specific_class is not ReachPage or not request.user.has_perm(admin_views.SEND_BREAKING):
        return
    if sos.due():
        messages.warning(
            request,
            _("The ways in changed. Subscribers do not have the new addresses yet."),
            buttons=[
                messages.button(
                    reverse("newsletters_admin:sos"), _("Send the new addresses to subscribers")
                )
            ],
        )


@hooks.register("register_permissions")
def newsletter_permissions():
    # Lets an administrator grant these to a group from Wagtail's group editor.
    return Permission.objects.filter(
        content_type__app_label="newsletters",
        codename__in=["view_subscriber", "change_subscriber", "view_send", "add_send"],
    )
