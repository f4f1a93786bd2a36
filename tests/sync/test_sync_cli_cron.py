"""``libkurs sync`` as cron runs it: exit codes, --quiet, --json, credentials, targets, keys."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import libkurs
from libkurs.cli._sync import ExitCode, add_command, run
from libkurs.cli._terminal import printable
from sync.catalogues import catalogue
from sync.loopback import Script, serve
from sync.rewriting import PRECONDITION_403, Refusal, rewriting_proxy
from sync.servers import Server, make_calendar


def parse(*argv: str) -> argparse.Namespace:
    """Parse ``libkurs sync …`` with a parser that has only the sync command."""
    parser = argparse.ArgumentParser(prog="libkurs")
    add_command(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["sync", *argv])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A catalogue file of five sessions."""
    path = tmp_path / "kurser.json"
    libkurs.dump(catalogue(5), path)
    return path


def test_exit_codes_are_distinct_and_documented() -> None:
    """Every exit code has its own number and is listed in docs/reference/cli.md."""
    assert len({int(code) for code in ExitCode}) == len(ExitCode)
    page = (Path(__file__).parents[2] / "docs" / "reference" / "cli.md").read_text()
    for code in ExitCode:
        assert f"| {int(code)} | `{code.name}`" in page, code


def test_quiet_prints_nothing_in_step_and_reports_a_conflict_with_the_partial_code(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--quiet is silent when in step; a conflict is printed, and exits PARTIAL (1)."""
    target, state = tmp_path / "cal", str(tmp_path / "s")
    argv = (str(source), str(target), "--state", state, "--key", "k", "--quiet")
    assert run(parse(*argv, "--create")) == ExitCode.IN_STEP
    assert run(parse(*argv)) == ExitCode.IN_STEP
    assert capsys.readouterr() == ("", "")
    edited = target / "kurs-2@libkurs.ics"
    edited.write_bytes(edited.read_bytes().replace(b":Kurs i", b":Flyttad: Kurs i"))
    assert run(parse(*argv)) == ExitCode.PARTIAL
    out = capsys.readouterr().out
    assert "1 conflict" in out
    assert "conflict: kurs-2@libkurs.ics: edited in the calendar; kept" in out


def test_json_always_prints_one_object_with_an_error_when_the_run_did_not_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing catalogue or an unreachable server still prints one JSON object."""
    assert run(parse(str(tmp_path / "nope.json"), str(tmp_path), "--json")) == 2
    printed = json.loads(capsys.readouterr().out)
    assert printed["exit_code"] == ExitCode.BAD_INPUT
    assert "nope.json" in printed["error"]
    argv = ("examples/catalogue.json", "http://127.0.0.1:9/cal/", "--json")
    assert run(parse(*argv, "--state", str(tmp_path / "s"))) == ExitCode.UNAVAILABLE
    printed = json.loads(capsys.readouterr().out)
    assert (printed["exit_code"], bool(printed["error"])) == (5, True)


def test_a_refused_login_without_a_password_says_how_to_give_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """401 with no password given: exit 4, naming LIBKURS_PASSWORD and ~/.netrc."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("LIBKURS_PASSWORD", raising=False)
    monkeypatch.delenv("NETRC", raising=False)
    script = Script(default=lambda _request: (401, {"WWW-Authenticate": "Basic"}, b""))
    with serve(script) as base:
        argv = ("examples/catalogue.json", f"{base}/cal/", "--state", str(tmp_path / "s"))
        assert run(parse(*argv)) == ExitCode.LOGIN_REFUSED
    error = capsys.readouterr().err
    assert "LIBKURS_PASSWORD" in error
    assert ".netrc" in error
    assert error.count("\n") == 1


def test_a_netrc_that_others_can_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A world-readable ~/.netrc is refused (as ftp and curl do), and nothing is sent."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("LIBKURS_PASSWORD", raising=False)
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login kim password hemligt\n")
    netrc.chmod(0o644)
    script = Script()
    with serve(script) as base:
        argv = ("examples/catalogue.json", f"{base}/cal/", "--state", str(tmp_path / "s"))
        assert run(parse(*argv)) == ExitCode.BAD_INPUT
    error = capsys.readouterr().err
    assert "chmod 600" in error
    assert "hemligt" not in error
    assert script.requests == []


def test_a_password_over_plain_http_to_another_host_needs_an_explicit_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """http:// with a password to a host other than this one is refused before connecting."""
    monkeypatch.setenv("LIBKURS_PASSWORD", "p@ss:w/rd%")
    argv = ("examples/catalogue.json", "http://dav.example.invalid/cal/", "--username", "kim")
    assert run(parse(*argv, "--state", str(tmp_path / "s"))) == ExitCode.BAD_INPUT
    error = capsys.readouterr().err
    assert "--allow-insecure-http" in error
    assert "p@ss" not in error


@pytest.mark.parametrize("password", ["p@ss:w/rd%", "sp ace#frag?q=1", "ünï©ødé", "'quote\"d\\"])
def test_no_message_carries_the_password_whatever_the_url_holds(
    password: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A password in the URL, percent-encoded or not, never shows in the error."""
    from urllib.parse import quote

    for written in (quote(password, safe=""), quote(password)):
        target = f"http://kim:{written}@127.0.0.1:9/cal/"
        argv = ("examples/catalogue.json", target, "--state", str(tmp_path / "s"), "--json")
        code = run(parse(*argv))
        assert code in {ExitCode.UNAVAILABLE, ExitCode.BAD_INPUT}
        printed = capsys.readouterr()
        for text in (printed.out, printed.err):
            assert password not in text
            assert written not in text
            assert "CalDAVCalendar(" not in text


def test_a_missing_directory_target_needs_create(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped directory is not created and synced into; --create makes it."""
    target = tmp_path / "kalendrar" / "kurser"
    argv = (str(source), str(target), "--state", str(tmp_path / "s"), "--key", "k")
    assert run(parse(*argv)) == ExitCode.BAD_INPUT
    assert "--create" in capsys.readouterr().err
    assert not target.exists()
    assert run(parse(*argv, "--create")) == ExitCode.IN_STEP
    assert len(list(target.glob("*.ics"))) == 5


def test_an_empty_key_is_refused(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--key "" would own nothing in particular: refused."""
    argv = (str(source), str(tmp_path), "--key", "", "--state", str(tmp_path / "s"))
    assert run(parse(*argv)) == ExitCode.BAD_INPUT
    assert "--key" in capsys.readouterr().err
    assert list(tmp_path.glob("*.ics")) == []


def test_the_default_key_survives_renaming_a_catalogue_with_an_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A catalogue with an id keeps its key when renamed: its items stay its own."""
    path = tmp_path / "kurser.json"
    named = libkurs.LocalizedText({"sv": "Kurser våren 2030"})
    import attrs

    libkurs.dump(attrs.evolve(catalogue(3), id="kurser", name=named), path)
    argv = (str(path), str(tmp_path / "cal"), "--state", str(tmp_path / "s"), "--create")
    assert run(parse(*argv)) == ExitCode.IN_STEP
    renamed = libkurs.LocalizedText({"sv": "Fortbildning 2030"})
    libkurs.dump(attrs.evolve(catalogue(3, moved={1}), id="kurser", name=renamed), path)
    assert run(parse(*argv, "--json")) == ExitCode.IN_STEP
    printed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert (printed["updated"], printed["unchanged"], printed["conflicts"]) == (1, 2, 0)


def test_text_from_the_calendar_is_printed_with_escapes_made_visible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key or reason holding a terminal escape is shown as \\x1b, never sent raw."""
    evil = "kurs\x1b]8;;http://x\x07\x1b[2J"
    path = tmp_path / "kurser.json"
    libkurs.dump(catalogue(2), path)
    argv = (str(path), str(tmp_path / "cal"), "--state", str(tmp_path / "s"), "--create")
    assert run(parse(*argv, "--key", evil)) == ExitCode.IN_STEP
    capsys.readouterr()
    assert run(parse(*argv, "--key", "other")) == ExitCode.PARTIAL
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err
    assert "\\x1b]8;;http://x\\x07\\x1b[2J" in printed.out
    assert printable("Kurs i Åbo\u00a0") == "Kurs i Åbo\u00a0"


def test_one_put_in_ten_refused_exits_partial_and_names_the_precondition(
    radicale: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server refusing some items: the run completes, exits PARTIAL, and says why."""
    direct = make_calendar(radicale, "cron")
    puts = [0]

    def refuse(_path: str, _body: bytes) -> Refusal:
        puts[0] += 1
        return (403, PRECONDITION_403) if puts[0] % 10 == 0 else None

    path = tmp_path / "kurser.json"
    libkurs.dump(catalogue(20), path)
    with rewriting_proxy(radicale.port, refuse=refuse) as port:
        url = direct.replace(f":{radicale.port}/", f":{port}/")
        argv = (str(path), url, "--state", str(tmp_path / "s"), "--key", "k", "--json")
        assert run(parse(*argv)) == ExitCode.PARTIAL
    printed = json.loads(capsys.readouterr().out)
    assert (printed["created"], printed["failed"], printed["exit_code"]) == (18, 2, 1)
    reasons = [i["reason"] for i in printed["items"] if i["outcome"] == "failed"]
    assert all("unique-scheduling-object-resource" in reason for reason in reasons)


def test_connections_write_concurrently_and_failures_stay_per_item(
    radicale: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--connections 4 with some PUTs refused: the same report as one at a time, in step after."""
    direct = make_calendar(radicale, "cron")
    puts = [0]

    def refuse(_path: str, _body: bytes) -> Refusal:
        puts[0] += 1
        return (403, PRECONDITION_403) if puts[0] in {3, 7} else None

    path = tmp_path / "kurser.json"
    libkurs.dump(catalogue(20), path)
    with rewriting_proxy(radicale.port, refuse=refuse) as port:
        url = direct.replace(f":{radicale.port}/", f":{port}/")
        argv = (str(path), url, "--state", str(tmp_path / "s"), "--key", "k", "--json")
        assert run(parse(*argv, "--dry-run")) == ExitCode.IN_STEP
        planned = [i["uid"] for i in json.loads(capsys.readouterr().out)["items"]]
        assert run(parse(*argv, "--connections", "4")) == ExitCode.PARTIAL
        first = json.loads(capsys.readouterr().out)
        assert run(parse(*argv, "--connections", "4")) == ExitCode.IN_STEP
        second = json.loads(capsys.readouterr().out)
    assert (first["created"], first["failed"]) == (18, 2)
    assert [i["uid"] for i in first["items"]] == planned  # in plan order, however they finished
    assert (second["created"], second["unchanged"], second["failed"]) == (2, 18, 0)


@pytest.mark.parametrize("wrong", ["0", "17"])
def test_connections_out_of_range_are_bad_input(
    source: Path, wrong: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--connections 0 or 17 exits BAD_INPUT with one line, before anything is sent."""
    argv = (str(source), "http://127.0.0.1:9/cal/", "--key", "k", "--connections", wrong)
    assert run(parse(*argv)) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "connections must be a whole number from 1 to 16" in err
    assert err.count("\n") == 1
