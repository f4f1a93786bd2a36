"""What ``libkurs sync`` makes of its TARGET and credentials, and how it shows a refused dry run."""

from __future__ import annotations

import argparse
import base64
import json
import shutil
from pathlib import Path

import pytest

from libkurs.cli._sync import add_command, run
from sync.loopback import CALENDAR_PROPFIND, Script, serve
from sync.servers import PASSWORD, USER


def parse(*argv: str) -> argparse.Namespace:
    """Parse ``libkurs sync …`` with a parser that has only the sync command."""
    parser = argparse.ArgumentParser(prog="libkurs")
    add_command(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["sync", *argv])


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    """The error printed: exactly one line on stderr, no traceback."""
    err = capsys.readouterr().err
    assert err.startswith("libkurs: "), err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    "target", ["http://kim:hemligt@127.0.0.1:99999/cal/", "http://kim:hemligt@[::1/cal/"]
)
def test_a_malformed_url_is_one_line_without_credentials(
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A bad port or IPv6 address: one line on stderr, status 2, no password shown."""
    monkeypatch.chdir(tmp_path)
    catalogue = str(Path(__file__).parents[2] / "examples" / "catalogue.json")
    assert run(parse(catalogue, target, "--state", str(tmp_path / "s"))) == 2
    assert "hemligt" not in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["HTTP://127.0.0.1:9/cal/", "Https://127.0.0.1:9/cal/"])
def test_http_scheme_is_matched_whatever_its_case(
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """HTTP:// is a server to reach (and fails to connect here), not a directory to make."""
    monkeypatch.chdir(tmp_path)
    catalogue = str(Path(__file__).parents[2] / "examples" / "catalogue.json")
    assert run(parse(catalogue, target, "--state", str(tmp_path / "s"))) == 5
    one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["ftp://example.org/cal/", "webcal://example.org/cal.ics"])
def test_a_url_of_another_scheme_is_refused(
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A TARGET that looks like a URL but is not http(s) is refused, not made a directory."""
    monkeypatch.chdir(tmp_path)
    catalogue = str(Path(__file__).parents[2] / "examples" / "catalogue.json")
    assert run(parse(catalogue, target)) == 2
    assert "http:// or https://" in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def _user_sent(script: Script) -> str:
    header = script.requests[0].headers["Authorization"]
    return base64.b64decode(header.split()[1]).decode().split(":", 1)[0]


def test_password_from_the_environment_takes_the_user_name_from_netrc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """LIBKURS_PASSWORD without --username: the user name is the netrc entry's for the host."""
    monkeypatch.setenv("LIBKURS_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password not-this-one\n")
    netrc.chmod(0o600)
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND)])
    with serve(script) as base:
        run(parse("examples/catalogue.json", f"{base}/cal/", "--state", str(tmp_path / "s")))
    assert _user_sent(script) == USER
    assert base64.b64decode(script.requests[0].headers["Authorization"].split()[1]).decode() == (
        f"{USER}:{PASSWORD}"
    )
    capsys.readouterr()


def test_password_from_the_environment_without_a_user_name_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """LIBKURS_PASSWORD, no --username and no netrc entry: one line asking for --username."""
    monkeypatch.setenv("LIBKURS_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))
    script = Script()
    with serve(script) as base:
        status = run(
            parse("examples/catalogue.json", f"{base}/cal/", "--state", str(tmp_path / "s"))
        )
    assert status == 2
    error = one_line_error(capsys)
    assert "--username" in error
    assert PASSWORD not in error
    assert script.requests == []


def test_dry_run_shows_what_the_safety_valve_would_refuse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--dry-run of a plan that deletes too much lists the deletes, flags it, exits 3."""
    calendar, state = str(tmp_path / "cal"), str(tmp_path / "s")
    assert run(parse("examples/catalogue.json", calendar, "--state", state, "--create")) == 0
    empty = tmp_path / "empty.json"
    shutil.copy("examples/catalogue.json", empty)
    document = json.loads(empty.read_text())
    for event in document["events"]:
        event["sessions"] = []
    empty.write_text(json.dumps(document))
    capsys.readouterr()
    assert run(parse(str(empty), calendar, "--state", state, "--dry-run", "--json")) == 3
    report = json.loads(capsys.readouterr().out)
    assert report["deleted"] == 3
    assert "3 of the 3" in report["refused"]
    assert [item["outcome"] for item in report["items"]] == ["deleted"] * 3
    assert run(parse(str(empty), calendar, "--state", state, "--dry-run")) == 3
    out = capsys.readouterr().out
    assert out.startswith("would be: 3 deleted")
    assert "refused: the sync would delete 3 of the 3" in out
    assert len(list((tmp_path / "cal").glob("*.ics"))) == 3


def test_readme_demo_syncs_the_example_without_a_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`libkurs sync examples/catalogue.json DIR` works: the example has a name, so a key."""
    argv = ("examples/catalogue.json", str(tmp_path / "cal"), "--state", str(tmp_path / "s"))
    assert run(parse(*argv, "--create")) == 0
    assert capsys.readouterr().out.startswith("3 created")
    assert run(parse(*argv)) == 0
    assert capsys.readouterr().out.startswith("3 unchanged")


def test_catalogue_without_name_or_publisher_asks_for_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A catalogue with neither name nor publisher: one line naming --key; --key makes it go."""
    nameless = tmp_path / "nameless.json"
    document = json.loads(Path("examples/catalogue.json").read_text())
    document.pop("name")
    nameless.write_text(json.dumps(document))
    argv = (str(nameless), str(tmp_path / "cal"), "--state", str(tmp_path / "s"), "--create")
    assert run(parse(*argv)) == 2
    assert "--key" in one_line_error(capsys)
    assert not (tmp_path / "cal").exists()
    assert run(parse(*argv, "--key", "fortbildning")) == 0
