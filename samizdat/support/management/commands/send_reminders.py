"""`samizdat send_reminders`: send the "Remind me later" reminders that are due. Run it from cron.

By default it queues the task for the worker (`samizdat db_worker`) when the database task
backend is configured, or runs it right away under the immediate backend. `--now` always
sends from this process, for a deployment that runs cron but no worker.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from samizdat.support.giving.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Send the reminders that are due (queued for the task worker, or now with --now)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send from this process instead of queueing the task for the worker.",
        )

    def handle(self, *args, now: bool = False, **options) -> None:
        if now:
            self._report(send_due_reminders.call())
            return
        result = send_due_reminders.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:  # the immediate backend ran it
            self._report(result.return_value)
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(f"Sending reminders failed:\n{result.errors[-1].traceback}")
        else:
            self.stdout.write(f"Queued for the task worker (task {result.id}).")

    def _report(self, counts: dict[str, int]) -> None:
        self.stdout.write(
            "Reminders: {sent} sent, {skipped} skipped (gave meanwhile), {failed} failed.".format(
                **counts
            )
        )
