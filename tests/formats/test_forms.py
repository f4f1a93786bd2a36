"""Registration forms in: golden exports of each program and encoding, and malformed ones."""

from datetime import date, datetime, timedelta
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
    UnknownIdError,
    enrol,
    withdraw,
)
from libkurs.errors import FormatError, UnknownFormatError, ValidationError
from libkurs.formats import register as register_format
from libkurs.formats.forms import DateOrder, FormField, decode_csv, import_form

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
    register = enrol(register, catalogue, "p1", COURSE, now=NOW).register
    snapshot = register_format.dumps(register)
    with pytest.raises(FormatError) as caught:
        run_import(catalogue, "bad-email.csv", register, preset="webropol", target=COURSE)
    error = caught.value
    assert (error.row, error.column, error.source) == (3, "E-post", "bad-email.csv")
    assert "invalid e-mail address" in str(error)
    assert str(error).startswith("bad-email.csv: row 3: column 'E-post': ")
    # Deep down, the register passed in is as it was, and its lookups still work.
    assert register_format.dumps(register) == snapshot
    assert register.participant_by_email("x@example.org").id == "p1"
    with pytest.raises(UnknownIdError):
        register.participant("p2")


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


def test_broken_csv_quoting_names_the_line_and_the_row(catalogue):
    """A stray character after a closing quote is a FormatError with the line and the row."""
    text = 'name,email\n\nAnna,anna@esbo.fi\n"Bo"x,bo@esbo.fi\n'
    with pytest.raises(FormatError, match="not valid CSV") as caught:
        import_form(text, Register(), catalogue, now=NOW, target=COURSE, source="broken.csv")
    assert (caught.value.line, caught.value.row) == (4, 3)
    assert str(caught.value).startswith("broken.csv: line 4: row 3: not valid CSV")


def test_importing_again_does_not_sign_up_again_those_who_left(catalogue):
    """Someone who withdrew is a duplicate on a re-import, not enrolled again."""
    first = run_import(catalogue, "webropol.utf-8.csv")
    register = withdraw(first.register, catalogue, first.enrolled[0], now=NOW).register
    again = run_import(catalogue, "webropol.utf-8.csv", register)
    assert again.enrolled == ()
    assert sorted(again.duplicates) == [1, 2, 3, 4, 5]
    assert again.register == register


def test_an_enrolment_in_another_run_is_a_duplicate(catalogue):
    """Enrolled (and withdrawn) in the August run, an answer for September is a duplicate."""
    anna = Participant(id="anna", name="Anna", email="anna@esbo.fi")
    register = Register(participants=[anna])
    register = enrol(register, catalogue, "anna", "studiebesok-danmark-augusti", now=NOW).register
    register = withdraw(register, catalogue, "e1", now=NOW).register
    text = "submitted,name,email\n2023-01-12 10:00:00,Anna,anna@esbo.fi\n"
    result = import_form(text, register, catalogue, now=NOW, target="studiebesok-danmark-september")
    assert (result.enrolled, result.duplicates) == ((), (1,))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2023-01-10 10:00:00 UTC", datetime(2023, 1, 10, 12, tzinfo=HELSINKI)),
        ("2023/01/10 10:00:00 GMT+0", datetime(2023, 1, 10, 12, tzinfo=HELSINKI)),
        ("2023-01-10 10:00:00 GMT-5", datetime(2023, 1, 10, 17, tzinfo=HELSINKI)),
        ("2023-01-10 10:00:00 GMT+3", datetime(2023, 1, 10, 9, tzinfo=HELSINKI)),
        ("2023-01-10 10:00:00", datetime(2023, 1, 10, 10, tzinfo=HELSINKI)),
        ("2023-01-10T10:00:00Z", datetime(2023, 1, 10, 12, tzinfo=HELSINKI)),
    ],
)
def test_a_time_zone_in_the_response_time_is_kept(catalogue, written, expected):
    """UTC and GMT±N are offsets, not Helsinki time; a time without a zone is in Helsinki."""
    text = f"submitted,name,email\n{written},Anna,anna@esbo.fi\n"
    result = import_form(text, Register(), catalogue, now=NOW, target=COURSE)
    assert result.register.enrolments[0].requested == expected


def test_day_first_slash_dates_are_read_day_first(catalogue):
    """12/01/2023 in a file that also has 13/01/2023 is 12 January, as in en-GB Google Forms."""
    text = (
        "Timestamp,Email address,Name\n"
        "12/01/2023 10:15:30,anna@esbo.fi,Anna\n"
        "13/01/2023 09:00:00,bo@esbo.fi,Bo\n"
    )
    result = import_form(text, Register(), catalogue, now=NOW, target=COURSE, preset="google-forms")
    first, second = (e.requested for e in result.register.enrolments)
    assert first == datetime(2023, 1, 12, 10, 15, 30, tzinfo=HELSINKI)
    assert second == datetime(2023, 1, 13, 9, tzinfo=HELSINKI)


def test_an_ambiguous_slash_date_needs_the_date_order(catalogue):
    """12/01/2022 alone reads both ways: a row error, unless the caller gives the order."""
    text = "Timestamp,Email address,Name\n12/01/2022 10:15:30,anna@esbo.fi,Anna\n"
    options = {"now": NOW, "target": COURSE, "preset": "google-forms"}
    with pytest.raises(FormatError, match="ambiguous date") as caught:
        import_form(text, Register(), catalogue, **options)
    assert (caught.value.row, caught.value.column) == (1, "Timestamp")
    day_first = import_form(text, Register(), catalogue, date_order="day-first", **options)
    assert day_first.register.enrolments[0].requested.date() == date(2022, 1, 12)
    month_first = import_form(
        text, Register(), catalogue, date_order=DateOrder.MONTH_FIRST, **options
    )
    assert month_first.register.enrolments[0].requested.date() == date(2022, 12, 1)


def test_a_file_that_mixes_date_orders_is_refused(catalogue):
    """13/01/2023 and 01/13/2023 in one file cannot both be right."""
    text = (
        "Timestamp,Email address,Name\n"
        "13/01/2023 10:15:30,anna@esbo.fi,Anna\n"
        "01/13/2023 10:15:30,bo@esbo.fi,Bo\n"
    )
    with pytest.raises(FormatError, match=r"mix day-first \(row 1\) and month-first \(row 2\)"):
        import_form(text, Register(), catalogue, now=NOW, target=COURSE, preset="google-forms")


def test_a_response_time_after_now_is_a_bad_row(catalogue):
    """An answer dated after the import would jump the queue: refused with row and column."""
    text = "submitted,name,email\n2023-01-17 10:00:00,Anna,anna@esbo.fi\n"
    with pytest.raises(FormatError, match="later than now") as caught:
        import_form(text, Register(), catalogue, now=NOW, target=COURSE)
    assert (caught.value.row, caught.value.column) == (1, "submitted")


def test_rows_keep_their_numbers_after_blank_rows(catalogue):
    """Blank rows are skipped but counted: the bad address is on row 5, as a spreadsheet shows."""
    text = "name;email\nAnna;anna@esbo.fi\n\nBo;bo@esbo.fi\n;;\nCe;not-an-address\n"
    with pytest.raises(FormatError) as caught:
        import_form(text, Register(), catalogue, now=NOW, target=COURSE)
    assert (caught.value.row, caught.value.column) == (5, "email")


def test_a_row_with_a_line_break_in_a_cell_is_one_row(catalogue):
    """A quoted cell over two lines is still one row."""
    text = 'name;email;organisation\nAnna;anna@esbo.fi;"Esbo\nstad"\nBo;bad;x\n'
    with pytest.raises(FormatError) as caught:
        import_form(text, Register(), catalogue, now=NOW, target=COURSE)
    assert (caught.value.row, caught.value.column) == (2, "email")


def test_an_unknown_field_in_a_mapping_names_the_header_and_the_fields(catalogue):
    """mapping={'Kommun/stad': 'kommun'} is a ValidationError at mapping['Kommun/stad']."""
    text = "Kommun/stad;Namn;E-post\nEsbo;Anna;anna@esbo.fi\n"
    with pytest.raises(ValidationError, match="no form field 'kommun'") as caught:
        import_form(
            text, Register(), catalogue, now=NOW, target=COURSE, mapping={"Kommun/stad": "kommun"}
        )
    assert caught.value.path == "mapping['Kommun/stad']"
    assert "municipality" in caught.value.reason


def test_trailing_empty_cells_are_accepted_and_others_refused(catalogue):
    """A trailing separator is harmless; a value beyond the header is a row error."""
    text = "name;email\nAnna;anna@esbo.fi;\nBo;bo@esbo.fi;;\n"
    result = import_form(text, Register(), catalogue, now=NOW, target=COURSE)
    assert len(result.enrolled) == 2
    with pytest.raises(FormatError, match="3 cells, but the header has 2") as caught:
        import_form("name;email\nAnna;anna@esbo.fi;x\n", Register(), catalogue, now=NOW,
                    target=COURSE)  # fmt: skip
    assert caught.value.row == 1


def test_hints_speak_of_the_setting_not_of_python(catalogue):
    """The hints name what to give, and the command-line option for it."""
    with pytest.raises(FormatError) as no_bom:
        run_import(catalogue, "utf-16-without-bom.csv", preset="google-forms", target=COURSE)
    assert "give the encoding utf-16-le (--encoding in the command line)" in str(no_bom.value)
    with pytest.raises(FormatError) as no_target:
        import_form("name,email\nAnna,anna@esbo.fi\n", Register(), catalogue, now=NOW)
    assert "give the target (--target in the command line)" in str(no_target.value)
    for error in (no_bom.value, no_target.value):
        assert "=" not in str(error)


def test_a_form_import_repr_names_nobody(catalogue):
    """repr(FormImport) counts what was done and shows no name or address."""
    result = run_import(catalogue, "webropol.utf-8.csv")
    assert repr(result) == (
        "FormImport(5 enrolled, 0 duplicates, 0 skipped, "
        "register=Register(5 participants, 5 enrolments))"
    )


def test_new_people_whose_rows_are_all_skipped_are_not_added(catalogue):
    """With skip_bad_rows, a newcomer whose only row fails to enrol is left out of the register."""
    closes = datetime(2023, 1, 13, 0, tzinfo=HELSINKI)
    course = attrs.evolve(catalogue.event(COURSE), enrolment=EnrolmentSettings(closes=closes))
    closed = attrs.evolve(
        catalogue, events=[course if e.id == COURSE else e for e in catalogue.events]
    )
    result = run_import(closed, "webropol.utf-8.csv", skip_bad_rows=True)
    assert len(result.register.participants) == len(result.enrolled) == 2


def test_an_import_looks_people_up_in_one_index_not_row_by_row(catalogue, monkeypatch):
    """The e-mail index is built once: no per-row scan of the register (quadratic before)."""
    register = Register(participants=[Participant(id="p1", name="X", email="x@example.org")])

    def scan(self, email):
        raise AssertionError("participant_by_email scans the whole register")

    monkeypatch.setattr(Register, "participant_by_email", scan)
    result = run_import(catalogue, "webropol.utf-8.csv", register)
    assert [p.id for p in result.register.participants] == ["p1", "p2", "p3", "p4", "p5", "p6"]


def test_reenrol_signs_up_again_those_who_left_without_jumping_the_queue(catalogue):
    """With reenrol=True, Anna (withdrawn) is enrolled again, dated when she withdrew."""
    first = run_import(catalogue, "webropol.utf-8.csv")
    anna = first.enrolled[0]
    left = NOW - timedelta(hours=1)
    register = withdraw(first.register, catalogue, anna, now=left).register
    again = run_import(catalogue, "webropol.utf-8.csv", register, reenrol=True)
    assert sorted(again.duplicates) == [2, 3, 4, 5]  # still enrolled: duplicates
    (new,) = again.enrolled
    enrolment = again.register.enrolment(new)
    assert enrolment.participant == again.register.enrolment(anna).participant
    assert enrolment.requested == left


@pytest.mark.parametrize(
    ("data", "line", "row", "words"),
    [
        (b"Namn,E-post," + b"x" * 200_000 + b"\nA,a@b.fi,c\n", 1, None, "cell 3"),
        (b'Namn,E-post,"' + b"x" * 200_000 + b'"\nA,a@b.fi,c\n', 1, None, "cell 3"),
        (b'Namn,E-post\nAnna,"' + b"x" * 200_000 + b'"\n', 2, 1, "cell 2"),
        (b"Namn,E-post" + b"," * 1_000_000 + b"\nA,a@b.fi\n", 1, None, "at most 1000"),
        (b"Namn,E-post\nA,a@b.fi" + b";" * 10 + b"," * 2000 + b"\n", 2, 1, "at most 1000"),
    ],
    ids=["huge-header", "huge-quoted-header", "huge-cell", "million-columns", "wide-row"],
)
def test_huge_cells_and_too_many_columns_are_format_errors_with_line_and_row(
    catalogue, data, line, row, words
):
    """A header over 131,072 characters or a million columns: FormatError, not _csv.Error."""
    with pytest.raises(FormatError, match=words) as caught:
        import_form(data, Register(), catalogue, now=NOW, target=COURSE, source="x.csv")
    assert (caught.value.line, caught.value.row, caught.value.source) == (line, row, "x.csv")


@pytest.mark.parametrize("encoding", ["punycode", "undefined", "rot13", "base64", "no-such"])
def test_an_unusable_encoding_is_a_format_error(catalogue, encoding):
    """--encoding punycode (or a codec that is not for text) is a FormatError naming it."""
    with pytest.raises(FormatError, match=encoding):
        import_form(
            b"Namn,E-post\nAnna,anna@esbo.fi\n",
            Register(), catalogue, now=NOW, target=COURSE, encoding=encoding,
        )  # fmt: skip


def test_thirty_two_thousand_rows_are_imported_in_linear_time(catalogue):
    """32,000 rows import in seconds (12 s when each row copied the register; bound 60 s)."""
    import time

    lines = ["Namn,E-post,Organisation"]
    lines += [f"Person {n},p{n}@example.org,Bibliotek {n % 7}" for n in range(32_000)]
    data = "\n".join(lines).encode()
    began = time.perf_counter()
    result = import_form(data, Register(), catalogue, now=NOW, target=COURSE)
    elapsed = time.perf_counter() - began
    assert len(result.enrolled) == 32_000
    assert len(result.register.enrolments_in(COURSE)) == 32_000
    assert elapsed < 60, elapsed


def test_an_import_assembles_the_register_once_not_per_row(catalogue, monkeypatch):
    """No row copies the register (what made 32,000 rows quadratic): enrol() is never called."""
    import libkurs.enrolment._operations as operations

    def copying(*args, **kwargs):
        raise AssertionError("a row was enrolled through enrol(), copying the register")

    monkeypatch.setattr(operations, "add_enrolments", copying)
    result = run_import(catalogue, "webropol.utf-8.csv")
    assert len(result.enrolled) == 5


def test_enrolling_in_turn_gives_what_enrol_one_after_another_gives(catalogue):
    """enrol_in_turn equals a loop of enrol(): statuses, ids, waiting list, refusals."""
    from libkurs.enrolment._batch import Request, enrol_in_turn

    people = [Participant(id=f"p{n}", name=f"P {n}", email=f"p{n}@example.org") for n in range(8)]
    register = Register(participants=people)
    course = attrs.evolve(
        catalogue.event(COURSE),
        enrolment=EnrolmentSettings(capacity=3, waiting_list=2, minimum=3),
    )
    small = attrs.evolve(
        catalogue, events=[course if e.id == COURSE else e for e in catalogue.events]
    )
    targets = [COURSE]
    order = [0, 1, 2, 1, 3, 4, 5, 6, 7, 0]  # p1 and p0 twice: refused as already enrolled
    requests = [
        Request(participant=f"p{n}", target=COURSE, now=NOW + timedelta(minutes=i))
        for i, n in enumerate(order)
    ]
    looped, expected = register, []
    for request in requests:
        try:
            outcome = enrol(looped, small, request.participant, request.target, now=request.now)
        except libkurs.enrolment.EnrolmentError as error:
            expected.append(type(error))
            continue
        looped = outcome.register
        expected.append((looped.enrolments[-1], tuple(outcome.notifications), outcome.warnings))
    batched, answers = enrol_in_turn(register, small, requests)
    got = [
        type(a) if isinstance(a, Exception) else (a.enrolment, a.notifications, a.warnings)
        for a in answers
    ]
    assert got == expected
    statuses = [a.enrolment.status.value for a in answers if not isinstance(a, Exception)]
    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert sum(isinstance(a, Exception) for a in answers) == 5
    assert batched.enrolments == looped.enrolments
    for target in targets:
        assert batched.tally(target) == looped.tally(target)
        assert batched.enrolments_in(target) == looped.enrolments_in(target)


def test_ten_thousand_rows_without_a_time_are_refused_quickly(catalogue):
    """Rows whose response time is no date at all fail at once, not after every pattern."""
    import time

    header = "submitted;name;email;organisation;municipality;language;phone;mode;target"
    data = "\r\n".join([header, *["phone;mode;target"] * 10_000]).encode("utf-8-sig")
    began = time.perf_counter()
    with pytest.raises(FormatError, match="unrecognised date and time 'phone'"):
        import_form(data, Register(), catalogue, now=NOW, preset="template")
    assert time.perf_counter() - began < 20  # 6 s before, about 0.4 s now
