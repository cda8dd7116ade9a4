"""Language editions: picking each page's counterpart in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page


def localize_pages(pages: Iterable[Page], locale: Locale | int) -> list[Page]:
    """Replace each page by its live translation in `locale`, where one exists.

    One query for the whole list, where `page.localized` would cost one per page.
    """
    locale_id = getattr(locale, "pk", locale)
    pages = list(pages)
    foreign = {p.translation_key for p in pages if p.locale_id != locale_id}
    if not foreign:
        return pages
    model = type(pages[0])
    found = {
        p.translation_key: p
        for p in model.objects.live().filter(translation_key__in=foreign, locale_id=locale_id)
    }
    return [found.get(p.translation_key, p) if p.locale_id != locale_id else p for p in pages]


def page_editions(page: Page) -> list[dict]:
    """The live editions of a page, one per language, in the order of settings.LANGUAGES."""
    return editions_of(
        {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True).live().select_related("locale")
        }
    )


def editions_of(by_code: dict[str, Page]) -> list[dict]:
    """One page per language code, as the editions list: settings.LANGUAGES' order and names."""
    return [
        {"code": code, "name": get_language_info(code)["name_local"], "page": by_code[code]}
        for code, _name in settings.LANGUAGES
        if code in by_code
    ]
