"""The libkurs command: validate and show, one readable line for bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from libkurs.cli import main

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "catalogue.json")


def test_validate_reports_what_it_found(capsys):
    """validate prints a one-line summary and exits 0 for a valid file."""
    assert main(["validate", EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert "valid: 5 events, 3 sessions, 1 programmes" in out


def test_show_lists_the_catalogue_in_swedish(capsys):
    """show --lang sv lists titles, dates and remote participation in Swedish."""
    assert main(["show", EXAMPLE, "--lang", "sv"]) == 0
    out = capsys.readouterr().out
    assert "Slutseminarium för AKEpampas pilotprojekt i service design" in out
    assert "2023-02-01 12.00–16.00 (Europe/Helsinki)" in out
    assert "på distans (Zoom)" in out
    assert "datum inte fastställt" in out


def test_show_falls_back_for_other_languages(capsys):
    """show --lang fi uses Finnish labels and falls back to Swedish text."""
    assert main(["show", EXAMPLE, "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert "etänä (Zoom)" in out
    assert "Tillsammans kan vi!" in out


def _session(**changes):
    session = {
        "id": "s",
        "start": "2023-02-01T12:00:00+02:00[Europe/Helsinki]",
        "end": "2023-02-01T16:00:00+02:00[Europe/Helsinki]",
        **changes,
    }
    return [session]


def _document(**event):
    body = {"id": "e", "title": {"sv": "x"}, "sessions": _session(), **event}
    return json.dumps({"format": "libkurs.catalogue", "version": 1, "events": [body]})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        (
            _document(sessions=_session(end="2023-02-01T11:00:00+02:00[Europe/Helsinki]")),
            "events[0].sessions[0].end: ends (",
        ),
        (
            _document(sessions=_session(start="2023-02-01T12:00:00")),
            "events[0].sessions[0].start: naive date and time",
        ),
        (_document(room="B12"), "events[0]: unknown key 'room'"),
        (_document(revision="3"), "events[0].revision: expected an integer, got a string"),
        (json.dumps({"format": "libkurs.catalogue", "version": 7}), "unknown schema version 7"),
        (_document(sessions=_session(id="e")), "events[0].sessions[0].id: duplicate id 'e'"),
        (_document(organisers=["rfv"]), "events[0].organisers[0]: refers to 'rfv'"),
    ],
    ids=[
        "not-json",
        "end-before-start",
        "naive-datetime",
        "unknown-key",
        "wrong-type",
        "unknown-version",
        "duplicate-id",
        "dangling-reference",
    ],
)
def test_bad_input_prints_one_line_and_exits_1(tmp_path, content, expected):
    """Bad input gives exactly one line on stderr, no traceback, and exit status 1."""
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "libkurs", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"libkurs: {path}: ")
    assert expected in lines[0]


def test_missing_file_is_one_line(tmp_path, capsys):
    """A file that does not exist is reported in one line with exit status 1."""
    assert main(["validate", str(tmp_path / "nowhere.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "No such file" in err


def test_unknown_suffix_is_one_line(tmp_path, capsys):
    """A file of an unknown format is reported in one line with exit status 1."""
    path = tmp_path / "c.yaml"
    path.write_text("x")
    assert main(["show", str(path)]) == 1
    assert "cannot tell the format" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    """A wrong command line exits 2 with argparse's usage message."""
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


def test_show_refuses_a_language_that_is_no_tag(capsys):
    """--lang takes a language tag; anything else is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        main(["show", EXAMPLE, "--lang", "xx!"])
    assert caught.value.code == 2
    assert "not a language tag" in capsys.readouterr().err


def test_console_script_and_module_agree():
    """The installed `libkurs` script runs the same main as `python -m libkurs`."""
    script = Path(sys.executable).with_name("libkurs")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("libkurs ")


def test_a_closed_pipe_is_not_a_traceback():
    """`libkurs show … | head -1` ends quietly, without a BrokenPipeError traceback."""
    result = subprocess.run(
        f"{sys.executable} -m libkurs show {EXAMPLE} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "Service design och kundbetjäning"
    assert "Traceback" not in result.stderr


ICS = Path(__file__).parents[2] / "tests" / "data" / "ics"


def test_validate_calendar_with_one_broken_vevent_counts_the_good_and_names_the_broken(capsys):
    """validate reads the three good VEVENTs, names the broken one by line and UID, exits 0."""
    assert main(["validate", str(ICS / "one-broken-among-good.ics")]) == 0
    captured = capsys.readouterr()
    assert "valid: 3 events, 3 sessions, 0 programmes, 1 warnings" in captured.out
    (warning,) = captured.err.splitlines()
    assert "warning: line 21 (UID kurs-3@example.fi): impossible date" in warning
    assert "skipped" in warning


def test_validate_strict_refuses_the_calendar_in_one_line_without_a_traceback():
    """--strict: exit 1 and one line naming the file and the line, no traceback."""
    path = ICS / "one-broken-among-good.ics"
    completed = subprocess.run(
        [sys.executable, "-m", "libkurs", "validate", "--strict", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    (line,) = completed.stderr.splitlines()
    assert line.startswith("libkurs: ")
    assert "line 21: impossible date" in line
    assert "Traceback" not in completed.stderr


def test_validate_calendar_with_nothing_usable_left_fails(capsys):
    """A calendar whose every VEVENT is broken: the warnings, then exit 1."""
    assert main(["validate", str(ICS / "bad" / "impossible-date.ics")]) == 1
    err = capsys.readouterr().err
    assert "line 7" in err
    assert "nothing usable is left" in err.splitlines()[-1]
