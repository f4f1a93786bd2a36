"""Participant lists out: spreadsheet-safe CSV per event and per session, and JSON."""

import csv
import io
import json
from datetime import datetime, timedelta

import pytest

from libkurs import HELSINKI, Catalogue, Event, LocalizedText, Programme, Run, Session
from libkurs.enrolment import (
    EnrolmentStatus,
    Participant,
    ParticipationMode,
    Register,
    UnknownIdError,
    enrol,
    withdraw,
)
from libkurs.formats.participants import (
    neutralize,
    participants_csv,
    participants_json,
    sign_in_sheet_csv,
)

NOW = datetime(2023, 1, 10, 9, tzinfo=HELSINKI)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def catalogue():
    first = datetime(2023, 2, 1, 10, tzinfo=HELSINKI)
    sessions = [
        Session(
            id=f"dag-{n}", start=first + timedelta(days=n), end=first + timedelta(days=n, hours=2)
        )
        for n in (1, 2, 3)
    ]
    visit = Event(
        id="dag",
        title=LocalizedText({"sv": "Studiedag", "fi": "Opintopäivä"}),
        sessions=sessions,
        runs=[Run(id="dag-a", sessions=["dag-1"]), Run(id="dag-b", sessions=["dag-2"])],
    )
    programme = Programme(id="program", title=LocalizedText({"sv": "Programmet"}), modules=["dag"])
    return Catalogue(events=[visit], programmes=[programme])


@pytest.fixture
def register(catalogue):
    people = [
        Participant(id="p1", name="=HYPERLINK(\"http://evil.example\",\"klicka\")",
                    email="p1@example.org", organisation="+Bibliotek", phone="+358 40 123 4567"),
        Participant(id="p2", name="@SUM(1+1)", email="p2@example.org", municipality="-2+3"),
        Participant(id="p3", name="\tTabba", email="p3@example.org", organisation="\tRetur"),
        Participant(id="p4", name="Åsa Öberg", email="asa@example.org", organisation="Borgå"),
        Participant(id="p5", name="Borttagen", email="p5@example.org"),
    ]  # fmt: skip
    register = Register(participants=people)
    register = enrol(register, catalogue, "p1", "dag-a", now=NOW).register
    register = enrol(
        register, catalogue, "p2", "dag-b", now=NOW, mode=ParticipationMode.REMOTE
    ).register
    register = enrol(register, catalogue, "p3", "program", now=NOW).register
    register = enrol(register, catalogue, "p4", "dag-a", now=NOW).register
    register = enrol(register, catalogue, "p5", "dag-b", now=NOW).register
    return withdraw(register, catalogue, "e5", now=NOW).register


def cells(text):
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_no_cell_of_the_exported_list_can_run_as_a_formula(register, catalogue):
    """Read as text, every cell that began with = + - @ tab or CR begins with an apostrophe."""
    text = participants_csv(register, catalogue, "dag")
    rows = cells(text)
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS), cell
    assert '\'=HYPERLINK(""http://evil.example""' in text
    assert "'@SUM(1+1)" in text
    assert "'+358 40 123 4567" in text
    assert "'-2+3" in text
    assert "'\tTabba" in text
    assert "'\tRetur" in text
    assert "Åsa Öberg" in text


def test_the_event_list_covers_runs_and_programmes_and_only_confirmed(register, catalogue):
    """Participants of both runs and of the programme are listed; the one who withdrew is not."""
    rows = cells(participants_csv(register, catalogue, "dag", language="fi"))
    assert rows[0][:3] == ["Nimi", "Sähköposti", "Organisaatio"]
    names = [row[0] for row in rows[1:]]
    assert names == [
        '\'=HYPERLINK("http://evil.example","klicka")',
        "Åsa Öberg",
        "'@SUM(1+1)",
        "'\tTabba",
    ]
    assert "Borttagen" not in names
    assert rows[3][6] == "etänä"
    with_withdrawn = participants_csv(
        register, catalogue, "dag", statuses=list(EnrolmentStatus), language="en"
    )
    assert "Borttagen" in with_withdrawn
    assert "withdrawn" in with_withdrawn


def test_a_sign_in_sheet_lists_those_attending_the_session_by_name(register, catalogue):
    """dag-1 belongs to run dag-a: its sheet lists p1 and p4, not the run dag-b's p2."""
    rows = cells(sign_in_sheet_csv(register, catalogue, "dag-1"))
    assert rows[0] == ["Namn", "Organisation", "Deltar", "Underskrift"]
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil.example","klicka")',
        "Åsa Öberg",
    ]
    assert rows[2] == ["Åsa Öberg", "Borgå", "på plats", ""]
    common = cells(sign_in_sheet_csv(register, catalogue, "dag-3"))
    assert len(common) == 1 + 4  # a session in no run is attended by every run and the programme


def test_an_unknown_session_is_named(register, catalogue):
    """A sign-in sheet for a session that does not exist raises UnknownIdError."""
    with pytest.raises(UnknownIdError, match="no session with id 'dag-9'"):
        sign_in_sheet_csv(register, catalogue, "dag-9")


def test_the_json_list(register, catalogue):
    """The JSON list carries a header and one object per participant, formulas as they are."""
    document = json.loads(participants_json(register, catalogue, "dag"))
    assert (document["format"], document["version"], document["event"]) == (
        "libkurs.participants",
        1,
        "dag",
    )
    first = document["participants"][0]
    assert first["name"].startswith("=HYPERLINK")  # JSON is not a spreadsheet
    assert first["phone"] == "+358 40 123 4567"
    assert first["mode"] == "on_site"
    assert len(document["participants"]) == 4


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_neutralize_prefixes_formula_starts(text):
    """Each dangerous first character gets an apostrophe before it."""
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Anna", "1+2", "'=1", " Anna", "\u00a0Anna = 1", "A=1"])
def test_neutralize_leaves_other_cells(text):
    """Cells that do not begin with a dangerous character are unchanged."""
    assert neutralize(text) == text


@pytest.mark.parametrize(
    "text",
    [
        " =1",
        ' =HYPERLINK("http://evil.example","klicka")',
        "\u00a0=1",
        "\u2003\u3000@SUM(1)",
        "\u200b=1",
        '"=1',
        '  " =1',
        "“=1",
        "＝HYPERLINK(1)",
        "＋1",
        "－1",
        "＠SUM(1)",
        "\u00a0＝1",
    ],
)
def test_neutralize_looks_past_spaces_and_quotes_and_knows_fullwidth_signs(text):
    """A formula sign after Unicode spaces, invisible characters or quotes, or fullwidth."""
    assert neutralize(text) == "'" + text


def test_no_cell_hidden_behind_spaces_reaches_the_list_as_a_formula(catalogue):
    """A participant named with a no-break space before = is written with the apostrophe."""
    people = [
        Participant(id="p1", name="\u00a0=HYPERLINK(1)", email="p1@example.org",
                    organisation="＝1+1", municipality=' "@A1'),
    ]  # fmt: skip
    register = enrol(Register(participants=people), catalogue, "p1", "dag-a", now=NOW).register
    row = cells(participants_csv(register, catalogue, "dag"))[1]
    assert "'\u00a0=HYPERLINK(1)" in row
    assert "'＝1+1" in row
    assert "' \"@A1" in row
