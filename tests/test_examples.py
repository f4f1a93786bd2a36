"""Every example script runs and the seed catalogue says what the seed says."""

import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import libkurs
import libkurs.examples
from libkurs.errors import UnknownIdError

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
#: Each file shipped in libkurs.examples, and the file of the repository it is a copy of.
SHIPPED = {
    "catalogue.json": "examples/catalogue.json",
    "seminar.linkedevents.json": "tests/data/linkedevents/seminar.linkedevents.json",
    **{
        f"calendars/{name}.ics": f"tests/data/ics/{name}.ics"
        for name in (
            "apple", "google", "latin1", "outlook", "recurrence", "teams", "thunderbird", "zoom",
            "quirk-instant", "quirk-outlook-zones", "todo-and-journal",
        )
    },
    "calendars/meet-google-block.ics": "tests/data/ics/joinlinks/meet-google-block.ics",
}  # fmt: skip


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


def test_the_package_ships_the_examples_as_in_the_repository():
    """libkurs.examples holds exactly the shipped files, each equal to its repository source.

    When this fails after a change of the seed or of a sample calendar, copy the changed file:
    ``cp examples/catalogue.json src/libkurs/examples/catalogue.json`` (see SHIPPED).
    """
    assert set(libkurs.examples.names()) == set(SHIPPED)
    for name, source in SHIPPED.items():
        assert libkurs.examples.read_bytes(name) == (ROOT / source).read_bytes(), (name, source)


def test_the_example_catalogue_loads_from_package_data():
    """libkurs.examples.catalogue() is the seed catalogue; path() is a readable file."""
    assert libkurs.examples.catalogue() == libkurs.load(EXAMPLES / "catalogue.json")
    assert libkurs.load(libkurs.examples.path()) == libkurs.examples.catalogue()
    outlook = libkurs.load(libkurs.examples.path("calendars/outlook.ics"))
    assert outlook.events


@pytest.mark.parametrize("name", ["../__init__.py", "/etc/passwd", "__init__.py", "nothing.ics"])
def test_only_the_example_files_can_be_read(name):
    """A name that is not one of the examples (a path out of the package, say) is refused."""
    with pytest.raises(UnknownIdError, match="no example file"):
        libkurs.examples.read_bytes(name)


def test_the_examples_run_from_another_folder(tmp_path):
    """The package data is found wherever Python runs: no path of the repository is needed."""
    code = (
        "import libkurs.examples as e; c = e.catalogue(); "
        "print(len(c.events), len(e.read_bytes('calendars/google.ics')) > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5", "True"]


def test_the_wheel_ships_the_examples(tmp_path):
    """The wheel that pyproject.toml builds holds libkurs/examples with every example file."""
    builders = pytest.importorskip("hatchling.builders.wheel")
    builder = builders.WheelBuilder(str(ROOT))
    (wheel,) = list(builder.build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "libkurs/py.typed" in names
    assert "libkurs/examples/__init__.py" in names
    for name in SHIPPED:
        assert f"libkurs/examples/{name}" in names, name


def test_the_shell_workflow_ends_in_a_completion_report_with_attendance(tmp_path):
    """enrolment_from_the_shell.py enrols, moves the waiting list, records attendance and
    prints a completion report in which people completed."""
    script = EXAMPLES / "enrolment_from_the_shell.py"
    result = subprocess.run(
        [sys.executable, script, tmp_path], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "e4: p4 Dan Dahl: waitlisted in liboppi-dag-2023" in out
    assert "  notify p4 (e4): promoted" in out
    assert "attendance recorded for 3 (2 present, 1 absent)" in out
    report = out[out.index("$ libkurs completion") :].splitlines()
    assert report[1:] == [
        "p1 Anna Andersson: completed (2 of 2 sessions)",
        "p3 Cecilia Carlsson: not completed: attended 1 of 2 sessions (50 %); 80 % needed",
        "p4 Dan Dahl: completed (2 of 2 sessions)",
        "2 of 3 completed",
    ]
    assert (tmp_path / "register.json").stat().st_mode & 0o777 == 0o600
