from collections.abc import Callable

from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models import Model
from django.db.models.signals import post_delete, post_save


def on_change(receiver: Callable[..., None], *models: type[Model]) -> None:
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"samizdat-pagecache-{signal!r}-{model._meta.label}",
            )


class PageCacheConfig(AppConfig):
    name = "samizdat.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from samizdat.newsroom.models import NewsroomSettings, Photo
        from samizdat.support.models import (
            Appeal,
            AppealVariant,
            Campaign,
            Donation,
            DonationForm,
            RecurringDonation,
        )

        from . import purge, store

        # Whatever a reader page shows: pages (publish, edit-publish, unpublish, move, delete),
        # who may see them, the sites' addresses, photo credits, the newsroom settings (name, logo,
        # favicon, share image), appeals and donation forms.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(store.bump, dispatch_uid=f"samizdat-pagecache-{signal!r}")
        # Not Page's post_save: saving a draft changes nothing readers see.
        post_delete.connect(store.bump, sender=Page, dispatch_uid="samizdat-pagecache-delete")
        on_change(store.bump, PageViewRestriction, Site, Photo, NewsroomSettings)
        on_change(store.forget_reader_revenue, Appeal, AppealVariant, Campaign, DonationForm)
        # The goal's progress bar: a reader who just gave sees it move on the next page.
        on_change(store.forget_goal_progress, Donation, RecurringDonation)
        # Settings shape pages (addresses, languages, the checkout origin); they change only
        # in tests, which must not see pages rendered under other settings.
        setting_changed.connect(store.bump, dispatch_uid="samizdat-pagecache-settings")
        # A CDN in front (WAGTAILFRONTENDCACHE): Wagtail purges the page itself; the lists
        # above it change too.
        for signal in (page_published, page_unpublished):
            signal.connect(purge.purge_ancestors, dispatch_uid=f"samizdat-cdn-{signal!r}")
