"""When the VEVENTs of one UID happen: their spans, and the occurrences of a series.

- A DTSTART without an end lasts a day if it is a date, else ``default_duration`` (one hour),
  with a warning; so does a DTEND equal to its DTSTART (Google, Outlook: an instant, which
  RFC 5545 reads as no end at all, and the model has no session of no length); DURATION
  (Apple) counts days on the wall clock and hours exactly; a DTEND before DTSTART is an error
  at its line (skipped with a warning when reading leniently: no reader agrees on what it
  would mean).
- ``RDATE;VALUE=PERIOD`` gives an occurrence with its own end (or its own DURATION).
- ``RECURRENCE-ID;RANGE=THISANDFUTURE`` (RFC 5545 §3.8.4.4) moves that instance and every
  later one by the shift of the override, gives them its length, and its properties.
- A RECURRENCE-ID that is a date-time in an all-day series (Exchange, older Google and
  Apple) means its day in the series' zone, and a date in a date-time series means the
  instance on that day: the override replaces its instance, never a phantom second one.
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
from libkurs.formats.ics._recurrence import Budget, expand
from libkurs.formats.ics._types import Action
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
    warn: Callable[[str, int | None, Action], None]
    source: str | None
    lenient: bool = False
    budget: Budget = attrs.field(factory=Budget)

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
            return self.day_span(zones, start, start_prop, end_prop, duration_prop)
        if end_prop is not None:
            end = zones.value(end_prop)
            if not isinstance(end, datetime):
                raise self.fail("DTEND is a date but DTSTART a date-time", end_prop.line)
            if end.astimezone(UTC) < start.astimezone(UTC):
                raise self.fail(
                    f"DTEND {end.isoformat()} is not after DTSTART {start.isoformat()}",
                    end_prop.line,
                )
            if end.astimezone(UTC) > start.astimezone(UTC):
                return start, end, False
            return self.instant(start, end_prop.line, "DTEND equals DTSTART (an instant)")
        if duration_prop is not None:
            nominal, exact = parse_duration(duration_prop.value, duration_prop.line)
            end = add_duration(start, nominal, exact)
            if end.astimezone(UTC) <= start.astimezone(UTC):
                return self.instant(start, duration_prop.line, "DURATION is zero (an instant)")
            return start, end, False
        return self.instant(start, start_prop.line, "DTSTART without an end")

    def day_span(
        self,
        zones: Zones,
        start: date,
        start_prop: Property,
        end_prop: Property | None,
        duration_prop: Property | None,
    ) -> tuple[datetime, datetime, bool]:
        """The span of an all-day VEVENT (DTSTART a date)."""
        zone = zones.day_zone(start_prop)
        last = start
        if end_prop is not None:
            end = zones.value(end_prop)
            if isinstance(end, datetime):
                raise self.fail("DTEND is a date-time but DTSTART a date", end_prop.line)
            if end < start:
                raise self.fail(f"DTEND {end} is before DTSTART {start}", end_prop.line)
            if end == start:
                self.warn("DTEND equals DTSTART: read as one day", end_prop.line, Action.REPAIRED)
            last = max(start, end - timedelta(days=1))
        elif duration_prop is not None:
            nominal, exact = parse_duration(duration_prop.value, duration_prop.line)
            days = nominal + exact.days
            last = start + timedelta(days=max(days, 1) - 1)
        first_moment, after = Session.all_day_span(start, last, zone)
        return settle(first_moment), settle(after), True

    def instant(self, start: datetime, line: int, what: str) -> tuple[datetime, datetime, bool]:
        """The span of an event given no length: ``default_duration``, with a warning."""
        self.warn(f"{what}: read as lasting {self.default_duration}", line, Action.REPAIRED)
        end = (start.astimezone(UTC) + self.default_duration).astimezone(start.tzinfo)
        return start, end, False

    def occurrences(
        self, zones: Zones, master: Component | None, overrides: list[Component]
    ) -> list[Occurrence]:
        """Every occurrence of a group: the master's (expanded), overridden where asked.

        A RECURRENCE-ID without a zone is read in the zone of the master's DTSTART.
        """
        span = self.span(zones, master) if master is not None else None
        zone = span[0].tzinfo if span is not None else None
        all_day = span[2] if span is not None else False
        by_key: dict[datetime | date, Component] = {}
        future: list[tuple[datetime | date, Component]] = []
        for override in overrides:
            rid = override.first("RECURRENCE-ID")
            assert rid is not None
            value = zones.value(rid, floating=zone)
            if all_day and isinstance(value, datetime) and zone is not None:
                value = value.astimezone(zone).date()
            key = self.key(value)
            if (rid.param("RANGE") or "").upper() == "THISANDFUTURE":
                future.append((key, override))
            by_key[key] = override
        found = []
        if master is not None and span is not None:
            start, end, all_day = span
            if master.first("RRULE") is None and master.first("RDATE") is None:
                found.append(Occurrence(master, None, start, end, all_day, cancelled=False))
            else:
                found += self.series(zones, master, span, by_key)
                if future:
                    found = self.this_and_future(zones, found, sorted(future, key=_order), zone)
        for key, override in by_key.items():
            if master is not None:
                self.warn(
                    "a RECURRENCE-ID that matches no occurrence: kept as its own session",
                    override.line,
                    Action.NOTED,
                )
            found.append(Occurrence(override, key, *self.span(zones, override), cancelled=False))
        return found

    def this_and_future(
        self,
        zones: Zones,
        found: list[Occurrence],
        future: list[tuple[datetime | date, Component]],
        zone: tzinfo | None,
    ) -> list[Occurrence]:
        """*found* with each RANGE=THISANDFUTURE override applied to the later instances.

        Each later instance that no override of its own replaced is shifted as the override
        shifted its own instance, lasts as long as it, and takes its properties.
        """
        shifts = []
        for key, override in future:
            rid = override.first("RECURRENCE-ID")
            assert rid is not None
            start, end, _ = self.span(zones, override)
            original = zones.value(rid, floating=zone)
            if not isinstance(original, datetime):
                original = settle(datetime.combine(original, start.timetz()))
            shift = start.astimezone(UTC) - original.astimezone(UTC)
            shifts.append((_order((key, override)), override, shift, end - start))
        result = []
        for occurrence in found:
            if occurrence.key is None or occurrence.vevent.first("RECURRENCE-ID") is not None:
                result.append(occurrence)
                continue
            when = _order((occurrence.key, occurrence.vevent))
            earlier = [item for item in shifts if item[0] < when]
            if not earlier:
                result.append(occurrence)
                continue
            _, override, shift, length = earlier[-1]
            own_zone = occurrence.start.tzinfo
            moved = (occurrence.start.astimezone(UTC) + shift).astimezone(own_zone)
            end = (moved.astimezone(UTC) + length).astimezone(own_zone)
            result.append(
                Occurrence(
                    override,
                    occurrence.key,
                    moved,
                    end,
                    occurrence.all_day,
                    cancelled=occurrence.cancelled,
                )
            )
        return result

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
        periods = self.periods(zones, master, zone)
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
            budget=self.budget,
            lenient=self.lenient,
        )
        by_day: dict[date, Component] = {}
        if not all_day:
            for day_key in [k for k in by_key if not isinstance(k, datetime)]:
                by_day[day_key] = by_key.pop(day_key)
        found = []
        for occurrence in wall:
            key: datetime | date
            if all_day:
                day = occurrence.date()
                first, after = Session.all_day_span(day, day + timedelta(days=days - 1), zone)
                key, o_start, o_end = day, settle(first), settle(after)
            else:
                o_start = settle(occurrence.replace(tzinfo=zone))
                o_end = periods.get(occurrence) or (o_start.astimezone(UTC) + length).astimezone(
                    zone
                )
                key = self.key(o_start)
            cancelled = occurrence in excluded
            if key not in by_key and not all_day and o_start.date() in by_day:
                by_key[key] = by_day.pop(o_start.date())
            if key in by_key:
                override = by_key.pop(key)
                found.append(
                    Occurrence(override, key, *self.span(zones, override), cancelled=cancelled)
                )
            else:
                found.append(Occurrence(master, key, o_start, o_end, all_day, cancelled=cancelled))
        by_key.update(by_day)
        return found

    def periods(self, zones: Zones, master: Component, zone: tzinfo) -> dict[datetime, datetime]:
        """The ends of the ``RDATE;VALUE=PERIOD`` occurrences, by their wall-clock start."""
        ends: dict[datetime, datetime] = {}
        for prop in master.all("RDATE"):
            for text in prop.value.split(","):
                begin, slash, finish = text.strip().partition("/")
                if not slash:
                    continue
                start = zones.value(prop, begin, floating=zone)
                if not isinstance(start, datetime):
                    raise self.fail(f"a PERIOD in RDATE starts with a date: {text!r}", prop.line)
                if finish.upper().lstrip("+").startswith("P"):
                    nominal, exact = parse_duration(finish, prop.line)
                    end = add_duration(start, nominal, exact)
                else:
                    end_value = zones.value(prop, finish, floating=zone)
                    if not isinstance(end_value, datetime):
                        raise self.fail(f"a PERIOD in RDATE ends with a date: {text!r}", prop.line)
                    end = end_value
                if end <= start:
                    raise self.fail(f"a PERIOD in RDATE ends before it starts: {text!r}", prop.line)
                ends[start.astimezone(zone).replace(tzinfo=None)] = end.astimezone(zone)
        return ends

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


def _order(item: tuple[datetime | date, Component]) -> datetime:
    """A key as a UTC moment to sort by (a date is its midnight in UTC)."""
    key = item[0]
    if isinstance(key, datetime):
        return key
    return datetime(key.year, key.month, key.day, tzinfo=UTC)
