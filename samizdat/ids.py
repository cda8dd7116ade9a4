"""Numbers that arrive as text from outside: ids in forms, beacons, tokens and signed headers.

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as 3; and a
thousand digits overflow every database's integer. Anything a reader, a script or a provider
sends goes through here: ASCII digits, small enough for a 64-bit column, or nothing.
"""

from __future__ import annotations

import re

# 18 digits always fit a signed 64-bit integer (BigAutoField, a Unix time), on every database.
_ASCII_NUMBER = re.compile(r"[0-9]{1,18}")


def parse_id(raw: object) -> int | None:
    """The non-negative integer `raw` spells in ASCII digits (surrounding spaces allowed), or
    None for anything else: other scripts' digits, signs, decimals, huge numbers, non-text."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    return int(raw) if _ASCII_NUMBER.fullmatch(raw) else None
