"""`samizdat import wordpress EXPORT.xml [--uploads PATH]` and `samizdat import ghost EXPORT.json
[--images DIR]`: a newsroom's archive, its pictures and its old addresses, moved in.

Reading is done by samizdat.imports.wordpress / .ghost, writing by samizdat.imports.run; this
command parses options and prints the report.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samizdat.imports import ghost, wordpress
from samizdat.imports.run import Options, run
from samizdat.imports.source import ExportError


def _mapping(value: str) -> tuple[str, str]:
    old, sep, new = value.partition("=")
    if not sep or not old or not new:
        raise CommandError(f"--section takes OLD_SLUG=SECTION_SLUG, not {value!r}")
    return old.strip(), new.strip()


class Command(BaseCommand):
    help = "Import a newsroom's archive from a WordPress (WXR) or Ghost (JSON) export."

    def add_arguments(self, parser) -> None:
        sources = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
        wordpress = sources.add_parser(
            "wordpress",
            help="A WordPress export (Tools → Export → All content), WXR 1.0 to 1.2.",
        )
        wordpress.add_argument("export", type=Path, metavar="EXPORT.xml")
        wordpress.add_argument(
            "--uploads",
            type=Path,
            help="A copy of wp-content/uploads: the folder, or a zip of it.",
        )
        ghost = sources.add_parser(
            "ghost", help="A Ghost export (Settings → Labs → Export), Ghost 3 to 6."
        )
        ghost.add_argument("export", type=Path, metavar="EXPORT.json")
        ghost.add_argument("--images", type=Path, help="A copy of Ghost's content/images folder.")
        for sub in (wordpress, ghost):
            sub.add_argument(
                "--language",
                default="",
                help="The edition for stories whose language the export does not give.",
            )
            sub.add_argument(
                "--section",
                action="append",
                default=[],
                metavar="OLD_SLUG=SECTION_SLUG",
                help="Put stories of this old category or primary tag into this section.",
            )
            sub.add_argument(
                "--default-section",
                default="",
                metavar="SLUG",
                help="The section for articles that have none (by default: Archive).",
            )
            sub.add_argument(
                "--media-prefix",
                action="append",
                default=[],
                metavar="URL",
                help="Another address under which the old site's pictures were served.",
            )
            sub.add_argument(
                "--dry-run", action="store_true", help="Read and count; write nothing."
            )
            sub.add_argument("--report", type=Path, metavar="FILE", help="Also write it here.")

    def handle(self, *args, source: str, export: Path, **options) -> None:
        pictures = options.get("uploads") if source == "wordpress" else options.get("images")
        if pictures is not None and not pictures.exists():
            raise CommandError(f"{pictures} does not exist.")
        try:
            if source == "wordpress":
                archive = wordpress.read(export, language=options["language"])
            else:
                archive = ghost.read(export)
        except ExportError as error:
            raise CommandError(str(error)) from error
        settings = Options(
            language=options["language"],
            sections=dict(_mapping(value) for value in options["section"]),
            default_section=options["default_section"],
            media_prefixes=options["media_prefix"],
            pictures=pictures,
            dry_run=options["dry_run"],
        )
        try:
            report = run(archive, settings)
        except ValueError as error:
            raise CommandError(str(error)) from error
        title = f"{'Dry run: ' if settings.dry_run else ''}{source} export {export.name}"
        title += f" (version {archive.version}) from {archive.site_url or 'an unnamed site'}"
        text = report.render(title)
        self.stdout.write(text, ending="")
        if options["report"] is not None:
            options["report"].write_text(text, encoding="utf-8")
