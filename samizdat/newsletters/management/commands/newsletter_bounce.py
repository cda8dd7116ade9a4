"""`samizdat newsletter_bounce ADDRESS`: stop newsletters to an address that bounced.

For mail servers that report bounces by piping them to a command rather than by the webhook
(/newsletters/bounces/). A hard bounce by default; --soft counts a soft one (the address stops
after SAMIZDAT_NEWSLETTER_SOFT_BOUNCES of them), --complaint records a spam complaint.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samizdat.newsletters import bounces


class Command(BaseCommand):
    help = "Record a bounce or complaint for an address: it stops receiving newsletters."

    def add_arguments(self, parser) -> None:
        parser.add_argument("address", nargs="+", help="The e-mail address(es) that bounced.")
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--soft", action="store_const", dest="kind", const=bounces.SOFT, help="A soft bounce."
        )
        kind.add_argument(
            "--complaint",
            action="store_const",
            dest="kind",
            const=bounces.COMPLAINT,
            help="A spam complaint.",
        )

    def handle(self, *args, address: list[str], kind: str | None = None, **options) -> None:
        kind = kind or bounces.HARD
        stopped = sum(bounces.record(email, kind) for email in address)
        # Says how many subscriptions stopped, not which addresses were known.
        label = kind.replace("_", " ")
        self.stdout.write(f"Recorded {len(address)} {label}(s); {stopped} subscription(s) stopped.")
