"""Time zones in iCalendar (RFC 5545 §3.6.5): VTIMEZONE out, TZID to ``tzinfo`` in.

Out: every zone a file uses gets one VTIMEZONE, built from the IANA database that Python's
``zoneinfo`` reads, covering only the years the file uses: for each run of consecutive years,
one observance at the start of its first year, then one per change of offset up to the end of
its last year (none for the years between runs), each with its exact
DTSTART and offsets (no RRULE, so no client has to guess what a rule means in a year the
rule did not know). A fixed offset such as ``UTC+05:30`` gets a VTIMEZONE of one observance
with that name, and UTC itself is written with ``Z``.

In: a TZID is an IANA name (``Europe/Helsinki``); a Windows name as Outlook and Exchange write
(``FLE Standard Time``, mapped with CLDR's windowsZones as ``icalendar`` ships it); an Outlook
display name (``(UTC+01:00) Amsterdam, Berlin, …``, ``Kuala Lumpur, Singapore``, ``Pacific
Time (US & Canada), Tijuana``: a listed city that is an IANA zone's city, or a ``… Time``
phrase that is a Windows name, with the standard offset it starts with, if any, checked); a
path with an IANA name at its end, as old Thunderbird writes
(``/mozilla.org/20050126_1/Europe/Helsinki``); libkurs' own ``UTC±HH:MM``; or, failing those,
a zone defined by the file's own VTIMEZONE (read by ``dateutil``). CLDR names one zone per
Windows name for the whole world (``FLE Standard Time`` is Europe/Kyiv): the reader uses the
caller's zone instead when it keeps the same offsets (Europe/Helsinki, by default).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

__all__ = [
    "WINDOWS_ZONES",
    "date_text",
    "date_time_text",
    "fixed_zone",
    "resolve_zone",
    "same_rules",
    "vtimezone_lines",
    "zone_id",
]

#: Windows time zone names (as Outlook and Exchange write them) and their IANA zones: CLDR's
#: windowsZones (the zone for the territory "001") as ``icalendar`` ships it, kept up to date
#: by its maintainers, not a list of our own.
WINDOWS_ZONES: Mapping[str, str] = MappingProxyType(WINDOWS_TO_OLSON)

_DISPLAY_OFFSET = re.compile(r"^\s*\((?:UTC|GMT)\s*(?:([+-])(\d{1,2}):?(\d{2}))?\)\s*", re.ASCII)
_DISPLAY_PARTS = re.compile(r"\s*(?:,|;|\s&\s|\s-\s|\(|\))\s*")


@functools.cache
def _cities() -> dict[str, str]:
    """Every IANA zone by its city in lower case, with spaces: ``kuala lumpur`` is Asia/...."""
    found: dict[str, str] = {}
    for key in sorted(available_timezones()):
        if key.startswith(("Etc/", "SystemV/", "US/", "posix", "right")) or "/" not in key:
            continue
        found.setdefault(key.rsplit("/", 1)[-1].replace("_", " ").lower(), key)
    return found


def _standard_offset(zone: tzinfo) -> timedelta | None:
    moment = datetime(2025, 1, 15, 12, tzinfo=zone)
    offset, dst = moment.utcoffset(), moment.dst()
    return None if offset is None else offset - (dst or timedelta(0))


def _display_zone(name: str) -> tzinfo | None:
    """The zone an Outlook display name means: ``(UTC+01:00) Amsterdam, Berlin, …``.

    Each city it lists is looked up among the IANA zones (``Tijuana`` is America/Tijuana);
    a phrase such as ``Pacific Time (US & Canada)`` is the Windows zone ``Pacific Standard
    Time`` of CLDR's table. When the name starts with an offset, a zone whose standard offset
    differs is not taken.
    """
    offset: timedelta | None = None
    head = _DISPLAY_OFFSET.match(name)
    if head is not None:
        sign, hours, minutes = head.groups()
        offset = timedelta(0)
        if sign is not None:
            offset = (-1 if sign == "-" else 1) * timedelta(hours=int(hours), minutes=int(minutes))
        name = name[head.end() :]
    for piece in _DISPLAY_PARTS.split(name):
        part = piece.strip(" .…")
        if not part:
            continue
        if part.lower() in {"coordinated universal time", "utc"} and not offset:
            return UTC
        keys = [_cities().get(part.lower())]
        if part.endswith(" Time"):
            keys.append(WINDOWS_ZONES.get(part.removesuffix(" Time") + " Standard Time"))
        for key in keys:
            zone = _iana(key) if key else None
            if zone is not None and (offset is None or _standard_offset(zone) == offset):
                return zone
    return None


_FIXED = re.compile(r"UTC([+-])(\d\d):(\d\d)(?::(\d\d))?", re.ASCII)


def date_text(day: date) -> str:
    """A DATE value, four digits of year always (``strftime`` drops them before 1000)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def date_time_text(moment: datetime) -> str:
    """A DATE-TIME value in the moment's own wall-clock time, without a zone."""
    return f"{date_text(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"


def fixed_zone(offset: timedelta) -> timezone:
    """The fixed-offset zone for *offset* (``UTC`` itself for zero)."""
    return UTC if not offset else timezone(offset)


def zone_id(zone: tzinfo | None, moment: datetime) -> str | None:
    """The TZID libkurs writes for *zone*, or None to write the moment in UTC (``Z``)."""
    if isinstance(zone, ZoneInfo):
        return zone.key
    if isinstance(zone, timezone):
        offset = zone.utcoffset(moment)
        if not offset:
            return None
        sign = "-" if offset < timedelta(0) else "+"
        seconds = abs(int(offset.total_seconds()))
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"UTC{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
    return None


#: Names the zone database has that mean "whatever the host is set to": never read from a file.
_HOST_ZONES = frozenset({"localtime", "posixrules", "factory"})


@functools.cache
def _iana(name: str) -> ZoneInfo | None:
    if not name or name.startswith(("/", ".")) or ".." in name or "\\" in name:
        return None
    if name.rsplit("/", 1)[-1].lower() in _HOST_ZONES:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def resolve_zone(tzid: str, prefer: tzinfo | None = None, *, guess: bool = True) -> tzinfo | None:
    """The zone a TZID names, or None when it names none libkurs knows by name.

    A Windows or display name means a zone CLDR picked for the whole world: *prefer* (the
    caller's zone) is used instead when it keeps the same offsets. An Outlook display name
    is read from the cities it lists only if *guess*.
    """
    name = tzid.strip().strip('"')
    fixed = _FIXED.fullmatch(name)
    if fixed:
        return _fixed(fixed)
    exact = _iana(name)
    if exact is not None:
        return exact
    parts = name.split("/")
    for index in range(1, len(parts)):
        found = _iana("/".join(parts[index:]))
        if found is not None:
            return found
    if name.startswith("/"):
        return None
    windows = WINDOWS_ZONES.get(name) or WINDOWS_ZONES.get(name.replace("Daylight", "Standard"))
    mapped = _iana(windows) if windows else (_display_zone(name) if guess else None)
    if mapped is not None and prefer is not None and same_rules(mapped, prefer):
        return prefer
    return mapped


def _fixed(fixed: re.Match[str]) -> tzinfo | None:
    sign = -1 if fixed.group(1) == "-" else 1
    hours, minutes, seconds = (int(g or 0) for g in fixed.groups()[1:])
    if hours < 24 and minutes < 60 and seconds < 60:
        return fixed_zone(sign * timedelta(hours=hours, minutes=minutes, seconds=seconds))
    return None


@functools.cache
def same_rules(zone: tzinfo, other: tzinfo) -> bool:
    """Whether two zones have kept the same offsets, at each half year from 2015 to 2035."""
    for year in range(2015, 2036):
        for month in (1, 4, 7, 10):
            moment = datetime(year, month, 1, 12, tzinfo=UTC)
            if moment.astimezone(zone).utcoffset() != moment.astimezone(other).utcoffset():
                return False
    return True


# --- VTIMEZONE out ----------------------------------------------------------------------------


def _offset_text(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    seconds = abs(int(offset.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _offsets(zone: ZoneInfo, moment: datetime) -> tuple[timedelta, timedelta, str]:
    local = moment.astimezone(zone)
    offset, dst, name = local.utcoffset(), local.dst(), local.tzname()
    assert offset is not None
    return offset, dst or timedelta(0), name or _offset_text(offset)


@functools.cache
def _transitions(key: str, year: int) -> tuple[datetime, ...]:
    """The UTC instants, to the second, at which zone *key* changes its offset in *year*."""
    zone = ZoneInfo(key)
    found = []
    day = datetime(max(year, 2), 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(min(year + 1, 9999), 1, 1, tzinfo=UTC) + timedelta(days=1)
    before = _offsets(zone, day)[:2]
    while day < end:
        following = day + timedelta(days=1)
        after = _offsets(zone, following)[:2]
        if after != before:
            low, high = day, following  # the change happens in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) // 2
                middle = middle.replace(microsecond=0)
                if _offsets(zone, middle)[:2] == before:
                    low = middle
                else:
                    high = middle
            found.append(high)
            before = after
        day = following
    return tuple(t for t in found if t.astimezone(zone).year == year or t.year == year)


def _observance(kind: str, start: datetime, before: timedelta, after: timedelta, name: str) -> str:
    return (
        f"BEGIN:{kind}\r\n"
        f"DTSTART:{date_time_text(start)}\r\n"
        f"TZOFFSETFROM:{_offset_text(before)}\r\n"
        f"TZOFFSETTO:{_offset_text(after)}\r\n"
        f"TZNAME:{name}\r\n"
        f"END:{kind}\r\n"
    )


def vtimezone_lines(tzid: str, zone: tzinfo, years: Iterable[int]) -> str:
    """A VTIMEZONE for *zone*, named *tzid*, exact for each of *years* and no other.

    Each run of consecutive years starts with the observance in force on its first
    January 1st, then every change of offset up to the end of its last year: a file
    with sessions in 1900 and 2100 describes those two years, not the 199 between.
    """
    wanted = sorted({min(max(year, 2), 9998) for year in years})  # UTC stays in datetime's
    parts = [f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n"]
    if isinstance(zone, ZoneInfo):
        parts.append(f"X-LIC-LOCATION:{zone.key}\r\n")
        seen: set[datetime] = set()
        previous = None
        for year in wanted:
            start = datetime(year, 1, 1, tzinfo=zone)
            if previous is None or year != previous + 1:
                offset, dst, name = _offsets(zone, start)
                kind = "DAYLIGHT" if dst else "STANDARD"
                parts.append(_observance(kind, start.replace(tzinfo=None), offset, offset, name))
                seen.add(start.astimezone(UTC))
            previous = year
            for moment in _transitions(zone.key, year):
                if moment in seen or moment <= start.astimezone(UTC):
                    continue
                seen.add(moment)
                old = _offsets(zone, moment - timedelta(seconds=1))[0]
                new, new_dst, new_name = _offsets(zone, moment)
                local = (moment + old).replace(tzinfo=None)
                kind = "DAYLIGHT" if new_dst else "STANDARD"
                parts.append(_observance(kind, local, old, new, new_name))
    else:
        offset = zone.utcoffset(None) or timedelta(0)
        parts.append(_observance("STANDARD", datetime(wanted[0], 1, 1), offset, offset, tzid))
    parts.append("END:VTIMEZONE\r\n")
    return "".join(parts)
