"""A zone a file defines itself (RFC 5545 §3.6.5 VTIMEZONE), as a ``tzinfo``.

Outlook and Exchange write "Customized Time Zone" definitions, and hand-made files define
zones of their own. libkurs turns the observances (STANDARD and DAYLIGHT: DTSTART,
TZOFFSETFROM, TZOFFSETTO, a yearly RRULE, RDATE) into a sorted list of transitions in UTC and
answers every question from it, by bisection:

- Nothing is assumed about which offset is higher: a zone whose summer offset is lower than
  its winter one (Irish time as the IANA database has it) works as any other.
- A wall-clock time that occurs twice means the first of the two (``fold=0``), the second
  with ``fold=1``; a time in a gap is read with the offset before the gap, so it moves
  forward by the gap (RFC 5545 §3.3.5, PEP 495).
- Rules are followed from their DTSTART to :data:`LAST_YEAR` and at most
  :data:`MAX_TRANSITIONS` times each; the offset of the last transition holds after that.
  Only yearly rules are read (the caller refuses or leaves out the rest), so the list is small
  and no conversion walks a rule.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

import attrs
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]  # no stubs installed

__all__ = ["LAST_YEAR", "MAX_TRANSITIONS", "FileZone", "Observance"]

#: The year up to which the yearly rules of a file's own zone are followed.
LAST_YEAR = 2200
#: The most transitions one observance may give.
MAX_TRANSITIONS = 1000

_UNTIL = re.compile(r"(UNTIL=)(\d{8}T\d{6})Z", re.IGNORECASE)


@attrs.frozen
class Observance:
    """One STANDARD or DAYLIGHT part: when it starts (local), its offsets, rule and dates."""

    daylight: bool
    start: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str | None
    rules: tuple[str, ...] = ()
    dates: tuple[datetime, ...] = ()

    def onsets(self) -> Iterable[datetime]:
        """The local wall-clock times (in the offset before) at which it takes effect."""
        yield self.start
        yield from self.dates
        for rule in self.rules:
            # UNTIL in UTC is moved to the wall clock of the offset before, as DTSTART is.
            def local(match: re.Match[str]) -> str:
                moment = datetime.strptime(match.group(2), "%Y%m%dT%H%M%S") + self.offset_from
                return f"{match.group(1)}{moment:%Y%m%dT%H%M%S}"

            parsed = rrulestr(_UNTIL.sub(local, rule), dtstart=self.start)
            for count, moment in enumerate(parsed):
                if moment.year > LAST_YEAR or count >= MAX_TRANSITIONS:
                    break
                yield moment


class FileZone(tzinfo):
    """A zone built from the observances of a VTIMEZONE."""

    def __init__(self, name: str, observances: list[Observance]) -> None:
        self.name = name
        found: dict[datetime, Observance] = {}
        for observance in observances:
            for onset in observance.onsets():
                found[onset - observance.offset_from] = observance
        ordered = sorted(found.items())
        self.starts = [moment for moment, _ in ordered]
        self.kinds = [observance for _, observance in ordered]
        first = min(observances, key=lambda o: o.start)
        self.initial = first.offset_from

    def __repr__(self) -> str:
        return f"FileZone({self.name!r})"

    def _period(self, utc: datetime) -> int:
        """The index of the transition in force at the naive UTC time *utc* (-1: before all)."""
        return bisect.bisect_right(self.starts, utc) - 1

    def _offset(self, index: int) -> timedelta:
        return self.initial if index < 0 else self.kinds[index].offset_to

    def _local_period(self, moment: datetime) -> int:
        """The period a wall-clock time belongs to, by its fold; in a gap, the one before."""
        wall = moment.replace(tzinfo=None, fold=0)
        near = self._period(wall)
        matches = [
            index
            for index in range(max(near - 2, -1), min(near + 3, len(self.starts)))
            if self._period(wall - self._offset(index)) == index
        ]
        if matches:
            return matches[-1] if moment.fold and len(matches) > 1 else matches[0]
        for index in range(near - 1, near + 3):  # a gap: the transition it falls in
            if 0 <= index < len(self.starts):
                before, after = self._offset(index - 1), self._offset(index)
                if self.starts[index] + before <= wall < self.starts[index] + after:
                    return index if moment.fold else index - 1
        return near  # pragma: no cover - every wall time is in a period or a gap

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return self._offset(len(self.starts) - 1)
        return self._offset(self._local_period(dt))

    def dst(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(0)
        index = self._local_period(dt)
        if index < 0 or not self.kinds[index].daylight:
            return timedelta(0)
        kind = self.kinds[index]
        return kind.offset_to - kind.offset_from

    def tzname(self, dt: datetime | None) -> str | None:
        index = self._local_period(dt) if dt is not None else len(self.starts) - 1
        return self.kinds[index].name if index >= 0 else None

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=None)
        index = self._period(utc)
        wall = utc + self._offset(index)
        # the second of two equal wall-clock times: the one before maps there too
        later = index >= 0 and self._period(wall - self._offset(index - 1)) == index - 1
        return wall.replace(tzinfo=self, fold=1 if later else 0)
