"""`samizdat newsletter_digest` (daily, from cron): start today's digest in every language.

Each digest carries the articles first published in its language since the previous one; a
second run on one day sends nothing more. It also queues again batches a failed worker left
unfinished, and forgets sign-ups whose confirmation link expired unused.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from samizdat.newsletters.sending import resume_unfinished, start_digest
from samizdat.newsletters.subscriptions import forget_unconfirmed


class Command(BaseCommand):
    help = "Start the daily newsletter digest in every language (run daily from cron)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            help="Only this language (repeat for several). Default: every language of the site.",
        )

    def handle(self, *args, languages: list[str] | None = None, **options) -> None:
        resumed = resume_unfinished()
        if resumed:
            self.stdout.write(f"Queued again {resumed} unfinished batch(es) of earlier sends.")
        for language in languages or [code for code, _name in settings.LANGUAGES]:
            send = start_digest(language)
            if send is None:
                self.stdout.write(f"{language}: nothing to send (no new articles, or sent today).")
                continue
            self.stdout.write(
                f"{language}: digest of {send.articles.count()} article(s) to "
                f"{send.deliveries.count()} subscriber(s) in {send.batch_count} batch(es)."
            )
        forgotten = forget_unconfirmed()
        if forgotten:
            self.stdout.write(f"Forgot {forgotten} sign-up(s) that were never confirmed.")
