"""Hostile input on the command line: one readable line, never a traceback or a raw escape."""

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import libkurs
from libkurs import Catalogue, Event, LocalizedText, Session
from libkurs.cli import EXIT_BUG, main
from libkurs.cli._terminal import printable

ROOT = Path(__file__).parents[2]
EXAMPLE = str(ROOT / "examples" / "catalogue.json")
ESCAPES = ["\x1b", "\x9b", "\x07", "\x08", "\r", "\u202e"]


def one_line_error(capsys):
    captured = capsys.readouterr()
    assert captured.err.startswith("libkurs: ")
    assert captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err
    return captured.err


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Kurs\x1b]0;pwned\x07", "Kurs\\x1b]0;pwned\\x07"),
        ("Kurs\x9b2J", "Kurs\\x9b2J"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("A\rB\x08", "A\\x0dB\\x08"),
        ("Tab\tand\nnewline", "Tab\tand\nnewline"),
        ("Åsa Öberg ＝ 😀", "Åsa Öberg ＝ 😀"),
    ],
)
def test_printable_shows_what_a_terminal_would_obey(text, shown):
    """Escapes, C1 controls, returns and bidi overrides are written as escapes; text stays."""
    assert printable(text) == shown


def test_show_prints_escape_sequences_in_titles_visibly(tmp_path, capsys):
    """A title with a one-byte CSI and a bidi override from elsewhere is shown, not obeyed."""
    catalogue = libkurs.load(EXAMPLE)
    event = catalogue.events[0]
    title = LocalizedText({"sv": "Kurs\x9b2J\u202eslut", "fi": "Kurssi\x85"})
    path = tmp_path / "c.json"
    libkurs.dump(Catalogue(events=[type(event)(id="e", title=title)]), path)
    assert main(["show", str(path), "--lang", "sv"]) == 0
    out = capsys.readouterr().out
    assert "Kurs\\x9b2J\\u202eslut" in out
    assert not any(escape in out for escape in ESCAPES)


def test_an_error_quoting_hostile_input_prints_it_visibly(tmp_path, capsys):
    """A file named with an escape sequence and a bad key in it: one line, escapes shown."""
    path = tmp_path / "x\x1b[2J.json"
    document = json.loads(Path(EXAMPLE).read_text(encoding="utf-8"))
    document["events"][0]["ti\x1btle"] = "x"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = one_line_error(capsys)
    assert "\x1b" not in err
    assert "\\x1b" in err


def test_a_session_from_tokyo_ending_in_9999_is_refused_by_validate(tmp_path, capsys):
    """validate refuses it with the field path, so show and the writers never see it."""
    tokyo = ZoneInfo("Asia/Tokyo")
    document = libkurs.dumps(
        Catalogue(
            events=[
                Event(
                    id="e",
                    title=LocalizedText({"sv": "Kurs"}),
                    sessions=[
                        Session(
                            id="s",
                            start=datetime(2024, 1, 1, 9, tzinfo=tokyo),
                            end=datetime(2024, 1, 1, 10, tzinfo=tokyo),
                        )
                    ],
                )
            ]
        ),
        "json",
    ).replace("2024-01-01T10:00:00+09:00", "9999-12-31T23:00:00+09:00")
    path = tmp_path / "tokyo.json"
    path.write_text(document, encoding="utf-8")
    for command in ("validate", "show"):
        assert main([command, str(path)]) == 1
        err = one_line_error(capsys)
        assert "events[0].sessions[0].end" in err
        assert "out of range" in err


@pytest.mark.parametrize(
    ("data", "extra", "words"),
    [
        (b"Namn,E-post," + b"x" * 200_000 + b"\nA,a@b.fi,c\n", [], "line 1"),
        (b"Namn,E-post" + b"," * 1_000_000 + b"\nA,a@b.fi\n", [], "at most 1000"),
        (b"Namn,E-post\nA,a@b.fi\n", ["--encoding", "punycode"], "punycode"),
    ],
    ids=["huge-header", "million-columns", "punycode"],
)
def test_a_hostile_form_export_is_one_line(tmp_path, capsys, data, extra, words):
    """import-form on a broken export prints one line naming the place, and changes nothing."""
    form = tmp_path / "form.csv"
    form.write_bytes(data)
    register = tmp_path / "register.json"
    status = main(
        ["import-form", str(form), "--catalogue", EXAMPLE, "--register", str(register),
         "--target", "liboppi-dag-2023", "--now", "2023-01-16T09:00", *extra]
    )  # fmt: skip
    assert status == 1
    assert words in one_line_error(capsys)
    assert not register.exists()


def test_an_unforeseen_error_is_one_line_that_calls_itself_a_bug(monkeypatch, capsys):
    """Were a reader to raise something foreign, the command says so in one line, status 70."""

    def broken(*args, **kwargs):
        raise TypeError("unhashable type: 'list'")

    monkeypatch.setattr(libkurs, "load", broken)
    assert main(["validate", EXAMPLE]) == EXIT_BUG
    err = one_line_error(capsys)
    assert "TypeError" in err
    assert "bug" in err


def test_the_command_never_prints_a_traceback_for_bad_input(tmp_path):
    """Run as a process on hostile files of each reader: exit 1, one error line on stderr.

    A lenient reader's warnings come first, one line each, as ``libkurs validate`` reports them.
    """
    files = {
        "a.linkedevents.json": '{"data": [{"id": "x:1", "name": {"fi": "a"}, "event_status": []}]}',
        "b.json": '{"format": "libkurs.catalogue", "version": 1, "events": [[]]}',
        "c.ics": "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:99991231T235959Z\r\n",
        "d.json": "[" * 100_000,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        completed = subprocess.run(
            [sys.executable, "-m", "libkurs", "validate", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert completed.returncode == 1, (name, completed.stderr)
        lines = completed.stderr.splitlines()
        errors = [line for line in lines if ": warning: " not in line]
        assert len(errors) == 1, (name, completed.stderr)
        assert completed.stderr.count("\n") == len(lines), (name, completed.stderr)
        assert "Traceback" not in completed.stderr


def test_a_warning_is_one_line_and_the_command_goes_on(tmp_path, capsys):
    """A Linked Events event without end_time: validate warns in one line and exits 0."""
    path = tmp_path / "x.linkedevents.json"
    path.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "id": "helsinki:a",
                        "name": {"fi": "A"},
                        "start_time": "2023-01-01T10:00:00Z",
                        "end_time": None,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("libkurs: warning: data[0].end_time is null")
    assert captured.err.count("\n") == 1
    assert "1 events, 1 sessions" in captured.out
