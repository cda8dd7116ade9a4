"""A payment provider test double: records what it was asked, refuses when told to."""

from __future__ import annotations

from samizdat.payments.base import Frequency, PaymentError


class RecordingProvider:
    name = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        # Set to a PaymentError to make the next calls fail with it.
        self.refuse_with: PaymentError | None = None

    def _asked(self, *call) -> None:
        self.calls.append(call)
        if self.refuse_with:
            raise self.refuse_with

    def change_recurring(
        self, subscription_id: str, amount_minor: int, currency: str, frequency: Frequency
    ) -> None:
        self._asked("change_recurring", subscription_id, amount_minor, currency, frequency)

    def cancel_recurring(self, subscription_id: str) -> None:
        self._asked("cancel_recurring", subscription_id)

    def delete_customer(self, customer_id: str) -> None:
        self._asked("delete_customer", customer_id)
