"""Calendar months as their first days: what goals, reports and retention periods count in."""

from __future__ import annotations

import datetime


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(first: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` away from the month of `first` (may be negative)."""
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)
