"""The newsroom settings (name, logo, favicon, share image) as readers' pages use them.

Read once per structure generation: saving the settings, publishing or deleting a photo
moves the generation on, so an article page or a feed asks the database nothing more for them.
"""

from __future__ import annotations

from . import structure
from .crops import SHARE_IMAGE_SPEC
from .models import NewsroomSettings

LOGO_SPEC = "max-600x60|format-png"  # Google's limit for a publisher logo
FAVICON_SPEC = "fill-32x32|format-png"


def _image(rendition, alt: str = "") -> dict:
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height, "alt": alt}


def _load() -> dict:
    record = NewsroomSettings.objects.select_related("logo", "favicon", "social_image").first()
    if record is None:
        return {"name": "", "logo": None, "favicon": None, "social_image": None}
    social = record.social_image
    return {
        "name": record.name.strip(),
        "logo": _image(record.logo.get_rendition(LOGO_SPEC)) if record.logo else None,
        "favicon": _image(record.favicon.get_rendition(FAVICON_SPEC)) if record.favicon else None,
        "social_image": (
            _image(social.get_rendition(SHARE_IMAGE_SPEC), social.default_alt_text)
            if social
            else None
        ),
    }


def current() -> dict:
    """{"name": "" or the override, "logo"/"favicon"/"social_image": None or
    {"url" (site-relative), "width", "height", "alt"}}."""
    return structure.cached(("newsroom-settings",), _load)
