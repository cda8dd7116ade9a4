"""WXR dates: WordPress writes each post's date in UTC and in the site's local time, and a
draft's only in local time, so the site's offset is inferred from the dated posts."""

from __future__ import annotations

from bisect import bisect_left
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as fixed_zone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NO_DATE = "0000-00-00 00:00:00"


def zone_named(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"Unknown time zone {name!r}: give a name such as 'Europe/Riga'."
        ) from error


class OffsetGuess:
    """The site's UTC offset at a local time, from the published posts around it.

    Summer time makes a site's offset change through the year, so a draft takes the offset of
    the published post nearest to it in time."""

    def __init__(self, offsets: list[tuple[str, timedelta]]):
        ordered = sorted(offsets)
        self.times = [time for time, _ in ordered]
        self.offsets = [offset for _, offset in ordered]
        self.used = False

    def at(self, local: str) -> timedelta | None:
        if not self.offsets:
            return None
        self.used = True
        index = bisect_left(self.times, local)
        if index == len(self.times):
            return self.offsets[-1]
        if index == 0 or self.times[index] == local:
            return self.offsets[index]
        before, after = naive(self.times[index - 1]), naive(self.times[index])
        here = naive(local)
        nearer = index - 1 if here - before <= after - here else index
        return self.offsets[nearer]

    def describe(self) -> str:
        if not self.offsets:
            return "no published post gives the site's time zone; local-only dates read as UTC"
        distinct = sorted(set(self.offsets))
        if len(distinct) == 1:
            return f"site time zone inferred from dated posts: UTC{offset_name(distinct[0])}"
        shown = ", ".join(offset_name(offset) for offset in distinct)
        return (
            f"dated posts give several UTC offsets ({shown}); a date given only in local "
            "time takes the offset of the dated post nearest to it"
        )


def offset_name(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def naive(value: str) -> datetime | None:
    value = value.strip()
    if not value or value == NO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def utc(value: str) -> datetime | None:
    moment = naive(value)
    return moment.replace(tzinfo=UTC) if moment else None


def in_site_time(value: str, zone: tzinfo | None, guess: OffsetGuess | None) -> datetime | None:
    moment = naive(value)
    if moment is None:
        return None
    if zone is not None:
        return moment.replace(tzinfo=zone)
    offset = guess.at(value.strip()) if guess else None
    return moment.replace(tzinfo=fixed_zone(offset) if offset is not None else UTC)
