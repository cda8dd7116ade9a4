"""Template helpers for reader pages: the edition's home, its sections, the language switcher."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Site
from wagtail.rich_text import RichText, expand_db_html

from .. import site_settings, structure, teasers
from ..i18n import page_editions
from ..models import HomePage, SectionPage, menu_sections
from ..names import edition_home, name_of

register = template.Library()


def _request_memo(request, key, compute):
    """Compute a value once per request: several template parts ask for the same page."""
    if request is None:
        return compute()
    memo = request.__dict__.setdefault("_samizdat_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@register.simple_tag(takes_context=True)
def home_page(context) -> HomePage | None:
    """The home page of the edition in the reader's current language."""
    request = context.get("request")

    def find():
        page = context.get("page")
        # Routing leaves each page holding its parent: walk up without asking the database.
        ancestor = page
        while ancestor is not None and not isinstance(ancestor, HomePage):
            ancestor = getattr(ancestor, "_cached_parent_obj", None)
        if ancestor is not None:
            return ancestor
        if page is not None and page.depth >= 2:
            return HomePage.objects.filter(path=page.path[: HomePage.steplen * 2]).first()
        site = (
            Site.find_for_request(request)
            if request
            else Site.objects.filter(is_default_site=True).first()
        )
        return edition_home(site, get_language())

    return _request_memo(request, "home", find)


@register.simple_tag(takes_context=True)
def newsroom_name(context) -> str:
    """The name set under Settings in the admin, or else each edition's home page title."""
    return name_of(home_page(context))


@register.filter
def sections(home: HomePage) -> list[SectionPage]:
    return menu_sections(home)


@register.simple_tag(takes_context=True)
def editions(context) -> list[dict]:
    """The live language editions of the current page (for the switcher and hreflang links)."""
    page = context.get("page")
    if page is None:
        return []

    def find() -> list[dict]:
        # The cached list is shared by every edition of the page: mark ours afterwards.
        shared = structure.cached(("editions", page.translation_key), lambda: page_editions(page))
        return [{**edition, "current": edition["page"].pk == page.pk} for edition in shared]

    return _request_memo(context.get("request"), ("editions", page.pk), find)


@register.inclusion_tag("newsroom/includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    found = editions(context)
    return {"editions": found if len(found) > 1 else []}


@register.simple_tag(takes_context=True)
def teaser(context, article, level=None, lead=False) -> str:
    """An article's teaser at heading `level`, rendered once and then copied (teasers.py)."""
    return teasers.render_teaser(context, article, level, lead)


@register.simple_tag(takes_context=True)
def body_blocks(context, body) -> str:
    """An article's body: what `{% for block in body %}{% include_block block %}{% endfor %}`
    renders, block by block with the blocks' own templates, for less.

    The page's context is flattened once for the whole body rather than once for each
    block, and a paragraph without a template of its own (rich text, most of a body) is its
    HTML as it is, not a template rendered around it. The block templates see the page's
    context as with {% include_block %}, without the loop's own `block` and `forloop`.
    """
    flat = context.flatten()
    parts = []
    for child in body:
        value = child.value
        if isinstance(value, RichText) and not child.block.get_template(value, flat):
            parts.append(expand_db_html(value.source))
        else:
            parts.append(conditional_escape(child.render(context=flat)))
    return mark_safe("".join(parts))


@register.filter(expects_localtime=True)
def iso(value) -> str:
    """A date and time as ISO 8601 in the current time zone: what `|date:'c'` writes, without
    working out a format (a page has several: datelines, share metadata)."""
    if value in (None, ""):
        return ""
    # Whole seconds: HTML's <time datetime> takes at most three digits of a fraction.
    return value.isoformat(timespec="seconds") if hasattr(value, "hour") else value.isoformat()


@register.filter
def current_section(page) -> int | None:
    """The page's id if it is a section (the navigation marks it), else None."""
    return page.pk if isinstance(page, SectionPage) else None


class SharedNode(template.Node):
    def __init__(self, nodelist, parts) -> None:
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context) -> str:
        key = ("shared", *(part.resolve(context) for part in self.parts), get_language())
        return structure.remembered(key, lambda: self.nodelist.render(context))


@register.tag
def shared(parser, token):
    """{% shared "name" value… %}…{% endshared %}: a part of the page that is the same on every
    page with the same values (the navigation, the footer). A whole-site render (the static
    mirror) renders it once per process and copies it; a reader's request renders it as usual.
    """
    parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not parts:
        raise template.TemplateSyntaxError("{% shared %} needs a name and the values it shows")
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(nodelist, parts)


@register.simple_tag
def newsroom_settings() -> dict:
    """The newsroom's logo, favicon and share image (see samizdat/newsroom/site_settings.py)."""
    return site_settings.current()
