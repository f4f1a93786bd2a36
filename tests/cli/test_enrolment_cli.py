"""The enrolment commands: import-form, participants and completion, one line for bad input."""

import json
from datetime import datetime
from pathlib import Path

import attrs
import pytest

import libkurs
from libkurs import HELSINKI
from libkurs.cli import main
from libkurs.enrolment import Presence, record_attendance, withdraw
from libkurs.formats import register as register_format

ROOT = Path(__file__).parents[2]
EXAMPLE = str(ROOT / "examples" / "catalogue.json")
FORMS = ROOT / "tests" / "data" / "forms"
DAY = "liboppi-dag-2023"


def import_form(tmp_path, form="webropol.cp1252.csv", *extra):
    register = tmp_path / "register.json"
    preset = form.split(".")[0] if "." in form.removesuffix(".csv") else "webropol"
    status = main(
        [
            "import-form", str(FORMS / form), "--preset", preset,
            "--catalogue", EXAMPLE, "--register", str(register), "--target", DAY,
            "--now", "2023-01-16T09:00", *extra,
        ]
    )  # fmt: skip
    return status, register


def test_import_form_makes_a_register_and_summarises(tmp_path, capsys):
    """import-form writes the register file and prints how many were enrolled."""
    status, register = import_form(tmp_path)
    assert status == 0
    out = capsys.readouterr().out
    assert "5 enrolled (5 confirmed), 0 already enrolled, 0 skipped" in out
    assert len(register_format.load(register).participants) == 5


def test_importing_again_enrols_nobody_twice(tmp_path, capsys):
    """A second import of the same export reports five already enrolled."""
    import_form(tmp_path)
    status, _ = import_form(tmp_path)
    assert status == 0
    assert "0 enrolled (none), 5 already enrolled" in capsys.readouterr().out


def test_a_bad_row_is_one_line_on_stderr_and_nothing_is_written(tmp_path, capsys):
    """A bad e-mail prints row and column on stderr, exits 1 and leaves no register file."""
    status, register = import_form(tmp_path, "bad-email.csv")
    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "bad-email.csv: row 3: column 'E-post': invalid e-mail address" in lines[0]
    assert not register.exists()


def test_skip_bad_rows_lists_them(tmp_path, capsys):
    """--skip-bad-rows imports the good rows and lists each skipped one."""
    status, _ = import_form(tmp_path, "bad-email.csv", "--skip-bad-rows")
    assert status == 0
    out = capsys.readouterr().out
    assert "4 enrolled" in out
    assert "skipped row 3: column 'E-post': invalid e-mail address" in out


def test_participants_prints_a_safe_csv(tmp_path, capsys):
    """participants prints the list with headers in the language asked for, formulas defused."""
    _, register = import_form(tmp_path)
    capsys.readouterr()
    assert (
        main(
            ["participants", str(register), "--catalogue", EXAMPLE, "--event", DAY, "--lang", "fi"]
        )
        == 0
    )
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Nimi;Sähköposti;Organisaatio")
    assert "'+358 40 111 2222" in lines[1]
    assert len(lines) == 6


def test_participants_writes_an_excel_friendly_file(tmp_path, capsys):
    """--output writes UTF-8 with a byte-order mark and CRLF line ends."""
    _, register = import_form(tmp_path)
    output = tmp_path / "deltagare.csv"
    assert (
        main(
            [
                "participants",
                str(register),
                "--catalogue",
                EXAMPLE,
                "--event",
                DAY,
                "--output",
                str(output),
            ]
        )
        == 0
    )
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfNamn;E-post")
    assert b"\r\n" in data


def test_participants_as_json_and_sign_in_sheet(tmp_path, capsys):
    """--json prints the JSON list; --session prints a sign-in sheet."""
    _, register = import_form(tmp_path)
    capsys.readouterr()
    assert (
        main(["participants", str(register), "--catalogue", EXAMPLE, "--event", DAY, "--json"]) == 0
    )
    assert len(json.loads(capsys.readouterr().out)["participants"]) == 5
    session = "liboppi-dag-2023-formiddag"
    assert main(["participants", str(register), "--catalogue", EXAMPLE, "--session", session]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Namn;Organisation;Deltar;Underskrift"


def test_completion_reports_who_completed_and_why_not(tmp_path, capsys):
    """completion lists each participant and the count; attendance decides."""
    _, path = import_form(tmp_path)
    catalogue = libkurs.load(EXAMPLE)
    register = register_format.load(path)
    for session in ("liboppi-dag-2023-formiddag", "liboppi-dag-2023-eftermiddag"):
        register = record_attendance(register, catalogue, "e1", session, Presence.PRESENT).register
    register = record_attendance(
        register, catalogue, "e2", "liboppi-dag-2023-formiddag", Presence.PRESENT
    ).register
    register_format.dump(register, path)
    capsys.readouterr()
    assert (
        main(["completion", str(path), "--catalogue", EXAMPLE, "--target", DAY, "--share", "50%"])
        == 0
    )
    out = capsys.readouterr().out
    assert "p1 Anna Andersson: completed (2 of 2 sessions)" in out
    assert "p2 Matti Mäkinen: completed (1 of 2 sessions)" in out
    assert "p3 Åsa Öberg: not completed: attended 0 of 2 sessions (0 %); 50 % needed" in out
    assert out.strip().endswith("2 of 5 completed")


def test_a_missing_register_file_is_one_line(tmp_path, capsys):
    """A register file that does not exist: one line on stderr, exit 1."""
    missing = str(tmp_path / "nothing.json")
    assert main(["participants", missing, "--catalogue", EXAMPLE, "--event", DAY]) == 1
    err = capsys.readouterr().err
    assert err.startswith("libkurs: ")
    assert "nothing.json" in err
    assert len(err.strip().splitlines()) == 1


def test_an_unknown_event_is_one_line(tmp_path, capsys):
    """An event id that names nothing: one line on stderr, exit 1."""
    _, register = import_form(tmp_path)
    capsys.readouterr()
    assert main(["participants", str(register), "--catalogue", EXAMPLE, "--event", "nope"]) == 1
    assert capsys.readouterr().err.strip() == (
        "libkurs: target: no programme, event or run with id 'nope'"
    )


@pytest.mark.parametrize("share", ["80", "-1", "abc"])
def test_a_bad_share_is_a_usage_error(tmp_path, share, capsys):
    """--share outside 0..1 (or 0%..100%) is refused by the argument parser."""
    with pytest.raises(SystemExit) as caught:
        main(["completion", "r.json", "--catalogue", EXAMPLE, "--target", DAY, "--share", share])
    assert caught.value.code == 2


def test_now_without_a_zone_is_helsinki_time(tmp_path):
    """--now 2023-01-16T09:00 is read as Helsinki time."""
    _, register = import_form(tmp_path, "template.utf-8.csv")
    loaded = register_format.load(register)
    assert loaded.enrolments[0].requested == datetime(2023, 1, 12, 10, 15, 2, tzinfo=HELSINKI)


@pytest.mark.parametrize("option", ["--json", "--all"])
def test_a_sign_in_sheet_refuses_json_and_all(tmp_path, option, capsys):
    """--session with --json or --all is a usage error (exit 2), not silently ignored."""
    _, register = import_form(tmp_path)
    capsys.readouterr()
    session = "liboppi-dag-2023-formiddag"
    with pytest.raises(SystemExit) as caught:
        main(["participants", str(register), "--catalogue", EXAMPLE, "--session", session, option])
    assert caught.value.code == 2
    assert f"argument {option}: not allowed with argument --session" in capsys.readouterr().err


def test_output_reports_participants_written_and_is_private(tmp_path, capsys):
    """--output counts participants (not lines) and writes a file only its owner can read."""
    text = (
        "submitted,name,email,organisation\n"
        '2023-01-12 10:00:00,Anna,anna@esbo.fi,"Esbo\nstadsbibliotek"\n'
        "2023-01-12 11:00:00,Bo,bo@esbo.fi,Borgå\n"
    )
    form = tmp_path / "form.csv"
    form.write_text(text, encoding="utf-8")
    register = tmp_path / "register.json"
    assert main(["import-form", str(form), "--catalogue", EXAMPLE, "--register", str(register),
                 "--target", DAY, "--now", "2023-01-16T09:00"]) == 0  # fmt: skip
    for extra, name in (([], "list.csv"), (["--json"], "list.json")):
        output = tmp_path / name
        output.write_text("old")
        output.chmod(0o644)
        capsys.readouterr()
        assert main(["participants", str(register), "--catalogue", EXAMPLE, "--event", DAY,
                     "--output", str(output), *extra]) == 0  # fmt: skip
        assert capsys.readouterr().out.strip() == f"{output}: 2 participants written"
        assert output.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "form.csv", "list.csv", "list.json", "register.json"
    ]  # fmt: skip


def test_map_reads_headers_no_preset_knows(tmp_path, capsys):
    """--map HEADER=FIELD (repeatable) reads any header; an unknown field is a usage error."""
    form = tmp_path / "form.csv"
    form.write_text("När;Vem;Adress\n2023-01-12 10:00:00;Anna;anna@esbo.fi\n", encoding="utf-8")
    register = tmp_path / "register.json"
    base = ["import-form", str(form), "--catalogue", EXAMPLE, "--register", str(register),
            "--target", DAY, "--now", "2023-01-16T09:00"]  # fmt: skip
    maps = ["--map", "När=submitted", "--map", "Vem=name", "--map", "Adress=email"]
    assert main([*base, *maps]) == 0
    assert "1 enrolled (1 confirmed)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as caught:
        main([*base, "--map", "Vem=namn"])
    assert caught.value.code == 2
    assert "no form field 'namn'" in capsys.readouterr().err


def test_date_order_reads_ambiguous_dates(tmp_path, capsys):
    """12/01/2023 is refused without --date-order and read as 12 January with day-first."""
    form = tmp_path / "form.csv"
    form.write_text("Timestamp,Email address,Name\n12/01/2023 10:15:30,a@esbo.fi,A\n")
    register = tmp_path / "register.json"
    base = ["import-form", str(form), "--preset", "google-forms", "--catalogue", EXAMPLE,
            "--register", str(register), "--target", DAY, "--now", "2023-01-16T09:00"]  # fmt: skip
    assert main(base) == 1
    assert "ambiguous date" in capsys.readouterr().err
    assert main([*base, "--date-order", "day-first"]) == 0
    (enrolment,) = register_format.load(register).enrolments
    assert enrolment.requested == datetime(2023, 1, 12, 10, 15, 30, tzinfo=HELSINKI)


def test_a_register_in_a_missing_folder_is_named(tmp_path, capsys):
    """The error names the register path, not the temporary file written first."""
    register = tmp_path / "no-such-folder" / "register.json"
    status = main(["import-form", str(FORMS / "webropol.cp1252.csv"), "--preset", "webropol",
                   "--catalogue", EXAMPLE, "--register", str(register), "--target", DAY,
                   "--now", "2023-01-16T09:00"])  # fmt: skip
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith(f"libkurs: {register}: ")
    assert ".register.json." not in err


def test_a_failed_import_leaves_an_existing_register_byte_for_byte(tmp_path, capsys):
    """A bad row in a second import changes nothing in the register file already there."""
    status, register = import_form(tmp_path)
    assert status == 0
    before = register.read_bytes()
    status, _ = import_form(tmp_path, "bad-email.csv")
    assert status == 1
    assert register.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["register.json"]


def test_hints_name_the_command_line_option(tmp_path, capsys):
    """UTF-16 without a byte-order mark: the hint names --encoding, not Python."""
    status, _ = import_form(tmp_path, "utf-16-without-bom.csv")
    assert status == 1
    err = capsys.readouterr().err
    assert "give the encoding utf-16-le (--encoding in the command line)" in err
    assert "encoding=" not in err


def test_reenrol_enrols_again_someone_who_withdrew(tmp_path, capsys):
    """After a withdrawal, a re-import counts five already enrolled; with --reenrol, four."""
    _, register = import_form(tmp_path)
    catalogue = libkurs.load(EXAMPLE)
    loaded = register_format.load(register)
    moment = datetime(2023, 1, 16, 8, tzinfo=HELSINKI)
    register_format.dump(withdraw(loaded, catalogue, "e1", now=moment).register, register)
    import_form(tmp_path)
    assert "0 enrolled (none), 5 already enrolled" in capsys.readouterr().out
    import_form(tmp_path, "webropol.cp1252.csv", "--reenrol")
    assert "1 enrolled (1 confirmed), 4 already enrolled" in capsys.readouterr().out


# The workflow commands: enrol, withdraw, approve, attend, waiting-list.

MORNING, AFTERNOON = "liboppi-dag-2023-formiddag", "liboppi-dag-2023-eftermiddag"


@pytest.fixture
def small_day(tmp_path):
    """The seed catalogue with two places and a waiting list on the Liboppi day."""
    catalogue = libkurs.load(EXAMPLE)
    day = catalogue.event(DAY)
    settings = libkurs.EnrolmentSettings(capacity=2)
    path = tmp_path / "catalogue.json"
    libkurs.dump(catalogue.replace_event(attrs.evolve(day, enrolment=settings)), path)
    return str(path)


def shell(*arguments):
    return main([str(a) for a in arguments])


def enrol_three(catalogue, register):
    for minute, (name, email) in enumerate(
        [
            ("Anna A", "anna@bib.example.fi"),
            ("Bo B", "bo@bib.example.fi"),
            ("Cia C", "cia@bib.example.fi"),
        ]
    ):
        status = shell(
            "enrol", register, "--catalogue", catalogue, "--target", DAY,
            "--email", email, "--name", name, "--now", f"2023-01-05T10:0{minute}",
        )  # fmt: skip
        assert status == 0


def test_enrol_adds_a_participant_by_email_and_writes_a_private_register(tmp_path, capsys):
    """enrol --email --name adds the participant, confirms them, and keeps the file private."""
    register = tmp_path / "register.json"
    status = shell(
        "enrol", register, "--catalogue", EXAMPLE, "--target", DAY,
        "--email", "anna@bib.example.fi", "--name", "Anna A", "--now", "2023-01-05T10:00",
    )  # fmt: skip
    assert status == 0
    assert capsys.readouterr().out.splitlines()[0] == f"e1: p1 Anna A: confirmed in {DAY}"
    assert (register.stat().st_mode & 0o777) == 0o600
    saved = register_format.load(register)
    assert saved.enrolment_of("p1", DAY).status.value == "confirmed"
    again = shell(
        "enrol", register, "--catalogue", EXAMPLE, "--target", "slutseminarium-service-design",
        "--email", "ANNA@bib.example.fi", "--json",
    )  # fmt: skip
    assert again == 0
    document = json.loads(capsys.readouterr().out)
    assert document["enrolments"][0]["participant"] == "p1", "found by e-mail, not added twice"
    assert len(register_format.load(register).participants) == 1


def test_a_full_day_puts_the_third_on_the_waiting_list(tmp_path, small_day, capsys):
    """With two places the third is waitlisted, and waiting-list shows them first in line."""
    register = tmp_path / "register.json"
    enrol_three(small_day, register)
    capsys.readouterr()
    assert shell("waiting-list", register, "--catalogue", small_day, "--target", DAY) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1. e3: p3 Cia C (on_site, since 2023-01-05T10:02:00+02:00)")
    assert lines[-1] == f"1 waiting for {DAY}"
    assert shell("waiting-list", register, "--catalogue", small_day, "--target", DAY, "--json") == 0
    waiting = json.loads(capsys.readouterr().out)["waiting"]
    assert [(w["position"], w["participant"]) for w in waiting] == [(1, "p3")]


def test_withdraw_gives_the_place_to_the_next_in_line(tmp_path, small_day, capsys):
    """withdraw by participant and target frees a place that the waiting p3 gets at once."""
    register = tmp_path / "register.json"
    enrol_three(small_day, register)
    capsys.readouterr()
    status = shell(
        "withdraw", register, "--catalogue", small_day, "--participant", "p1", "--target", DAY,
        "--now", "2023-01-06T09:00", "--json",
    )  # fmt: skip
    assert status == 0
    document = json.loads(capsys.readouterr().out)
    assert [(e["participant"], e["status"]) for e in document["enrolments"]] == [
        ("p1", "withdrawn"),
        ("p3", "confirmed"),
    ]
    assert [n["kind"] for n in document["notifications"]] == ["withdrawn", "promoted"]
    assert register_format.load(register).enrolment_of("p3", DAY).status.value == "confirmed"


def test_approve_confirms_a_requested_enrolment(tmp_path, capsys):
    """enrol --approval waits as requested; approve confirms it and says whom to notify."""
    register = tmp_path / "register.json"
    shell(
        "enrol", register, "--catalogue", EXAMPLE, "--target", DAY, "--approval",
        "--email", "anna@bib.example.fi", "--name", "Anna A", "--now", "2023-01-05T10:00",
    )  # fmt: skip
    assert "requested" in capsys.readouterr().out
    assert shell("approve", register, "--catalogue", EXAMPLE, "--enrolment", "e1") == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"e1: p1 Anna A: confirmed in {DAY}", "  notify p1 (e1): confirmed"]


def test_attend_by_ids_and_by_sign_in_sheet_gives_completion(tmp_path, capsys):
    """Attendance recorded from ids and from a signed sheet makes `completion` count it."""
    register = tmp_path / "register.json"
    enrol_three(EXAMPLE, register)
    sheet = tmp_path / "sheet.csv"
    shell("participants", register, "--catalogue", EXAMPLE, "--session", MORNING, "--output", sheet)
    text = sheet.read_text(encoding="utf-8-sig")
    signed = text.replace("Anna A;;på plats;", "Anna A;;på plats;Anna A").replace(
        "Bo B;;på plats;", "Bo B;;på plats;delvis"
    )
    sheet.write_text(signed, encoding="utf-8-sig", newline="")
    capsys.readouterr()
    assert (
        shell("attend", register, "--catalogue", EXAMPLE, "--session", MORNING, "--sign-in", sheet)
        == 0
    )
    assert capsys.readouterr().out.strip() == (
        f"{MORNING}: attendance recorded for 3 (1 present, 1 absent, 1 partial)"
    )
    assert (
        shell(
            "attend",
            register,
            "--catalogue",
            EXAMPLE,
            "--session",
            AFTERNOON,
            "--participant",
            "p1",
            "p2",
        )
        == 0
    )
    capsys.readouterr()
    assert shell("completion", register, "--catalogue", EXAMPLE, "--target", DAY) == 0
    report = capsys.readouterr().out.splitlines()
    assert report[0] == "p1 Anna A: completed (2 of 2 sessions)"
    assert report[-1] == "1 of 3 completed"


def test_a_sheet_with_an_unknown_name_records_nothing(tmp_path, capsys):
    """A name on the sheet that is nobody's: one line naming the row, the register untouched."""
    register = tmp_path / "register.json"
    enrol_three(EXAMPLE, register)
    before = register.read_bytes()
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Namn;Organisation;Deltar;Underskrift\nAnna A;;;x\nNiemand;;;x\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert (
        shell("attend", register, "--catalogue", EXAMPLE, "--session", MORNING, "--sign-in", sheet)
        == 1
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        (
            f"libkurs: {sheet}: row 2: column 'Namn': 'Niemand' is not a confirmed participant "
            f"of session '{MORNING}'"
        )
    ]
    assert register.read_bytes() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["withdraw", "--enrolment", "e9"], "libkurs: no enrolment with id 'e9'"),
        (
            ["approve", "--enrolment", "e1"],
            "libkurs: status: enrolment 'e1' cannot go from confirmed to confirmed",
        ),
        (
            ["attend", "--session", MORNING, "--participant", "p9"],
            "libkurs: no participant with id 'p9'",
        ),
        (
            ["waiting-list", "--target", "finns-inte"],
            "libkurs: target: no programme, event or run with id 'finns-inte'",
        ),
        (
            ["enrol", "--target", DAY, "--participant", "p1"],
            f"libkurs: participant: 'p1' is already enrolled in '{DAY}' (confirmed)",
        ),
    ],
)
def test_a_refused_command_is_one_line_and_changes_nothing(tmp_path, capsys, arguments, message):
    """Unknown ids and refused rules print one line, exit 1 and leave the register as it was."""
    register = tmp_path / "register.json"
    enrol_three(EXAMPLE, register)
    before = register.read_bytes()
    capsys.readouterr()
    command, *rest = arguments
    assert shell(command, register, "--catalogue", EXAMPLE, *rest) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [message]
    assert register.read_bytes() == before
