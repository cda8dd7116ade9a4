"""One run of the export: render what changed, write it, and swap the build in."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import os
import shutil
import tarfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import override_settings
from wagtail.models import Page, Site

from samizdat.core import generations
from samizdat.newsroom import listing, preload, related, structure
from samizdat.newsroom.models import ArticlePage, HomePage
from samizdat.newsroom.routing import route_from
from samizdat.reach import mirror_goal
from samizdat.reach.domains import onion_url
from samizdat.reach.mirror_check import write_build_stamp
from samizdat.support.giving.goals import current_progress

from .files import (
    _asset_source,
    _hash,
    _is_linked,
    _link_or_copy,
    _make_folder,
    _remove,
    _staging_copy,
    _swap_in,
    _write_atomic,
    css_references,
    root_files,
    root_index,
)
from .manifest import (
    MANIFEST_NAME,
    SHOWN,
    Dependencies,
    Manifest,
    TargetRecord,
    Work,
    shown_fingerprints,
    site_fingerprint,
)
from .plan import (
    HTML,
    BuildFailed,
    MirrorOptions,
    Plan,
    Progress,
    Report,
    Target,
    _NoProgress,
    make_plan,
    paginated_file,
)
from .rewriter import _PAGE_QUERY, Produced, Rendered, Rewriter, origin_roots
from .scheduler import _InProcess, _Renderers, _Stream

logger = logging.getLogger(__name__)

# WSGI environ keys the export sets on every request it renders. Not HTTP headers (those become
# HTTP_…), so no reader can set them: templates may trust them. The full-page cache
# (samizdat/pagecache, INTERNAL_RENDER_KEYS) lets requests carrying them pass by, so the export
# always renders afresh: keep the names in step.
MIRROR_ENVIRON_KEY = "samizdat.mirror"
CHECKOUT_ENVIRON_KEY = "samizdat.checkout_origin"
_SHOWN_GENERATIONS = {generation for part in SHOWN.values() for generation in part.generations}
# From this many articles in one round, 'Read more' is chosen for all of them at once.
RELATED_IN_BULK_FROM = 20


class _KnownSiteHandler(ClientHandler):
    """Django's in-process handler, telling Wagtail which site each request is for.

    Every request the export makes carries the primary site's Host, so Wagtail would look the
    same site up again for each page (a query); it takes one it is handed instead.
    """

    def __init__(self, site: Site) -> None:
        super().__init__(enforce_csrf_checks=False)
        self.site = site
        # The next request's page, preloaded, and the URL segments below it: Wagtail routes
        # no further (MirrorBuilder.fetch sets it).
        self.route: tuple[Page, list[str]] | None = None

    def load_middleware(self, is_async: bool = False) -> None:
        # The export finds static files itself (finders): WhiteNoise's warning that nobody ran
        # collectstatic into STATIC_ROOT is no news to whoever builds a mirror.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            super().load_middleware(is_async)

    def get_response(self, request):
        if self.route is not None:
            page, components = self.route
            route_from(request, self.site, page, components)
        else:
            request._wagtail_site = self.site
        return super().get_response(request)


class MirrorBuilder:
    """One run of the export. Use `build_mirror(options)`.

    The live site's page files (samizdat/reach/pagefiles.py) are written by the same builder
    with `as_a_mirror` off: pages as readers get them (not rewritten, no mirror marker, the
    site's own static names), each file replaced in place rather than the folder swapped.
    """

    as_a_mirror = True

    def __init__(self, options: MirrorOptions, progress: Progress | None = None) -> None:
        self.options = options
        self.progress = progress or _NoProgress()
        self.report = Report()
        self.pool = None  # the rendering processes, once a batch is worth starting them
        self.folders: set[Path] = set()  # folders made during this run

    def build(self) -> Report:
        started = time.perf_counter()
        out = self.options.out.resolve()
        if not self.as_a_mirror:
            out.mkdir(parents=True, exist_ok=True)
            self._build_in()
            self.report.seconds = time.perf_counter() - started
            return self.report
        for name in ("MEDIA_ROOT", "STATIC_ROOT"):
            source = Path(getattr(settings, name, "") or "/nonexistent").resolve()
            if source == out or out in source.parents:
                raise ValueError(f"The mirror would be written over the site's {name}: {out}")
        # Built into a copy, swapped in only once every page rendered: a failed run leaves
        # the previous mirror whole, and a host serving the folder never sees half a build.
        staging = _staging_copy(out)
        final_options = self.options
        self.options = dataclasses.replace(final_options, out=staging)
        try:
            self._build_in()
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            self.options = final_options
        _swap_in(staging, out)
        if self.options.archive:
            write_archive(self.options.out, self.options.archive)
            self.report.archive = self.options.archive
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _build_in(self) -> None:
        # Plain static names: the mirror serves its own copies, whether or not the origin has
        # run collectstatic for its manifest of hashed names.
        plain_static = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # Whatever lives before the export (the application, settings, warm caches) is not
        # garbage: the collector would otherwise scan all of it again and again while pages
        # are rendered (a tenth of an incremental export's time, in one profile).
        gc.freeze()
        if not self.as_a_mirror:
            plain_static = settings.STORAGES
        try:
            with override_settings(STORAGES=plain_static), structure.snapshot():
                # A list's stories not loaded beforehand are loaded for their teasers only.
                structure.hold({listing.TEASER_LOADER: preload.preload_teasers})
                self._build()
        finally:
            gc.unfreeze()
            if self.pool is not None:
                self.pool.stop()
                self.pool = None
            self.progress.close()
        if self.report.failures:
            raise BuildFailed(self.report.failures)

    # Rendering

    def _start_client(self, plan: Plan) -> None:
        site = plan.site
        self.client = Client()
        self.client.handler = _KnownSiteHandler(site)
        self.routes: dict[str, tuple[Page, list[str]]] = {}
        self.environ = {
            "HTTP_HOST": site.hostname
            if site.port in (80, 443)
            else f"{site.hostname}:{site.port}",
            "secure": plan.origin.startswith("https:"),
            CHECKOUT_ENVIRON_KEY: self.options.checkout_url,
        }
        if self.as_a_mirror:
            self.environ[MIRROR_ENVIRON_KEY] = "1"

    def fetch(self, url: str) -> tuple[int, bytes]:
        self.client.handler.route = self.routes.get(url.partition("?")[0])
        response = self.client.get(url, **self.environ)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body

    # The run

    def _build(self) -> None:
        out = self.options.out
        plan = self.make_plan()
        self._start_client(plan)
        self.rewriter = Rewriter(plan, self.options, origin_roots(plan.site))
        self.plan = plan
        base = urlsplit(self.options.base_url)
        if base.netloc and f"{base.scheme}://{base.netloc}" in self.rewriter.origins:
            raise ValueError(f"{self.options.base_url} is the site's own address, not a mirror's.")
        fingerprint, shown = site_fingerprint(self.options), shown_fingerprints()
        old = Manifest.load(out)  # with --full too: files whose bytes match are not rewritten
        rules = Dependencies(plan, old, fingerprint, shown) if old is not None else None
        everything = self.options.full or rules is None or rules.everything
        self.report.full = everything
        self.old = old = old or Manifest()
        self.new = new = Manifest(site=fingerprint, shown=shown)
        new.pages = {str(pk): [p.position, p.content] for pk, p in plan.pages.items()}
        self.links_by_owner: dict[str, set[str]] = {}
        self.whole_owners: set[str] = set()
        self.fresh_assets: set[str] = set()
        self.done = self.planned = 0

        if everything:
            self._render(Work(owners={t.owner for t in plan.targets.values()}))
        else:
            assert rules is not None
            missing = {
                key
                for key, target in plan.targets.items()
                if key not in old.targets or not (out / target.file).exists()
            }
            first = rules.first()
            first.keys |= missing
            self._render(first)
            self._render(rules.then(self.links_by_owner))
            self._keep_untouched()

        self.write_extras()
        self._delete_leftovers()
        if (
            self.report.rendered
            or self.report.deleted
            or new.pages != old.pages
            or new.shown != old.shown
            or new.generated != old.generated
            or everything
        ):
            new.save(out)
        write_build_stamp(out, new)  # samizdat-build.json, which `mirror check` reads
        if self.report.unmirrored and not self.options.checkout_url and self.options.forms:
            self.report.warnings.append(
                f"{len(self.report.unmirrored)} dynamic addresses (donations, reminders, "
                "newsletter sign-up…) have no static copy and no SAMIZDAT_CHECKOUT_URL to go "
                "to: they point at the mirror's own host."
            )

    def make_plan(self) -> Plan:
        return make_plan(forms=self.options.forms)

    def write_extras(self) -> None:
        """What a mirror holds beyond the pages: its front door, the goal, root and asset files."""
        self._write_root_index()
        self._write_goal_images()
        self._write_root_files()
        self._collect_assets()

    def _render(self, work: Work) -> None:
        """Render the work, and the pages of lists it discovers as soon as they are found."""
        plan, old = self.plan, self.old
        self.whole_owners |= work.owners
        keys = {key for key, target in plan.targets.items() if target.owner in work.owners}
        keys |= work.keys
        batch = sorted((k for k in keys if k not in self.new.targets), key=_render_order)
        queued = set(batch)
        targets = [plan.targets.get(k) or self._pagination_target(k) for k in batch]
        targets = [target for target in targets if target is not None]
        self.planned += len(targets)
        self._prepare(targets)
        stream = self._map(targets)
        for produced in stream:
            self.done += 1
            self.progress.update(self.done, self.planned)
            if not self._record(produced):
                continue
            target, found = produced.target, produced.found
            self.links_by_owner.setdefault(target.owner, set()).update(found.links)
            more = []
            for extra in sorted(found.discovered):
                extra_target = self._pagination_target(extra)
                if extra_target is None:
                    continue
                plan.targets.setdefault(extra, extra_target)
                # A list rendered whole follows all its pages; otherwise only new ones.
                follow = target.owner in self.whole_owners or extra not in old.targets
                if follow and extra not in queued and extra not in self.new.targets:
                    queued.add(extra)
                    more.append(extra_target)
            # The next page of a list, rendered by the same means as its first (its page is
            # preloaded and routed already), while the rest of the work goes on.
            self.planned += len(more)
            stream.add(more)

    def _prepare(self, targets: list[Target]) -> None:
        """Compute together, before rendering, what the pages would each compute alone.

        Every publish empties the structure cache; an archive rendered after one would choose
        each article's 'Read more' with its own queries. Done here, before the rendering
        processes are forked, they inherit the choices (or find them in Redis), and the
        pages themselves, loaded in bulk with what they show (samizdat/newsroom/preload.py),
        which spares each page its routing and most of its queries.
        """
        if len(targets) < RELATED_IN_BULK_FROM:
            return
        owners = {target.key: self._owner_page(target) for target in targets}
        articles = [
            pk
            for pk in set(owners.values())
            if pk is not None and issubclass(self.plan.pages[pk].model, ArticlePage)
        ]
        if len(articles) >= RELATED_IN_BULK_FROM:
            related.warm(articles)
        pages = preload.preload_pages({pk for pk in owners.values() if pk is not None}, public=True)
        for key, pk in owners.items():
            page = pages.get(pk) if pk is not None else None
            if page is None:
                continue
            path = key.partition("?")[0]
            page_key = self.plan.pages[pk].key
            if path.startswith(page_key):
                below = unquote(path[len(page_key) :])
                self.routes[path] = (page, [part for part in below.split("/") if part])

    def _owner_page(self, target: Target) -> int | None:
        """The page a target is rendered by: its own, its feed's or its tag list's home."""
        kind, _colon, rest = target.owner.partition(":")
        if kind not in ("page", "feed", "tag") or target.fetch:
            return None
        pk = int(rest.partition(":")[0])
        return pk if pk in self.plan.pages else None

    def _map(self, targets: list[Target]) -> _Stream:
        """Render in this process, or in forked ones for a large enough batch."""
        jobs = self.options.jobs
        # Starting the processes costs more than a few pages do.
        if jobs <= 1 or (self.pool is None and len(targets) < 8 * jobs):
            return _InProcess(self, targets)
        if self.pool is None:
            # Each process opens its own database connection; none may inherit this one.
            connections.close_all()
            self.pool = _Renderers(jobs, self)
        return self.pool.stream(targets)

    def render_file(self, target: Target) -> tuple[int, bytes, Rendered]:
        """Render one URL and rewrite it for the mirror: (status, bytes, what it refers to)."""
        found = Rendered()
        try:
            with generations.recording() as read:
                if target.status == 404:
                    with _quiet("django.request"):  # a 404 asked for is no news to the log
                        status, body = self.fetch(target.fetch or target.key)
                else:
                    status, body = self.fetch(target.fetch or target.key)
            found.shows = read & _SHOWN_GENERATIONS
        except Exception:  # named with the others that failed; the traceback goes to the log
            logger.exception("%s could not be rendered for the mirror", target.key)
            return 500, b"", found
        if status != target.status:
            return status, b"", found
        rewritten = self.rewriter.rewrite(body, target, found)  # and what it links to
        return status, rewritten if self.as_a_mirror else body, found

    def _pagination_target(self, key: str) -> Target | None:
        path, _q, query = key.partition("?")
        match = _PAGE_QUERY.match(query)
        base = self.plan.targets.get(path)
        if not match or base is None or base.kind != HTML:
            return None
        return Target(key, paginated_file(path, int(match.group(1))), HTML, base.owner)

    def produce(self, target: Target) -> Produced:
        """Render one file and write it if its bytes changed (in a rendering process)."""
        status, data, found = self.render_file(target)
        if status != target.status:
            return Produced(target, status, "", False, found)
        digest = _hash(data)
        previous = self.old.targets.get(target.key)
        path = self.options.out / target.file
        if previous is not None and previous.hash == digest and path.exists():
            return Produced(target, status, digest, False, found)
        _write_atomic(path, data, self.folders)
        return Produced(target, status, digest, True, found)

    def _record(self, produced: Produced) -> bool:
        """Count a file produced, and remember what it links to."""
        target, found, digest = produced.target, produced.found, produced.digest
        self.report.rendered += 1
        self.report.rendered_keys.append(target.key)
        if produced.status != target.status:
            self.report.failures.append(f"{target.key} answered {produced.status}")
            return False
        self.report.unmirrored |= found.unmirrored
        if produced.written:
            self.report.written += 1
        else:
            self.report.unchanged += 1
        self.fresh_assets.update(found.assets)
        self.new.targets[target.key] = TargetRecord(
            file=target.file,
            owner=target.owner,
            hash=digest,
            links=sorted(found.links),
            assets=sorted(found.assets),
            addresses=sorted(found.addresses - found.links),
            shows=sorted(found.shows),
        )
        return True

    def _keep_untouched(self) -> None:
        """Carry over the files this run had no reason to render again."""
        for key, record in self.old.targets.items():
            if key in self.new.targets:
                continue
            path, _q, query = key.partition("?")
            if key in self.plan.targets and not query:
                keep = True
            else:  # a page of a list: kept unless its list was rendered whole and lost it
                keep = path in self.plan.targets and record.owner not in self.whole_owners
            if keep:
                self.new.targets[key] = record

    def _write_root_index(self) -> None:
        plan = self.plan
        homes = [p for p in plan.pages.values() if issubclass(p.model, HomePage)]
        home = next(
            (h for h in homes if h.key.strip("/").split("/")[0] == plan.default_language),
            homes[0] if homes else None,
        )
        if home is None:
            return
        found = Rendered()
        current = "index.html" if self.options.relative else None
        url = self.rewriter.rewrite_url(home.key, "/", found, current)
        canonical = self.rewriter.rewrite_url(home.key, "/", found, None)
        title = plan.site.site_name or settings.WAGTAIL_SITE_NAME
        self._write_generated("index.html", root_index(title, url, canonical, onion_url(home.key)))

    def _write_generated(self, file: str, data: bytes) -> None:
        """A file the build writes itself (not rendered from a page), if its bytes changed."""
        digest = _hash(data)
        path = self.options.out / file
        if self.old.generated.get(file) != digest or not path.exists():
            _write_atomic(path, data)
            self.report.written += 1
        self.new.generated[file] = digest

    def _write_root_files(self) -> None:
        """favicon.ico and what else the site serves at its root (settings.WHITENOISE_ROOT)."""
        for name, source in root_files().items():
            self._write_generated(name, source.read_bytes())

    def _write_goal_images(self) -> None:
        """Every edition's goal figure, as it is now (see mirror_goal): every run."""
        progress = current_progress()
        if progress is None:
            return  # no campaign: no page shows a goal
        for language, _name in settings.LANGUAGES:
            self._write_generated(
                mirror_goal.goal_path(language), mirror_goal.goal_svg(progress, language)
            )

    def _collect_assets(self) -> None:
        """Copy every media and static file a page refers to, and what its stylesheets load.

        Files referred to by pages rendered in this run are checked against their source (size
        and modification time); the others were checked when their pages were rendered.
        """
        old, new = self.old, self.new
        fresh = set(self.fresh_assets)
        queue = sorted({asset for record in new.targets.values() for asset in record.assets})
        seen: set[str] = set()
        while queue:
            asset = queue.pop()
            if asset in seen:
                continue
            seen.add(asset)
            destination = self.options.out / asset
            if asset not in fresh and asset in old.assets and not self.report.full:
                new.assets[asset] = old.assets[asset]
            elif not self._copy_asset(asset, destination):
                continue
            if asset.endswith(".css"):
                css = destination.read_text("utf-8", errors="replace")
                for reference in css_references(css, asset):
                    if reference not in seen:
                        if asset in fresh:
                            fresh.add(reference)
                        queue.append(reference)

    def _copy_asset(self, asset: str, destination: Path) -> bool:
        source, storage_name = _asset_source(asset)
        try:
            if source is not None:
                stat = os.stat(source)
                stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
            elif storage_name is not None:
                stamp = str(default_storage.size(storage_name))
            else:
                raise FileNotFoundError(asset)
        except (OSError, NotImplementedError):
            self.report.warnings.append(f"missing file: {asset}")
            return False
        self.new.assets[asset] = stamp
        if self.old.assets.get(asset) == stamp and destination.exists():
            return True
        if source is not None:
            _make_folder(destination.parent, self.folders)
            # Beside it, then in its place: the file there is the previous build's too.
            temporary = destination.with_name(f".{destination.name}.tmp")
            if storage_name is not None:
                # Media files are written once (a new picture or crop gets a new name) and the
                # export only ever replaces files, so the mirror may share them: a link costs
                # a fraction of a copy, and an archive of pictures is most of a mirror's bytes.
                if _is_linked(source, destination):
                    return True  # renaming a link onto itself would leave the link behind
                _link_or_copy(source, temporary)
            else:
                shutil.copyfile(source, temporary)
            os.replace(temporary, destination)
        else:
            with default_storage.open(storage_name, "rb") as handle:
                _write_atomic(destination, handle.read())
        self.report.written += 1
        return True

    def _delete_leftovers(self) -> None:
        keep = {record.file for record in self.new.targets.values()}
        keep |= set(self.new.assets) | set(self.new.generated)
        previous = {record.file for record in self.old.targets.values()}
        previous |= set(self.old.assets) | set(self.old.generated)
        for relpath in sorted(previous - keep):
            if _remove(self.options.out, relpath):
                self.report.deleted += 1


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


def _render_order(key: str) -> tuple:
    # Pages first, feeds and sitemaps last; each list's first page before its others.
    return (key.endswith((".xml", ".txt")) or "/feed/" in key, "?" in key, key)


def build_mirror(options: MirrorOptions, progress: Progress | None = None) -> Report:
    """Render the public site into `options.out` (and `options.archive`): see the package doc."""
    return MirrorBuilder(options, progress).build()


def write_archive(out: Path, archive: Path) -> None:
    """The mirror folder as a .tar.gz, without the manifest, in a stable order."""
    archive = Path(archive).resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    temporary = archive.with_name(f".{archive.name}.tmp")
    with tarfile.open(temporary, "w:gz") as tar:
        for path in sorted(Path(out).rglob("*")):
            if path.is_dir() or path.name == MANIFEST_NAME or path.resolve() == archive:
                continue
            if path.resolve() == temporary:
                continue
            tar.add(path, arcname=path.relative_to(out).as_posix(), recursive=False)
    os.replace(temporary, archive)
