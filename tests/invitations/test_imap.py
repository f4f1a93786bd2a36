"""Replies from an IMAP folder: imaplib against a small IMAP4rev1 server on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invitations.helpers import NOW, SENDER, course, enrolled, reply
from invitations.imap_server import imap_server
from libkurs.cli import main
from libkurs.cli._sync import ExitCode
from libkurs.enrolment import EnrolmentStatus
from libkurs.errors import MailLoginError, MailUnavailableError, ValidationError
from libkurs.formats import register as register_format
from libkurs.invitations import (
    Journal,
    MemoryTransport,
    ReplyOutcome,
    apply_replies,
    deliver,
    imap_messages,
)


@pytest.fixture
def invited():
    """A course of 2 places, 3 enrolled, invitations sent: (catalogue, register, journal, sent)."""
    catalogue = course(capacity=2)
    register = enrolled(catalogue, 3)
    journal = Journal()
    transport = MemoryTransport()
    deliver(register, catalogue, journal, transport, sender=SENDER, now=NOW)
    sent = {s.recipient.partition("@")[0]: s.data for s in transport.sent}
    return catalogue, register, journal, sent


def test_replies_are_read_from_an_imap_folder_without_marking_them_seen(invited):
    """LOGIN, EXAMINE (read-only), UID SEARCH, UID FETCH BODY.PEEK[]: the decline applies."""
    catalogue, register, journal, sent = invited
    messages = [reply(sent["p1"], "DECLINED"), reply(sent["p2"], "ACCEPTED")]
    with imap_server(messages, folder=b"Svar") as server:
        host, port = server.server_address
        found = imap_messages(f"imap://kurs@{host}:{port}/Svar", password="hemligt")
        assert "EXAMINE" in server.log
        assert "SELECT" not in server.log
        assert "UID FETCH" in server.log
    assert [data for _, data in found] == messages
    result = apply_replies(register, catalogue, journal, found, now=NOW + timedelta(days=1))
    assert [r.outcome for r in result.results] == [ReplyOutcome.WITHDRAWN, ReplyOutcome.RECORDED]
    assert result.register.enrolment("e3").status is EnrolmentStatus.CONFIRMED


def test_a_refused_imap_login_and_a_missing_folder(invited):
    """A wrong password is MailLoginError (without the password); no folder MailUnavailable."""
    with imap_server([]) as server:
        host, port = server.server_address
        with pytest.raises(MailLoginError) as caught:
            imap_messages(f"imap://kurs@{host}:{port}/INBOX", password="fel")
        assert "fel" not in str(caught.value)
        with pytest.raises(MailUnavailableError, match="no folder"):
            imap_messages(f"imap://kurs@{host}:{port}/Saknas", password="hemligt")


def test_imap_urls_with_a_password_or_another_scheme_are_refused():
    """A password in the URL or an https:// URL: ValidationError naming imap."""
    with pytest.raises(ValidationError, match="password"):
        imap_messages("imaps://kurs:hemligt@imap.example.fi/INBOX")
    with pytest.raises(ValidationError, match="imap"):
        imap_messages("https://imap.example.fi/INBOX")


def test_libkurs_replies_reads_imap_with_the_password_from_the_environment(
    invited, tmp_path, monkeypatch, capsys
):
    """libkurs replies --imap: LIBKURS_IMAP_PASSWORD, the register written back, exit 0."""
    import libkurs

    catalogue, register, journal, sent = invited
    libkurs.dump(catalogue, tmp_path / "kurs.json")
    register_format.dump(register, tmp_path / "register.json")
    journal_path = tmp_path / "register.json.invitations.json"
    copy = Journal(journal_path)
    copy.record(*journal.entries)
    copy.save()
    monkeypatch.setenv("LIBKURS_IMAP_PASSWORD", "hemligt")
    with imap_server([reply(sent["p1"], "DECLINED")]) as server:
        host, port = server.server_address
        url = f"imap://kurs@{host}:{port}/INBOX"
        code = main(
            [
                "replies",
                str(tmp_path / "register.json"),
                str(tmp_path / "kurs.json"),
                "--imap",
                url,
                "--json",
            ]
        )
    assert code == ExitCode.IN_STEP
    out = capsys.readouterr().out
    assert '"withdrawn": 1' in out
    assert "hemligt" not in out
    saved = register_format.load(tmp_path / "register.json")
    assert saved.enrolment("e1").status is EnrolmentStatus.WITHDRAWN
