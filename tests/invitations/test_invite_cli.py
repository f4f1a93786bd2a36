"""``libkurs invite`` and ``libkurs replies``: a real SMTP server, files, one line on errors."""

from __future__ import annotations

import json
import mailbox

import pytest

import libkurs
from invitations.helpers import NOW, SENDER, course, enrolled, reply
from libkurs.cli import main
from libkurs.cli._sync import ExitCode
from libkurs.enrolment import EnrolmentStatus
from libkurs.formats import register as register_format


@pytest.fixture
def files(tmp_path):
    """A catalogue of 2 places and a register of 3 enrolled, as files."""
    catalogue = course(capacity=2)
    libkurs.dump(catalogue, tmp_path / "kurs.json")
    register_format.dump(enrolled(catalogue, 3), tmp_path / "register.json")
    return tmp_path / "kurs.json", tmp_path / "register.json"


def _invite(files, *extra):
    catalogue, register = files
    return main(["invite", str(catalogue), str(register), "--from", SENDER, *extra])


def test_invite_sends_once_and_then_nothing(files, smtp_server, capsys):
    """Two runs: the first sends two invitations, the second nothing; exit 0; no address shown."""
    url, inbox = smtp_server
    assert _invite(files, "--smtp", url, "--now", NOW.isoformat()) == ExitCode.IN_STEP
    out = capsys.readouterr().out
    assert "2 messages sent, 0 failed" in out
    assert "@" not in out.replace(SENDER, "")
    assert len(inbox.received) == 2
    assert _invite(files, "--smtp", url, "--json") == ExitCode.IN_STEP
    assert json.loads(capsys.readouterr().out)["sent"] == 0
    assert len(inbox.received) == 2
    assert (files[1].parent / "register.json.invitations.json").stat().st_mode & 0o077 == 0


def test_dry_run_prints_the_plan_and_sends_nothing(files, smtp_server, capsys):
    """--dry-run --json lists the REQUESTs with ids, sends nothing, writes no journal."""
    url, inbox = smtp_server
    assert _invite(files, "--smtp", url, "--dry-run", "--json") == ExitCode.IN_STEP
    report = json.loads(capsys.readouterr().out)
    assert report["planned"] == 2
    assert [m["participant"] for m in report["messages"]] == ["p1", "p2"]
    assert {m["method"] for m in report["messages"]} == {"REQUEST"}
    assert inbox.received == []
    assert not (files[1].parent / "register.json.invitations.json").exists()


def test_replies_from_a_maildir_withdraw_and_promote(files, tmp_path, capsys):
    """invite into a Maildir, a decline into another; replies withdraws p1 and confirms p3."""
    _invite(files, "--maildir", str(tmp_path / "out"), "--now", NOW.isoformat())
    capsys.readouterr()
    sent = mailbox.Maildir(tmp_path / "out")
    (first,) = [m.as_bytes() for m in sent if "p1@" in str(m["To"])]
    box = mailbox.Maildir(tmp_path / "in", create=True)
    box.add(reply(first, "DECLINED"))
    catalogue, register = files
    code = main(["replies", str(register), str(catalogue), "--maildir", str(tmp_path / "in")])
    assert code == ExitCode.IN_STEP
    assert "1 replies: 1 withdrawn" in capsys.readouterr().out
    saved = register_format.load(register)
    assert saved.enrolment("e1").status is EnrolmentStatus.WITHDRAWN
    assert saved.enrolment("e3").status is EnrolmentStatus.CONFIRMED
    assert main(["replies", str(register), str(catalogue), "--maildir", str(tmp_path / "in")]) == 0
    assert "1 already" in capsys.readouterr().out
    assert register_format.load(register) == saved


def test_a_server_that_is_down_exits_unavailable(files, capsys):
    """Nothing listening on the port: exit 5 and one line saying it stopped."""
    from invitations.conftest import free_port

    code = _invite(files, "--smtp", f"smtp://127.0.0.1:{free_port()}")
    assert code == ExitCode.UNAVAILABLE
    assert "stopped:" in capsys.readouterr().out


def test_bad_input_is_one_line_and_exit_two(files, tmp_path, capsys):
    """A broken catalogue, or a password in the URL: one line on stderr, exit 2."""
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code = main(["invite", str(broken), str(files[1]), "--from", SENDER, "--smtp", "smtp://x"])
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "broken.json" in err
    code = _invite(files, "--smtp", "smtp://kurs:hemligt@127.0.0.1")
    assert code == ExitCode.BAD_INPUT
    assert "hemligt" not in capsys.readouterr().err


def test_the_smtp_password_comes_from_the_environment_and_is_never_printed(
    files, smtp_server, capsys, monkeypatch
):
    """LIBKURS_SMTP_PASSWORD logs in; a wrong one exits 4; the password is never printed."""
    url, inbox = smtp_server
    monkeypatch.setenv("LIBKURS_SMTP_PASSWORD", "fel")
    assert _invite(files, "--smtp", url, "--username", "kurs") == ExitCode.LOGIN_REFUSED
    captured = capsys.readouterr()
    assert "refused the login" in captured.err
    assert "fel" not in captured.err + captured.out
    monkeypatch.setenv("LIBKURS_SMTP_PASSWORD", "hemligt")
    assert _invite(files, "--smtp", url, "--username", "kurs") == ExitCode.IN_STEP
    captured = capsys.readouterr()
    assert "hemligt" not in captured.err + captured.out
    assert inbox.logins == [b"kurs"]
    assert len(inbox.received) == 2


def test_the_smtp_password_comes_from_netrc(files, smtp_server, capsys, monkeypatch, tmp_path):
    """Without the variable, ~/.netrc gives user name and password for the host."""
    url, inbox = smtp_server
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login kurs password hemligt\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.delenv("LIBKURS_SMTP_PASSWORD", raising=False)
    assert _invite(files, "--smtp", url) == ExitCode.IN_STEP
    assert inbox.logins == [b"kurs"]
