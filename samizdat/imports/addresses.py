"""A story's old addresses on the site it came from, as permanent redirects to its new page."""

from __future__ import annotations

from urllib.parse import urlsplit

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from . import report as reasons
from .report import Report
from .source import Story


def old_paths(story: Story) -> list[str]:
    paths = []
    for url in story.old_urls:
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        path = Redirect.normalise_path(path)
        if path and path != "/" and len(path) <= 255:
            paths.append(path)
    return list(dict.fromkeys(paths))


class OldAddresses:
    """The redirects a run makes, knowing the site's existing ones (read once) so that a
    story's own cost one insert."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._known: dict[str, int | None] | None = None  # old path → page
        self._paths: dict[int, str] = {}  # parent → its address on the site

    def forget(self) -> None:
        """Read the redirects again: a rolled-back item or a move changed them."""
        self._known = None

    def redirects(self, site: Site, story: Story, page: Page, parent: Page) -> list[Redirect]:
        """The new redirects for `story`'s old addresses to `page` (under `parent`)."""
        if self._known is None:
            self._known = dict(
                Redirect.objects.filter(site=site).values_list("old_path", "redirect_page_id")
            )
        if parent.pk not in self._paths:
            self._paths[parent.pk] = urlsplit(parent.relative_url(site) or "").path
        own = Redirect.normalise_path(self._paths[parent.pk] + page.slug + "/")
        new = []
        for path in old_paths(story):
            if path == own:  # the old address is its new one
                continue
            if path not in self._known:
                new.append(
                    Redirect(site=site, old_path=path, redirect_page=page, is_permanent=True)
                )
                self._known[path] = page.pk
                self.report.count("redirects", "created")
            elif self._known[path] == page.pk:
                self.report.count("redirects", "unchanged")
            else:
                self.report.add(reasons.REDIRECT_TAKEN, f"{path} (for {story.ref})")
                self.report.count("redirects", "skipped")
        return new
