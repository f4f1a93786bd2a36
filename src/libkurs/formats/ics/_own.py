"""What libkurs wrote itself comes back whole: the native JSON of its ``X-LIBKURS-*-DATA``.

:func:`libkurs.dumps` ``(…, "ics")`` writes the catalogue without its events in the
VCALENDAR's ``X-LIBKURS-CATALOGUE`` (with the events that have no session, and the order of
all events), each session in ``X-LIBKURS-SESSION-DATA`` and each event without its sessions in
``X-LIBKURS-EVENT-DATA``. Reading them back:

- a session is the one its JSON holds, except that its start and end are those of DTSTART and
  DTEND whenever these are another instant (to the second): a time changed in a calendar
  program wins over what libkurs wrote;
- an event is the one its JSON holds, with the sessions read;
- the catalogue gets its id, name, publisher, organisations, people, venues, programmes and
  dateless events, in their order; a programme's module that was not read (a VEVENT skipped
  when reading leniently) is left out of it, with a warning.

What does not travel: nothing of a catalogue libkurs wrote, as long as the file is read
whole. A calendar program that edits such a file keeps the X- properties it does not know
(RFC 5545 asks it to), so only the times it changes are taken from it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from libkurs.errors import DataError, FormatError, ValidationError
from libkurs.formats._converter import shared_converter, structure
from libkurs.formats.ics._lines import Property, unescape_text
from libkurs.formats.ics._types import Action, CalendarWarning
from libkurs.model import (
    Event,
    LocalizedText,
    Organisation,
    Person,
    Programme,
    Run,
    Session,
    Venue,
)

__all__ = ["Rest", "assemble", "event_from", "read_json", "rest_from", "session_from"]


def read_json(prop: Property, source: str | None) -> dict[str, Any]:
    """The JSON object an ``X-LIBKURS-*`` property holds.

    Raises:
        FormatError: not a JSON object, at the property's line.
    """
    try:
        data = json.loads(unescape_text(prop.value))
    except ValueError as error:
        raise FormatError(
            f"{prop.name} is not JSON: {error}", line=prop.line, source=source
        ) from None
    if not isinstance(data, dict):
        raise FormatError(f"{prop.name} is not a JSON object", line=prop.line, source=source)
    return data


def _structure(data: Any, kind: Any, prop: Property, source: str | None) -> Any:
    try:
        return structure(shared_converter(), data, kind, source=source)
    except DataError as error:
        raise FormatError(
            f"{prop.name} does not hold what libkurs writes: {error}",
            line=prop.line,
            source=source,
        ) from None


def _second(moment: datetime, *, end: bool) -> datetime:
    exact = moment.astimezone(UTC)
    whole = exact.replace(microsecond=0)
    return whole + timedelta(seconds=1) if end and exact.microsecond else whole


def session_from(
    prop: Property, session_id: str, span: tuple[datetime, datetime, bool], source: str | None
) -> Session:
    """The session the JSON of *prop* holds, with the times of *span* where they moved."""
    session: Session = _structure(read_json(prop, source), Session, prop, source)
    if session.id != session_id:
        raise FormatError(
            f"{prop.name} is of session {session.id!r}, not {session_id!r}",
            line=prop.line,
            source=source,
        )
    start, end, all_day = span
    moved = (
        session.all_day != all_day
        or _second(session.start, end=False) != _second(start, end=False)
        or _second(session.end, end=True) != _second(end, end=True)
    )
    if not moved:
        return session
    try:
        return attrs.evolve(session, start=start, end=end, all_day=all_day)
    except ValidationError:  # its agenda was timed for the old span
        return attrs.evolve(session, start=start, end=end, all_day=all_day, agenda=())


def event_from(prop: Property, sessions: list[Session], source: str | None) -> Event:
    """The event the JSON of *prop* holds, with *sessions*.

    Raises:
        FormatError: the JSON is not an event, at the line of *prop*.
        ValidationError: its runs name sessions that were not read.
    """
    data = read_json(prop, source)
    runs = data.pop("runs", [])
    event: Event = _structure(data, Event, prop, source)
    found = _structure(runs, tuple[Run, ...], prop, source) if runs else ()
    return attrs.evolve(event, sessions=sessions, runs=found)


@attrs.frozen
class Rest:
    """The catalogue around the events: what ``X-LIBKURS-CATALOGUE`` holds."""

    id: str | None
    name: LocalizedText | None
    publisher: str | None
    programmes: tuple[Programme, ...]
    organisations: tuple[Organisation, ...]
    people: tuple[Person, ...]
    venues: tuple[Venue, ...]
    events: tuple[Event, ...]
    order: tuple[str, ...]
    """The ids of every event of the catalogue, in its order."""
    line: int


def rest_from(prop: Property, source: str | None) -> Rest:
    """The catalogue without its dated events, as libkurs wrote it."""
    data = read_json(prop, source)

    def part(key: str, kind: Any, default: Any) -> Any:
        return _structure(data[key], kind, prop, source) if key in data else default

    return Rest(
        id=part("id", str, None),
        name=part("name", LocalizedText, None),
        publisher=part("publisher", str, None),
        programmes=part("programmes", tuple[Programme, ...], ()),
        organisations=part("organisations", tuple[Organisation, ...], ()),
        people=part("people", tuple[Person, ...], ()),
        venues=part("venues", tuple[Venue, ...], ()),
        events=part("events", tuple[Event, ...], ()),
        order=tuple(str(i) for i in data.get("event_order", ()) if isinstance(i, str)),
        line=prop.line,
    )


def assemble(
    rest: Rest, events: list[Event], venues: list[Venue], warnings: list[CalendarWarning]
) -> tuple[list[Event], list[Venue], dict[str, object]]:
    """The events, venues and the rest of a catalogue libkurs wrote, in its order.

    A programme's module that was not read is left out of it, with a warning in *warnings*.
    """
    by_id = {event.id: event for event in [*events, *rest.events]}
    ordered = [by_id.pop(i) for i in rest.order if i in by_id]
    ordered += by_id.values()
    known = {venue.id for venue in rest.venues}
    places = [*rest.venues, *(v for v in venues if v.id not in known)]
    programmes = []
    read = {event.id for event in ordered}
    for original in rest.programmes:
        programme = original
        modules = [m for m in programme.modules if m in read]
        if len(modules) != len(programme.modules):
            warnings.append(
                CalendarWarning(
                    message=f"a module of programme {programme.id!r} was not read: left out",
                    line=rest.line,
                    action=Action.SKIPPED,
                )
            )
            programme = attrs.evolve(programme, modules=modules)
        programmes.append(programme)
    return (
        ordered,
        places,
        {
            "id": rest.id,
            "name": rest.name,
            "publisher": rest.publisher,
            "programmes": programmes,
            "organisations": rest.organisations,
            "people": rest.people,
        },
    )
