"""Lookups by id, swapping one event or session, and typed collection fields."""

from datetime import datetime, timedelta

import attrs
import pytest

import libkurs
from libkurs import HELSINKI, Catalogue, Event, LocalizedText, Programme, Session
from libkurs.errors import KursError, UnknownIdError, ValidationError

START = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)


def seminar(title: str = "Seminarium") -> Event:
    return Event(
        id="seminarium",
        title=LocalizedText({"sv": title}),
        sessions=[
            Session(id="dag-1", start=START, end=START + timedelta(hours=4)),
            Session(
                id="dag-2", start=START + timedelta(days=1), end=START + timedelta(days=1, hours=4)
            ),
        ],
    )


@pytest.fixture
def catalogue() -> Catalogue:
    other = Event(id="kurs", title=LocalizedText({"sv": "Kurs"}))
    programme = Programme(id="program", title=LocalizedText({"sv": "Program"}), modules=["kurs"])
    return Catalogue(events=[other, seminar()], programmes=[programme])


@pytest.mark.parametrize(
    "lookup", ["event", "programme", "person", "organisation", "venue", "session"]
)
def test_an_unknown_id_raises_unknown_id_error_naming_it(catalogue, lookup):
    """Each Catalogue lookup raises UnknownIdError (a KursError and a KeyError) naming the id."""
    with pytest.raises(UnknownIdError) as caught:
        getattr(catalogue, lookup)("finns-inte")
    error = caught.value
    assert isinstance(error, KursError)
    assert isinstance(error, KeyError)
    assert error.id == "finns-inte"
    assert str(error) == f"no {lookup} with id 'finns-inte'"


def test_existing_except_key_error_still_catches_a_missing_event(catalogue):
    """Code written for the old bare KeyError keeps working."""
    with pytest.raises(KeyError, match="finns-inte"):
        catalogue.event("finns-inte")


def test_a_lookup_of_the_wrong_kind_is_unknown(catalogue):
    """A programme's id is not an event's: the lookup says there is no such event."""
    with pytest.raises(UnknownIdError, match="no event with id 'program'"):
        catalogue.event("program")


def test_event_session_names_the_event(catalogue):
    """Event.session() raises UnknownIdError that names the event it looked in."""
    with pytest.raises(UnknownIdError, match="no session of event 'seminarium' with id 'dag-9'"):
        catalogue.event("seminarium").session("dag-9")


def test_catalogue_session_and_event_of_find_a_session_anywhere(catalogue):
    """Catalogue.session() finds a session by id alone; event_of() its event."""
    assert catalogue.session("dag-2").start == START + timedelta(days=1)
    assert catalogue.event_of("dag-2").id == "seminarium"
    with pytest.raises(UnknownIdError):
        catalogue.event_of("kurs")


def test_replace_event_swaps_one_event_in_place(catalogue):
    """replace_event() puts the new event where the old one was and leaves the rest alone."""
    new = catalogue.replace_event(seminar("Nytt seminarium"))
    assert [e.id for e in new.events] == ["kurs", "seminarium"]
    assert str(new.event("seminarium").title) == "Nytt seminarium"
    assert new.event("kurs") is catalogue.event("kurs")
    assert new.programmes == catalogue.programmes
    assert str(catalogue.event("seminarium").title) == "Seminarium", "the old one is unchanged"


def test_replace_event_refuses_an_unknown_event(catalogue):
    """Replacing an event the catalogue does not have raises UnknownIdError, adds nothing."""
    with pytest.raises(UnknownIdError, match="no event with id 'ny'"):
        catalogue.replace_event(Event(id="ny", title=LocalizedText({"sv": "Ny"})))


def test_replace_programme_swaps_one_programme(catalogue):
    """replace_programme() swaps the programme of the same id."""
    programme = attrs.evolve(catalogue.programme("program"), modules=["kurs", "seminarium"])
    new = catalogue.replace_programme(programme)
    assert new.programme("program").modules == ("kurs", "seminarium")


def test_replace_session_swaps_one_session_in_its_event(catalogue):
    """replace_session() finds the session's event and swaps only that session."""
    moved = libkurs.revise(
        catalogue.session("dag-2"),
        start=START + timedelta(days=2),
        end=START + timedelta(days=2, hours=4),
    )
    new = catalogue.replace_session(moved)
    event = new.event("seminarium")
    assert [s.id for s in event.sessions] == ["dag-1", "dag-2"]
    assert event.session("dag-2").start == START + timedelta(days=2)
    assert event.session("dag-2").revision == 1
    assert event.session("dag-1") is catalogue.session("dag-1")


def test_replace_keeps_validating_the_whole_catalogue(catalogue):
    """A replacement that breaks a rule of the catalogue is refused like any construction."""
    clash = attrs.evolve(
        seminar(), sessions=[Session(id="kurs", start=START, end=START + timedelta(hours=1))]
    )
    with pytest.raises(ValidationError, match="duplicate id 'kurs'"):
        catalogue.replace_event(clash)


def test_a_string_is_not_taken_for_a_list_of_ids():
    """Event(languages="sv") is refused with the field's name, not read as ("s", "v")."""
    with pytest.raises(ValidationError, match="languages: expected tuple, got str"):
        Event(id="kurs", title=LocalizedText({"sv": "Kurs"}), languages="sv")
    with pytest.raises(ValidationError, match="speakers: expected tuple, got str"):
        Event(id="kurs", title=LocalizedText({"sv": "Kurs"}), speakers="daniel-forsman")


def test_collection_fields_still_take_any_sequence_and_store_a_tuple():
    """Lists and generators are stored as tuples."""
    event = Event(
        id="kurs",
        title=LocalizedText({"sv": "Kurs"}),
        languages=["sv", "fi"],
        organisers=(o for o in ["ake"]),
    )
    assert event.languages == ("sv", "fi")
    assert event.organisers == ("ake",)
