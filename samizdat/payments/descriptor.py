"""What a donor's card statement says about a gift: "<prefix>* <suffix>".

Anyone who reads the statement sees it, so the suffix must be neutral (never the newsroom's
name). Stripe's rules (docs.stripe.com/get-started/account/statement-descriptors): Latin
characters, a letter, none of < > \\ ' " *, at most 22 in all. No `stripe` import: settings
check the value at start-up.
"""

from __future__ import annotations

import re

MAX_LENGTH = 22  # the whole descriptor, prefix + "* " + suffix
SEPARATOR_LENGTH = 2  # "* "
PREFIX_LENGTHS = (2, 10)
# Printable ASCII without the characters Stripe refuses: card networks print Latin only.
_ALLOWED = re.compile(r"^[ -~]+$")
_REFUSED = set("<>\\'\"*")


def _problem(value: str, what: str) -> str:
    if not _ALLOWED.match(value):
        return f"{what} may hold Latin letters, digits, spaces and punctuation only ({value!r})."
    refused = sorted(_REFUSED & set(value))
    if refused:
        return f"{what} may not contain {' '.join(refused)} ({value!r})."
    if not re.search(r"[A-Za-z]", value):
        return f"{what} needs at least one letter ({value!r})."
    return ""


def check_suffix(suffix: str, prefix: str = "") -> str:
    """The suffix, stripped, if Stripe will accept it after `prefix`; ValueError saying why
    not otherwise. Without the prefix, the suffix must fit after the longest one Stripe allows.
    An empty suffix is fine: Stripe then prints the account's own descriptor."""
    suffix, prefix = suffix.strip(), prefix.strip()
    if not suffix:
        return ""
    if prefix:
        problem = _problem(prefix, "STRIPE_STATEMENT_DESCRIPTOR_PREFIX")
        low, high = PREFIX_LENGTHS
        if not problem and not low <= len(prefix) <= high:
            problem = (
                f"STRIPE_STATEMENT_DESCRIPTOR_PREFIX must be {low} to {high} characters, "
                f"as Stripe's shortened descriptor is ({prefix!r} has {len(prefix)})."
            )
        if problem:
            raise ValueError(problem)
    problem = _problem(suffix, "STRIPE_STATEMENT_DESCRIPTOR_SUFFIX")
    if problem:
        raise ValueError(problem)
    room = MAX_LENGTH - SEPARATOR_LENGTH - (len(prefix) if prefix else PREFIX_LENGTHS[1])
    if len(suffix) > room:
        after = (
            f"after the prefix {prefix!r}"
            if prefix
            else "after a prefix of up to 10 characters (set STRIPE_STATEMENT_DESCRIPTOR_PREFIX "
            "to the account's shortened descriptor to allow more)"
        )
        raise ValueError(
            f"STRIPE_STATEMENT_DESCRIPTOR_SUFFIX {suffix!r} is {len(suffix)} characters; "
            f"at most {room} fit {after}: a statement line holds {MAX_LENGTH}."
        )
    return suffix
