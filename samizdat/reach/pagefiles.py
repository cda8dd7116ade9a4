"""Published pages as files, which the front server sends without asking the application.

With SAMIZDAT_PAGE_FILES on, every change to what reader pages show writes the pages it touched
under SAMIZDAT_PAGE_FILES_DIR/<primary host>/ (<path>/index.html, .rss or .atom for feeds, a .gz
beside each; README maps them), in a task once the change has committed. nginx sends a file when
there is one and passes the rest (later list pages, search, checkout, the goal's frame, the
admin, editors) on. It is the mirror's export (reach/mirror/) without the rewriting. Files are
renamed into place, so nobody gets half a page; one build at a time (a lock file).
"""

from __future__ import annotations

import fcntl
import gzip
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task
from taggit.models import Tag
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from samizdat.newsroom.models import NewsroomSettings, Photo
from samizdat.reach import mirror
from samizdat.support.models import Appeal, AppealVariant, Campaign, DonationForm

logger = logging.getLogger(__name__)

# Feeds' files, by the end of their address: named so that nginx sends their own content type.
FEED_FILES = {"/feed/rss/": "index.rss", "/feed/atom/": "index.atom"}
LOCK_NAME = ".samizdat-page-files.lock"
# Not a reader page on the live site: the application answers a missing page itself.
NOT_WRITTEN = frozenset({"/404.html"})
# Anything beyond this is not worth compressing ahead (nginx sends it as it is).
GZIP_FROM_BYTES = 256


def enabled() -> bool:
    return bool(getattr(settings, "SAMIZDAT_PAGE_FILES", False))


def root() -> Path:
    return Path(settings.SAMIZDAT_PAGE_FILES_DIR)


def site_folder(site=None) -> Path:
    """Where the pages of the site (the primary one by default) are written."""
    site = site or mirror.primary_site()
    return root() / site.hostname


def live_file(key: str, target: mirror.Target) -> str:
    """Where a target of the mirror's plan goes in the page folder: where nginx finds it."""
    for end, name in FEED_FILES.items():
        if key.endswith(end):
            return mirror.page_file(key)[: -len("index.html")] + name
    return target.file


class PageFilesBuilder(mirror.MirrorBuilder):
    """The mirror's export as the live site: pages as rendered, written in place."""

    as_a_mirror = False

    def make_plan(self) -> mirror.Plan:
        plan = super().make_plan()
        for key in NOT_WRITTEN:
            plan.targets.pop(key, None)
        for key, target in plan.targets.items():
            target.file = live_file(key, target)
        return plan

    def write_extras(self) -> None:
        """Nothing: nginx serves static and media files from their own folders."""

    def produce(self, target: mirror.Target) -> mirror.Produced:
        produced = super().produce(target)
        if produced.written:
            path = self.options.out / target.file
            data = path.read_bytes()
            if len(data) >= GZIP_FROM_BYTES:
                write_atomic(path.with_name(path.name + ".gz"), gzip.compress(data, 6, mtime=0))
        return produced


def write_atomic(path: Path, data: bytes) -> None:
    """Beside its place, then renamed into it: readers get the old file or the new one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _remove_with_empty_folders(folder: Path, path: Path) -> None:
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != folder:
        try:
            parent.rmdir()
        except OSError:  # not empty (or gone)
            break
        parent = parent.parent


@contextmanager
def _one_at_a_time(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_pages(full: bool = False) -> mirror.Report:
    """Write what changed since the last run (everything the first time, or with `full`)."""
    if not Site.objects.exists():
        return mirror.Report()  # nothing to publish yet (a site being set up)
    folder = site_folder()
    options = mirror.MirrorOptions(
        # Nothing is rewritten to this address; the rules need one to know the site's own.
        base_url="https://page-files.invalid/",
        out=folder,
        full=full,
    )
    with _one_at_a_time(folder):
        builder = PageFilesBuilder(options)
        report = builder.build()
        # The compressed copies of pages no longer published go with them, and their folders.
        kept = {record.file for record in builder.new.targets.values()}
        for record in builder.old.targets.values():
            if record.file not in kept:
                _remove_with_empty_folders(folder, folder / f"{record.file}.gz")
    logger.info("Page files: %s in %.2f s", report.summary(), report.seconds)
    return report


@task()
def write_page_files() -> None:
    write_pages()


class _WriteOnCommit:
    """What a transaction runs when it commits: one write of the pages, however many rows it
    saved (a transaction that rolls back runs nothing)."""

    done = False

    def __call__(self) -> None:
        self.done = True
        write_page_files.enqueue()


def changed(**_signal_kwargs) -> None:
    """Something pages show changed: write the pages once the change is committed (at once
    outside a transaction)."""
    if not enabled():
        return
    pending = transaction.get_connection().run_on_commit
    if any(isinstance(hook[1], _WriteOnCommit) and not hook[1].done for hook in pending):
        return
    transaction.on_commit(_WriteOnCommit())


def connect() -> None:
    """Wire the writes to what changes pages (ReachConfig.ready)."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(changed, dispatch_uid=f"samizdat-page-files-{signal!r}")
    post_delete.connect(changed, sender=Page, dispatch_uid="samizdat-page-files-delete")
    # What the mirror's rules fingerprint: a change to one of these renders again the pages that
    # show it (appeals and forms: the pages that read them; the rest: every page). A gift
    # (Donation) is none of them: the goal is a frame of its own.
    for model in (
        Site,
        Photo,
        NewsroomSettings,
        Tag,
        Appeal,
        AppealVariant,
        DonationForm,
        Campaign,
    ):
        for signal in (post_save, post_delete):
            signal.connect(
                changed,
                sender=model,
                dispatch_uid=f"samizdat-page-files-{signal!r}-{model._meta.label}",
            )
