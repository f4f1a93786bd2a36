"""The public API of libkurs.invitations: pinned, and held to the rule (register, catalogue, …)."""

from __future__ import annotations

import inspect

import libkurs.invitations as invitations
from libkurs.formats.ics import invitation_for

PUBLIC = [
    "DECLINED_NOTE",
    "Delivery",
    "Entry",
    "Journal",
    "MaildirTransport",
    "MemoryTransport",
    "Outcome",
    "Plan",
    "Reason",
    "Replies",
    "ReplyOutcome",
    "ReplyResult",
    "Report",
    "Result",
    "SMTPTransport",
    "Sent",
    "Transport",
    "apply_replies",
    "deliver",
    "imap_messages",
    "message_for",
    "plan",
    "read_messages",
    "read_replies",
]


def test_all_is_pinned_and_sorted():
    """libkurs.invitations.__all__ is exactly the pinned list, sorted, and every name exists."""
    assert invitations.__all__ == PUBLIC
    assert sorted(PUBLIC) == PUBLIC
    for name in PUBLIC:
        assert hasattr(invitations, name), name


def test_functions_take_the_register_then_the_catalogue():
    """deliver, plan, apply_replies, read_replies and invitation_for start (register, catalogue)."""
    for function in (
        invitations.deliver,
        invitations.plan,
        invitations.apply_replies,
        invitations.read_replies,
        invitation_for,
    ):
        names = list(inspect.signature(function).parameters)
        assert names[:2] == ["register", "catalogue"], function.__name__
    assert list(inspect.signature(invitation_for).parameters)[2] == "enrolment"


def test_importing_libkurs_does_not_import_smtplib_or_imaplib():
    """smtplib and imaplib are imported only when a connection is made."""
    import subprocess
    import sys

    code = (
        "import sys, libkurs, libkurs.invitations; "
        "print('smtplib' in sys.modules, 'imaplib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.split() == ["False", "False"]
