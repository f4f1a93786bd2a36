"""Sessions across a change of summer time in Helsinki keep their exact duration both ways."""

from datetime import UTC, datetime, timedelta

import pytest

import libkurs
from formats.ics.vobject_helper import vobject_read
from libkurs import HELSINKI, Catalogue, Event, LocalizedText, Session

# Helsinki: summer time starts 2023-03-26 03:00 -> 04:00 and ends 2023-10-29 04:00 -> 03:00.
NIGHTS = {
    "summer time starts": (datetime(2023, 3, 25, 22, tzinfo=HELSINKI), timedelta(hours=8)),
    "summer time ends": (datetime(2023, 10, 28, 22, tzinfo=HELSINKI), timedelta(hours=8)),
}


def night_course(start, duration):
    """A catalogue with one session from *start* lasting exactly *duration*."""
    end = (start.astimezone(UTC) + duration).astimezone(HELSINKI)
    session = Session(id="natt-1", start=start, end=end)
    event = Event(id="natt", title=LocalizedText({"sv": "Nattkurs"}), sessions=[session])
    return Catalogue(events=[event])


@pytest.mark.parametrize("night", sorted(NIGHTS))
def test_session_across_a_change_keeps_its_exact_duration_through_export_and_import(night):
    """Export then import: the same instants, so the same elapsed time."""
    start, duration = NIGHTS[night]
    catalogue = night_course(start, duration)
    session = libkurs.loads(libkurs.dumps(catalogue, "ics"), "ics").events[0].sessions[0]
    assert session.duration == duration
    assert session.start == start
    assert session.start.astimezone(UTC) == start.astimezone(UTC)


@pytest.mark.parametrize("night", sorted(NIGHTS))
def test_independent_parser_sees_the_exact_duration(night):
    """vobject, reading libkurs' VTIMEZONE, finds the same elapsed time."""
    start, duration = NIGHTS[night]
    event = vobject_read(libkurs.dumps(night_course(start, duration), "ics")).vevent
    elapsed = event.dtend.value.astimezone(UTC) - event.dtstart.value.astimezone(UTC)
    assert elapsed == duration


def test_wall_clock_shows_the_change():
    """Eight hours from 22:00 end at 07:00 when the clocks go forward, 05:00 when they go back."""
    spring = night_course(*NIGHTS["summer time starts"]).events[0].sessions[0]
    autumn = night_course(*NIGHTS["summer time ends"]).events[0].sessions[0]
    assert spring.end.hour == 7
    assert autumn.end.hour == 5


def test_second_occurrence_of_a_repeated_hour_survives_the_round_trip():
    """03:30 after the clocks go back (fold=1) is written in UTC and read back as itself."""
    start = datetime(2023, 10, 29, 3, 30, fold=1, tzinfo=HELSINKI)
    catalogue = night_course(start, timedelta(hours=1))
    text = libkurs.dumps(catalogue, "ics")
    assert "DTSTART;X-LIBKURS-TZID=Europe/Helsinki:20231029T013000Z" in text
    session = libkurs.loads(text, "ics").events[0].sessions[0]
    assert session.start.astimezone(UTC) == start.astimezone(UTC)
    assert session.start.fold == 1
    assert session.duration == timedelta(hours=1)


def calendar(*lines):
    """A one-event calendar with *lines* in its VEVENT."""
    body = "\r\n".join(lines)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:dst@example.fi\r\nDTSTAMP:20230101T000000Z\r\n{body}\r\nSUMMARY:Natt\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@pytest.mark.parametrize(
    ("start", "duration", "hours"),
    [
        ("20230325T220000", "PT8H", 8),
        ("20231028T220000", "PT8H", 8),
        ("20230325T220000", "P1D", 23),
        ("20231028T220000", "P1D", 25),
    ],
)
def test_imported_duration_is_exact_in_hours_and_nominal_in_days(start, duration, hours):
    """DURATION:PT8H is eight elapsed hours; P1D is one calendar day (23 or 25 hours)."""
    text = calendar(f"DTSTART;TZID=Europe/Helsinki:{start}", f"DURATION:{duration}")
    session = libkurs.loads(text, "ics").events[0].sessions[0]
    assert session.duration == timedelta(hours=hours)


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap():
    """03:30 does not exist on 2023-03-26 in Helsinki: it is read as 04:30 (RFC 5545 3.3.5)."""
    text = calendar(
        "DTSTART;TZID=Europe/Helsinki:20230326T033000", "DTEND;TZID=Europe/Helsinki:20230326T060000"
    )
    session = libkurs.loads(text, "ics").events[0].sessions[0]
    assert (session.start.hour, session.start.minute) == (4, 30)
    assert session.duration == timedelta(hours=1, minutes=30)


def test_weekly_series_keeps_its_wall_clock_time_across_the_change():
    """A weekly 10:00 meeting stays at 10:00 in Helsinki after summer time starts."""
    text = calendar(
        "DTSTART;TZID=Europe/Helsinki:20230320T100000",
        "DTEND;TZID=Europe/Helsinki:20230320T110000",
        "RRULE:FREQ=WEEKLY;COUNT=3",
    )
    sessions = libkurs.loads(text, "ics").events[0].sessions
    assert [s.start.hour for s in sessions] == [10, 10, 10]
    assert [s.start.utcoffset() for s in sessions] == [
        timedelta(hours=2),
        timedelta(hours=3),
        timedelta(hours=3),
    ]
    assert all(s.duration == timedelta(hours=1) for s in sessions)
