"""The connection to Stripe: one time budget per operation, and Stripe's objects read as dicts."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import stripe

# The most one operation (a checkout, every request and retry in it) waits for Stripe, unless
# configured (settings.SAMIZDAT_PROVIDER_TIMEOUT): well inside gunicorn's 30 s worker timeout.
DEFAULT_BUDGET_SECONDS = 15.0
# Less than this left is not worth a request: it could only time out.
MIN_REQUEST_SECONDS = 0.2


def as_dict(obj: Any) -> dict:
    if obj is None:
        return {}
    if isinstance(obj, stripe.StripeObject):
        return obj.to_dict(for_json=True)
    if isinstance(obj, Mapping):
        return dict(obj)
    return {}


def id_of(value: Any) -> str:
    """An id from a field that is an id, or an expanded object, or empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return value["id"]
    return ""


class BudgetedClient(stripe.RequestsClient):
    """Stripe's HTTP client, every request and retry given only what is left of the current
    operation's time budget, so a slow Stripe never holds a checkout past it."""

    def __init__(self, budget: float):
        super().__init__(timeout=budget)
        self.budget = budget
        self._deadline = threading.local()

    # The base class keeps one timeout in self._timeout and passes it to each request: here it
    # is what the budget has left, for this thread's operation.
    @property
    def _timeout(self) -> float:
        return max(self.remaining(), MIN_REQUEST_SECONDS)

    @_timeout.setter
    def _timeout(self, value: Any) -> None:
        pass

    def remaining(self) -> float:
        deadline = getattr(self._deadline, "at", None)
        return self.budget if deadline is None else deadline - time.monotonic()

    @contextmanager
    def within(self, seconds: float) -> Iterator[None]:
        """Everything asked of Stripe inside shares `seconds` (or the enclosing budget)."""
        if getattr(self._deadline, "at", None) is not None:
            yield
            return
        self._deadline.at = time.monotonic() + seconds
        try:
            yield
        finally:
            self._deadline.at = None

    def sent(self) -> int:
        """How many requests this thread has sent: whether a failed call reached Stripe."""
        return getattr(self._deadline, "sent", 0)

    def request(self, method, url, headers, post_data=None):
        if self.remaining() < MIN_REQUEST_SECONDS:
            raise stripe.APIConnectionError("Out of time for Stripe.", should_retry=False)
        self._deadline.sent = self.sent() + 1
        return super().request(method, url, headers, post_data)

    def _sleep_time_seconds(self, num_retries: int, *args: Any) -> float:
        # A retry's pause counts against the budget too.
        pause = super()._sleep_time_seconds(num_retries, *args)
        return max(0.0, min(pause, self.remaining() - MIN_REQUEST_SECONDS))


def within_budget(method):
    """The method's requests to Stripe, retries and pauses included, end within the budget."""

    @functools.wraps(method)
    def budgeted(self, *args, **kwargs):
        with self._http.within(self._http.budget):
            return method(self, *args, **kwargs)

    return budgeted
