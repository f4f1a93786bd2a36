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
  X-MICROSOFT-SKYPETEAMSMEETINGURL, URL, LINK, LOCATION, DESCRIPTION or SUMMARY (Zoom, Teams,
  Meet, Webex, Whereby, Jitsi; with or without ``https://``) becomes a private
  :class:`~libkurs.OnlineRoom`, never a public URL, title or place; the meeting block of a
  DESCRIPTION (meeting ids, passcodes, dial-in; Google's Meet block) becomes the room's
  private access note, and the rest of it stays the event's text (see
  :mod:`libkurs.formats.ics._places` and :mod:`libkurs.formats._joinlinks`). Google's
  ``<br>`` in a DESCRIPTION is a new line.
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

from libkurs.errors import FormatError, KursError, ValidationError
from libkurs.formats._joinlinks import html_to_text, without_join_links
from libkurs.formats.ics._common import LANGUAGE, check_language, clean, localized, plain, slug
from libkurs.formats.ics._lines import Component, Property, parse, split_text_list, unescape_text
from libkurs.formats.ics._own import Rest, assemble, event_from, rest_from, session_from
from libkurs.formats.ics._places import Places, is_join_link
from libkurs.formats.ics._series import Timing
from libkurs.formats.ics._types import Action, CalendarWarning, FoundAttendee, Imported
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
#: The properties a VEVENT cannot be read without: a broken line of one skips the VEVENT.
_ESSENTIAL = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "UID", "STATUS"}
)


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
    strict: bool = True
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
    uid: str | None = None
    """The UID of the VEVENT being read, for warnings."""
    event_data: dict[str, Property] = attrs.field(factory=dict)
    """The ``X-LIBKURS-EVENT-DATA`` of each event libkurs wrote."""
    rest: Rest | None = None
    """What ``X-LIBKURS-CATALOGUE`` holds, if the file has it."""
    places: Places = attrs.field(init=False)
    timing: Timing = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.places = Places(
            language=self.language, warn=self.warn, unique=self.unique, claim=self.used.add
        )
        self.timing = Timing(
            self.horizon, self.default_duration, self.warn, self.source, lenient=not self.strict
        )

    def finish(self) -> list[Event]:
        """Every event, each built once with all its sessions (linear in the sessions)."""
        found = []
        for event_id, first in self.events.items():
            event = first
            more = self.more.get(event_id)
            data = self.event_data.get(event_id)
            if data is not None:
                try:
                    found.append(event_from(data, [*first.sessions, *(more or [])], self.source))
                    continue
                except (FormatError, ValidationError) as error:
                    if error.line is None:
                        error.line = data.line
                    if self.strict:
                        raise
                    self.warnings.append(
                        CalendarWarning(
                            message=f"{error.reason}: the event read from its VEVENTs alone",
                            line=error.line,
                            action=Action.REPAIRED,
                        )
                    )
            if more:
                sessions = [*first.sessions, *more]
                try:
                    event = attrs.evolve(first, sessions=sessions)
                except ValidationError as error:
                    error.line = self.line_in(error.path, event_id) or self.lines[event_id]
                    if self.strict:
                        raise
                    self.skip(error, event_id)
                    continue
            found.append(event)
        return found

    def skip(self, error: KursError, event_id: str | None = None) -> None:
        """In a lenient reading: what *error* is about is left out, and said so."""
        line = getattr(error, "line", None)
        reason = getattr(error, "reason", None) or str(error)
        what = f"event {event_id!r}" if event_id is not None else "VEVENT"
        self.warnings.append(
            CalendarWarning(
                message=f"{reason}: {what} skipped",
                line=line,
                uid=self.uid,
                action=Action.SKIPPED,
            )
        )

    def catalogue(self, events: list[Event]) -> Catalogue:
        """The catalogue of *events*; lenient, an event that breaks a rule of it is left out."""
        venues = list(self.places.venues.values())
        around: dict[str, object] = {}
        if self.rest is not None:
            events, venues, around = assemble(self.rest, events, venues, self.warnings)
        while True:
            try:
                return Catalogue(events=events, venues=venues, **around)  # type: ignore[arg-type]  # the rest, by name
            except ValidationError as error:
                line = self.line_of(error.path, events)
                match = _EVENT_PATH.match(error.path or "")
                if self.strict or match is None or int(match.group(1)) >= len(events):
                    raise FormatError(
                        f"the calendar does not make a valid catalogue: {error}",
                        source=self.source,
                        line=line,
                    ) from error
                dropped = events.pop(int(match.group(1)))
                self.uid = None
                error.line = line
                self.skip(error, dropped.id)

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

    def warn(self, message: str, line: int | None, action: Action = Action.REPAIRED) -> None:
        self.warnings.append(
            CalendarWarning(message=message, line=line, uid=self.uid, action=action)
        )

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

    def public_text(self, component: Component, name: str) -> LocalizedText | None:
        """The text of *name* without a join link it holds (the room has that)."""
        text = self.text(component, name)
        if text is None or not any(is_join_link(t) for t in text.texts.values()):
            return text
        kept = {tag: clean(without_join_links(t)) for tag, t in text.texts.items()}
        return (
            LocalizedText({tag: t for tag, t in kept.items() if t}) if any(kept.values()) else None
        )

    # --- events -------------------------------------------------------------------------

    def own(self, zones: Zones, vevent: Component) -> None:
        """A VEVENT that libkurs wrote: its X-LIBKURS- properties give everything back."""
        marker = vevent.first("X-LIBKURS-EVENT")
        assert marker is not None, "own() reads only VEVENTs that carry X-LIBKURS-EVENT"
        event_id = unescape_text(marker.value)
        session_prop = vevent.first("X-LIBKURS-SESSION")
        if session_prop is None:
            raise self.fail("X-LIBKURS-EVENT without X-LIBKURS-SESSION", vevent.line)
        if not self.strict:
            self.claimable(unescape_text(session_prop.value), event_id, vevent)
        start, end, all_day = self.timing.span(zones, vevent)
        event_revision = self.integer(vevent, "X-LIBKURS-EVENT-REVISION")
        sequence = self.integer(vevent, "SEQUENCE")
        revision_prop = vevent.first("X-LIBKURS-REVISION")
        revision = (
            self.integer(vevent, "X-LIBKURS-REVISION")
            if revision_prop is not None
            else max(sequence - event_revision, 0)
        )
        location = self.places.own(vevent)
        data = vevent.first("X-LIBKURS-SESSION-DATA")
        if data is not None:
            session_id = unescape_text(session_prop.value)
            session = session_from(data, session_id, (start, end, all_day), self.source)
        else:
            session = Session(
                id=unescape_text(session_prop.value),
                start=start,
                end=end,
                all_day=all_day,
                part_of_day=self.part_of_day(vevent) if all_day else None,
                title=self.text(vevent, "X-LIBKURS-SESSION-TITLE"),
                status=self.status(vevent, "X-LIBKURS-STATUS"),
                previous_start=self.moment(zones, vevent, "X-LIBKURS-PREVIOUS-START"),
                location=location,
                revision=revision,
            )
        event_data = vevent.first("X-LIBKURS-EVENT-DATA")
        if event_data is not None and event_id not in self.event_data:
            self.event_data[event_id] = event_data
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

    def claimable(self, session_id: str, event_id: str, vevent: Component) -> None:
        """Refuse, before anything of it is kept, a VEVENT whose ids another has taken."""
        if session_id in self.used:
            raise self.fail(f"the session id {session_id!r} is already used", vevent.line)
        if event_id not in self.events and (event_id in self.used or event_id == session_id):
            raise self.fail(f"the event id {event_id!r} is already used", vevent.line)

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
            except ValueError:  # a ValidationError, or urlsplit's own
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
        essential = [(n, line) for c in group for n, line in c.broken if n in _ESSENTIAL]
        if essential:
            name, line = essential[0]
            raise self.fail(f"the {name} line cannot be read", line)
        timeless = method is not None and all(c.first("DTSTART") is None for c in group)
        event_id = self.unique(slug(uid))
        description = plain(master, "DESCRIPTION")
        if description is not None:
            description = clean(html_to_text(description))
        location, description = self.places.foreign(master, description)
        sessions = []
        self.lines[event_id] = master.line
        occurrences = (
            []
            if timeless
            else self.timing.occurrences(zones, masters[0] if masters else None, overrides)
        )
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
                    title=self.public_text(vevent, "SUMMARY") if vevent is not master else None,
                    status=status,
                    location=own_location,
                    revision=self.integer(vevent, "SEQUENCE"),
                )
            )
        self.collect_attendees(group, event_id)
        title = self.public_text(master, "SUMMARY")
        if title is None:
            self.warn("a VEVENT without SUMMARY: titled by its UID", master.line)
            title = LocalizedText({self.language: uid[:200] or event_id})
        self.events[event_id] = Event(
            id=event_id,
            title=title,
            status=Status.CANCELLED if timeless and method == "CANCEL" else Status.SCHEDULED,
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
    strict: bool = False,
) -> Imported:
    """Read iCalendar *data*: the catalogue, the attendees found, and what was read past.

    Reading is lenient unless *strict*: a VEVENT that cannot be read is skipped (with every
    session it would give), a line that is not a content line is skipped, and what can be
    repaired is (see the module's docstring); each case is a :class:`CalendarWarning` in
    ``warnings`` that names its line, the UID where there is one, and what was done. With
    ``strict=True`` the first such case is an error with its line, and nothing is read.

    Args:
        data: The calendar; bytes are UTF-8 (a byte-order mark is fine) unless *encoding*
            names another character set (UTF-16 and UTF-32 too: those are decoded whole).
        language: The language of text that has no LANGUAGE parameter (``"und"``: unknown).
        zone: The zone floating times are read in, unless the file names one (X-WR-TIMEZONE).
        horizon: Where rules that never end are cut; by default a year after they start.
        default_duration: How long an event with a DTSTART and no end lasts.
        encoding: The character set of *data*, if it is bytes and not UTF-8 (without it,
            lenient reading tries UTF-8, then Windows-1252, with a warning).
        source: The file name, for error messages.
        strict: Refuse the whole file at the first thing that cannot be read as written.

    Raises:
        TypeError: *data* is neither str nor bytes.
        libkurs.errors.FormatError: not iCalendar (no BEGIN line at all); an *encoding* that
            is unknown or not a character set (``hex``, ``zlib``); when *strict*, wrong where
            the error says (``line``).
        libkurs.errors.ValidationError: *language* is not a language tag; when *strict*, the
            values break a rule of the model (``line`` set).
    """
    if not isinstance(data, str | bytes):  # the annotation is not a promise callers keep
        raise TypeError(f"expected iCalendar as str or bytes, got {type(data).__name__}")
    check_language(language, "language")
    if default_duration <= timedelta(0):
        raise ValueError("default_duration must be positive")
    reader = _Reader(zone, language, horizon, default_duration, source, strict)
    warn = None if strict else reader.warn
    for calendar in parse(data, encoding=encoding, source=source, warn=warn):
        _read_calendar(reader, calendar, zone, source)
    reader.uid = None
    catalogue = reader.catalogue(reader.finish())
    return Imported(
        catalogue=catalogue, attendees=tuple(reader.attendees), warnings=tuple(reader.warnings)
    )


def _read_calendar(reader: _Reader, calendar: Component, zone: tzinfo, source: str | None) -> None:
    zones = Zones(calendar, zone, source, None if reader.strict else reader.warn)
    carried = calendar.first("X-LIBKURS-CATALOGUE")
    if carried is not None and reader.rest is None:
        try:
            reader.rest = rest_from(carried, source)
        except FormatError as error:
            if reader.strict:
                raise
            reader.warn(f"{error.reason}: left out", carried.line, Action.SKIPPED)
    method_prop = calendar.first("METHOD")
    method = method_prop.value.strip().upper() if method_prop is not None else None
    groups: dict[str, list[Component]] = {}
    for child in calendar.children:
        if child.name == "VEVENT":
            if child.first("X-LIBKURS-EVENT") is not None:
                uid_prop = child.first("UID")
                reader.uid = unescape_text(uid_prop.value).strip() if uid_prop else None
                _guard(reader, reader.own, zones, child, line=child.line)
                continue
            uid_prop = child.first("UID")
            reader.uid = None
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
        reader.uid = uid
        _guard(reader, reader.foreign, zones, uid, group, method, line=group[0].line)


def _guard(reader: _Reader, function: Callable[..., None], *args: object, line: int) -> None:
    """Run *function*; an error is reported at *line* (strict) or skips the VEVENT (lenient).

    Lenient, nothing of a skipped VEVENT stays: ids it claimed stay claimed (so later ids do
    not change with it), but its warnings other than the skip itself are taken back.
    """
    warned = len(reader.warnings)
    attendees = len(reader.attendees)
    try:
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
                "a date is too close to the year 1 or 9999 to convert between zones",
                line=line,
                source=reader.source,
            ) from None
        except ValueError as error:  # a check of the model that let a builtin error through
            raise FormatError(
                f"a value libkurs cannot take: {error}", line=line, source=reader.source
            ) from None
    except KursError as error:
        if reader.strict:
            raise
        del reader.warnings[warned:]
        del reader.attendees[attendees:]
        reader.skip(error)
