"""The site's settings for the chaos test's gunicorn, with each event held a moment inside its
transaction: a worker killed mid-burst is then almost always killed while applying one."""

from samizdat.settings import *  # noqa: F403

SAMIZDAT_PAYMENT_EVENT_HANDLER = "tests.payments.chaos_settings.apply_slowly"
HOLD_SECONDS = 0.03


def apply_slowly(event, provider):
    import time

    from samizdat.support.giving.ledger import apply_event

    apply_event(event, provider)
    time.sleep(HOLD_SECONDS)
