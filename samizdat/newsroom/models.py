"""Publishing: the newsroom's home, sections, articles, authors and photos."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.blocks import PageChooserBlock
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from . import listing, structure
from .blocks import ArticleBodyBlock
from .choosers import author_chooser_viewset
from .crops import lead_renditions
from .forms import ArticleForm
from .i18n import localize_pages
from .photos import Photo, PhotoRendition  # noqa: F401 (Django finds the models here)
from .routing import NewsroomRouting
from .search import ArticleSearchDocument, search_articles  # noqa: F401 (the model registers)


def restricted_ancestor():
    """Pages under a view restriction, as a subquery (Wagtail's .public() costs a query)."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


# What a teaser does not show: the story itself, parsed from JSON for every row otherwise
# (half the cost of a list of twenty).
NOT_IN_TEASERS = ("body", "related_picks")


def _edition_keys(home) -> list[tuple]:
    """The structure entries every reader page of an edition shows: the newsroom's settings,
    the edition's sections and "How to reach us" link, and the view restrictions."""
    return [
        ("newsroom-settings",),
        ("sections", home.pk),
        ("reach-page-url", home.pk),
        ("restricted-paths",),
    ]


def prefetch_structure(page, *keys) -> None:
    """Read the structure entries every reader page shows (those of its edition and the
    page's language editions), and `keys`, in one round trip."""
    home = page
    while home is not None and not isinstance(home, HomePage):
        home = getattr(home, "_cached_parent_obj", None)
    wanted = [("editions", page.translation_key), *keys]
    if home is not None:
        wanted += _edition_keys(home)
    else:
        wanted.append(("newsroom-settings",))
    structure.prefetch(wanted)


def menu_sections(home) -> list[SectionPage]:
    """The edition's public sections in its menu (the navigation), kept in the structure cache."""
    return structure.cached(
        ("sections", home.pk),
        lambda: list(
            SectionPage.objects.child_of(home).live().in_menu().exclude(restricted_ancestor())
        ),
    )


class ListingMixin:
    """A page that lists stories: an old page number in its address is answered with a
    redirect to where that page is now (newsroom/listing.py)."""

    def serve(self, request, *args, **kwargs):
        try:
            return super().serve(request, *args, **kwargs)
        except listing.Redirect as redirect:
            return redirect.response


class FeedsMixin(RoutablePageMixin):
    """Full-text RSS and Atom feeds of the articles under this page."""

    # feeds.ArticleFeed(page, kind): it reads these models, so apps.py hands it over.
    feed_view: ClassVar[Callable[[Page, str], Callable[[HttpRequest], HttpResponse]]]

    def feed_articles(self):
        return ArticlePage.objects.live_in(self.locale_id).descendant_of(self)

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        return self.feed_view(self, "rss")(request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        return self.feed_view(self, "atom")(request)


class HomePage(ListingMixin, FeedsMixin, NewsroomRouting, Page):
    """The front page of one language edition; also answers for tags and search."""

    tagline = models.CharField(max_length=255, blank=True, verbose_name=_("tagline"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        InlinePanel("top_stories", label=_("Top stories"), max_num=5),
    ]

    subpage_types = [
        "newsroom.SectionPage",
        "newsroom.AuthorIndexPage",
        "newsroom.InfoPage",
        "reach.ReachPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def known_child(self, slug: str) -> SectionPage | None:
        # The edition's entries in one round trip, its sections among them: a story's section
        # is found there rather than asked of the database.
        structure.prefetch(_edition_keys(self))
        for section in menu_sections(self):
            if section.slug == slug:
                return copy.copy(section)  # the cached list stays as the menu shows it
        return None

    def top_story_pages(self, count: int = 3) -> list[ArticlePage]:
        """The editors' picks, topped up with the latest stories."""
        picked = [
            item.article
            for item in self.top_stories.select_related("article__lead_image")
            if item.article.live
        ]
        if len(picked) < count:
            picked += list(
                ArticlePage.objects.live_in(self.locale_id)
                .defer(*NOT_IN_TEASERS)
                .exclude(pk__in=[p.pk for p in picked])[: count - len(picked)]
            )
        return picked[:count]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        top = self.top_story_pages()
        shown = [article.pk for article in top]
        sections = []
        for section in SectionPage.objects.child_of(self).live().exclude(restricted_ancestor()):
            latest = section.feed_articles().defer(*NOT_IN_TEASERS).exclude(pk__in=shown)
            latest = list(latest[:4])
            if latest:
                sections.append((section, latest))
        context.update(top_stories=top, sections=sections)
        return context

    @path("tags/<str:slug>/", name="tag")
    def tag(self, request, slug):
        # Looked up once per process while an export holds the site still.
        tag = structure.remembered(("tag", slug), lambda: get_object_or_404(Tag, slug=slug))
        page_obj = listing.list_page(
            request,
            lambda: (
                ArticlePage.objects.live_in(self.locale_id).filter(tags=tag).defer(*NOT_IN_TEASERS)
            ),
        )
        if not page_obj.object_list:
            raise Http404
        return self._render_route(
            request, "newsroom/tag_page.html", {"tag": tag, "page_obj": page_obj}
        )

    @path("search/", name="search")
    def search(self, request):
        query = request.GET.get("q", "").strip()[:200]
        page_obj = None
        if query:
            page_obj = listing.numbered_page(
                search_articles(query, self.locale),
                request.GET.get("page", 1),
                settings.SAMIZDAT_ARTICLES_PER_PAGE,
            )
        return self._render_route(
            request, "newsroom/search_page.html", {"query": query, "page_obj": page_obj}
        )

    def _render_route(self, request, template: str, values: dict) -> TemplateResponse:
        """A tag or search page: the page's context without the front page's own lists."""
        context = super().get_context(request)
        context.update(values)
        return TemplateResponse(request, template, context)


class HomeTopStory(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="top_stories")
    article = models.ForeignKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article")]


class SectionPage(ListingMixin, FeedsMixin, NewsroomRouting, Page):
    """A section of the paper (News, Investigations, Opinion…), listing its articles."""

    description = models.TextField(blank=True, verbose_name=_("description"))

    content_panels = [*Page.content_panels, FieldPanel("description")]

    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage"]
    show_in_menus_default = True

    class Meta:
        verbose_name = _("section")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = listing.list_page(
            request, lambda: self.feed_articles().defer(*NOT_IN_TEASERS)
        )
        return context


class AuthorIndexPage(NewsroomRouting, Page):
    """The newsroom's people."""

    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.AuthorPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("authors index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["authors"] = (
            AuthorPage.objects.child_of(self).live().select_related("photo").order_by("title")
        )
        return context


class AuthorPage(ListingMixin, NewsroomRouting, Page):
    """A reporter, editor or contributor: the byline links here."""

    role = models.CharField(max_length=200, blank=True, verbose_name=_("role"))
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name=_("bio"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]

    parent_page_types = ["newsroom.AuthorIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("author")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = listing.list_page(
            request,
            lambda: (
                ArticlePage.objects.live_in(self.locale_id)
                .filter(self.wrote())
                .defer(*NOT_IN_TEASERS)
            ),
        )
        return context

    def wrote(self) -> Exists:
        """Stories with this author (in any edition) in their byline, as a subquery on the ids
        of the author's pages: a join would need DISTINCT, and matching by translation key makes
        PostgreSQL misjudge the count and read the whole archive before the newest few."""
        pages = structure.cached(
            ("author-pages", str(self.translation_key)),
            lambda: list(
                AuthorPage.objects.filter(translation_key=self.translation_key).values_list(
                    "pk", flat=True
                )
            ),
        )
        return Exists(ArticleAuthor.objects.filter(page=OuterRef("pk"), author_id__in=pages))


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        indexes = [
            # "Read more" reads a tag's newest stories backwards along this (related.py).
            models.Index(fields=["tag", "content_object"], name="newsroom_tag_newest"),
        ]


class ArticlePageQuerySet(PageQuerySet):
    """Articles in the newsroom's words, each filter with its `_q()` for use inside other
    filters, as wagtail's `live()` and `live_q()`."""

    def live_in_q(self, locale=None) -> Q:
        """Published and public, in `locale` (a Locale or its id; every edition if None)."""
        q = self.live_q() & ~Q(restricted_ancestor())
        if locale is not None:
            q &= Q(locale_id=getattr(locale, "pk", locale))
        return q

    def live_in(self, locale=None) -> ArticlePageQuerySet:
        """What readers of `locale` can read, newest first, with what a list of teasers shows."""
        return (
            self.filter(self.live_in_q(locale))
            .select_related("lead_image")
            .order_by("-first_published_at", "-pk")
        )


class ArticlePage(NewsroomRouting, Page):
    standfirst = models.TextField(
        blank=True,
        verbose_name=_("standfirst"),
        help_text=_("One or two sentences under the headline that tell the story."),
    )
    lead_image = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead photo"),
    )
    lead_caption = models.CharField(
        max_length=500,
        blank=True,
        verbose_name=_("lead photo caption"),
        help_text=_("Leave empty to use the caption stored with the photo."),
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("updated"),
        help_text=_("Set when the story changes in substance; shown to readers as 'Updated'."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    # Kept on the page row rather than in a table of its own: an article without picks
    # (most of them) then costs no query to find that out.
    related_picks = StreamField(
        [("article", PageChooserBlock(page_type="newsroom.ArticlePage"))],
        blank=True,
        max_num=4,
        verbose_name=_("Read more: editor's picks"),
        help_text=_("Leave empty to pick related stories automatically."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst", boost=1.5),
        index.SearchField("body"),
    ]

    content_panels = [
        # The slug follows the headline as it is typed (until first published): a reporter
        # never has to find the Promote tab to save a new story.
        TitleFieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst"),
        InlinePanel("authors", label=_("Byline"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_caption")], heading=_("Lead photo")
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("related_picks"),
        FieldPanel("updated_at"),
    ]

    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []
    base_form_class = ArticleForm

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    class Meta:
        verbose_name = _("article")

    @property
    def published_at(self):
        return self.first_published_at or self.go_live_at or timezone.now()

    @property
    def was_updated(self) -> bool:
        return bool(self.updated_at and self.updated_at > self.published_at)

    @property
    def caption(self) -> str:
        if self.lead_caption:
            return self.lead_caption
        return self.lead_image.caption if self.lead_image else ""

    @cached_property
    def section(self) -> SectionPage | None:
        parent = getattr(self, "_cached_parent_obj", None)  # set while routing
        if isinstance(parent, SectionPage):
            return parent
        return SectionPage.objects.parent_of(self).first()

    @cached_property
    def tag_list(self) -> list[Tag]:
        if self.__dict__.get("_samizdat_routed"):  # changes only when published
            return structure.cached(("tags", self.pk), lambda: list(self.tags.all()))
        return list(self.tags.all())

    @cached_property
    def byline(self) -> list[AuthorPage]:
        if self.__dict__.get("_samizdat_routed"):  # changes only when published
            # Without the authors' photos, which an article does not show.
            return structure.cached(("byline", self.pk), lambda: self._byline("author"))
        return self._byline("author__photo")

    def _byline(self, related: str) -> list[AuthorPage]:
        authors = [
            item.author for item in self.authors.select_related(related).order_by("sort_order")
        ]
        return localize_pages(authors, self.locale_id)

    # related.read_more(article, request), the stories under "Read more": it reads these
    # models, so apps.py hands it over.
    read_more: ClassVar[Callable[[ArticlePage, HttpRequest], list[ArticlePage]]]

    def get_context(self, request, *args, **kwargs):
        # Before the page's own context: "Read more" reads the structure entries the page
        # shows in one round trip, and the lead photo's crops are looked up together.
        related = self.read_more(request)
        if self.lead_image is not None:
            lead_renditions(self.lead_image)
        context = super().get_context(request, *args, **kwargs)
        context["related"] = related
        return context


class InfoPage(Page):
    """A page that is not news: About us, Contact, Ethics policy."""

    standfirst = models.TextField(
        blank=True,
        verbose_name=_("introduction"),
        help_text=_("One or two sentences under the title (optional)."),
    )
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst", boost=1.5),
        index.SearchField("body"),
    ]

    content_panels = [*Page.content_panels, FieldPanel("standfirst"), FieldPanel("body")]

    parent_page_types = ["newsroom.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("information page")


HomePage.child_page_model = SectionPage
SectionPage.child_page_model = ArticlePage
SectionPage.child_page_select_related = ("lead_image",)
AuthorIndexPage.child_page_model = AuthorPage
AuthorIndexPage.child_page_select_related = ("photo",)


class ArticleAuthor(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="authors")
    author = models.ForeignKey(AuthorPage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("author", widget=author_chooser_viewset.widget_class)]


def _settings_image(verbose_name, help_text) -> models.ForeignKey:
    """An optional photo in the newsroom settings; deleting the photo empties the setting."""
    return models.ForeignKey(
        Photo,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


@register_setting(icon="site")
class NewsroomSettings(BaseGenericSetting):
    """The newsroom's name, logo, favicon and share image, edited under Settings in the admin.

    One record for both editions (they are locales of one site). Every field may stay empty:
    the name then comes from each edition's home page, the logo from SAMIZDAT_PUBLISHER_LOGO,
    the favicon is /favicon.ico and pages without a lead photo carry no share image.
    Readers' pages read it through `site_settings.current()`, kept in the structure cache.
    """

    name = models.CharField(
        _("newsroom name"),
        max_length=120,
        blank=True,
        help_text=_(
            "Shown in the masthead, feeds and e-mails in both editions. Leave empty to use "
            "each edition's home page title."
        ),
    )
    logo = _settings_image(
        _("logo"),
        _("Shown in the masthead and given to search engines as the publisher's logo."),
    )
    favicon = _settings_image(_("favicon"), _("A square image; browsers show it at 32×32 pixels."))
    social_image = _settings_image(
        _("social image"), _("The share-card image of pages without a lead photo of their own.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        FieldPanel("favicon"),
        FieldPanel("social_image"),
    ]

    class Meta:
        verbose_name = _("newsroom")
