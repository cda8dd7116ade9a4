from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save


class PageCacheConfig(AppConfig):
    name = "samizdat.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished

        from samizdat.newsroom.models import Photo

        from . import purge, store

        # Pages follow the structure (publishing, moves, photos, the newsroom's settings: see
        # newsroom/apps.py) and what only some show (store.SHOWN: support/apps.py bumps them).
        store.register()
        # The sites' addresses are in every page, and photos' captions and credits in many
        # (the structure follows a photo's deletion only).
        for model in (Site, Photo):
            for signal in (post_save, post_delete):
                signal.connect(
                    store.bump,
                    sender=model,
                    dispatch_uid=f"samizdat-pagecache-{signal!r}-{model._meta.label}",
                )
        # Settings shape pages (addresses, languages, the checkout origin); they change only
        # in tests, which must not see pages rendered under other settings.
        setting_changed.connect(store.bump, dispatch_uid="samizdat-pagecache-settings")
        # A CDN in front (WAGTAILFRONTENDCACHE): Wagtail purges the page itself; the lists
        # above it change too.
        for signal in (page_published, page_unpublished):
            signal.connect(purge.purge_ancestors, dispatch_uid=f"samizdat-cdn-{signal!r}")
