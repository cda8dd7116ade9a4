"""Template helpers for the page head: share cards, hreflang defaults, structured data."""

from __future__ import annotations

from urllib.parse import urljoin

from django import template
from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import to_locale
from wagtail.models import Page

from .. import seo, site_settings
from ..models import ArticlePage
from .newsroom_tags import home_page

register = template.Library()

# OpenGraph wants language_TERRITORY. For editions configured with a bare language code, the
# territory where most of its readers are; anything else falls back to the bare language.
_OG_TERRITORIES = {
    "ar": "ar_AR",
    "be": "be_BY",
    "de": "de_DE",
    "en": "en_US",
    "es": "es_ES",
    "fa": "fa_IR",
    "fr": "fr_FR",
    "hy": "hy_AM",
    "ka": "ka_GE",
    "kk": "kk_KZ",
    "ky": "ky_KG",
    "pt": "pt_BR",
    "ru": "ru_RU",
    "tr": "tr_TR",
    "uk": "uk_UA",
    "uz": "uz_UZ",
    "zh": "zh_CN",
}


@register.filter
def is_article(page: Page | None) -> bool:
    return isinstance(page, ArticlePage)


@register.filter
def modified_at(article: ArticlePage):
    """When the story last changed, as its structured data says (seo.modified_at)."""
    return seo.modified_at(article)


@register.filter
def og_locale(language_code: str) -> str:
    """'ru' → 'ru_RU', 'pt-br' → 'pt_BR'."""
    if "-" in language_code:
        return to_locale(language_code)
    return _OG_TERRITORIES.get(language_code.lower(), language_code.lower())


@register.simple_tag
def default_edition(editions: list[dict]) -> dict | None:
    """The edition hreflang="x-default" points at: the site's default language, if translated."""
    if len(editions) < 2:
        return None
    return next((e for e in editions if e["code"] == settings.LANGUAGE_CODE), None)


@register.simple_tag
def edition_language(page: Page, editions: list[dict]) -> str:
    """The page's language, from its (cached) editions rather than another query."""
    for edition in editions:
        if edition["page"].pk == page.pk:
            return edition["code"]
    return page.locale.language_code


@register.simple_tag(takes_context=True)
def share_image(context, page: Page) -> dict | None:
    """The lead photo cropped for share cards, with an absolute URL; for a page without one,
    the share image set under Settings in the admin; else None."""
    photo = getattr(page, "lead_image", None)
    if photo is None:
        fallback = site_settings.current()["social_image"]
        if fallback is None:
            return None
        url = urljoin(page.get_full_url(context.get("request")), fallback["url"])
        return {**fallback, "url": url}
    rendition = seo.share_renditions(photo)[seo.SHARE_IMAGE_SPEC]
    return {
        "url": urljoin(page.get_full_url(context.get("request")), rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": photo.default_alt_text,
    }


@register.simple_tag(takes_context=True)
def article_jsonld(context, article: ArticlePage, language: str | None = None) -> SafeString:
    """The article's schema.org NewsArticle as a <script type="application/ld+json">."""
    data = seo.article_jsonld(
        article, context.get("request"), newsroom=home_page(context), language=language
    )
    return seo.json_ld_script(data)
