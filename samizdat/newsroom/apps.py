from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class NewsroomConfig(AppConfig):
    name = "samizdat.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from wagtail.models import Locale, Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from samizdat.core import generations

        from . import search, structure

        generations.register(structure.NAME)
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(structure.bump, dispatch_uid=structure.bump_uid(signal))
        for model in (Page, PageViewRestriction):
            post_delete.connect(structure.bump, sender=model, dispatch_uid=f"samizdat-del-{model}")
        post_save.connect(
            structure.bump, sender=PageViewRestriction, dispatch_uid="samizdat-restriction-save"
        )
        # Where a request's routing starts (views.route_start): a site's host or root page,
        # and the locales its root page is found in.
        for model in (Site, Locale):
            post_save.connect(structure.bump, sender=model, dispatch_uid=f"samizdat-save-{model}")
            post_delete.connect(structure.bump, sender=model, dispatch_uid=f"samizdat-del-{model}")
        from . import feeds, related
        from .models import ArticlePage, FeedsMixin, NewsroomSettings, Photo

        # What the page models render with, from modules that read those models.
        FeedsMixin.feed_view = feeds.ArticleFeed
        ArticlePage.read_more = related.read_more

        post_save.connect(structure.bump, sender=NewsroomSettings, dispatch_uid="samizdat-settings")
        for model in (Photo, NewsroomSettings):
            post_delete.connect(structure.bump, sender=model, dispatch_uid=f"samizdat-del-{model}")
        search.connect()
        from django.core.signals import request_finished, request_started

        # Each request reads each generation (and what is cached under it) once: the kernel's
        # memo, wired here as samizdat.core is not an app of its own.
        request_started.connect(generations.open_request, dispatch_uid="samizdat-generations-memo")
        request_finished.connect(
            generations.close_request, dispatch_uid="samizdat-generations-memo"
        )
