"""When the VEVENTs of one UID happen: their spans, and the occurrences of a series.

- A DTSTART without an end lasts a day if it is a date, else ``default_duration`` (one hour),
  with a warning; DURATION (Apple) counts days on the wall clock and hours exactly; a DTEND
  that is not after DTSTART is an error at its line.
- A series (RRULE, RDATE, EXDATE and RECURRENCE-ID overrides) gives one occurrence per
  instance; an EXDATE'd instance or a cancelled override is kept, marked cancelled. UNTIL,
  RDATE, EXDATE and RECURRENCE-ID written without a zone are read in the zone of the
  master's DTSTART (RFC 5545 §3.8.5.3 ties them to it), not in the file's floating zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

import attrs

from libkurs.errors import FormatError
from libkurs.formats.ics._lines import Component, Property
from libkurs.formats.ics._recurrence import expand
from libkurs.formats.ics._values import Zones, add_duration, parse_duration, settle
from libkurs.model import Session

__all__ = ["Occurrence", "Timing"]


@attrs.frozen
class Occurrence:
    """One occurrence of a group: the VEVENT it comes from, its key and its span."""

    vevent: Component
    key: datetime | date | None
    start: datetime
    end: datetime
    all_day: bool
    cancelled: bool = attrs.field(kw_only=True)


@attrs.frozen
class Timing:
    """Spans and occurrences, with the reader's defaults and its warnings."""

    horizon: datetime | date | None
    default_duration: timedelta
    warn: Callable[[str, int | None], None]
    source: str | None

    def fail(self, message: str, line: int) -> FormatError:
        return FormatError(message, line=line, source=self.source)

    # --- times --------------------------------------------------------------------------

    def span(self, zones: Zones, vevent: Component) -> tuple[datetime, datetime, bool]:
        start_prop = vevent.first("DTSTART")
        if start_prop is None:
            raise self.fail("VEVENT without DTSTART", vevent.line)
        start = zones.value(start_prop)
        end_prop = vevent.first("DTEND")
        duration_prop = vevent.first("DURATION")
        if not isinstance(start, datetime):
            zone = zones.day_zone(start_prop)
            last = start
            if end_prop is not None:
                end = zones.value(end_prop)
                if isinstance(end, datetime):
                    raise self.fail("DTEND is a date-time but DTSTART a date", end_prop.line)
                if end < start:
                    raise self.fail(f"DTEND {end} is before DTSTART {start}", end_prop.line)
                if end == start:
                    self.warn("DTEND equals DTSTART: read as one day", end_prop.line)
                last = max(start, end - timedelta(days=1))
            elif duration_prop is not None:
                nominal, exact = parse_duration(duration_prop.value, duration_prop.line)
                days = nominal + exact.days
                last = start + timedelta(days=max(days, 1) - 1)
            first_moment, after = Session.all_day_span(start, last, zone)
            return settle(first_moment), settle(after), True
        if end_prop is not None:
            end = zones.value(end_prop)
            if not isinstance(end, datetime):
                raise self.fail("DTEND is a date but DTSTART a date-time", end_prop.line)
            if end.astimezone(UTC) <= start.astimezone(UTC):
                raise self.fail(
                    f"DTEND {end.isoformat()} is not after DTSTART {start.isoformat()}",
                    end_prop.line,
                )
            return start, end, False
        if duration_prop is not None:
            nominal, exact = parse_duration(duration_prop.value, duration_prop.line)
            end = add_duration(start, nominal, exact)
            if end.astimezone(UTC) <= start.astimezone(UTC):
                raise self.fail(f"DURATION {duration_prop.value!r} is zero", duration_prop.line)
            return start, end, False
        self.warn(
            f"DTSTART without an end: read as lasting {self.default_duration}", start_prop.line
        )
        return (
            start,
            (start.astimezone(UTC) + self.default_duration).astimezone(start.tzinfo),
            False,
        )

    def occurrences(
        self, zones: Zones, master: Component | None, overrides: list[Component]
    ) -> list[Occurrence]:
        """Every occurrence of a group: the master's (expanded), overridden where asked.

        A RECURRENCE-ID without a zone is read in the zone of the master's DTSTART.
        """
        span = self.span(zones, master) if master is not None else None
        zone = span[0].tzinfo if span is not None else None
        by_key: dict[datetime | date, Component] = {}
        for override in overrides:
            rid = override.first("RECURRENCE-ID")
            assert rid is not None
            by_key[self.key(zones.value(rid, floating=zone))] = override
        found = []
        if master is not None and span is not None:
            start, end, all_day = span
            if master.first("RRULE") is None and master.first("RDATE") is None:
                found.append(Occurrence(master, None, start, end, all_day, cancelled=False))
            else:
                found += self.series(zones, master, span, by_key)
        for key, override in by_key.items():
            if master is not None:
                self.warn(
                    "a RECURRENCE-ID that matches no occurrence: kept as its own session",
                    override.line,
                )
            found.append(Occurrence(override, key, *self.span(zones, override), cancelled=False))
        return found

    def series(
        self,
        zones: Zones,
        master: Component,
        span: tuple[datetime, datetime, bool],
        by_key: dict[datetime | date, Component],
    ) -> list[Occurrence]:
        """The occurrences of a recurring master; overrides used up are taken from *by_key*."""
        start, end, all_day = span
        zone = start.tzinfo
        assert zone is not None  # every time is aware by now
        length = end.astimezone(UTC) - start.astimezone(UTC)
        days = (end.date() - start.date()).days
        wall, excluded = expand(
            start.date() if all_day else start,
            zone,
            rules=[(p.value, p.line) for p in master.all("RRULE")],
            rdates=[v for p in master.all("RDATE") for v in self.values(zones, p, zone)],
            exdates=[
                (v, p.line) for p in master.all("EXDATE") for v in self.values(zones, p, zone)
            ],
            horizon=self.horizon,
            parse_until=lambda text, line: zones.value(
                Property("UNTIL", {}, text, line), floating=zone
            ),
            warn=self.warn,
        )
        found = []
        for occurrence in wall:
            key: datetime | date
            if all_day:
                day = occurrence.date()
                first, after = Session.all_day_span(day, day + timedelta(days=days - 1), zone)
                key, o_start, o_end = day, settle(first), settle(after)
            else:
                o_start = settle(occurrence.replace(tzinfo=zone))
                o_end = (o_start.astimezone(UTC) + length).astimezone(zone)
                key = self.key(o_start)
            cancelled = occurrence in excluded
            if key in by_key:
                override = by_key.pop(key)
                found.append(
                    Occurrence(override, key, *self.span(zones, override), cancelled=cancelled)
                )
            else:
                found.append(Occurrence(master, key, o_start, o_end, all_day, cancelled=cancelled))
        return found

    @staticmethod
    def key(value: datetime | date) -> datetime | date:
        return value.astimezone(UTC) if isinstance(value, datetime) else value

    def values(self, zones: Zones, prop: Property, zone: tzinfo) -> list[datetime | date]:
        """The dates of an RDATE or EXDATE; times without a zone are read in *zone*."""
        found: list[datetime | date] = []
        for text in prop.value.split(","):
            if text.strip():
                found.append(zones.value(prop, text.split("/")[0], floating=zone))
        return found
