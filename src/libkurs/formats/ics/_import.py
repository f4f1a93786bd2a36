"""iCalendar to catalogue: forgiving of what real programs write, strict about what it keeps.

VEVENTs are grouped by UID; a group is one event, with one session per occurrence. What
libkurs wrote itself comes back exactly, through its ``X-LIBKURS-`` properties. For the rest:

- **Ids**: a UID that is a valid libkurs id (1-128 of ``A-Z a-z 0-9 . _ -``, starting with a
  letter or digit, no ``..``) and at most 100 characters long is the event id as it is; any
  other UID (``abc@google.com``) becomes a slug of it plus the first ten hex digits of its
  SHA-1, so the id is stable across imports and two UIDs never meet in one id. A session is
  ``<event id>-0``, or for an occurrence of a series ``<event id>-<its original start>``
  (``20230201T100000Z``, or ``20230201`` for a day), so it too survives a second import.
- **Times**: floating times are read in X-WR-TIMEZONE if the file names one, else in the zone
  the caller gives (``zone=``, default Europe/Helsinki); UTC times in a file with
  X-WR-TIMEZONE (Google) are shown in that zone. A DTSTART without an end lasts a day if it
  is a date, else ``default_duration`` (one hour), with a warning; DURATION (Apple) counts
  days on the wall clock and hours exactly.
- **Online rooms**: a join link found in CONFERENCE, X-GOOGLE-CONFERENCE,
  X-MICROSOFT-SKYPETEAMSMEETINGURL, LOCATION or DESCRIPTION (Zoom, Teams, Meet, Webex,
  Whereby, Jitsi) becomes a private :class:`~libkurs.OnlineRoom`; a DESCRIPTION that held it
  (meeting ids, passcodes) becomes the room's private access note, not the event's text
  (see :mod:`libkurs.formats.ics._places`).
- **Series**: RRULE, RDATE, EXDATE and RECURRENCE-ID overrides give one session per
  occurrence; an EXDATE'd occurrence or a cancelled override is kept as a cancelled session,
  so that "no meeting that week" is not lost; rules that never end stop at the horizon.
- **Language**: text without a LANGUAGE parameter gets the caller's ``language``, by default
  ``und`` (BCP 47 for "undetermined"), rather than a guess.
- **Skipped**, with a warning: VTODO, VJOURNAL, VFREEBUSY and other components.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

import attrs

from libkurs.errors import FormatError, ValidationError
from libkurs.formats.ics._common import LANGUAGE, clean, localized, plain, slug
from libkurs.formats.ics._lines import Component, Property, parse, split_text_list, unescape_text
from libkurs.formats.ics._places import Places
from libkurs.formats.ics._recurrence import expand
from libkurs.formats.ics._types import CalendarWarning, FoundAttendee, Imported
from libkurs.formats.ics._values import Zones, add_duration, parse_duration, settle
from libkurs.formats.ics._zones import date_text, date_time_text
from libkurs.model import (
    HELSINKI,
    Catalogue,
    Event,
    Link,
    LocalizedText,
    Session,
    Status,
)

__all__ = ["read"]

_STATUS = {"CANCELLED": Status.CANCELLED, "TENTATIVE": Status.SCHEDULED}
_SKIPPED = {"VTODO": "to-do (VTODO)", "VJOURNAL": "journal entry (VJOURNAL)"}


def _stamp(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        return date_time_text(moment.astimezone(UTC)) + "Z"
    return date_text(moment)


@attrs.frozen
class _Occurrence:
    vevent: Component
    key: datetime | date | None
    start: datetime
    end: datetime
    all_day: bool
    cancelled: bool = attrs.field(kw_only=True)


@attrs.define
class _Reader:
    zone: tzinfo
    language: str
    horizon: datetime | date | None
    default_duration: timedelta
    source: str | None
    warnings: list[CalendarWarning] = attrs.field(factory=list)
    attendees: list[FoundAttendee] = attrs.field(factory=list)
    events: dict[str, Event] = attrs.field(factory=dict)
    used: set[str] = attrs.field(factory=set)
    places: Places = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.places = Places(
            language=self.language, warn=self.warn, unique=self.unique, claim=self.used.add
        )

    def warn(self, message: str, line: int | None) -> None:
        self.warnings.append(CalendarWarning(message=message, line=line))

    def fail(self, message: str, line: int) -> FormatError:
        return FormatError(message, line=line, source=self.source)

    def unique(self, wanted: str) -> str:
        candidate, number = wanted, 1
        while candidate in self.used:
            number += 1
            candidate = f"{wanted[:118]}-{number}"
        self.used.add(candidate)
        return candidate

    def text(self, component: Component, name: str) -> LocalizedText | None:
        return localized(component, name, self.language)

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

    # --- events -------------------------------------------------------------------------

    def own(self, zones: Zones, vevent: Component) -> None:
        """A VEVENT that libkurs wrote: its X-LIBKURS- properties give everything back."""
        event_id = unescape_text(vevent.first("X-LIBKURS-EVENT").value)  # type: ignore[union-attr]
        session_prop = vevent.first("X-LIBKURS-SESSION")
        if session_prop is None:
            raise self.fail("X-LIBKURS-EVENT without X-LIBKURS-SESSION", vevent.line)
        start, end, all_day = self.span(zones, vevent)
        event_revision = self.integer(vevent, "X-LIBKURS-EVENT-REVISION")
        sequence = self.integer(vevent, "SEQUENCE")
        revision_prop = vevent.first("X-LIBKURS-REVISION")
        revision = (
            self.integer(vevent, "X-LIBKURS-REVISION")
            if revision_prop is not None
            else max(sequence - event_revision, 0)
        )
        session = Session(
            id=unescape_text(session_prop.value),
            start=start,
            end=end,
            all_day=all_day,
            title=self.text(vevent, "X-LIBKURS-SESSION-TITLE"),
            status=self.status(vevent, "X-LIBKURS-STATUS"),
            previous_start=self.moment(zones, vevent, "X-LIBKURS-PREVIOUS-START"),
            location=self.places.own(vevent),
            revision=revision,
        )
        self.used.add(session.id)
        known = self.events.get(event_id)
        if known is not None:
            self.events[event_id] = attrs.evolve(known, sessions=[*known.sessions, session])
            return
        self.used.add(event_id)
        title = self.text(vevent, "X-LIBKURS-EVENT-TITLE") or self.text(vevent, "SUMMARY")
        self.events[event_id] = Event(
            id=event_id,
            title=title or LocalizedText({self.language: event_id}),
            status=self.status(vevent, "X-LIBKURS-EVENT-STATUS"),
            previous_start=self.moment(zones, vevent, "X-LIBKURS-EVENT-PREVIOUS-START"),
            keywords=self.keywords(vevent),
            url=self.url(vevent),
            links=self.links(vevent),
            revision=event_revision,
            sessions=[session],
        )

    def integer(self, vevent: Component, name: str) -> int:
        prop = vevent.first(name)
        if prop is None:
            return 0
        try:
            value = int(prop.value.strip())
        except ValueError:
            raise self.fail(f"{name} should be a number, not {prop.value!r}", prop.line) from None
        if value < 0:
            raise self.fail(f"{name} should not be negative", prop.line)
        return value

    def status(self, vevent: Component, name: str) -> Status:
        prop = vevent.first(name)
        if prop is None:
            return Status.SCHEDULED
        try:
            return Status(prop.value.strip().lower())
        except ValueError:
            raise self.fail(f"unknown status {prop.value!r}", prop.line) from None

    def moment(self, zones: Zones, vevent: Component, name: str) -> datetime | None:
        prop = vevent.first(name)
        if prop is None:
            return None
        value = zones.value(prop)
        if not isinstance(value, datetime):
            raise self.fail(f"{name} should be a date-time", prop.line)
        return value

    def keywords(self, vevent: Component) -> list[LocalizedText]:
        found = []
        for prop in vevent.all("CATEGORIES"):
            language = prop.param("LANGUAGE") or self.language
            if not LANGUAGE.fullmatch(language):
                language = self.language
            for item in split_text_list(prop.value):
                text = clean(item)
                if text is not None:
                    found.append(LocalizedText({language: text}))
        return found

    def url(self, vevent: Component) -> str | None:
        prop = vevent.first("URL")
        if prop is None:
            return None
        value = prop.value.strip()
        return (
            value
            if value.lower().startswith(("http://", "https://")) and " " not in value
            else None
        )

    def links(self, vevent: Component) -> list[Link]:
        found = []
        for prop in vevent.all("LINK"):
            if (prop.param("VALUE") or "URI").upper() != "URI":
                continue
            label = clean(prop.param("LABEL"))
            try:
                found.append(
                    Link(
                        url=prop.value.strip(),
                        title=LocalizedText({self.language: label}) if label else None,
                    )
                )
            except ValidationError:
                self.warn(f"LINK {prop.value!r} is not an http(s) URL: left out", prop.line)
        return found

    def foreign(self, zones: Zones, uid: str, group: list[Component], method: str | None) -> None:
        """A VEVENT group by UID from any other program: one event, one session per occurrence."""
        masters = [c for c in group if c.first("RECURRENCE-ID") is None]
        overrides = [c for c in group if c.first("RECURRENCE-ID") is not None]
        for extra in masters[1:]:
            self.warn(
                f"a second VEVENT with UID {uid!r} and no RECURRENCE-ID: left out", extra.line
            )
        master = masters[0] if masters else overrides[0]
        event_id = self.unique(slug(uid))
        description = plain(master, "DESCRIPTION")
        location, description = self.places.foreign(master, description)
        sessions = []
        for occurrence in self.occurrences(zones, masters[0] if masters else None, overrides):
            vevent = occurrence.vevent
            status = _STATUS.get(self.upper(vevent, "STATUS"), Status.SCHEDULED)
            if occurrence.cancelled or method == "CANCEL":
                status = Status.CANCELLED
            own_location = location
            if vevent is not master:
                own_location = self.places.foreign(vevent, None)[0] or location
            suffix = "0" if occurrence.key is None else _stamp(occurrence.key)
            sessions.append(
                Session(
                    id=self.unique(f"{event_id[:110]}-{suffix}"),
                    start=occurrence.start,
                    end=occurrence.end,
                    all_day=occurrence.all_day,
                    title=self.text(vevent, "SUMMARY") if vevent is not master else None,
                    status=status,
                    location=own_location,
                    revision=self.integer(vevent, "SEQUENCE"),
                )
            )
        self.collect_attendees(group, event_id)
        title = self.text(master, "SUMMARY")
        if title is None:
            self.warn("a VEVENT without SUMMARY: titled by its UID", master.line)
            title = LocalizedText({self.language: uid[:200] or event_id})
        self.events[event_id] = Event(
            id=event_id,
            title=title,
            description=LocalizedText({self.language: description}) if description else None,
            keywords=self.keywords(master),
            url=self.url(master),
            links=self.links(master),
            sessions=sessions,
        )

    def occurrences(
        self, zones: Zones, master: Component | None, overrides: list[Component]
    ) -> list[_Occurrence]:
        """Every occurrence of a group: the master's (expanded), overridden where asked."""
        by_key: dict[datetime | date, Component] = {}
        for override in overrides:
            rid = override.first("RECURRENCE-ID")
            assert rid is not None
            by_key[self.key(zones.value(rid))] = override
        found = []
        if master is not None:
            start, end, all_day = self.span(zones, master)
            if master.first("RRULE") is None and master.first("RDATE") is None:
                found.append(_Occurrence(master, None, start, end, all_day, cancelled=False))
            else:
                found += self.series(zones, master, (start, end, all_day), by_key)
        for key, override in by_key.items():
            if master is not None:
                self.warn(
                    "a RECURRENCE-ID that matches no occurrence: kept as its own session",
                    override.line,
                )
            found.append(_Occurrence(override, key, *self.span(zones, override), cancelled=False))
        return found

    def series(
        self,
        zones: Zones,
        master: Component,
        span: tuple[datetime, datetime, bool],
        by_key: dict[datetime | date, Component],
    ) -> list[_Occurrence]:
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
            rdates=[v for p in master.all("RDATE") for v in self.values(zones, p)],
            exdates=[v for p in master.all("EXDATE") for v in self.values(zones, p)],
            horizon=self.horizon,
            parse_until=lambda text, line: zones.value(Property("UNTIL", {}, text, line)),
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
                    _Occurrence(override, key, *self.span(zones, override), cancelled=cancelled)
                )
            else:
                found.append(_Occurrence(master, key, o_start, o_end, all_day, cancelled=cancelled))
        return found

    def collect_attendees(self, group: list[Component], event_id: str) -> None:
        """Every ATTENDEE of the group, as found."""
        for vevent in group:
            for prop in vevent.all("ATTENDEE"):
                address = prop.value.strip()
                email = address[7:] if address.lower().startswith("mailto:") else None
                name = clean(prop.param("CN"))
                self.attendees.append(
                    FoundAttendee(
                        event=event_id,
                        email=email or None,
                        name=None if name == email else name,
                        partstat=prop.param("PARTSTAT"),
                        role=prop.param("ROLE"),
                        line=prop.line,
                    )
                )

    @staticmethod
    def key(value: datetime | date) -> datetime | date:
        return value.astimezone(UTC) if isinstance(value, datetime) else value

    @staticmethod
    def upper(vevent: Component, name: str) -> str:
        prop = vevent.first(name)
        return prop.value.strip().upper() if prop is not None else ""

    def values(self, zones: Zones, prop: Property) -> list[datetime | date]:
        found: list[datetime | date] = []
        for text in prop.value.split(","):
            if text.strip():
                found.append(zones.value(prop, text.split("/")[0]))
        return found


def read(
    data: str | bytes,
    *,
    language: str = "und",
    zone: tzinfo = HELSINKI,
    horizon: datetime | date | None = None,
    default_duration: timedelta = timedelta(hours=1),
    encoding: str | None = None,
    source: str | None = None,
) -> Imported:
    """Read iCalendar *data* into a catalogue, with the attendees and warnings found."""
    if not LANGUAGE.fullmatch(language):
        raise ValueError(f"invalid language tag {language!r}")
    if default_duration <= timedelta(0):
        raise ValueError("default_duration must be positive")
    reader = _Reader(zone, language, horizon, default_duration, source)
    for calendar in parse(data, encoding=encoding, source=source):
        _read_calendar(reader, calendar, zone, source)
    try:
        catalogue = Catalogue(
            events=list(reader.events.values()), venues=list(reader.places.venues.values())
        )
    except ValidationError as error:
        raise FormatError(
            f"the calendar does not make a valid catalogue: {error}", source=source
        ) from error
    return Imported(
        catalogue=catalogue, attendees=tuple(reader.attendees), warnings=tuple(reader.warnings)
    )


def _read_calendar(reader: _Reader, calendar: Component, zone: tzinfo, source: str | None) -> None:
    zones = Zones(calendar, zone, source)
    method_prop = calendar.first("METHOD")
    method = method_prop.value.strip().upper() if method_prop is not None else None
    groups: dict[str, list[Component]] = {}
    for child in calendar.children:
        if child.name == "VEVENT":
            if child.first("X-LIBKURS-EVENT") is not None:
                _guard(reader.own, zones, child, line=child.line)
                continue
            uid_prop = child.first("UID")
            if uid_prop is None:
                uid = f"line-{child.line}"
                reader.warn("a VEVENT without UID: its id is made from its line", child.line)
            else:
                uid = unescape_text(uid_prop.value).strip() or f"line-{child.line}"
            groups.setdefault(uid, []).append(child)
        elif child.name in _SKIPPED:
            reader.warn(f"a {_SKIPPED[child.name]} is not an event: skipped", child.line)
        elif child.name not in {"VTIMEZONE"} and not child.name.startswith("X-"):
            reader.warn(f"a {child.name} is not an event: skipped", child.line)
    for uid, group in groups.items():
        _guard(reader.foreign, zones, uid, group, method, line=group[0].line)


def _guard(function: Callable[..., None], *args: object, line: int) -> None:
    """Run *function*; a rule of the model it breaks is reported at *line*."""
    try:
        function(*args)
    except FormatError:
        raise
    except ValidationError as error:
        if error.line is None:
            error.line = line
        raise
    except OverflowError:
        raise FormatError(
            "a date is too close to the year 1 or 9999 to convert between zones", line=line
        ) from None
