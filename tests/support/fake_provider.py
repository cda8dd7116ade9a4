"""A payment provider test double: records what it was asked, refuses when told to."""

from __future__ import annotations

from samizdat.payments.base import Frequency, PaymentError


class RecordingProvider:
    name = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        # Set to a PaymentError to make the next calls fail with it.
        self.refuse_with: PaymentError | None = None

    def change_recurring(
        self, subscription_id: str, amount_minor: int, currency: str, frequency: Frequency
    ) -> None:
        self.calls.append(("change_recurring", subscription_id, amount_minor, currency, frequency))
        if self.refuse_with:
            raise self.refuse_with

    def cancel_recurring(self, subscription_id: str) -> None:
        self.calls.append(("cancel_recurring", subscription_id))
        if self.refuse_with:
            raise self.refuse_with
