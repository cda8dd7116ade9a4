"""`samizdat donors purge`: remove donors' personal data past the retention period.

    samizdat donors purge                   # SAMIZDAT_DONOR_RETENTION, default 3y
    samizdat donors purge --older-than 18m  # or 400d, 6w, 3y
    samizdat donors purge --dry-run         # say what would go, change nothing

Donors whose last gift or change is older than the period are anonymised (privacy.py): their
customer records at the payment provider are deleted, their address, name and provider customer
ids go, their gifts stay with amounts and dates, so the reports and the goal do not move. Donors
with a live recurring gift are never purged; a donor whose customer the provider does not delete
is kept for the next run, and the command fails saying so. Run it from cron, e.g. weekly; each
run that changes something is written to the audit log.
"""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from samizdat.support.donors import audit, privacy


class Command(BaseCommand):
    help = "Donor data: `purge` removes personal data of donors inactive past the retention."

    def add_arguments(self, parser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", title="subcommands")
        subcommands.required = True
        purge = subcommands.add_parser(
            "purge",
            help="Anonymise donors inactive for longer than the retention period.",
        )
        purge.add_argument(
            "--older-than",
            metavar="DURATION",
            help="Retention period: 400d, 6w, 18m or 3y. Default: SAMIZDAT_DONOR_RETENTION.",
        )
        purge.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed; change nothing."
        )

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "purge":
            self.purge(options.get("older_than"), options.get("dry_run", False))

    def purge(self, older_than: str | None, dry_run: bool) -> None:
        try:
            retention = (
                privacy.Retention.parse(older_than) if older_than else privacy.default_retention()
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = privacy.purge(retention, dry_run=dry_run)
        cutoff = timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M")
        if dry_run:
            self.stdout.write(
                f"Dry run, nothing changed. Older than {retention} (last activity before "
                f"{cutoff}), a purge would:"
            )
            self.stdout.write(f"  anonymise {counted(result.donors, 'donor')}")
            if result.donor_ids:
                self.stdout.write("    donor ids: " + ", ".join(map(str, result.donor_ids)))
            self.stdout.write(
                f"  delete {counted(result.customers, 'customer record')} at the payment provider"
            )
            self.stdout.write(f"  delete {counted(result.reminders, 'reminder')}")
            self.stdout.write(
                f"  empty {counted(result.webhook_payloads, 'payment provider payload')}"
            )
        else:
            audit.record(
                None,
                audit.Action.PURGE,
                filters={"older_than": str(retention), "cutoff": result.cutoff.isoformat()},
                records=result.donors,
                username=f"{_os_user()} (command line)",
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{counted(result.donors, 'donor')} anonymised "
                    f"(last activity before {cutoff}); "
                    f"{counted(result.customers, 'customer record')} deleted at the payment "
                    "provider; "
                    f"{counted(result.reminders, 'reminder')} deleted; "
                    f"{counted(result.webhook_payloads, 'payment provider payload')} emptied."
                )
            )
        if result.kept_live:
            self.stdout.write(
                f"{counted(result.kept_live, 'inactive donor')} kept: "
                "their recurring gift is still live."
            )
        if result.kept_provider:
            reasons = "; ".join(
                f"donor {pk}: {reason}" for pk, reason in sorted(result.kept_provider.items())
            )
            # A failure, so that cron mails it: these donors' data is kept past the period.
            raise CommandError(
                f"{counted(len(result.kept_provider), 'inactive donor')} kept: the payment "
                f"provider did not delete their customer records ({reasons}). The next run "
                "tries again."
            )


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid, e.g. in a container
        return "unknown"
