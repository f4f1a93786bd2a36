"""The ``libkurs sync`` command, through its own handler and a small parser built here."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from libkurs.cli._sync import add_command, run
from sync.servers import PASSWORD, USER, Server, make_calendar


def parse(*argv: str) -> argparse.Namespace:
    """Parse ``libkurs sync …`` with a parser that has only the sync command."""
    parser = argparse.ArgumentParser(prog="libkurs")
    add_command(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["sync", *argv])


def report(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """The JSON report the last run printed."""
    printed: dict[str, object] = json.loads(capsys.readouterr().out)
    return printed


def test_sync_into_a_directory_then_again_reports_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first run creates an item per session; the second reports them all unchanged."""
    argv = ("examples/catalogue.json", str(tmp_path / "cal"), "--json", "--create")
    argv += ("--state", str(tmp_path / "state.json"))
    assert run(parse(*argv)) == 0
    first = report(capsys)
    assert {k: first[k] for k in ("created", "updated", "deleted", "unchanged", "conflicts")} == {
        "created": 3,
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
        "conflicts": 0,
    }
    assert len(list((tmp_path / "cal").glob("*.ics"))) == 3
    assert run(parse(*argv)) == 0
    second = report(capsys)
    assert (second["unchanged"], second["created"]) == (3, 0)


def test_dry_run_writes_nothing_and_says_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--dry-run prints what would change and leaves the directory alone."""
    args = parse("examples/catalogue.json", str(tmp_path / "cal"), "--dry-run", "--create")
    assert run(args) == 0
    assert capsys.readouterr().out.startswith("would be: 3 created")
    assert not (tmp_path / "cal").exists()


def test_sync_to_a_server_with_the_password_from_the_environment(
    radicale: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An http URL syncs to CalDAV; the password comes from LIBKURS_PASSWORD, never printed."""
    monkeypatch.setenv("LIBKURS_PASSWORD", PASSWORD)
    url = make_calendar(radicale)
    args = parse(
        "examples/catalogue.json", url, "--username", USER, "--json", "--state", str(tmp_path / "s")
    )
    assert run(args) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["created"] == 3
    assert PASSWORD not in captured.out + captured.err


def test_password_and_user_name_from_netrc(
    radicale: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without LIBKURS_PASSWORD, ~/.netrc gives the user name and password for the host."""
    monkeypatch.delenv("LIBKURS_PASSWORD", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password secret-word\n")
    netrc.chmod(0o600)
    url = make_calendar(radicale)
    assert run(parse("examples/catalogue.json", url, "--json", "--state", str(tmp_path / "s"))) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 3


def test_missing_catalogue_is_one_line_and_the_bad_input_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A catalogue that is not there is reported in one line on stderr, with status 2."""
    assert run(parse(str(tmp_path / "nope.json"), str(tmp_path / "cal"))) == 2
    err = capsys.readouterr().err
    assert err.startswith("libkurs: ")
    assert err.count("\n") == 1


def test_unreachable_server_is_one_line_and_the_try_later_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that does not answer gives one line on stderr and status 5, no traceback."""
    args = parse(
        "examples/catalogue.json", "http://127.0.0.1:9/cal/", "--state", str(tmp_path / "s")
    )
    assert run(args) == 5
    err = capsys.readouterr().err
    assert err.startswith("libkurs: ")
    assert "Traceback" not in err


def test_safety_valve_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Emptying the catalogue refuses to delete everything unless --force."""
    calendar = tmp_path / "cal"
    state = str(tmp_path / "s")
    assert run(parse("examples/catalogue.json", str(calendar), "--state", state, "--create")) == 0
    empty = tmp_path / "empty.json"
    shutil.copy("examples/catalogue.json", empty)
    document = json.loads(empty.read_text())
    for event in document["events"]:
        event["sessions"] = []
    empty.write_text(json.dumps(document))
    capsys.readouterr()
    assert run(parse(str(empty), str(calendar), "--state", state)) == 3
    assert "force" in capsys.readouterr().err
    assert run(parse(str(empty), str(calendar), "--state", state, "--force", "--json")) == 0
    assert report(capsys)["deleted"] == 3


class _Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self) -> bool:
        """Yes, a terminal."""
        return True


def test_progress_goes_to_stderr_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal, each item's outcome is shown on stderr as it is done."""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert run(parse("examples/catalogue.json", str(tmp_path / "cal"), "--create")) == 0
    assert terminal.getvalue().count("created ") == 3
    assert "3/3" in terminal.getvalue()
    assert capsys.readouterr().out.startswith("3 created")


def test_default_state_goes_to_the_state_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --state, the state is kept under $XDG_STATE_HOME/libkurs/sync."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert run(parse("examples/catalogue.json", str(tmp_path / "cal"), "--create")) == 0
    assert len(list((tmp_path / "state" / "libkurs" / "sync").glob("*.json"))) == 1
