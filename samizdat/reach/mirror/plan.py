"""What there is to mirror: the build's options and report, and every page, feed and sitemap
the public site has (`make_plan`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from wagtail.models import Page, Site

from samizdat.newsroom.models import ArticlePage, ArticleTag, AuthorPage, FeedsMixin, HomePage
from samizdat.newsroom.seo import SiteMap

HTML, XML, TEXT = "html", "xml", "text"
SITE_OWNER = "site"
SITEMAPS = ("/sitemap.xml", "/sitemap-news.xml")
MISSING_PAGE_SLUG = "samizdat-mirror-404"


# Options and report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MirrorOptions:
    # Where the mirror is served; "" with `relative`, whose files work under any address.
    base_url: str
    out: Path
    # Links between the mirror's files relative to each file; canonical links, hreflang,
    # share cards, feeds, sitemaps and robots.txt name the main site (SAMIZDAT_PUBLIC_URL).
    relative: bool = False
    full: bool = False
    # The reachable address of the running application, for forms and beacons; "" = same origin.
    checkout_url: str = ""
    archive: Path | None = None
    # False: no form on any page (none could be answered), a note on how to give instead.
    forms: bool = True
    # Processes rendering pages at once. More is faster on a server with cores to spare, but
    # the mirror is often built next to the live site, which readers need those cores for.
    jobs: int = 1

    def __post_init__(self) -> None:
        if self.base_url or not self.relative:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(
                    f"The mirror's base URL must be http(s)://host/…, not {self.base_url!r} "
                    "(or build with relative links, which need none)"
                )
            object.__setattr__(self, "base_url", self.base_url.rstrip("/") + "/")
        checkout = self.checkout_url.strip().rstrip("/") if self.forms else ""
        object.__setattr__(self, "checkout_url", checkout)
        object.__setattr__(self, "out", Path(self.out))


class BuildFailed(RuntimeError):
    """Pages did not render: the mirror would have left them out, so it was not swapped in."""

    def __init__(self, failures: list[str]) -> None:
        self.failures = failures
        shown = "\n  ".join(failures[:20])
        more = f"\n  … and {len(failures) - 20} more" if len(failures) > 20 else ""
        super().__init__(
            f"{len(failures)} pages did not render, so the mirror was not updated "
            f"(the previous one is left as it was):\n  {shown}{more}"
        )


@dataclass
class Report:
    rendered: int = 0  # pages, feeds and sitemaps rendered this run
    written: int = 0  # files whose bytes changed: pages, images and assets
    unchanged: int = 0  # files rendered again whose bytes were already there (not rewritten)
    deleted: int = 0  # files of pages no longer published, and assets nothing uses any more
    full: bool = False
    seconds: float = 0.0
    rendered_keys: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # pages that did not render
    unmirrored: set[str] = field(default_factory=set)  # dynamic paths pages link to
    archive: Path | None = None

    def summary(self) -> str:
        return (
            f"{self.rendered} pages rendered, {self.written} files written, "
            f"{self.unchanged} unchanged, {self.deleted} deleted"
        )


class Progress(Protocol):
    """What the engine tells a progress display; the command gives it tqdm or plain counts."""

    def update(self, done: int, total: int) -> None: ...

    def close(self) -> None: ...


class _NoProgress:
    def update(self, done: int, total: int) -> None:
        pass

    def close(self) -> None:
        pass


# What there is to render -------------------------------------------------------------------------


@dataclass
class Target:
    """One file rendered from one URL of the origin."""

    key: str  # the origin's path and query: "/en/news/?page=2"
    file: str  # where it goes under the output folder: "en/news/page/2/index.html"
    kind: str  # HTML, XML or TEXT
    owner: str  # what it belongs to, for the dependency rules: "page:12", "tag:3:ferries"…
    fetch: str = ""  # the URL to render, when not `key`
    status: int = 200  # the answer expected


@dataclass(frozen=True)
class PageInfo:
    pk: int
    path: str  # treebeard path: ancestors are its prefixes
    key: str  # URL path on the site
    model: type[Page]
    position: str  # where the page appears in lists: URL, first publication, kind
    content: str  # which published revision it shows


@dataclass
class Plan:
    """Every page, feed and sitemap the public site has, from the database alone."""

    site: Site
    origin: str  # the site's root URL, as Wagtail writes it into canonical links
    default_language: str
    pages: dict[int, PageInfo]
    targets: dict[str, Target]
    listing_owners: set[str]  # lists an article joins by linking to them: authors and tags


def page_file(path: str) -> str:
    """/en/news/story/ → en/news/story/index.html (directories unquoted: UTF-8 slugs)."""
    path = unquote(path).lstrip("/")
    if path and not path.endswith("/"):
        path += "/"
    return f"{path}index.html"


def paginated_file(key: str, number: int) -> str:
    path = unquote(key).lstrip("/")
    return page_file(key) if number <= 1 else f"{path}page/{number}/index.html"


def xml_file(path: str) -> str:
    """/en/feed/rss/ → en/feed/rss.xml; /sitemap.xml stays itself."""
    path = unquote(path).lstrip("/")
    return path.rstrip("/") + ".xml" if path.endswith("/") else path


def primary_site() -> Site:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        site = Site.objects.select_related("root_page").first()
    if site is None:
        raise RuntimeError("No Wagtail site is configured: there is nothing to mirror.")
    return site


def make_plan(site: Site | None = None, forms: bool = True) -> Plan:
    site = site or primary_site()
    site_map = SiteMap(site)
    origin = site.root_url.rstrip("/")
    rows = (
        site_map.pages()
        .order_by("path")
        .values_list(
            "pk",
            "path",
            "url_path",
            "content_type_id",
            "live_revision_id",
            "last_published_at",
            "first_published_at",
        )
    )
    pages: dict[int, PageInfo] = {}
    targets: dict[str, Target] = {}
    listing: set[str] = set()
    homes: list[PageInfo] = []
    for pk, path, url_path, content_type_id, revision, last_published, first_published in rows:
        located = site_map.locate(url_path)
        if located is None:
            continue
        url = located[0]
        key = url[len(origin) :] if url.startswith(origin) else urlsplit(url).path
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        info = PageInfo(
            pk=pk,
            path=path,
            key=key,
            model=model,
            position=f"{key}|{first_published}|{model.__name__}",
            content=f"{revision}|{last_published}",
        )
        pages[pk] = info
        owner = f"page:{pk}"
        targets[key] = Target(key, page_file(key), HTML, owner)
        if issubclass(model, AuthorPage):
            listing.add(owner)
        if issubclass(model, HomePage):
            homes.append(info)
        if issubclass(model, FeedsMixin):
            for kind in ("rss", "atom"):
                feed_key = f"{key}feed/{kind}/"
                targets[feed_key] = Target(feed_key, xml_file(feed_key), XML, f"feed:{pk}")

    # Tag pages: /<lang>/tags/<slug>/ for every tag a public article of that edition carries.
    live_article_ids = site_map.pages(ArticlePage).values("pk")
    for home in homes:
        locale_id = Page.objects.filter(pk=home.pk).values_list("locale_id", flat=True).first()
        slugs = (
            ArticleTag.objects.filter(
                content_object_id__in=live_article_ids, content_object__locale_id=locale_id
            )
            .values_list("tag__slug", flat=True)
            .distinct()
            .order_by("tag__slug")
        )
        for slug in slugs:
            key = f"{home.key}tags/{iri_to_uri(slug)}/"
            owner = f"tag:{home.pk}:{slug}"
            targets[key] = Target(key, page_file(key), HTML, owner)
            listing.add(owner)

    # "Giving safely" in each edition: the donation forms link to it, and it depends on the
    # configuration alone (the site fingerprint), like robots.txt.
    languages = dict(settings.LANGUAGES)
    for home in homes:
        language = home.key.strip("/").split("/")[0]
        if language in languages:
            with translation.override(language):
                keys = [reverse("support:giving_safely")]
                if not forms:  # where "Support us" and "Newsletter" lead: the note, not a 404
                    keys += [reverse("support:support"), reverse("newsletters:subscribe")]
            for key in keys:
                targets[key] = Target(key, page_file(key), HTML, SITE_OWNER)

    for key, kind in (
        ("/sitemap.xml", XML),
        ("/sitemap-news.xml", XML),
        ("/robots.txt", TEXT),
    ):
        targets[key] = Target(key, key.lstrip("/"), kind, SITE_OWNER)
    # What static hosts show for a missing file, rendered from an address that does not exist.
    targets["/404.html"] = Target(
        "/404.html",
        "404.html",
        HTML,
        SITE_OWNER,
        fetch=f"/{settings.LANGUAGE_CODE}/{MISSING_PAGE_SLUG}/",
        status=404,
    )

    return Plan(
        site=site,
        origin=origin,
        default_language=settings.LANGUAGE_CODE,
        pages=pages,
        targets=targets,
        listing_owners=listing,
    )
