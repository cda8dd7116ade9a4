"""The audit log of donor personal data: who looked at or exported which donors, and when.

Every staff view showing donors' names or addresses, every export, erasure and purge writes one
`AuditEntry`. Entries are append-only (the model and a database trigger refuse updates and
deletes) and never hold an address or a name: donors are named by id, searches by the id found.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import QueryDict

from ..models import AuditEntry
from .records import find_donor

Action = AuditEntry.Action

# Query parameters that say nothing about what was shown: paging and the export switch.
IGNORED_PARAMETERS = {"p", "export"}


def record(
    user,
    action: str,
    *,
    donor_id: int | None = None,
    report: str = "",
    filters: Mapping | None = None,
    records: int = 0,
    username: str = "",
) -> AuditEntry:
    """Write one entry. `user` is the staff member, or None for a command run from a shell
    (then `username` says who ran it)."""
    authenticated = user is not None and user.is_authenticated
    return AuditEntry.objects.create(
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else username,
        action=action,
        donor_id=donor_id,
        report=report,
        filters=dict(filters or {}),
        records=records,
    )


def safe_filters(params: QueryDict | Mapping) -> dict:
    """A report's query parameters as the log keeps them: an e-mail searched for becomes
    "donor:<id>" (or "donor:none"), so the log never holds a donor's address."""
    getlist = params.getlist if isinstance(params, QueryDict) else lambda k: [params[k]]
    kept: dict[str, str] = {}
    for key in params:
        if key in IGNORED_PARAMETERS:
            continue
        values = [v for v in getlist(key) if v != ""]
        if not values:
            continue
        value = ",".join(values)
        if "@" in value:
            donor = find_donor(value)
            value = f"donor:{donor.pk}" if donor else "donor:none"
        kept[key] = value
    return kept
