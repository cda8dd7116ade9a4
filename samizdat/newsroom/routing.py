"""Routing a reader's request to a newsroom page in as few queries as the archive allows."""

from __future__ import annotations

import functools

from django.http import Http404, HttpRequest
from wagtail.models import Page, PageViewRestriction, Site

from . import structure


def route_from(request: HttpRequest, site: Site, page: Page, components: list[str]) -> None:
    """Tell Wagtail this request's site and route it from `page` by the URL segments
    `components`, where Wagtail's view finds both (`Site.find_for_request` and
    `Page.route_for_request` keep them on the request): for a caller that knows the site and a
    page on the way without asking the database."""
    request._wagtail_site = site
    try:
        request._wagtail_route_for_request = page.route(request, components)
    except Http404:
        request._wagtail_route_for_request = None


class NewsroomRouting:
    """Page routing in one query per URL segment instead of Wagtail's two.

    Wagtail fetches a child as a plain Page, then again as its specific type. A newsroom page
    knows what its children are, so it asks for the specific type straight away; anything else
    falls back to Wagtail's own routing. Together with a one-query view-restriction check this
    keeps an article request inside its query budget however large the archive grows.
    """

    child_page_model: type[Page] | None = None

    def route(self, request, path_components):
        if path_components and self.child_page_model is not None:
            child = self.known_child(path_components[0])
            public = child is not None  # what the structure cache keeps of a page is public
            if child is None:
                child = (
                    self.child_page_model.objects.child_of(self)
                    .filter(slug=path_components[0])
                    .select_related(*self.child_page_select_related)
                    .first()
                )
                public = child is not None and not restricted(child.path)
            if child is not None:
                child._cached_parent_obj = self
                child.__dict__["_samizdat_routed"] = True  # the live page, as readers see it
                if public:
                    child.__dict__["_samizdat_public"] = True
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def known_child(self, slug: str) -> Page | None:
        """The live, public child page at `slug` if it is at hand without a query, else None."""
        return None

    child_page_select_related: tuple[str, ...] = ()

    def get_url_parts(self, request=None):
        # A page asks for each page's address several times (links, teasers, structured
        # data): once per request is enough, and once per process while a whole-site render
        # holds the structure still.
        return structure.per_request(
            ("url-parts", self.pk, request is None),
            lambda: super(NewsroomRouting, self).get_url_parts(request),
        )

    def _get_site_root_paths(self, request=None):
        # Wagtail keeps them on the request object it is given, and a page's parts are
        # rendered with more than one: once per request is enough.
        return structure.per_request(
            ("site-root-paths",),
            lambda: super(NewsroomRouting, self)._get_site_root_paths(request),
        )

    def get_view_restrictions(self):
        if self.__dict__.get("_samizdat_public"):  # preloaded by an export of public pages
            return _no_restrictions()
        if self.alias_of_id:
            return super().get_view_restrictions()
        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        return PageViewRestriction.objects.filter(page__path__in=paths)


def restricted(path: str) -> bool:
    """Whether the page at `path` or one above it has a view restriction (the restricted
    paths are few and change only with a restriction, which moves the structure on)."""
    paths = structure.cached(
        ("restricted-paths",),
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )
    return any(path.startswith(above) for above in paths)


@functools.cache
def _no_restrictions():
    """An empty list of restrictions, asked for once: Wagtail asks before serving each page."""
    restrictions = PageViewRestriction.objects.none()
    len(restrictions)  # evaluated: iterating it again builds no query
    return restrictions
