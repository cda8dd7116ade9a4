"""Numbers that arrive as text from outside: ids in forms, beacons, tokens and signed headers.

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as 3; and a
thousand digits overflow every database's integer. Anything a reader, a script or a provider
sends goes through here: ASCII digits, small enough for a 64-bit column, or nothing.
"""

from __future__ import annotations

import re

from django.urls import register_converter

# 18 digits always fit a signed 64-bit integer (BigAutoField, a Unix time), on every database.
_ASCII_NUMBER = re.compile(r"[0-9]{1,18}")


def parse_id(raw: object) -> int | None:
    """The non-negative integer `raw` spells in ASCII digits (surrounding spaces allowed), or
    None for anything else: other scripts' digits, signs, decimals, huge numbers, non-text."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    return int(raw) if _ASCII_NUMBER.fullmatch(raw) else None


class IdConverter:
    """`<id:pk>` in a URL: an id that fits a 64-bit column. Longer runs of digits match no URL
    (404), where `<int:pk>` passes them on to a query that overflows (500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


# Registered on import: a URLconf that uses <id:…> imports this module.
register_converter(IdConverter, "id")
