"""Where imported pages go: each language's edition, its author index and its sections."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from samizdat.newsroom.models import AuthorIndexPage, HomePage, SectionPage

from .models import ImportedItem

AUTHOR_INDEX_TITLES = {"en": "Authors", "ru": "Авторы"}
# Editors rename it, or name the newsroom under Settings → Newsroom.
NEW_HOME_TITLE = "Newsroom"


def free_slug(
    slug: str, parent: Page, page: Page | None = None, taken: set[str] | None = None
) -> str:
    """The old slug if nobody under `parent` has it, else the first free `slug-2`, `slug-3`…
    (`taken`: the slugs under `parent`, when the caller knows them)."""
    base = slug[:240] or "page"
    candidate, suffix = base, 1
    while (
        candidate in taken
        if taken is not None
        else not Page._slug_is_available(candidate, parent, page)
    ):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def make_slug(slug: str, title: str) -> str:
    return slugify(slug or title, allow_unicode=True)[:240]


def group_translation_key(source: str, site: str, group: str) -> uuid.UUID:
    """The same key for every story of one translation group, whichever is imported first."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"samizdat-import:{source}:{site}:{group}")


class Tree:
    """The site's editions, found (or made) once per run."""

    def __init__(self, key, site: Site | None = None, count=lambda outcome: None) -> None:
        self.key = key  # the ImportedItem key of a (kind, source_id), to remember sections
        self.site = site or Site.objects.get(is_default_site=True)
        self.count = count  # told of each section made
        self._homes: dict[str, HomePage] = {}
        self._indexes: dict[str, AuthorIndexPage] = {}
        self._sections: dict[tuple[str, str], SectionPage] = {}

    @staticmethod
    def edition_language(code: str) -> str | None:
        """The site's language for an export's code ("en-US" → "en"), or None."""
        code = (code or "").replace("_", "-").lower()
        languages = [c for c, _name in settings.LANGUAGES]
        if code in languages:
            return code
        short = code.split("-")[0]
        return short if short in languages else None

    def newsroom_home(self) -> HomePage:
        """The site's home page; on a new installation, whose site still shows Wagtail's
        welcome page, a newsroom home made in the default language becomes the site's root."""
        root = self.site.root_page.specific
        if isinstance(root, HomePage):
            return root
        top = Page.get_first_root_node()
        home = HomePage(title=NEW_HOME_TITLE, locale=Locale.get_default(), live=False)
        home.slug = free_slug("newsroom", top)
        top.add_child(instance=home)
        home.save_revision().publish()
        self.site.root_page = home
        self.site.save(update_fields=["root_page"])
        return home

    def home(self, language: str) -> HomePage:
        if language not in self._homes:
            root = self.newsroom_home()
            home = HomePage.objects.filter(
                translation_key=root.translation_key, locale__language_code=language
            ).first()
            if home is None:
                locale, _ = Locale.objects.get_or_create(language_code=language)
                home = HomePage.objects.get(pk=root.pk).copy_for_translation(locale)
                home.save_revision().publish()
            self._homes[language] = home
        return self._homes[language]

    def author_index(self, language: str) -> AuthorIndexPage:
        if language not in self._indexes:
            home = self.home(language)
            index = AuthorIndexPage.objects.child_of(home).first()
            if index is None:
                index = AuthorIndexPage(
                    title=AUTHOR_INDEX_TITLES.get(language, "Authors"), slug="authors", live=False
                )
                index.slug = free_slug(index.slug, home)
                HomePage.objects.get(pk=home.pk).add_child(instance=index)
                index.save_revision().publish()
            self._indexes[language] = index
        return self._indexes[language]

    def section(self, slug: str, title: str, description: str, language: str) -> SectionPage:
        """The section of this slug in this edition: found, translated from another edition's
        section of the same slug, or made."""
        key = (slug, language)
        if key in self._sections:
            return self._sections[key]
        home = self.home(language)
        remembered = ImportedItem.objects.filter(**self.key("section", f"{language}:{slug}"))
        page_id = remembered.values_list("page_id", flat=True).first()
        # Found again where the import put it, even if the editors renamed it since.
        section = SectionPage.objects.filter(pk=page_id).first() if page_id else None
        section = section or SectionPage.objects.child_of(home).filter(slug=slug).first()
        if section is None:
            other = None
            for edition in HomePage.objects.filter(translation_key=home.translation_key).exclude(
                locale=home.locale
            ):
                other = other or SectionPage.objects.child_of(edition).filter(slug=slug).first()
            if (
                other is not None
                and not SectionPage.objects.filter(
                    translation_key=other.translation_key, locale=home.locale
                ).exists()
            ):
                section = other.copy_for_translation(home.locale)
                section.title = title or section.title
                section.description = description or section.description
            else:
                section = SectionPage(
                    title=title or slug, slug=slug, description=description, live=False
                )
                section.show_in_menus = True
                section.slug = free_slug(slug, home)
                HomePage.objects.get(pk=home.pk).add_child(instance=section)
            section.save_revision().publish()
            self.count("created")
        if page_id != section.pk:
            ImportedItem.objects.update_or_create(
                **self.key("section", f"{language}:{slug}"), defaults={"page": section}
            )
        self._sections[key] = section
        return section
