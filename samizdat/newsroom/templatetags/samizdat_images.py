"""Wagtail's image tags ({% image %}, {% srcset_image %}, {% picture %}), with each tag's
filter specs parsed once when its template is compiled rather than on every render.

Wagtail builds new Filter objects for every render of a tag, and each works out its operations
again (a signature check per operation) before it can find a rendition: about a third of the
cost of a teaser with a picture. The templates cached by Django's loader keep their nodes, so
the filters are worked out once per process. Settings map the `wagtailimages_tags` library
here (TEMPLATES → OPTIONS → libraries); everything else is Wagtail's own.
"""

from __future__ import annotations

from django import template
from django.utils.functional import cached_property
from wagtail.images.templatetags import wagtailimages_tags as wagtail

register = template.Library()
register.tags.update(wagtail.register.tags)
register.filters.update(wagtail.register.filters)


class ImageNode(wagtail.ImageNode):
    @cached_property
    def _filter(self):
        return super().get_filter()

    def get_filter(self):
        return self._filter


class _FiltersOnce:
    @cached_property
    def _filters(self):
        return super().get_filters()

    def get_filters(self):
        return self._filters


class SrcsetImageNode(_FiltersOnce, wagtail.SrcsetImageNode):
    pass


class PictureNode(_FiltersOnce, wagtail.PictureNode):
    pass


_PARSED_ONCE = {
    wagtail.ImageNode: ImageNode,
    wagtail.SrcsetImageNode: SrcsetImageNode,
    wagtail.PictureNode: PictureNode,
}


def image(parser, token):
    node = wagtail.image(parser, token)
    node.__class__ = _PARSED_ONCE.get(type(node), type(node))
    return node


for name in ("image", "srcset_image", "picture"):
    register.tag(name, image)
