"""Every example script runs and the seed catalogue says what the seed says."""

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import libkurs

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_runs(script):
    """The example script exits 0."""
    result = subprocess.run([sys.executable, script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def seed():
    return libkurs.load(EXAMPLES / "catalogue.json")


def test_liboppi_day_is_one_online_event_in_two_parts(seed):
    """The Liboppi day: one event, two sessions on 2023-01-12, online via Zoom."""
    event = seed.event("liboppi-dag-2023")
    assert len(event.sessions) == 2
    assert {s.days for s in event.sessions} == {(date(2023, 1, 12), date(2023, 1, 12))}
    assert all(
        event.location_of(s).attendance_mode is libkurs.AttendanceMode.ONLINE
        for s in event.sessions
    )
    assert event.location.online.platform == "Zoom"


def test_final_seminar_is_wednesday_afternoon_bilingual_and_open(seed):
    """The final seminar: Wednesday 2023-02-01 12-16 in Helsinki, sv and fi, open to all, online."""
    event = seed.event("slutseminarium-service-design")
    (session,) = event.sessions
    assert session.start == datetime(2023, 2, 1, 12, tzinfo=libkurs.HELSINKI)
    assert session.start.weekday() == 2
    assert session.duration == timedelta(hours=4)
    assert str(session.start.tzinfo) == "Europe/Helsinki"
    assert event.languages == ("sv", "fi")
    assert event.open_to_all
    assert event.location.attendance_mode is libkurs.AttendanceMode.ONLINE
    assert session.agenda


def test_study_visits_are_one_offering_with_two_runs(seed):
    """The Denmark study visits: one event with an August and a September run."""
    event = seed.event("studiebesok-danmark")
    assert event.kind is libkurs.EventKind.STUDY_VISIT
    assert [str(run.title) for run in event.runs] == ["Augusti", "September"]
    assert not event.sessions, "the seed gives no days (nor a year) for the trips"


def test_tillsammans_kan_vi_is_a_one_year_programme_in_2023_2024(seed):
    """'Tillsammans kan vi!' is the one-year programme of the school year 2023-2024."""
    programme = seed.programme("tillsammans-kan-vi-2023-2024")
    assert str(programme.period) == "2023-08/2024-07"


def test_the_seminar_programme_is_the_seeds(seed):
    """The seminar's agenda is what the seed lists under "Program:", with Daniel Forsman's talk."""
    (session,) = seed.event("slutseminarium-service-design").sessions
    titles = [str(item.title) for item in session.agenda]
    assert titles[:2] == ["Mer relevant än någonsin!", "Mervärde med meröppet"]
    assert session.agenda[0].speakers == ("daniel-forsman",)


def test_every_seed_event_is_there(seed):
    """All five events and the programme of the seed are in the catalogue."""
    assert len(seed.events) == 5
    assert len(seed.programmes) == 1
    assert seed.person("daniel-forsman").name == "Daniel Forsman"
