"""`samizdat rebuild_search`: write every reader search document again, in one statement."""

import time

from django.core.management.base import BaseCommand

from samizdat.newsroom import search


class Command(BaseCommand):
    help = (
        "Rebuild the reader search documents of all live, public articles (PostgreSQL). "
        "Run after writing pages straight into the database, e.g. a bulk-loaded archive."
    )

    def handle(self, *args, **options):
        if not search.uses_documents():
            self.stdout.write(
                "SQLite searches Wagtail's own index: run `samizdat update_index` instead."
            )
            return
        started = time.perf_counter()
        count = search.rebuild()
        self.stdout.write(
            f"Indexed {count:,} articles for search in {time.perf_counter() - started:.1f} s."
        )
