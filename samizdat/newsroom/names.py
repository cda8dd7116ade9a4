"""The newsroom's name and each edition's home page, for templates and for mail alike."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Site

from samizdat.core.mail import mail_language

from . import site_settings, structure
from .models import HomePage


def edition_home(site: Site | None, language: str) -> HomePage | None:
    """The home page of the site's edition in `language`, or else the site's own home page."""
    if site is None:
        return None
    try:
        locale = Locale.objects.get(language_code=language)
    except Locale.DoesNotExist:
        locale = Locale.get_default()
    return (
        HomePage.objects.filter(
            translation_key=site.root_page.translation_key, locale=locale
        ).first()
        or HomePage.objects.filter(pk=site.root_page_id).first()
    )


def name_of(home: HomePage | None) -> str:
    """The name set under Settings in the admin, or else the edition's home page title."""
    override = site_settings.current()["name"]
    if override:
        return override
    return home.title if home else settings.WAGTAIL_SITE_NAME


def newsroom_name(language: str) -> str:
    """The newsroom's name as readers of that edition see it in the masthead.

    Kept in the structure cache (a publish forgets it): a newsletter send would otherwise look
    the edition's home page up for every message.
    """
    language = mail_language(language)

    def find() -> str:
        with translation.override(language):
            site = Site.objects.filter(is_default_site=True).first()
            return name_of(edition_home(site, language))

    return structure.cached(("newsroom-name", language), find)
