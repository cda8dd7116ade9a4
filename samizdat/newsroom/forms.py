"""The article editor's form."""

from __future__ import annotations

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


class ArticleForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The headline makes the slug when it is left empty (say, with JavaScript off).
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self):
        title, slug = self.cleaned_data.get("title"), self.cleaned_data.get("slug")
        if title and not slug and "slug" not in self.errors:
            self.cleaned_data["slug"] = self._free_slug(title)
        cleaned_data = super().clean()
        authors = self.formsets.get("authors")
        # ClusterForm validates its formsets after the form itself: ask for it here.
        if (
            authors is not None
            and authors.is_valid()
            and not any(
                form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
                for form in authors.forms
                if hasattr(form, "cleaned_data")
            )
        ):
            self.add_error(None, _("An article needs a byline: add at least one author."))
        return cleaned_data

    def _free_slug(self, title: str) -> str:
        base = slugify(title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True))
        base = base[:240] or "article"
        slug, suffix = base, 1
        while not Page._slug_is_available(slug, self.parent_page, self.instance):
            suffix += 1
            slug = f"{base}-{suffix}"
        return slug
