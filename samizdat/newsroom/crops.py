"""The crops of a lead photo that an article page shows, looked up together."""

from __future__ import annotations

from wagtail.images.models import AbstractImage, Filter, SourceImageIOError

# Share cards: 1.91:1 is what Facebook, LinkedIn and X crop to; JPEG because not every
# consumer of these URLs reads WebP.
SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg"
# Google asks structured data for 16:9, 4:3 and 1:1 crops.
JSONLD_IMAGE_SPECS = (
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
)
# The lead photo's picture on an article page (newsroom/article_page.html).
LEAD_PICTURE_SPECS = tuple(Filter.expand_spec("format-{webp,jpeg} width-{480,960,1440}"))


def lead_renditions(photo: AbstractImage) -> None:
    """Every crop of its lead photo an article page shows (the picture, the share card, the
    structured data) in one lookup, left on the photo where the image tags look first."""
    if photo._get_prefetched_renditions() is not None:  # a whole-site render loaded them all
        return
    try:
        found = photo.get_renditions(*LEAD_PICTURE_SPECS, SHARE_IMAGE_SPEC, *JSONLD_IMAGE_SPECS)
    except SourceImageIOError:
        return  # the picture tag shows its stand-in for a missing file
    photo.prefetched_renditions = list(found.values())
