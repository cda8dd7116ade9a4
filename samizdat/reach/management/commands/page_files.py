"""`samizdat page_files`: write the published pages as files for nginx now (after a deploy, or
to fill the folder the first time); `--full` renders every page again.

Publishing writes them by itself (samizdat.reach.pagefiles) once SAMIZDAT_PAGE_FILES is on.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from samizdat.reach import pagefiles
from samizdat.reach.mirror import BuildFailed


class Command(BaseCommand):
    help = "Write the published pages into SAMIZDAT_PAGE_FILES_DIR for the front server."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--full", action="store_true", help="Render every page again.")

    def handle(self, *args, full: bool = False, **options) -> None:
        try:
            report = pagefiles.write_pages(full=full)
        except BuildFailed as error:
            raise CommandError(str(error)) from error
        folder = pagefiles.site_folder()
        self.stdout.write(f"{report.summary()} in {report.seconds:.1f} s, into {folder}")
