"""Property values in: DATE, DATE-TIME, DURATION, GEO, and the zone each time is read in.

Every function here raises :class:`~libkurs.errors.FormatError` with the line of the property,
never ``ValueError`` from ``datetime``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from libkurs.errors import FormatError
from libkurs.formats.ics._filezone import FileZone, Observance
from libkurs.formats.ics._lines import Component, Property, unescape_text
from libkurs.formats.ics._types import Action
from libkurs.formats.ics._zones import resolve_zone

__all__ = ["Zones", "add_duration", "parse_duration", "settle"]

_DATE_TIME = re.compile(
    r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?", re.IGNORECASE | re.ASCII
)
_DURATION = re.compile(
    r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?",
    re.IGNORECASE | re.ASCII,
)
#: The longest DURATION read: a hundred years; a longer one is an error, not an overflow.
MAX_DURATION = timedelta(days=36525)


def settle(moment: datetime) -> datetime:
    """A wall-clock time that exists: one in a summer-time gap moves forward by the gap.

    RFC 5545 §3.3.5 asks for this; an hour that occurs twice means its first occurrence.
    ``zoneinfo`` and the file's own zones (:class:`~libkurs.formats.ics._filezone.FileZone`)
    both do so with ``fold=0``.
    """
    zone = moment.tzinfo
    if zone is None or isinstance(zone, timezone):
        return moment
    return moment.replace(fold=0).astimezone(UTC).astimezone(zone)


def parse_duration(text: str, line: int) -> tuple[int, timedelta]:
    """A DURATION value as (nominal days, exact time); negative durations are refused."""
    match = _DURATION.fullmatch(text.strip())
    if match is None or text.strip().upper() in {"P", "PT", "+P", "-P"}:
        raise FormatError(f"invalid DURATION {text[:40]!r}", line=line)
    sign, weeks, days, hours, minutes, seconds = match.groups()
    if sign == "-":
        raise FormatError(f"negative DURATION {text[:40]!r}", line=line)
    if any(part is not None and len(part.lstrip("0")) > 9 for part in match.groups()[1:]):
        raise FormatError(f"DURATION longer than {MAX_DURATION.days} days", line=line)
    nominal = int(weeks or 0) * 7 + int(days or 0)
    exact = timedelta(hours=int(hours or 0), minutes=int(minutes or 0), seconds=int(seconds or 0))
    if nominal > MAX_DURATION.days or timedelta(days=nominal) + exact > MAX_DURATION:
        raise FormatError(f"DURATION longer than {MAX_DURATION.days} days", line=line)
    return nominal, exact


def add_duration(start: datetime, nominal: int, exact: timedelta) -> datetime:
    """*start* plus days counted on the wall clock, then exact time (RFC 5545 §3.3.6)."""
    moment = start
    if nominal:
        moment = settle(start + timedelta(days=nominal))
    if exact:
        moment = (moment.astimezone(UTC) + exact).astimezone(start.tzinfo)
    return moment


class Zones:
    """The zones of one VCALENDAR: its VTIMEZONEs, its X-WR-TIMEZONE, the caller's default.

    Strict (without *warn*), a TZID that names no zone is an error at its line. Lenient, it is
    read in the calendar's X-WR-TIMEZONE, else in the caller's zone, with one warning per
    TZID; so is an X-WR-TIMEZONE that names no zone (the caller's zone is used).
    """

    def __init__(
        self,
        calendar: Component,
        default: tzinfo,
        source: str | None,
        warn: Callable[[str, int | None, Action], None] | None = None,
    ) -> None:
        self.source = source
        self.default = default
        self.warn = warn
        self.definitions: dict[str, Component] = {}
        for child in calendar.children:
            tzid = child.first("TZID")
            if child.name == "VTIMEZONE" and tzid is not None:
                self.definitions[tzid.value.strip().strip('"')] = child
        self.cache: dict[str, tzinfo] = {}
        self.calendar_zone: tzinfo | None = None
        wr = calendar.first("X-WR-TIMEZONE")
        if wr is not None:
            self.calendar_zone = resolve_zone(wr.value, default)
            if self.calendar_zone is None and warn is not None:
                warn(
                    f"X-WR-TIMEZONE {wr.value.strip()!r} names no zone libkurs knows: "
                    f"floating times read in {default}",
                    wr.line,
                    Action.REPAIRED,
                )
        self.floating = self.calendar_zone or default

    def zone(self, tzid: str, line: int) -> tzinfo:
        """The zone a TZID parameter names."""
        name = tzid.strip().strip('"')
        if name in self.cache:
            return self.cache[name]
        definition = self.definitions.get(name)
        zone = resolve_zone(name, self.default, guess=False)
        if zone is None and definition is None:
            zone = resolve_zone(name, self.default)  # an Outlook display name, by its cities
            if zone is not None and self.warn is not None:
                self.warn(
                    f"TZID={name!r} is not an IANA or Windows name and has no VTIMEZONE: "
                    f"read as {zone}, by the place it names",
                    line,
                    Action.REPAIRED,
                )
        if zone is None and definition is not None:
            location = definition.first("X-LIC-LOCATION")
            if location is not None:
                zone = resolve_zone(location.value, self.default)
            if zone is None:
                zone = _from_definition(definition, name, self.source, self.warn)
        if zone is None and self.warn is not None:
            zone = self.floating
            where = "X-WR-TIMEZONE" if self.calendar_zone is not None else "the caller's zone"
            self.warn(
                f"unknown time zone TZID={name!r}: not an IANA, Windows or Outlook name, and "
                f"the file defines no VTIMEZONE for it: read in {where} ({zone})",
                line,
                Action.REPAIRED,
            )
        if zone is None:
            raise FormatError(
                f"unknown time zone TZID={name!r}: not an IANA or Windows name, "
                "and the file defines no VTIMEZONE for it",
                line=line,
                source=self.source,
            )
        self.cache[name] = zone
        return zone

    def named(self, name: str, line: int) -> tzinfo:
        """The zone of an ``X-LIBKURS-TZID`` parameter (``Z`` is UTC)."""
        return UTC if name == "Z" else self.zone(name, line)

    def value(
        self, prop: Property, text: str | None = None, *, floating: tzinfo | None = None
    ) -> datetime | date:
        """A DATE or DATE-TIME value of *prop*, aware unless it is a date.

        A time without a zone is read in *floating* if given (the zone of a series' DTSTART,
        for its UNTIL, RDATE, EXDATE and RECURRENCE-ID), else in the file's floating zone.
        """
        raw = (prop.value if text is None else text).strip()
        match = _DATE_TIME.fullmatch(raw)
        if match is None:
            raise FormatError(
                f"invalid date or date-time in {prop.name}: {raw!r}",
                line=prop.line,
                source=self.source,
            )
        year, month, day, hour, minute, second, utc = match.groups()
        if hour is None and prop.param("VALUE") not in (None, "DATE", "date"):
            raise FormatError(
                f"a date where {prop.name} should be a date-time: {raw!r}",
                line=prop.line,
                source=self.source,
            )
        try:
            if hour is None:
                return date(int(year), int(month), int(day))
            moment = datetime(
                int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59)
            )
        except ValueError as error:
            raise FormatError(
                f"impossible date in {prop.name}: {raw!r} ({error})",
                line=prop.line,
                source=self.source,
            ) from None
        keep = prop.param("X-LIBKURS-TZID")
        if utc:
            aware = moment.replace(tzinfo=UTC)
            if keep is not None:
                return aware.astimezone(self.named(keep, prop.line))
            if self.calendar_zone is not None:
                return aware.astimezone(self.calendar_zone)
            return aware
        tzid = prop.param("TZID")
        zone = self.zone(tzid, prop.line) if tzid else (floating or self.floating)
        return settle(moment.replace(tzinfo=zone))

    def day_zone(self, prop: Property) -> tzinfo:
        """The zone whose midnight an all-day date means."""
        keep = prop.param("X-LIBKURS-TZID") or prop.param("TZID")
        return self.named(keep, prop.line) if keep else self.floating


_OFFSET = re.compile(r"([+-])(\d{2})(\d{2})(\d{2})?", re.ASCII)


def _offset(prop: Property, source: str | None) -> timedelta:
    match = _OFFSET.fullmatch(prop.value.strip())
    if match is None:
        raise FormatError(
            f"invalid UTC offset in {prop.name}: {prop.value!r} (should be like +0200)",
            line=prop.line,
            source=source,
        )
    hours, minutes, seconds = (int(g or 0) for g in match.groups()[1:])
    if hours >= 24 or minutes >= 60 or seconds >= 60:
        raise FormatError(
            f"impossible UTC offset in {prop.name}: {prop.value!r} (under 24 hours, please)",
            line=prop.line,
            source=source,
        )
    sign = -1 if match.group(1) == "-" else 1
    return sign * timedelta(hours=hours, minutes=minutes, seconds=seconds)


_YEARLY = re.compile(r"(?:^|;)\s*FREQ\s*=\s*YEARLY\s*(?:;|$)", re.IGNORECASE)
_LOCAL = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})", re.ASCII)


def _local(prop: Property, text: str, source: str | None) -> datetime:
    """A local DATE-TIME of an observance (DTSTART, RDATE), as a naive wall-clock time."""
    match = _LOCAL.fullmatch(text.strip().rstrip("Zz"))
    if match is not None:
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            pass
    raise FormatError(
        f"invalid date-time in {prop.name} of a VTIMEZONE: {text[:40]!r}",
        line=prop.line,
        source=source,
    )


def _from_definition(
    definition: Component,
    name: str,
    source: str | None,
    warn: Callable[[str, int | None, Action], None] | None = None,
) -> tzinfo:
    """A zone from the file's own VTIMEZONE (Outlook's "Customized Time Zone").

    See :mod:`libkurs.formats.ics._filezone`: nothing is assumed about which of summer and
    winter has the higher offset, and overlapping local times mean the first of the two
    (RFC 5545 §3.3.5). An observance's RRULE must be yearly (``FREQ=SECONDLY`` there would
    make thousands of transitions a day): any other rule is an error at its line, or, when
    reading leniently, left out with a warning (the observance then happens at its DTSTART
    and RDATEs only).

    Raises:
        FormatError: an offset that is not one (``+2500``), an observance without DTSTART or
            offsets, or a rule that cannot be read, at its line or the VTIMEZONE's.
    """
    observances = []
    for child in definition.children:
        if child.name not in {"STANDARD", "DAYLIGHT"}:
            continue
        parts = {prop.name: prop for prop in reversed(child.properties)}
        missing = [n for n in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO") if n not in parts]
        if missing:
            raise FormatError(
                f"a {child.name} of the VTIMEZONE {name!r} without {missing[0]}",
                line=child.line,
                source=source,
            )
        rules = []
        for prop in child.all("RRULE"):
            if not _YEARLY.search(prop.value):
                message = f"a VTIMEZONE rule that is not yearly: {prop.value[:60]!r}"
                if warn is None:
                    raise FormatError(message, line=prop.line, source=source)
                warn(f"{message}: left out", prop.line, Action.SKIPPED)
                continue
            rules.append((prop.value.strip(), prop.line))
        tzname = parts.get("TZNAME")
        observance = Observance(
            daylight=child.name == "DAYLIGHT",
            start=_local(parts["DTSTART"], parts["DTSTART"].value, source),
            offset_from=_offset(parts["TZOFFSETFROM"], source),
            offset_to=_offset(parts["TZOFFSETTO"], source),
            name=unescape_text(tzname.value).strip() if tzname is not None else None,
            rules=tuple(rule for rule, _ in rules),
            dates=tuple(
                _local(prop, text, source)
                for prop in child.all("RDATE")
                for text in prop.value.split(",")
                if text.strip()
            ),
        )
        try:
            list(observance.onsets())
        except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
            line = rules[0][1] if rules else child.line
            raise FormatError(
                f"the VTIMEZONE {name!r} cannot be read: {error}", line=line, source=source
            ) from None
        observances.append(observance)
    if not observances:
        raise FormatError(
            f"the VTIMEZONE {name!r} defines no zone", line=definition.line, source=source
        )
    return FileZone(name, observances)
