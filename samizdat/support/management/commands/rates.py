"""`samizdat rates fetch`: record the current value of each coin from the newsroom's rate
source (SAMIZDAT_RATE_SOURCE_URL, or --url), for cron; `samizdat rates show` lists the
newest rate of each coin and currency. Editors can also type rates in the admin."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samizdat.support.giving.chain import fetch_rates
from samizdat.support.models import ExchangeRate


class Command(BaseCommand):
    help = "Fetch exchange rates for Monero and Bitcoin gifts, or show the newest ones."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["fetch", "show"])
        parser.add_argument("--url", help="The rate source (default: SAMIZDAT_RATE_SOURCE_URL).")

    def handle(self, *args, action: str, url: str | None = None, **options) -> None:
        if action == "show":
            seen = set()
            for rate in ExchangeRate.objects.all():
                if (rate.coin, rate.currency) not in seen:
                    seen.add((rate.coin, rate.currency))
                    self.stdout.write(
                        f"{rate}  (set {rate.set_at:%Y-%m-%d %H:%M} by "
                        f"{rate.set_by or rate.source or 'unknown'})"
                    )
            return
        url = url or settings.SAMIZDAT_RATE_SOURCE_URL
        if not url:
            raise CommandError("No rate source: set SAMIZDAT_RATE_SOURCE_URL or pass --url.")
        try:
            rates = fetch_rates(url)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not rates:
            raise CommandError("The rate source named no coin and currency we take.")
        for rate in rates:
            self.stdout.write(str(rate))
