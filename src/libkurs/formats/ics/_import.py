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
  X-WR-TIMEZONE (Google) are shown in that zone. ``localtime``, ``posixrules`` and
  ``Factory`` are refused: they would mean whatever zone the host is set to.
- **Online rooms**: a join link found in CONFERENCE, X-GOOGLE-CONFERENCE,
  X-MICROSOFT-SKYPETEAMSMEETINGURL, URL, LINK, LOCATION or DESCRIPTION (Zoom, Teams, Meet,
  Webex, Whereby, Jitsi) becomes a private :class:`~libkurs.OnlineRoom`, never a public URL;
  a DESCRIPTION that held it (meeting ids, passcodes) becomes the room's private access
  note, not the event's text (see :mod:`libkurs.formats.ics._places`).
- **Series**: RRULE, RDATE, EXDATE and RECURRENCE-ID overrides give one session per
  occurrence; an EXDATE'd occurrence or a cancelled override is kept as a cancelled session,
  so that "no meeting that week" is not lost; rules that never end stop at the horizon
  (see :mod:`libkurs.formats.ics._series` and :mod:`libkurs.formats.ics._recurrence`).
- **Errors** carry the line: a rule of the model that only the whole catalogue can check
  (the same session id in two events) names the VEVENT that broke it.
- **Linear**: the sessions of one event are collected and the event built once.
- **Language**: text without a LANGUAGE parameter gets the caller's ``language``, by default
  ``und`` (BCP 47 for "undetermined"), rather than a guess.
- **Skipped**, with a warning: VTODO, VJOURNAL, VFREEBUSY and other components.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

import attrs

from libkurs.errors import FormatError, ValidationError
from libkurs.formats.ics._common import LANGUAGE, check_language, clean, localized, plain, slug
from libkurs.formats.ics._lines import Component, parse, split_text_list, unescape_text
from libkurs.formats.ics._places import Places, is_join_link
from libkurs.formats.ics._series import Timing
from libkurs.formats.ics._types import CalendarWarning, FoundAttendee, Imported
from libkurs.formats.ics._values import Zones
from libkurs.formats.ics._zones import date_text, date_time_text
from libkurs.model import (
    HELSINKI,
    Catalogue,
    Event,
    Link,
    LocalizedText,
    PartOfDay,
    Session,
    Status,
)

__all__ = ["read_calendar"]

_STATUS = {"CANCELLED": Status.CANCELLED, "TENTATIVE": Status.SCHEDULED}
_SKIPPED = {"VTODO": "to-do (VTODO)", "VJOURNAL": "journal entry (VJOURNAL)"}
_EVENT_PATH = re.compile(r"events\[(\d+)\]")
_SESSION_PATH = re.compile(r"sessions\[(\d+)\]")


def _stamp(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        return date_time_text(moment.astimezone(UTC)) + "Z"
    return date_text(moment)


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
    """Each event as first built: libkurs' own get their further sessions in ``more``."""
    more: dict[str, list[Session]] = attrs.field(factory=dict)
    lines: dict[str, int] = attrs.field(factory=dict)
    """The line of the (first) VEVENT of each event, for errors."""
    session_lines: dict[str, list[int]] = attrs.field(factory=dict)
    """The line of the VEVENT of each session of each event, in order, for errors."""
    used: set[str] = attrs.field(factory=set)
    places: Places = attrs.field(init=False)
    timing: Timing = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.places = Places(
            language=self.language, warn=self.warn, unique=self.unique, claim=self.used.add
        )
        self.timing = Timing(self.horizon, self.default_duration, self.warn, self.source)

    def finish(self) -> list[Event]:
        """Every event, each built once with all its sessions (linear in the sessions)."""
        found = []
        for event_id, first in self.events.items():
            event = first
            more = self.more.get(event_id)
            if more:
                sessions = [*first.sessions, *more]
                try:
                    event = attrs.evolve(first, sessions=sessions)
                except ValidationError as error:
                    error.line = self.line_in(error.path, event_id) or self.lines[event_id]
                    raise
            found.append(event)
        return found

    def line_in(self, path: str | None, event_id: str) -> int | None:
        """The line of the session of *event_id* a path such as ``sessions[3].id`` names."""
        match = _SESSION_PATH.match(path or "")
        lines = self.session_lines.get(event_id, [])
        if match is None or int(match.group(1)) >= len(lines):
            return None
        return lines[int(match.group(1))]

    def line_of(self, path: str | None, events: list[Event]) -> int | None:
        """The line of the VEVENT an error path of the catalogue points into."""
        match = _EVENT_PATH.match(path or "")
        if match is None or int(match.group(1)) >= len(events):
            return None
        event = events[int(match.group(1))]
        rest = (path or "")[match.end() :].lstrip(".")
        return self.line_in(rest, event.id) or self.lines.get(event.id)

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

    # --- events -------------------------------------------------------------------------

    def own(self, zones: Zones, vevent: Component) -> None:
        """A VEVENT that libkurs wrote: its X-LIBKURS- properties give everything back."""
        marker = vevent.first("X-LIBKURS-EVENT")
        assert marker is not None, "own() reads only VEVENTs that carry X-LIBKURS-EVENT"
        event_id = unescape_text(marker.value)
        session_prop = vevent.first("X-LIBKURS-SESSION")
        if session_prop is None:
            raise self.fail("X-LIBKURS-EVENT without X-LIBKURS-SESSION", vevent.line)
        start, end, all_day = self.timing.span(zones, vevent)
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
            part_of_day=self.part_of_day(vevent) if all_day else None,
            title=self.text(vevent, "X-LIBKURS-SESSION-TITLE"),
            status=self.status(vevent, "X-LIBKURS-STATUS"),
            previous_start=self.moment(zones, vevent, "X-LIBKURS-PREVIOUS-START"),
            location=self.places.own(vevent),
            revision=revision,
        )
        self.used.add(session.id)
        self.session_lines.setdefault(event_id, []).append(vevent.line)
        if event_id in self.events:
            self.more.setdefault(event_id, []).append(session)
            return
        self.used.add(event_id)
        self.lines[event_id] = vevent.line
        title = self.text(vevent, "X-LIBKURS-EVENT-TITLE") or self.text(vevent, "SUMMARY")
        self.events[event_id] = Event(
            id=event_id,
            title=title or LocalizedText({self.language: event_id}),
            status=self.status(vevent, "X-LIBKURS-EVENT-STATUS"),
            previous_start=self.moment(zones, vevent, "X-LIBKURS-EVENT-PREVIOUS-START"),
            keywords=self.keywords(vevent),
            url=self.url(vevent, own=True),
            links=self.links(vevent, own=True),
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

    def part_of_day(self, vevent: Component) -> PartOfDay | None:
        prop = vevent.first("X-LIBKURS-PART-OF-DAY")
        if prop is None:
            return None
        try:
            return PartOfDay(prop.value.strip().lower())
        except ValueError:
            raise self.fail(f"unknown part of the day {prop.value!r}", prop.line) from None

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

    def url(self, vevent: Component, *, own: bool = False) -> str | None:
        """The public URL; a join link in another program's URL is private (see Places)."""
        prop = vevent.first("URL")
        if prop is None:
            return None
        value = prop.value.strip()
        if not own and is_join_link(value):
            return None  # a join link is private: Places put it in the online room
        return (
            value
            if value.lower().startswith(("http://", "https://")) and " " not in value
            else None
        )

    def links(self, vevent: Component, *, own: bool = False) -> list[Link]:
        """The public links; a join link in another program's LINK is private (see Places)."""
        found = []
        for prop in vevent.all("LINK"):
            if (prop.param("VALUE") or "URI").upper() != "URI":
                continue
            if not own and is_join_link(prop.value):
                continue
            label = clean(prop.param("LABEL"))
            language = prop.param("LANGUAGE") or self.language
            if not LANGUAGE.fullmatch(language):
                language = self.language
            try:
                found.append(
                    Link(
                        url=prop.value.strip(),
                        title=LocalizedText({language: label}) if label else None,
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
        self.lines[event_id] = master.line
        occurrences = self.timing.occurrences(zones, masters[0] if masters else None, overrides)
        for occurrence in occurrences:
            vevent = occurrence.vevent
            status = _STATUS.get(self.upper(vevent, "STATUS"), Status.SCHEDULED)
            if occurrence.cancelled or method == "CANCEL":
                status = Status.CANCELLED
            own_location = location
            if vevent is not master:
                own_location = self.places.foreign(vevent, None)[0] or location
            suffix = "0" if occurrence.key is None else _stamp(occurrence.key)
            session_id = self.unique(f"{event_id[:110]}-{suffix}")
            self.session_lines.setdefault(event_id, []).append(vevent.line)
            sessions.append(
                Session(
                    id=session_id,
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
    def upper(vevent: Component, name: str) -> str:
        prop = vevent.first(name)
        return prop.value.strip().upper() if prop is not None else ""


def read_calendar(
    data: str | bytes,
    *,
    language: str = "und",
    zone: tzinfo = HELSINKI,
    horizon: datetime | date | None = None,
    default_duration: timedelta = timedelta(hours=1),
    encoding: str | None = None,
    source: str | None = None,
) -> Imported:
    """Read iCalendar *data*: the catalogue, the attendees found, and what was read past.

    Args:
        data: The calendar; bytes are UTF-8 (a byte-order mark is fine) unless *encoding*
            names another character set (UTF-16 and UTF-32 too: those are decoded whole).
        language: The language of text that has no LANGUAGE parameter (``"und"``: unknown).
        zone: The zone floating times are read in, unless the file names one (X-WR-TIMEZONE).
        horizon: Where rules that never end are cut; by default a year after they start.
        default_duration: How long an event with a DTSTART and no end lasts.
        encoding: The character set of *data*, if it is bytes and not UTF-8.
        source: The file name, for error messages.

    Raises:
        TypeError: *data* is neither str nor bytes.
        libkurs.errors.FormatError: not iCalendar, or wrong where the error says (``line``);
            an *encoding* that is unknown or not a character set (``hex``, ``zlib``).
        libkurs.errors.ValidationError: the values break a rule of the model (``line`` set);
            *language* is not a language tag.
    """
    if not isinstance(data, str | bytes):  # the annotation is not a promise callers keep
        raise TypeError(f"expected iCalendar as str or bytes, got {type(data).__name__}")
    check_language(language, "language")
    if default_duration <= timedelta(0):
        raise ValueError("default_duration must be positive")
    reader = _Reader(zone, language, horizon, default_duration, source)
    for calendar in parse(data, encoding=encoding, source=source):
        _read_calendar(reader, calendar, zone, source)
    events = reader.finish()
    try:
        catalogue = Catalogue(events=events, venues=list(reader.places.venues.values()))
    except ValidationError as error:
        raise FormatError(
            f"the calendar does not make a valid catalogue: {error}",
            source=source,
            line=reader.line_of(error.path, events),
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
