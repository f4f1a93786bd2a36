"""The catalogue: one publisher's events and programmes, and everything they refer to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import attrs

from libkurs.errors import DuplicateIdError, UnresolvedReferenceError
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
        default=(), converter=tuple_of, validator=each_check(instance_check(Event))
    )
    programmes: tuple[Programme, ...] = attrs.field(
        default=(), converter=tuple_of, validator=each_check(instance_check(Programme))
    )
    organisations: tuple[Organisation, ...] = attrs.field(
        default=(), converter=tuple_of, validator=each_check(instance_check(Organisation))
    )
    people: tuple[Person, ...] = attrs.field(
        default=(), converter=tuple_of, validator=each_check(instance_check(Person))
    )
    venues: tuple[Venue, ...] = attrs.field(
        default=(), converter=tuple_of, validator=each_check(instance_check(Venue))
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
            raise KeyError(id)
        return found[1]

    def event(self, id: str) -> Event:
        """The event with this id; KeyError if there is none."""
        return self._get(id, Event)

    def programme(self, id: str) -> Programme:
        """The programme with this id; KeyError if there is none."""
        return self._get(id, Programme)

    def person(self, id: str) -> Person:
        """The person with this id; KeyError if there is none."""
        return self._get(id, Person)

    def organisation(self, id: str) -> Organisation:
        """The organisation with this id; KeyError if there is none."""
        return self._get(id, Organisation)

    def venue(self, id: str) -> Venue:
        """The venue with this id; KeyError if there is none."""
        return self._get(id, Venue)

    def sessions(self) -> Iterator[tuple[Event, Session]]:
        """Every session of every event, with its event, in catalogue order."""
        for event in self.events:
            for session in event.sessions:
                yield event, session

    def programmes_of(self, event: Event) -> tuple[Programme, ...]:
        """The programmes that have *event* as a module."""
        return tuple(p for p in self.programmes if event.id in p.modules)


_KIND_NAMES: dict[type, str] = {
    Organisation: "organisation",
    Person: "person",
    Venue: "venue",
    Event: "event",
    Programme: "programme",
}


def _expect_location(expect: Any, location: Location | None, path: str) -> None:
    if location is not None:
        expect(location.venue, Venue, f"{path}.venue")
