"""`samizdat mirror build --base-url https://mirror.example --out DIR`: a static copy of the site;
`samizdat mirror check URL …`: which mirrors still answer with it (samizdat.reach.mirror_check).

The work is done by samizdat.reach.mirror; this command parses options and shows progress.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samizdat.reach import mirror_check
from samizdat.reach.mirror import BuildFailed, MirrorOptions, build_mirror

# Without a terminal (cron, CI), one line per this many files instead of a progress bar.
PLAIN_PROGRESS_EVERY = 500


class BarProgress:
    """tqdm's bar on a terminal."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=0, unit="page", desc="Rendering", dynamic_ncols=True, leave=False)

    def update(self, done: int, total: int) -> None:
        if total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


class PlainProgress:
    """Counts on their own lines, for logs."""

    def __init__(self, write) -> None:
        self.write = write
        self.last = 0

    def update(self, done: int, total: int) -> None:
        if done - self.last >= PLAIN_PROGRESS_EVERY:
            self.last = done
            self.write(f"rendered {done} of {total}")

    def close(self) -> None:
        pass


def add_check_arguments(actions) -> None:
    check = actions.add_parser(
        "check",
        help="Whether each mirror answers with the current build (run it from inside the "
        "country too).",
        description=(
            "Fetch each mirror's samizdat-build.json and say whether it serves the current "
            "build, when it was built, or what failed: DNS, TLS, timeout, refused, an error "
            "status, or a different page (a block page often answers 200). Exits 1 if any "
            "mirror is not current."
        ),
    )
    check.add_argument("urls", nargs="*", metavar="URL", help="The mirrors' addresses.")
    check.add_argument(
        "--listed",
        action="store_true",
        help='Also every mirror listed on the "How to reach us" pages (needs the database).',
    )
    reference = check.add_mutually_exclusive_group()
    reference.add_argument(
        "--current",
        help="The current build: a mirror folder `mirror build` wrote, or the address of a "
        "mirror known to be up to date (default: the newest build any mirror serves).",
    )
    reference.add_argument("--expect", help="The current build's id.")
    check.add_argument(
        "--timeout",
        type=float,
        default=mirror_check.DEFAULT_TIMEOUT,
        help="Seconds to connect and to wait for an answer (default %(default)s).",
    )
    check.add_argument(
        "--json", dest="json_lines", action="store_true", help="One JSON object a line, for cron."
    )
    check.add_argument(
        "--report-to",
        help="Post the results to the site, e.g. https://news.example/en/reach/mirror-checks/",
    )
    check.add_argument(
        "--token",
        help="The site's SAMIZDAT_MIRROR_CHECK_SECRET, which signs the report (or set "
        "SAMIZDAT_MIRROR_CHECK_TOKEN: a token on the command line shows in the process list).",
    )
    check.add_argument(
        "--from",
        dest="vantage",
        default=socket.gethostname(),
        help="Where the check runs, as editors will see it (default: this machine's name).",
    )


class Command(BaseCommand):
    help = (
        "Static mirrors of the public site: `mirror build --base-url URL --out DIR`, "
        "`mirror check URL …`."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        build = actions.add_parser(
            "build",
            help="Render every public page, feed, sitemap, image and asset into a folder.",
            description=(
                "Render the whole public site (every language) into a folder any static host "
                "can serve. A second run into the same folder renders only what changed."
            ),
        )
        build.add_argument(
            "--base-url",
            default="",
            help="Where the mirror will be served, e.g. https://mirror.example/ (links and "
            "canonical URLs point there). Not needed with --relative.",
        )
        build.add_argument("--out", required=True, type=Path, help="The output folder.")
        build.add_argument("--archive", type=Path, help="Also pack the folder as this .tar.gz.")
        build.add_argument(
            "--relative",
            action="store_true",
            help="Relative links between pages, so the same files work under any address and "
            "sub-path; canonical and hreflang links, share cards, feeds, sitemaps and robots.txt "
            "name the main site (SAMIZDAT_PUBLIC_URL).",
        )
        build.add_argument(
            "--full", action="store_true", help="Render everything, ignoring the last run."
        )
        build.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Render with this many processes (default 1: the live site on the same "
            "server keeps its cores).",
        )
        build.add_argument(
            "--no-forms",
            dest="forms",
            action="store_false",
            help="No donation, reminder, newsletter or search form on any page, for a mirror "
            "with no reachable address of the running site: pages say how to give instead.",
        )
        build.add_argument(
            "--checkout-url",
            default=None,
            help="Reachable address of the running site for donations, reminders, newsletter "
            "sign-up and search (default: SAMIZDAT_CHECKOUT_URL).",
        )

        add_check_arguments(actions)

    def handle(self, *args, action: str, **options) -> None:
        if action == "build":
            self.build(**options)
        elif action == "check":
            self.check_mirrors(**options)

    def check_mirrors(
        self, urls, listed, current, expect, timeout, json_lines, report_to, token, vantage, **_opts
    ) -> None:
        """`mirror check`: one line per mirror; exit status 1 if any is not current."""
        if listed:
            urls = list(dict.fromkeys([*urls, *mirror_check.listed_mirrors()]))
        if not urls:
            raise CommandError("Name the mirrors to check, or use --listed.")
        token = token or os.environ.get("SAMIZDAT_MIRROR_CHECK_TOKEN", "")
        if report_to and not token:
            raise CommandError("--report-to needs --token (or SAMIZDAT_MIRROR_CHECK_TOKEN).")
        if current:
            try:
                expect = mirror_check.current_build(current, timeout)["build"]
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        results = mirror_check.check(urls, expect=expect, timeout=timeout)
        for result in results:
            if json_lines:
                self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False))
            else:
                line = mirror_check.describe(result)
                self.stdout.write(self.style.SUCCESS(line) if result.ok else self.style.ERROR(line))
        if report_to:
            try:
                mirror_check.post_report(report_to, token, vantage, results)
            except (ValueError, OSError) as exc:
                raise CommandError(str(exc)) from exc
        failed = sum(not result.ok for result in results)
        if failed:
            raise CommandError(f"{failed} of {len(results)} mirrors failed.", returncode=1)

    def build(
        self, base_url, out, archive, relative, full, jobs, checkout_url, forms, **_opts
    ) -> None:
        if checkout_url is None:
            checkout_url = getattr(settings, "SAMIZDAT_CHECKOUT_URL", "")
        if forms and not checkout_url.strip():
            raise CommandError(
                "The mirror's donation, reminder and newsletter forms need a reachable address "
                "of the running site to post to, and none is set: a static host cannot answer "
                "them. Set SAMIZDAT_CHECKOUT_URL (or --checkout-url), or build with --no-forms: "
                "pages then say how to give without a form."
            )
        try:
            mirror = MirrorOptions(
                base_url=base_url,
                out=out,
                relative=relative,
                full=full,
                checkout_url=checkout_url,
                archive=archive,
                forms=forms,
                jobs=max(1, jobs),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if sys.stderr.isatty():
            progress = BarProgress()
        else:
            progress = PlainProgress(lambda line: self.stdout.write(line))
        try:
            report = build_mirror(mirror, progress)
        except (ValueError, BuildFailed) as exc:
            raise CommandError(str(exc)) from exc
        for warning in report.warnings[:20]:
            self.stderr.write(f"warning: {warning}")
        if len(report.warnings) > 20:
            self.stderr.write(f"… and {len(report.warnings) - 20} more warnings")
        kind = "full" if report.full else "incremental"
        rate = report.rendered / report.seconds if report.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.summary()} ({kind}, {report.seconds:.1f} s, {rate:.0f} pages/s)"
            )
        )
        self.stdout.write(f"Mirror for {mirror.base_url or 'any address'} in {mirror.out}")
        if report.archive:
            self.stdout.write(f"Archive: {report.archive}")
