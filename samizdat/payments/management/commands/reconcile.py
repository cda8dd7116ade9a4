"""`reconcile` (hourly): repair what lost webhooks left behind, from the provider's own records.

Each recent object's current state is replayed through the webhook intake under an id naming
that state, so a second run, or one after the webhooks arrived, changes nothing. Gifts still
pending after that are settled by asking the provider: paid, failed, or still waiting.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from samizdat.payments import registry
from samizdat.payments.base import EventKind, PaymentError
from samizdat.payments.intake import accept_event, pending_handler
from samizdat.payments.models import WebhookEvent


class Command(BaseCommand):
    help = "Replay the payment provider's recent payments, invoices and subscriptions."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--since-days",
            type=int,
            default=3,
            help="How far back to look at payments and refunds (default: 3 days).",
        )
        parser.add_argument(
            "--provider", default=None, help="A configured provider (default: the first)."
        )
        parser.add_argument(
            "--pending-minutes",
            type=int,
            default=15,
            help="Settle gifts pending for longer than this (default: 15 minutes).",
        )

    def handle(
        self, *args, since_days: int, provider: str | None, pending_minutes: int, **options
    ) -> None:
        if since_days < 1:
            raise CommandError("--since-days must be at least 1.")
        if pending_minutes < 1:
            raise CommandError("--pending-minutes must be at least 1.")
        try:
            payment_provider = registry.get_provider(provider)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        since = timezone.now() - datetime.timedelta(days=since_days)
        applied: Counter[str] = Counter()
        known = failed = seen = 0
        try:
            for event in payment_provider.recent_events(since):
                seen += 1
                try:
                    if accept_event(payment_provider.name, event):
                        applied[event.kind.value] += 1
                    else:
                        known += 1
                except Exception as exc:  # one bad object must not stop the repair of others
                    failed += 1
                    self.stderr.write(f"Could not apply {event.id}: {exc!r}")
        except PaymentError as exc:
            raise CommandError(f"{payment_provider.name} did not answer: {exc.message}") from exc

        self.stdout.write(
            f"Reconciled {payment_provider.name} since {since:%Y-%m-%d %H:%M}: "
            f"{seen} objects looked at, {sum(applied.values())} new states applied, "
            f"{known} already known."
        )
        for kind in EventKind:
            if applied[kind.value] and kind is not EventKind.IGNORED:
                self.stdout.write(f"  {kind.value}: {applied[kind.value]}")
        older_than = timezone.now() - datetime.timedelta(minutes=pending_minutes)
        settled = pending_handler()(payment_provider, older_than)
        self.stdout.write(
            f"Gifts pending for more than {pending_minutes} minutes: "
            + (", ".join(f"{count} {outcome}" for outcome, count in settled.items()) or "none")
            + "."
        )
        parked = WebhookEvent.objects.filter(
            provider=payment_provider.name, status=WebhookEvent.Status.PARKED
        ).count()
        if parked:
            # Refunds (or cancellations) of payments never recorded as paid: worth a look at
            # the provider's dashboard if the number grows.
            self.stdout.write(f"Events waiting for a payment not recorded as paid: {parked}.")
        if failed:
            raise CommandError(f"{failed} objects could not be applied; see above.")
