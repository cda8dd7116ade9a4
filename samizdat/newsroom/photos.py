"""Photos: a picture with its caption and credit, and its sized copies."""

from __future__ import annotations

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image, ImageQuerySet

from . import structure


class PhotoQuerySet(ImageQuerySet):
    def in_bulk(self, id_list=None, *, field_name="pk"):
        """Photos by id. While an export holds the site still (structure.snapshot), the photos
        it loaded beforehand with their renditions are handed out without a query: an article
        body's image blocks ask here for theirs."""
        held = structure.held_objects("photos")
        if (
            held
            and id_list is not None
            and field_name == "pk"
            and not self.query.has_filters()
            and all(pk in held for pk in id_list)
        ):
            return {pk: held[pk] for pk in id_list}
        return super().in_bulk(id_list, field_name=field_name)


class Photo(AbstractImage):
    """A picture with its caption and credit, which follow it into every article that uses it."""

    # Alt text is not optional on a newsroom site: screen-reader users read the news too.
    description = models.CharField(
        max_length=255,
        verbose_name=_("alt text"),
        help_text=_("Describe what the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(max_length=500, blank=True, verbose_name=_("caption"))
    photographer = models.CharField(max_length=200, blank=True, verbose_name=_("photographer"))
    agency = models.CharField(max_length=200, blank=True, verbose_name=_("agency"))

    admin_form_fields = (*Image.admin_form_fields, "caption", "photographer", "agency")

    objects = PhotoQuerySet.as_manager()

    def rendition(self, spec: str) -> PhotoRendition:
        """One sized copy. Not Wagtail's get_rendition, which writes it to the cache on every
        call, pickled with this photo and every rendition prefetched for it: a feed's stories
        would cost more in pickling than in rendering."""
        return next(iter(self.get_renditions(spec).values()))

    @property
    def credit(self) -> str:
        """'Photographer / Agency', or whichever of the two is known."""
        return " / ".join(part for part in (self.photographer, self.agency) if part)


class PhotoRendition(AbstractRendition):
    image = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    @cached_property
    def url(self) -> str:
        # A rendition's file never changes; its address is asked for by every srcset and
        # share card that shows it (a storage call each time otherwise).
        return self.file.url
