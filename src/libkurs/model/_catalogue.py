"""The catalogue: one publisher's events and programmes, and everything they refer to."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import attrs

from libkurs.errors import DuplicateIdError, UnknownIdError, UnresolvedReferenceError
from libkurs.model._checks import (
    check_identifier,
    each_check,
    field_check,
    instance_check,
    tuple_of,
)
from libkurs.model._event import Event, Programme, Session
from libkurs.model._places import Location, Organisation, Person, Venue
from libkurs.model._text import LocalizedText

__all__ = ["Catalogue"]

T = TypeVar("T")


def _events(items: Sequence[Event]) -> tuple[Event, ...]:
    return tuple_of(items)


def _programmes(items: Sequence[Programme]) -> tuple[Programme, ...]:
    return tuple_of(items)


def _organisations(items: Sequence[Organisation]) -> tuple[Organisation, ...]:
    return tuple_of(items)


def _people(items: Sequence[Person]) -> tuple[Person, ...]:
    return tuple_of(items)


def _venues(items: Sequence[Venue]) -> tuple[Venue, ...]:
    return tuple_of(items)


@attrs.frozen(kw_only=True)
class Catalogue:
    """One publisher's events and programmes, and the people, organisations and venues they name.

    Every id in a catalogue is unique across all of these (and the sessions and runs of its
    events), so an id alone names one thing. Every reference must resolve. Construction checks
    both and raises :class:`~libkurs.errors.ValidationError` naming the field path.

    >>> Catalogue().events
    ()
    """

    name: LocalizedText | None = attrs.field(
        default=None, validator=field_check(instance_check(LocalizedText), optional=True)
    )
    id: str | None = attrs.field(
        default=None, validator=field_check(check_identifier, optional=True)
    )
    """A stable identifier of the catalogue, kept when it is renamed (a sync's default key)."""
    publisher: str | None = attrs.field(
        default=None, validator=field_check(check_identifier, optional=True)
    )
    """The id of the :class:`~libkurs.Organisation` that publishes the catalogue."""
    events: tuple[Event, ...] = attrs.field(
        default=(), converter=_events, validator=each_check(instance_check(Event))
    )
    programmes: tuple[Programme, ...] = attrs.field(
        default=(), converter=_programmes, validator=each_check(instance_check(Programme))
    )
    organisations: tuple[Organisation, ...] = attrs.field(
        default=(), converter=_organisations, validator=each_check(instance_check(Organisation))
    )
    people: tuple[Person, ...] = attrs.field(
        default=(), converter=_people, validator=each_check(instance_check(Person))
    )
    venues: tuple[Venue, ...] = attrs.field(
        default=(), converter=_venues, validator=each_check(instance_check(Venue))
    )
    _index: dict[str, tuple[str, object]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        index: dict[str, tuple[str, object]] = {}

        def claim(id: str, path: str, item: object) -> None:
            if id in index:
                raise DuplicateIdError(id, path=path, first_path=index[id][0])
            index[id] = (path, item)

        for name in ("organisations", "people", "venues", "programmes", "events"):
            for position, item in enumerate(getattr(self, name)):
                claim(item.id, f"{name}[{position}].id", item)
        for position, event in enumerate(self.events):
            for number, session in enumerate(event.sessions):
                claim(session.id, f"events[{position}].sessions[{number}].id", session)
            for number, run in enumerate(event.runs):
                claim(run.id, f"events[{position}].runs[{number}].id", run)
        object.__setattr__(self, "_index", index)
        self._check_references()

    def _check_references(self) -> None:
        def expect(id: str | None, kind: type, path: str) -> None:
            if id is None:
                return
            found = self._index.get(id)
            if found is None or not isinstance(found[1], kind):
                raise UnresolvedReferenceError(id, expected=_KIND_NAMES[kind], path=path)

        expect(self.publisher, Organisation, "publisher")
        for position, person in enumerate(self.people):
            expect(person.organisation, Organisation, f"people[{position}].organisation")
        for name in ("programmes", "events"):
            for position, offering in enumerate(getattr(self, name)):
                path = f"{name}[{position}]"
                for number, org in enumerate(offering.organisers):
                    expect(org, Organisation, f"{path}.organisers[{number}]")
                for number, person_id in enumerate(offering.contacts):
                    expect(person_id, Person, f"{path}.contacts[{number}]")
        for position, programme in enumerate(self.programmes):
            for number, module in enumerate(programme.modules):
                expect(module, Event, f"programmes[{position}].modules[{number}]")
        for position, event in enumerate(self.events):
            path = f"events[{position}]"
            _expect_location(expect, event.location, f"{path}.location")
            for number, speaker in enumerate(event.speakers):
                expect(speaker, Person, f"{path}.speakers[{number}]")
            for number, session in enumerate(event.sessions):
                session_path = f"{path}.sessions[{number}]"
                _expect_location(expect, session.location, f"{session_path}.location")
                for item_number, item in enumerate(session.agenda):
                    for speaker_number, speaker in enumerate(item.speakers):
                        expect(
                            speaker,
                            Person,
                            f"{session_path}.agenda[{item_number}].speakers[{speaker_number}]",
                        )

    def _get(self, id: str, kind: type[T]) -> T:
        found = self._index.get(id)
        if found is None or not isinstance(found[1], kind):
            raise UnknownIdError(id, expected=_KIND_NAMES[kind])
        return found[1]

    def event(self, id: str) -> Event:
        """The event with this id.

        >>> Catalogue().event("kurs")
        Traceback (most recent call last):
        ...
        libkurs.errors.UnknownIdError: no event with id 'kurs'

        Raises:
            libkurs.errors.UnknownIdError: there is none (it is also a :class:`KeyError`).
        """
        return self._get(id, Event)

    def programme(self, id: str) -> Programme:
        """The programme with this id; :class:`~libkurs.errors.UnknownIdError` if there is none."""
        return self._get(id, Programme)

    def person(self, id: str) -> Person:
        """The person with this id; :class:`~libkurs.errors.UnknownIdError` if there is none."""
        return self._get(id, Person)

    def organisation(self, id: str) -> Organisation:
        """The organisation with this id; :class:`~libkurs.errors.UnknownIdError` if none."""
        return self._get(id, Organisation)

    def venue(self, id: str) -> Venue:
        """The venue with this id; :class:`~libkurs.errors.UnknownIdError` if there is none."""
        return self._get(id, Venue)

    def session(self, id: str) -> Session:
        """The session with this id, in whichever event holds it.

        Raises:
            libkurs.errors.UnknownIdError: no event has a session of that id.
        """
        return self._get(id, Session)

    def event_of(self, session: str) -> Event:
        """The event that holds the session with this id.

        Raises:
            libkurs.errors.UnknownIdError: no event has a session of that id.
        """
        for event in self.events:
            if any(s.id == session for s in event.sessions):
                return event
        raise UnknownIdError(session, expected="session")

    def replace_event(self, event: Event) -> Catalogue:
        """This catalogue with *event* in place of the event of the same id.

        The rest stays as it is, in the same order; the new catalogue is validated as a whole.
        Raise the revision of what a calendar shows with :func:`libkurs.revise` first.

        >>> from libkurs import Event, LocalizedText
        >>> old = Catalogue(events=[Event(id="kurs", title=LocalizedText({"sv": "Kurs"}))])
        >>> new = old.replace_event(Event(id="kurs", title=LocalizedText({"sv": "Ny kurs"})))
        >>> str(new.event("kurs").title)
        'Ny kurs'

        Raises:
            libkurs.errors.UnknownIdError: the catalogue has no event of that id.
        """
        self.event(event.id)
        events = [event if e.id == event.id else e for e in self.events]
        return attrs.evolve(self, events=events)

    def replace_programme(self, programme: Programme) -> Catalogue:
        """This catalogue with *programme* in place of the programme of the same id.

        Raises:
            libkurs.errors.UnknownIdError: the catalogue has no programme of that id.
        """
        self.programme(programme.id)
        programmes = [programme if p.id == programme.id else p for p in self.programmes]
        return attrs.evolve(self, programmes=programmes)

    def replace_session(self, session: Session) -> Catalogue:
        """This catalogue with *session* in place of the session of the same id, in its event.

        Raises:
            libkurs.errors.UnknownIdError: no event has a session of that id.
        """
        event = self.event_of(session.id)
        return self.replace_event(event.replace_session(session))

    def sessions(self) -> Iterator[tuple[Event, Session]]:
        """Every session of every event, with its event, in catalogue order."""
        for event in self.events:
            for session in event.sessions:
                yield event, session

    def programmes_of(self, event: Event) -> tuple[Programme, ...]:
        """The programmes that have *event* as a module."""
        return tuple(p for p in self.programmes if event.id in p.modules)


_KIND_NAMES: dict[type, str] = {
    Session: "session",
    Organisation: "organisation",
    Person: "person",
    Venue: "venue",
    Event: "event",
    Programme: "programme",
}


def _expect_location(expect: Any, location: Location | None, path: str) -> None:
    if location is not None:
        expect(location.venue, Venue, f"{path}.venue")
