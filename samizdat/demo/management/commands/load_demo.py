"""`samizdat load_demo`: fill an empty install with "The Lantern", a bilingual demo newsroom."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samizdat.demo.loader import DEMO_PASSWORD, load_demo
from samizdat.demo.warm import warm_reader_pages
from samizdat.deployment.checks import public_hosts


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: two language editions, sections, authors, photos, live, draft "
        "and scheduled stories, and demo staff accounts. Safe to run again: only what is "
        "missing is added."
    )

    def handle(self, *args, **options):
        # The demo's staff accounts have a published password: on a site the public can reach,
        # anyone could sign in to its admin.
        hosts = public_hosts()
        if hosts:
            raise CommandError(
                f"load_demo refuses to run on a public site (ALLOWED_HOSTS names "
                f"{', '.join(hosts)}): it creates staff accounts whose password is published "
                f"({DEMO_PASSWORD!r}). Load the demo on a loopback-only configuration."
            )
        self.stdout.write("Loading the demo newsroom…")
        started = time.monotonic()
        with transaction.atomic():
            report = load_demo()
        seconds = time.monotonic() - started

        if report.already_loaded:
            self.stdout.write("The demo newsroom is already loaded; nothing to add.")
        else:
            added = ", ".join(f"{what} {n}" for what, n in report.created.items() if n)
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo newsroom in {seconds:.1f} s."))
            self.stdout.write(f"Added — {added}.")

        started = time.monotonic()
        warmed = warm_reader_pages()
        self.stdout.write(
            f"Rendered {warmed.pages} reader pages once in {time.monotonic() - started:.1f} s, "
            "so their pictures are ready for the first reader."
        )
        if warmed.failed:
            self.stderr.write(f"note: {warmed.failed} of them answered with a server error.")

        self.stdout.write("")
        self.stdout.write("In the newsroom now:")
        for what, n in report.counts.items():
            self.stdout.write(f"  {n:>4}  {what}")

        self.stdout.write("")
        self.stdout.write("Demo logins for /admin/ (demo only: never use these on a public site):")
        for login in report.logins:
            password = DEMO_PASSWORD if login.created else "(unchanged)"
            self.stdout.write(f"  {login.username:<9} {password:<14} {login.role}")
