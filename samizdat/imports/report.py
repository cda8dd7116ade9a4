"""What an import did and what it left out, for the operator: counts, then lines by reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "skipped")
KINDS = ("stories", "authors", "sections", "pictures", "redirects")

# Reasons the runner itself gives; whatever the body converter reports is a reason of its own.
MISSING_PICTURE = "Missing pictures (not in the uploads or images folder)"
UNKNOWN_AUTHOR = "Unknown authors (not in the export's list of authors)"
MEMBERS_ONLY = "Members-only posts (imported as drafts)"
PRIVATE = "Private posts (imported as drafts)"
SKIPPED = "Skipped items"
NO_SECTION = "Articles with no section (put in the Archive section; see --default-section)"
REDIRECT_TAKEN = "Old addresses already redirected elsewhere (left as they were)"
MOVED = "Stories moved to the section they now have at the source (the old address redirects)"
NOT_MOVED = "Stories left in their section (the new one has another story at that address)"
AUTHOR_EDITION = (
    "Authors given a page in another edition they write in (its bio is the source's: translate it)"
)
NOTES = "Notes from the export"
FAILED = "Items that could not be imported (nothing of them was written)"


@dataclass
class Report:
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    # reason → lines, in the order first seen, each line once
    lines: dict[str, dict[str, None]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def add(self, reason: str, line: str) -> None:
        self.lines.setdefault(reason, {})[line] = None

    def render(self, title: str = "") -> str:
        out = [title] if title else []
        names = {"created": "would create", "updated": "would update"} if self.dry_run else {}
        header = ["".ljust(10)] + [names.get(o, o).rjust(13) for o in OUTCOMES]
        out.append("".join(header).rstrip())
        for kind in KINDS:
            row = [kind.ljust(10)] + [str(self.counts[kind][o]).rjust(13) for o in OUTCOMES]
            out.append("".join(row))
        for reason, lines in self.lines.items():
            out.append("")
            out.append(f"{reason} ({len(lines)}):")
            out.extend(f"  {line}" for line in lines)
        return "\n".join(out) + "\n"
