"""Recurrence (RFC 5545 §3.8.5): RRULE, RDATE and EXDATE to a list of occurrences.

Occurrences are computed in the wall-clock time of the series' zone, as the RFC asks (a
weekly 10:00 meeting stays at 10:00 across a change of summer time), by ``dateutil.rrule``.
A rule without COUNT or UNTIL never ends: it is cut at a *horizon*, by default one year
(:data:`DEFAULT_HORIZON`) after the series starts, and never yields more than
:data:`MAX_OCCURRENCES`; both cuts are reported as warnings, never silently. A rule with COUNT
or UNTIL is followed at most :data:`MAX_SPAN` past its start.

The cut bounds the *search*, not only the result: ``dateutil`` checks UNTIL only against
occurrences it finds, so a rule that never matches (``FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30``)
would otherwise search to the year 9999. :class:`_Searching` stops it once the search passes
the cut, a month at a time. INTERVAL and COUNT below 1 are refused, and so is BYSETPOS with a
frequency finer than DAILY (a search of every second of every day). The occurrences of every
series of one file together are capped too (:data:`MAX_FILE_OCCURRENCES`): a small file of
many never-ending rules cannot make millions of sessions.

What real files write and other readers accept is repaired when reading leniently, with a
warning: an empty RRULE is no rule (the DTSTART alone); a trailing or doubled ``;`` and
spaces (``BYDAY=MO, WE``) are dropped; ``COUNT=0`` is no rule. A DATE in the RDATE of a
date-time series is that day at the series' time of day; a DATE-TIME in the RDATE of an
all-day series is its day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta, tzinfo

import attrs
from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]

from libkurs.errors import FormatError
from libkurs.formats.ics._types import Action

__all__ = [
    "DEFAULT_HORIZON",
    "MAX_FILE_OCCURRENCES",
    "MAX_OCCURRENCES",
    "MAX_SPAN",
    "Budget",
    "expand",
]

#: How far an unbounded rule is followed when the caller gives no horizon.
DEFAULT_HORIZON = timedelta(days=365)
#: The most occurrences one series may give.
MAX_OCCURRENCES = 2000
#: The most occurrences the series of one file may give together.
MAX_FILE_OCCURRENCES = 50_000
#: How far past its start a rule with COUNT or UNTIL is followed.
MAX_SPAN = timedelta(days=50 * 366)

_UNTIL = re.compile(r"(?:^|;)UNTIL=([^;]*)", re.IGNORECASE)
_PART = re.compile(r"(?:^|;)(INTERVAL|COUNT|BYSETPOS|FREQ)=([^;]*)", re.IGNORECASE)
_FINE = {"HOURLY", "MINUTELY", "SECONDLY"}


class _SearchPassedCutError(Exception):
    """The search of a rule went past the month libkurs follows it to."""


class _Searching(rrule):  # type: ignore[misc]
    """A ``dateutil`` rule whose search stops after *months* months.

    ``dateutil`` rebuilds its month (or year) masks once per month or year it searches, and
    reads ``_bynweekday`` once or twice each time; counting those reads bounds the search
    even when no occurrence is ever found, where its own UNTIL check never runs.
    """

    def __init__(self, *, months: int, **kwargs: object) -> None:
        self._months_left = 1_000_000  # the constructor's own reads do not count
        super().__init__(**kwargs)
        self._months_left = months

    @property
    def _bynweekday(self) -> object:
        self._months_left -= 1
        if self._months_left < 0:
            raise _SearchPassedCutError
        return self._nweekday

    @_bynweekday.setter
    def _bynweekday(self, value: object) -> None:
        self._nweekday = value


def _bounded(parsed: rrule, until: datetime | None, months: int) -> rrule:
    """*parsed* with *until*, as a rule whose search stops after *months* months."""
    kwargs = {
        "interval": parsed._interval,
        "count": parsed._count,
        "dtstart": parsed._dtstart,
        "freq": parsed._freq,
        "wkst": parsed._wkst,
        **parsed._original_rule,
        "until": until,
    }
    return _Searching(months=months, **kwargs)


def _months(first: datetime, last: datetime) -> int:
    """The reads of ``_bynweekday`` a search from *first* to *last* needs: two per month."""
    return 2 * (max((last.year - first.year) * 12 + last.month - first.month, 0) + 2)


def _check_parts(text: str, line: int) -> None:
    parts = {name.upper(): value.strip() for name, value in _PART.findall(text)}
    for name in ("INTERVAL", "COUNT"):
        if name in parts:
            try:
                number = int(parts[name])
            except ValueError:
                raise FormatError(
                    f"{name} in RRULE should be a number: {text!r}", line=line
                ) from None
            if number < 1:
                raise FormatError(f"{name} in RRULE should be at least 1: {text!r}", line=line)
    if "BYSETPOS" in parts and parts.get("FREQ", "").upper() in _FINE:
        raise FormatError(
            f"BYSETPOS with FREQ={parts['FREQ'].upper()} is not supported: {text!r}", line=line
        )


Warn = Callable[[str, int, Action], None]


@attrs.define
class Budget:
    """What is left of the occurrences one file may give (:data:`MAX_FILE_OCCURRENCES`)."""

    left: int = MAX_FILE_OCCURRENCES
    warned: bool = False


def tidy_rule(text: str, line: int, warn: Warn | None) -> str | None:
    """The RRULE *text* as dateutil reads it, or None for no rule.

    Strict (no *warn*), it is returned as written. Lenient, an empty rule or ``COUNT=0`` is
    no rule, and stray ``;`` and spaces are dropped, each with a warning.
    """
    if warn is None:
        return text
    cleaned = re.sub(r"\s+", "", text)
    cleaned = ";".join(part for part in cleaned.split(";") if part)
    if not cleaned:
        warn("an empty RRULE: no rule, the DTSTART alone read", line, Action.SKIPPED)
        return None
    if cleaned != text.strip():
        warn(f"RRULE {text.strip()!r} read as {cleaned!r}", line, Action.REPAIRED)
    if re.search(r"(?:^|;)COUNT=0+(?:;|$)", cleaned, re.IGNORECASE):
        warn("RRULE with COUNT=0: no rule, the DTSTART alone read", line, Action.SKIPPED)
        return None
    return cleaned


def _naive(moment: datetime | date, zone: tzinfo | None, at: time | None = None) -> datetime:
    """Wall-clock time in *zone* of *moment*; a date is that day *at* (midnight)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None and zone is not None:
            return moment.astimezone(zone).replace(tzinfo=None)
        return moment.replace(tzinfo=None)
    return datetime.combine(moment, at or time())


def expand(
    start: datetime | date,
    zone: tzinfo | None,
    *,
    rules: Iterable[tuple[str, int]],
    rdates: Iterable[datetime | date],
    exdates: Iterable[tuple[datetime | date, int]],
    horizon: datetime | date | None,
    parse_until: Callable[[str, int], datetime | date],
    warn: Warn,
    budget: Budget,
    lenient: bool,
) -> tuple[list[datetime], set[datetime]]:
    """The occurrences of a series as wall-clock times in *zone*, and the excluded ones.

    *rules* are RRULE values with their lines, *exdates* EXDATE values with theirs. Excluded
    occurrences (EXDATE) are returned separately, so the caller can keep them as cancelled
    sessions; an EXDATE that excludes nothing is reported.
    """
    first = _naive(start, zone)
    at = first.time() if isinstance(start, datetime) else None
    limit = first + DEFAULT_HORIZON if horizon is None else _naive(horizon, zone)
    found: set[datetime] = {first}
    for raw, line in rules:
        text = tidy_rule(raw, line, warn if lenient else None)
        if text is None:
            continue
        cap = min(MAX_OCCURRENCES, budget.left)
        occurrences = _follow(
            text,
            line,
            first=first,
            zone=zone,
            limit=limit,
            parse_until=parse_until,
            warn=warn,
            cap=cap,
        )
        if len(occurrences) >= cap and cap < MAX_OCCURRENCES and not budget.warned:
            budget.warned = True
            warn(
                f"the series of this file give more than {MAX_FILE_OCCURRENCES} occurrences: "
                "the rest left out",
                line,
                Action.CUT,
            )
        budget.left = max(budget.left - len(occurrences), 0)
        found.update(occurrences)
    if isinstance(start, datetime):
        found.update(_naive(extra, zone, at) for extra in rdates)
    else:
        found.update(_naive(_day(extra, zone), zone) for extra in rdates)
    days = {o.date() for o in found}
    cancelled: set[datetime] = set()
    for moment, line in exdates:
        if isinstance(moment, datetime):
            matched = {_naive(moment, zone)} & found
        else:
            matched = {o for o in found if o.date() == moment} if moment in days else set()
        if not matched:
            warn(
                f"EXDATE {moment.isoformat()} matches no occurrence: nothing excluded",
                line,
                Action.NOTED,
            )
        cancelled |= matched
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
    cap: int,
) -> list[datetime]:
    """The occurrences of one RRULE, cut at *limit* if it never ends, *MAX_SPAN* if it does.

    At most *cap* are returned (a series' cap or what is left of the file's).
    """
    _check_parts(text, line)
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
        counted = parsed._count is not None
        bounded = until is not None or counted
        furthest = _later(first, MAX_SPAN) if bounded else limit
        cut = furthest if until is None else min(until, furthest)
        # dateutil refuses COUNT and UNTIL together: a counted rule is cut here instead.
        searching = _bounded(parsed, None if counted else cut, _months(first, cut))
        found: list[datetime] = []
        cut_short = False
        try:
            for occurrence in searching:
                if occurrence > cut:
                    cut_short = True
                    break
                if len(found) >= cap:
                    if cap == MAX_OCCURRENCES:
                        warn(
                            f"more than {MAX_OCCURRENCES} occurrences: the rest left out",
                            line,
                            Action.CUT,
                        )
                    break
                found.append(occurrence)
            else:
                cut_short = not counted and cut == furthest
        except _SearchPassedCutError:
            cut_short = cut == furthest
        if cut_short:
            _warn_cut(bounded, furthest, limit, line, warn)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise FormatError(f"invalid RRULE {text!r}: {error}", line=line) from None
    return found


def _later(first: datetime, span: timedelta) -> datetime:
    try:
        return first + span
    except OverflowError:
        return datetime.max.replace(microsecond=0)


def _warn_cut(bounded: bool, furthest: datetime, limit: datetime, line: int, warn: Warn) -> None:
    """Say where a rule was cut."""
    if not bounded:
        warn(
            f"the rule never ends: occurrences after {limit:%Y-%m-%d} left out "
            "(pass horizon= to read further)",
            line,
            Action.CUT,
        )
    else:
        warn(f"the rule runs past {furthest:%Y-%m-%d}: the rest left out", line, Action.CUT)


def _day(moment: datetime | date, zone: tzinfo | None) -> date:
    """The day of *moment* in *zone*."""
    if isinstance(moment, datetime):
        return _naive(moment, zone).date()
    return moment
