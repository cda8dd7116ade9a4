from django.core.management.base import BaseCommand

from samizdat.pagecache import store


class Command(BaseCommand):
    help = (
        "Forget every page in the page cache, e.g. after deploying new templates: stored pages "
        "in Redis would otherwise outlive the code that rendered them by up to "
        "SAMIZDAT_PAGE_CACHE_SECONDS."
    )

    def handle(self, *args, **options) -> None:
        store.bump()
        self.stdout.write("Cached pages forgotten.")
