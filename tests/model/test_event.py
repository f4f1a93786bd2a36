"""Events, sessions, runs, agenda items and enrolment settings validate themselves."""

from datetime import datetime, timedelta

import attrs
import pytest

from libkurs import (
    HELSINKI,
    AgendaItem,
    AttendanceMode,
    EnrolmentSettings,
    Event,
    EventKind,
    LocalizedText,
    Location,
    OnlineRoom,
    Period,
    Run,
    Session,
    Status,
)
from libkurs.errors import ValidationError

START = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
TITLE = LocalizedText({"sv": "Slutseminarium"})


def session(id="s1", start=START, hours=4, **kwargs):
    return Session(id=id, start=start, end=start + timedelta(hours=hours), **kwargs)


def test_an_event_may_exist_before_it_has_a_date():
    """An event without sessions is valid, and has no start or end."""
    event = Event(id="e", title=TITLE, kind=EventKind.COURSE)
    assert event.sessions == ()
    assert event.start is None
    assert event.end is None


def test_event_start_and_end_span_its_sessions():
    """An event starts with its earliest session and ends with its latest."""
    later = session("s2", START + timedelta(days=1))
    event = Event(id="e", title=TITLE, sessions=[later, session()])
    assert event.start == START
    assert event.end == later.end


def test_lists_are_stored_as_tuples():
    """Sequences given as lists are stored as tuples, so values stay immutable and hashable."""
    event = Event(id="e", title=TITLE, sessions=[session()], languages=["sv", "fi"])
    assert isinstance(event.sessions, tuple)
    assert hash(event) == hash(attrs.evolve(event))


def test_end_before_start_names_the_field():
    """A session ending before it starts raises ValidationError at 'end'."""
    with pytest.raises(ValidationError) as caught:
        session(hours=-1)
    assert caught.value.path == "end"


def test_sessions_inherit_the_event_location_unless_they_override_it():
    """location_of() returns the session's own location, else the event's."""
    online = Location(online=OnlineRoom(platform="Zoom"))
    on_site = Location(venue="kirjasto")
    event = Event(
        id="e", title=TITLE, location=online, sessions=[session(), session("s2", location=on_site)]
    )
    assert event.location_of(event.sessions[0]) == online
    assert event.location_of(event.sessions[1]) == on_site


def test_location_modes():
    """A location is on site, online, or mixed, and never empty."""
    assert Location(venue="v").attendance_mode is AttendanceMode.ON_SITE
    assert Location(online=OnlineRoom()).attendance_mode is AttendanceMode.ONLINE
    assert Location(venue="v", online=OnlineRoom()).attendance_mode is AttendanceMode.MIXED
    with pytest.raises(ValidationError, match="venue, an online room, or both"):
        Location()


def test_join_links_are_hidden_from_repr():
    """The private join link and access note never appear in a repr."""
    room = OnlineRoom(
        platform="Zoom", join_url="https://zoom.example/j/123?pwd=secret", access_note="Kod 4711"
    )
    text = repr(Event(id="e", title=TITLE, location=Location(online=room)))
    assert "secret" not in text
    assert "4711" not in text
    assert "Zoom" in text


def test_duplicate_session_ids_in_an_event_are_refused():
    """Two sessions with one id raise ValidationError naming the second."""
    with pytest.raises(ValidationError) as caught:
        Event(id="e", title=TITLE, sessions=[session(), session()])
    assert caught.value.path == "sessions[1].id"


def test_sessions_must_lie_inside_the_event_period():
    """A session outside the event's announced period is refused."""
    with pytest.raises(ValidationError, match="outside the event's period") as caught:
        Event(id="e", title=TITLE, period=Period.parse("2023-03"), sessions=[session()])
    assert caught.value.path == "sessions[0].start"


def test_runs_group_alternative_dates():
    """Each run names its own sessions; sessions in no run are common to all runs."""
    august = session("aug", datetime(2022, 8, 22, 9, tzinfo=HELSINKI))
    september = session("sep", datetime(2022, 9, 19, 9, tzinfo=HELSINKI))
    briefing = session("info", datetime(2022, 8, 1, 9, tzinfo=HELSINKI))
    event = Event(
        id="visit",
        title=TITLE,
        sessions=[briefing, august, september],
        runs=[
            Run(id="r1", sessions=["aug"]),
            Run(id="r2", sessions=["sep"], enrolment=EnrolmentSettings(capacity=5)),
        ],
    )
    assert [s.id for s in event.sessions_of(event.runs[0])] == ["info", "aug"]
    assert [s.id for s in event.sessions_of(event.runs[1])] == ["info", "sep"]


def test_a_run_must_name_sessions_of_its_event():
    """A run referring to a session the event does not have is refused."""
    with pytest.raises(ValidationError, match="not a session of this event") as caught:
        Event(id="e", title=TITLE, sessions=[session()], runs=[Run(id="r", sessions=["nope"])])
    assert caught.value.path == "runs[0].sessions[0]"


def test_a_session_belongs_to_one_run_at_most():
    """The same session in two runs is refused."""
    with pytest.raises(ValidationError, match="already in run"):
        Event(
            id="e",
            title=TITLE,
            sessions=[session()],
            runs=[Run(id="a", sessions=["s1"]), Run(id="b", sessions=["s1"])],
        )


def test_agenda_items_lie_inside_their_session():
    """An agenda item after the session's end is refused, with its path."""
    item = AgendaItem(title=TITLE, start=START + timedelta(hours=5), end=START + timedelta(hours=6))
    with pytest.raises(ValidationError) as caught:
        session(agenda=[item])
    assert caught.value.path == "agenda[0].start"


def test_previous_start_only_with_a_move():
    """previous_start is allowed for rescheduled or postponed sessions only."""
    earlier = START - timedelta(days=7)
    assert session(status=Status.RESCHEDULED, previous_start=earlier).previous_start == earlier
    with pytest.raises(ValidationError) as caught:
        session(previous_start=earlier)
    assert caught.value.path == "previous_start"


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ({"capacity": -1}, "capacity"),
        ({"capacity": 10, "minimum": 11}, "minimum"),
        ({"capacity": 10, "capacity_remote": 11}, "capacity_remote"),
        ({"opens": START, "closes": START - timedelta(days=1)}, "closes"),
        ({"capacity": True}, "capacity"),
        ({"url": "javascript:alert(1)"}, "url"),
    ],
)
def test_enrolment_settings_rules(settings, path):
    """Capacities are counts, the minimum fits the capacity, the window opens before it closes."""
    with pytest.raises(ValidationError) as caught:
        EnrolmentSettings(**settings)
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "../etc/passwd"),
        ("id", ""),
        ("id", "a b"),
        ("languages", ["svenska"]),
        ("kind", "seminar"),
    ],
)
def test_event_fields_are_checked(field, value):
    """Unsafe ids, bad language tags and plain strings for enums are refused, naming the field."""
    fields = {"id": "e", "title": TITLE, field: value}
    with pytest.raises(ValidationError) as caught:
        Event(**fields)
    assert caught.value.path.startswith(field)


def test_whole_number_coordinates_are_stored_as_floats():
    """Geo(latitude=60) stores 60.0, so a second write of a catalogue gives the same text."""
    from libkurs import Geo

    assert isinstance(Geo(latitude=60, longitude=24).latitude, float)
