"""`samizdat load_demo`: fill an empty install with "The Lantern", a bilingual demo newsroom."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from samizdat.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: two language editions, sections, authors, photos, live, draft "
        "and scheduled stories, and demo staff accounts. Safe to run again: only what is "
        "missing is added."
    )

    def handle(self, *args, **options):
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

        self.stdout.write("")
        self.stdout.write("In the newsroom now:")
        for what, n in report.counts.items():
            self.stdout.write(f"  {n:>4}  {what}")

        self.stdout.write("")
        self.stdout.write("Demo logins for /admin/ (demo only: never use these on a public site):")
        for login in report.logins:
            password = DEMO_PASSWORD if login.created else "(unchanged)"
            self.stdout.write(f"  {login.username:<9} {password:<14} {login.role}")
