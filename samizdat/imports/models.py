"""What has been imported, keyed by the old site's own ids: a second run finds it again."""

from __future__ import annotations

from django.db import models


class ImportedItem(models.Model):
    """One story, author, section, tag or picture of an export, and what it became here."""

    class Kind(models.TextChoices):
        STORY = "story"
        AUTHOR = "author"
        SECTION = "section"
        TAG = "tag"
        PICTURE = "picture"

    source = models.CharField(max_length=20)  # "wordpress", "ghost"
    # The old site's address: two exports of different sites may use the same ids.
    site = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A post id, an author's login, a term id; for pictures, the file's content hash.
    source_id = models.CharField(max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    photo = models.ForeignKey(
        "newsroom.Photo", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A hash of the source record and the converter's version: an unchanged item is skipped.
    digest = models.CharField(max_length=64, blank=True)
    # Pictures its story named that were not in the uploads: a later run with them attaches them.
    missing_pictures = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "site", "kind", "source_id"], name="imports_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} ({self.site})"
