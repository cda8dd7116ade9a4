"""The byline's author chooser: the newsroom's people listed at once, found as a name is typed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.utils.registry import resolve_model_string


class AuthorChooserViewSet(ChooserViewSet):
    # Wagtail's page chooser opens on the page tree's root and leaves the reporter to walk down
    # to the authors; this one lists them, with search that completes names as they are typed
    # (Page.search_fields autocomplete on the title).
    model = "newsroom.AuthorPage"
    icon = "user"
    choose_one_text = _("Choose an author")
    choose_another_text = _("Choose another author")
    edit_item_text = _("Edit this author")
    per_page = 50

    def get_object_list(self):
        return resolve_model_string(self.model).objects.order_by("title")


author_chooser_viewset = AuthorChooserViewSet("author_chooser", url_prefix="authors/chooser")
