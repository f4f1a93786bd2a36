"""Registration forms in: golden exports of each program and encoding, and malformed ones."""

from datetime import datetime, timedelta
from pathlib import Path

import attrs
import pytest

import libkurs
from libkurs import HELSINKI, EnrolmentSettings
from libkurs.enrolment import (
    EnrolmentStatus,
    Participant,
    ParticipationMode,
    Register,
    enrol,
)
from libkurs.errors import FormatError, UnknownFormatError
from libkurs.formats.forms import FormField, decode_csv, import_form

DATA = Path(__file__).parents[1] / "data" / "forms"
EXAMPLE = Path(__file__).parents[2] / "examples" / "catalogue.json"
NOW = datetime(2023, 1, 16, 9, tzinfo=HELSINKI)
COURSE = "bibliotekspedagogik-introduktion"
PRESETS = ["webropol", "microsoft-forms", "google-forms", "template"]
ENCODINGS = {"utf-8": ",", "utf-8-sig": ";", "utf-16": "\t", "cp1252": ";"}

# In order of answering (Pirjo answered before Zoë, though her row is below).
EXPECTED = [
    ("Anna Andersson", "anna.andersson@esbo.fi", "Esbo stadsbibliotek", "Esbo", "sv",
     "+358 40 111 2222", ParticipationMode.ON_SITE, "studiebesok-danmark-augusti"),
    ("Matti Mäkinen", "matti.makinen@vantaa.fi", "Vantaan kaupunginkirjasto", "Vantaa", "fi",
     None, ParticipationMode.REMOTE, "studiebesok-danmark-augusti"),
    ("Åsa Öberg", "asa.oberg@borga.fi", "Borgå stadsbibliotek", "Borgå", "sv", None,
     ParticipationMode.REMOTE, "studiebesok-danmark-september"),
    ("Pirjo Särkkä", "pirjo.sarkka@lohja.fi", "Lohjan kaupunginkirjasto", "Lohja", "fi", None,
     ParticipationMode.ON_SITE, "studiebesok-danmark-augusti"),
    ("Zoë Lindqvist", "zoe.lindqvist@kyrkslatt.fi", "Kyrkslätts bibliotek", "Kyrkslätt", "en",
     "09 123 456", ParticipationMode.ON_SITE, "studiebesok-danmark-september"),
]  # fmt: skip


@pytest.fixture(scope="module")
def catalogue():
    return libkurs.load(EXAMPLE)


def run_import(catalogue, name, register=None, **options):
    data = (DATA / name).read_bytes()
    preset = name.split(".")[0]
    if preset in PRESETS and preset != "template":
        options.setdefault("target", COURSE)
    options.setdefault("preset", preset if preset in PRESETS else "template")
    return import_form(data, register or Register(), catalogue, now=NOW, source=name, **options)


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("preset", PRESETS)
def test_golden_exports_import_the_five_respondents(catalogue, preset, encoding):
    """Every program's export, in every encoding, gives the same five people in answer order."""
    result = run_import(catalogue, f"{preset}.{encoding}.csv")
    assert result.skipped == ()
    assert result.delimiter == ENCODINGS[encoding]
    register = result.register
    got = []
    for enrolment in register.enrolments:
        person = register.participant(enrolment.participant)
        got.append(
            (person.name, person.email, person.organisation, person.municipality,
             person.language, person.phone, enrolment.mode, enrolment.target)
        )  # fmt: skip
    expected = [(*row[:7], row[7] if preset == "template" else COURSE) for row in EXPECTED]
    assert got == expected
    first = register.enrolments[0].requested.replace(second=0)
    assert first == datetime(2023, 1, 12, 10, 15, tzinfo=HELSINKI)
    assert {e.status for e in register.enrolments} == {EnrolmentStatus.CONFIRMED}


def test_answer_time_decides_who_gets_the_places(catalogue):
    """With three places, the first three to answer are confirmed, whatever the row order."""
    course = attrs.evolve(catalogue.event(COURSE), enrolment=EnrolmentSettings(capacity=3))
    limited = attrs.evolve(
        catalogue, events=[course if e.id == COURSE else e for e in catalogue.events]
    )
    result = run_import(limited, "google-forms.utf-8.csv")
    statuses = {
        result.register.participant(e.participant).name: e.status
        for e in result.register.enrolments
    }
    assert statuses["Pirjo Särkkä"] is EnrolmentStatus.WAITLISTED
    assert statuses["Zoë Lindqvist"] is EnrolmentStatus.WAITLISTED
    assert statuses["Åsa Öberg"] is EnrolmentStatus.CONFIRMED
    assert [n.kind.value for n in result.notifications].count("waitlisted") == 2


def test_a_bad_email_names_row_and_column_and_imports_nothing(catalogue):
    """Row 3 has an invalid address: FormatError at row 3, column 'E-post'; nothing imported."""
    register = Register(participants=[Participant(id="p1", name="X", email="x@example.org")])
    with pytest.raises(FormatError) as caught:
        run_import(catalogue, "bad-email.csv", register, preset="webropol", target=COURSE)
    error = caught.value
    assert (error.row, error.column, error.source) == (3, "E-post", "bad-email.csv")
    assert "invalid e-mail address" in str(error)
    assert str(error).startswith("bad-email.csv: row 3: column 'E-post': ")
    assert len(register.participants) == 1


def test_every_bad_row_is_counted_and_the_first_raised(catalogue):
    """Two bad rows (a mode, a time): the first is raised, the other counted, in Windows-1252."""
    with pytest.raises(FormatError) as caught:
        run_import(catalogue, "bad-mode-and-time.csv", preset="google-forms", target=COURSE)
    error = caught.value
    assert (error.row, error.column) == (2, "Osallistumistapa")
    assert "not on site or remote: 'Ehkä'" in error.reason
    assert "and 1 more bad row" in error.reason


def test_skip_bad_rows_imports_the_good_and_reports_the_bad(catalogue):
    """With skip_bad_rows, three respondents are enrolled and rows 2 and 4 reported."""
    result = run_import(
        catalogue, "bad-mode-and-time.csv", preset="google-forms", target=COURSE,
        skip_bad_rows=True,
    )  # fmt: skip
    assert [(s.row, s.column) for s in result.skipped] == [
        (2, "Osallistumistapa"),
        (4, "Aikaleima"),
    ]
    assert "unrecognised date and time '32.1.2023 25.00.00'" in result.skipped[1].reason
    assert len(result.enrolled) == 3
    assert result.encoding == "cp1252"


def test_an_unknown_run_names_the_target_column(catalogue):
    """Row 5 asks for an 'Oktober' run that does not exist."""
    with pytest.raises(FormatError) as caught:
        run_import(catalogue, "unknown-run.csv")
    assert (caught.value.row, caught.value.column) == (5, "target")
    assert "no programme, event or run called 'Oktober'" in caught.value.reason


def test_a_missing_email_column_is_a_file_error(catalogue):
    """Without an e-mail column nothing can be imported, even with skip_bad_rows."""
    with pytest.raises(FormatError, match="no column for the e-mail address"):
        run_import(catalogue, "no-email-column.csv", preset="webropol", skip_bad_rows=True)


def test_utf16_without_a_byte_order_mark_is_named(catalogue):
    """UTF-16 without a BOM is refused with a hint, and reads when the encoding is given."""
    with pytest.raises(FormatError, match="UTF-16 without a byte-order mark"):
        run_import(catalogue, "utf-16-without-bom.csv", preset="google-forms", target=COURSE)
    result = run_import(
        catalogue, "utf-16-without-bom.csv", preset="google-forms", target=COURSE,
        encoding="utf-16-le",
    )  # fmt: skip
    assert len(result.enrolled) == 5


def test_enrolment_refusals_are_row_errors(catalogue):
    """A closed enrolment window turns into a FormatError naming the first row."""
    closes = datetime(2023, 1, 13, 0, tzinfo=HELSINKI)
    course = attrs.evolve(catalogue.event(COURSE), enrolment=EnrolmentSettings(closes=closes))
    closed = attrs.evolve(
        catalogue, events=[course if e.id == COURSE else e for e in catalogue.events]
    )
    with pytest.raises(FormatError) as caught:
        run_import(closed, "webropol.utf-8.csv")
    assert caught.value.row == 3
    assert "closed at" in caught.value.reason
    result = run_import(closed, "webropol.utf-8.csv", skip_bad_rows=True)
    assert [s.row for s in result.skipped] == [3, 4, 5]
    assert len(result.enrolled) == 2


def test_importing_again_reports_duplicates(catalogue):
    """A second import of the same export enrols nobody twice: the rows are duplicates."""
    first = run_import(catalogue, "webropol.utf-8.csv")
    again = run_import(catalogue, "webropol.utf-8.csv", first.register)
    assert again.enrolled == ()
    assert sorted(again.duplicates) == [1, 2, 3, 4, 5]
    assert again.register == first.register


def test_known_people_are_matched_by_email(catalogue):
    """A respondent already in the register (by e-mail, any case) is not added again."""
    anna = Participant(id="anna", name="Anna A.", email="ANNA.ANDERSSON@esbo.fi")
    register = Register(participants=[anna])
    register = enrol(register, catalogue, "anna", "liboppi-dag-2023", now=NOW).register
    result = run_import(catalogue, "webropol.utf-8.csv", register)
    assert len(result.register.participants) == 5
    assert result.register.enrolment(result.enrolled[0]).participant == "anna"


def test_a_custom_mapping_reads_any_headers(catalogue):
    """Headers no preset knows are read through a mapping of header to field."""
    text = "När;Vem;Adress;Hur\n2023-01-12 10:00:00;Anna;anna@esbo.fi;distans\n"
    mapping = {"När": "submitted", "Vem": FormField.NAME, "Adress": "email", "Hur": "mode"}
    result = import_form(text, Register(), catalogue, now=NOW, target=COURSE, mapping=mapping)
    (enrolment,) = result.register.enrolments
    assert enrolment.mode is ParticipationMode.REMOTE
    assert enrolment.requested == datetime(2023, 1, 12, 10, tzinfo=HELSINKI)


def test_response_times_in_the_summer_time_gap_are_refused(catalogue):
    """03:30 on the last Sunday of March does not exist in Helsinki: a row error."""
    text = "submitted,name,email\n2023-03-26 03:30:00,Anna,anna@esbo.fi\n"
    with pytest.raises(FormatError, match="does not exist") as caught:
        import_form(text, Register(), catalogue, now=NOW + timedelta(days=90), target=COURSE)
    assert (caught.value.row, caught.value.column) == (1, "submitted")


def test_an_unknown_preset_is_named(catalogue):
    """preset='surveymonkey' raises UnknownFormatError listing the presets."""
    with pytest.raises(UnknownFormatError, match="webropol"):
        import_form("name,email\n", Register(), catalogue, now=NOW, preset="surveymonkey")


def test_decode_prefers_utf8_and_falls_back_to_windows_1252():
    """Bytes that are valid UTF-8 are read so; others as Windows-1252."""
    assert decode_csv("Åsa".encode()) == ("Åsa", "utf-8")
    assert decode_csv("Åsa".encode("cp1252")) == ("Åsa", "cp1252")
    assert decode_csv("\ufeffÅsa".encode()) == ("Åsa", "utf-8-sig")


def test_broken_csv_quoting_names_the_line(catalogue):
    """A stray character after a closing quote is a FormatError with the line."""
    text = 'name,email\nAnna,anna@esbo.fi\n"Bo"x,bo@esbo.fi\n'
    with pytest.raises(FormatError, match="not valid CSV") as caught:
        import_form(text, Register(), catalogue, now=NOW, target=COURSE, source="broken.csv")
    assert caught.value.line == 3
    assert str(caught.value).startswith("broken.csv: line 3: not valid CSV")
