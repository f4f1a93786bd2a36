"""Recurrence (RFC 5545 §3.8.5): RRULE, RDATE and EXDATE to a list of occurrences.

Occurrences are computed in the wall-clock time of the series' zone, as the RFC asks (a
weekly 10:00 meeting stays at 10:00 across a change of summer time), by ``dateutil.rrule``.
A rule without COUNT or UNTIL never ends: it is cut at a *horizon*, by default one year
(:data:`DEFAULT_HORIZON`) after the series starts, and never yields more than
:data:`MAX_OCCURRENCES`; both cuts are reported as warnings, never silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta, tzinfo

from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]

from libkurs.errors import FormatError

__all__ = ["DEFAULT_HORIZON", "MAX_OCCURRENCES", "expand"]

#: How far an unbounded rule is followed when the caller gives no horizon.
DEFAULT_HORIZON = timedelta(days=365)
#: The most occurrences one series may give.
MAX_OCCURRENCES = 2000

_UNTIL = re.compile(r"(?:^|;)UNTIL=([^;]*)", re.IGNORECASE)
_COUNT = re.compile(r"(?:^|;)COUNT=", re.IGNORECASE)

Warn = Callable[[str, int], None]


def _naive(moment: datetime | date, zone: tzinfo | None) -> datetime:
    """Wall-clock time in *zone* of *moment*; a date is its midnight."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None and zone is not None:
            return moment.astimezone(zone).replace(tzinfo=None)
        return moment.replace(tzinfo=None)
    return datetime.combine(moment, time())


def expand(
    start: datetime | date,
    zone: tzinfo | None,
    *,
    rules: Iterable[tuple[str, int]],
    rdates: Iterable[datetime | date],
    exdates: Iterable[datetime | date],
    horizon: datetime | date | None,
    parse_until: Callable[[str, int], datetime | date],
    warn: Warn,
) -> tuple[list[datetime], set[datetime]]:
    """The occurrences of a series as wall-clock times in *zone*, and the excluded ones.

    *rules* are RRULE values with their lines. Excluded occurrences (EXDATE) are returned
    separately, so the caller can keep them as cancelled sessions.
    """
    first = _naive(start, zone)
    limit = first + DEFAULT_HORIZON if horizon is None else _naive(horizon, zone)
    found: set[datetime] = {first}
    for text, line in rules:
        found.update(
            _follow(
                text, line, first=first, zone=zone, limit=limit, parse_until=parse_until, warn=warn
            )
        )
    found.update(_naive(extra, zone) for extra in rdates)
    excluded = {_naive(m, zone) for m in exdates if isinstance(m, datetime)}
    excluded_days = {m for m in exdates if not isinstance(m, datetime)}
    cancelled = {o for o in found if o in excluded or o.date() in excluded_days}
    return sorted(found), cancelled


def _follow(
    text: str,
    line: int,
    *,
    first: datetime,
    zone: tzinfo | None,
    limit: datetime,
    parse_until: Callable[[str, int], datetime | date],
    warn: Warn,
) -> list[datetime]:
    """The occurrences of one RRULE, cut at *limit* if it never ends."""
    until_match = _UNTIL.search(text)
    until: datetime | None = None
    rest = text
    if until_match is not None:
        raw_until = parse_until(until_match.group(1), line)
        until = _naive(raw_until, zone)
        if not isinstance(raw_until, datetime):
            until = until.replace(hour=23, minute=59, second=59)
        rest = _UNTIL.sub("", text).strip(";")
    try:
        parsed = rrulestr(rest, dtstart=first)
        if not isinstance(parsed, rrule):
            raise FormatError(f"invalid RRULE {text!r}", line=line)
        if until is not None:
            parsed = parsed.replace(until=until)
        bounded = until is not None or _COUNT.search(rest) is not None
        found: list[datetime] = []
        for occurrence in parsed:
            if not bounded and occurrence > limit:
                warn(
                    f"the rule never ends: occurrences after {limit:%Y-%m-%d} left out "
                    "(pass horizon= to read further)",
                    line,
                )
                break
            if len(found) >= MAX_OCCURRENCES:
                warn(f"more than {MAX_OCCURRENCES} occurrences: the rest left out", line)
                break
            found.append(occurrence)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise FormatError(f"invalid RRULE {text!r}: {error}", line=line) from None
    return found
