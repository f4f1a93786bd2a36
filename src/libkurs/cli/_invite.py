"""``libkurs invite`` and ``libkurs replies``: calendar invitations by e-mail, and the answers.

``libkurs invite CATALOGUE REGISTER --smtp URL --from ADDRESS`` sends each participant what
their calendar lacks (:func:`libkurs.invitations.deliver`) and keeps a journal of what was sent
beside the register (``REGISTER.invitations.json``, or ``--journal``), so that a cron job may
run it as often as it likes. ``--maildir PATH`` instead of ``--smtp`` files the messages in a
Maildir for review; ``--dry-run`` prints the plan.

``libkurs replies REGISTER CATALOGUE --maildir PATH`` (or ``--mbox``, ``--eml``, ``--imap``)
applies the participants' replies (:func:`libkurs.invitations.read_replies`) and writes the
register back.

Passwords come from ``LIBKURS_SMTP_PASSWORD`` (``LIBKURS_IMAP_PASSWORD``) or ``~/.netrc`` (the
entry of the server's host), never from the command line; without a user name there is no
login at all (a relay on the same host). The exit status is that of ``libkurs sync``
(:class:`libkurs.cli._sync.ExitCode`). Nothing printed names a participant's address.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import libkurs
from libkurs.cli._arguments import moment
from libkurs.cli._sync import ExitCode, _netrc_entry
from libkurs.cli._terminal import printable
from libkurs.enrolment import Register
from libkurs.errors import KursError, MailError, MailLoginError, MailUnavailableError
from libkurs.formats import register as register_format
from libkurs.invitations import (
    Journal,
    MaildirTransport,
    Replies,
    ReplyOutcome,
    Report,
    SMTPTransport,
    Transport,
    apply_replies,
    deliver,
    imap_messages,
    read_messages,
)
from libkurs.model import HELSINKI

__all__ = ["SMTP_PASSWORD_VARIABLE", "IMAP_PASSWORD_VARIABLE", "add_commands", "run"]

SMTP_PASSWORD_VARIABLE: Final = "LIBKURS_SMTP_PASSWORD"  # noqa: S105 - a name, not a secret
IMAP_PASSWORD_VARIABLE: Final = "LIBKURS_IMAP_PASSWORD"  # noqa: S105 - a name, not a secret


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``invite`` and ``replies`` to the ``libkurs`` command line."""
    codes = "; ".join(f"{code.value} {code.name.lower().replace('_', ' ')}" for code in ExitCode)
    invite = commands.add_parser(
        "invite",
        help="send calendar invitations, updates and cancellations by e-mail (iMIP)",
        description=(
            "Send each participant of REGISTER what their calendar lacks of CATALOGUE: an "
            "invitation, an update or a cancellation, one message each. The password comes "
            f"from ${SMTP_PASSWORD_VARIABLE} or ~/.netrc."
        ),
        epilog=f"Exit status: {codes}.",
    )
    invite.add_argument("catalogue", metavar="CATALOGUE")
    invite.add_argument("register", metavar="REGISTER")
    where = invite.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--smtp", metavar="URL", help="smtp://host[:port] (STARTTLS) or smtps://host[:port] (TLS)"
    )
    where.add_argument("--maildir", metavar="PATH", help="file the messages in a Maildir instead")
    invite.add_argument("--from", dest="sender", required=True, metavar="ADDRESS")
    invite.add_argument("--username", help="the SMTP user name (default: the URL's, or ~/.netrc's)")
    invite.add_argument(
        "--organisation", metavar="ID", help="the organiser (default: each event's first)"
    )
    invite.add_argument(
        "--journal", metavar="PATH", help="what was sent (default: REGISTER.invitations.json)"
    )
    invite.add_argument("--uid-domain", default="libkurs", help="as given to the calendars")
    invite.add_argument("--now", type=moment, help="the moment of sending (default: the clock)")
    invite.add_argument("--dry-run", action="store_true", help="print the plan, send nothing")
    invite.add_argument("--json", action="store_true", help="print the report as JSON")

    replies = commands.add_parser(
        "replies",
        help="apply the participants' calendar replies (decline, accept) to the register",
        description=(
            "Read iMIP replies and apply them to REGISTER: a decline withdraws the enrolment and "
            f"the waiting list moves. An IMAP password comes from ${IMAP_PASSWORD_VARIABLE} or "
            "~/.netrc."
        ),
        epilog=f"Exit status: {codes}.",
    )
    replies.add_argument("register", metavar="REGISTER")
    replies.add_argument("catalogue", metavar="CATALOGUE")
    source = replies.add_mutually_exclusive_group(required=True)
    source.add_argument("--maildir", metavar="PATH")
    source.add_argument("--mbox", metavar="PATH")
    source.add_argument("--eml", metavar="FILE", action="append")
    source.add_argument("--imap", metavar="URL", help="imaps://host[:port]/FOLDER")
    replies.add_argument("--username", help="the IMAP user name (default: the URL's, ~/.netrc's)")
    replies.add_argument(
        "--journal", metavar="PATH", help="what was sent (default: REGISTER.invitations.json)"
    )
    replies.add_argument("--now", type=moment, help="the moment (default: the clock)")
    replies.add_argument("--json", action="store_true", help="print the result as JSON")


def _journal_path(args: argparse.Namespace) -> Path:
    return Path(args.journal) if args.journal else Path(f"{args.register}.invitations.json")


def _credentials(url: str, username: str | None, variable: str) -> tuple[str | None, str | None]:
    parts = urlsplit(url)
    username = username or parts.username or None
    password = os.environ.get(variable) or None
    found = _netrc_entry(url) if parts.hostname else None
    if found is not None:
        if username is None:
            username = found[0]
        if password is None and found[0] == username:
            password = found[1]
    return username, password


def _transport(args: argparse.Namespace) -> Transport:
    if args.maildir:
        return MaildirTransport(args.maildir)
    username, password = _credentials(args.smtp, args.username, SMTP_PASSWORD_VARIABLE)
    return SMTPTransport(args.smtp, username=username, password=password)


def _code(error: KursError) -> ExitCode:
    if isinstance(error, MailLoginError):
        return ExitCode.LOGIN_REFUSED
    if isinstance(error, MailUnavailableError):
        return ExitCode.UNAVAILABLE
    if isinstance(error, MailError):
        return ExitCode.CALENDAR_FAILED
    return ExitCode.BAD_INPUT  # bad data, an unknown id, a wrong option


def _json(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _fail(args: argparse.Namespace, code: ExitCode, message: str) -> int:
    print(f"libkurs: {message}", file=sys.stderr)
    if args.json:
        print(_json({"error": message, "exit_code": int(code)}))
    return int(code)


def _load(args: argparse.Namespace) -> tuple[Register, libkurs.Catalogue]:
    catalogue = libkurs.load(args.catalogue)
    return register_format.load(args.register), catalogue


def _invite_summary(report: Report) -> str:
    lines = []
    for result in report.results:
        d = result.delivery
        line = (
            f"{result.outcome.value:7} {d.method:7} {printable(d.session)} "
            f"SEQUENCE {d.sequence} to {printable(d.participant)} ({printable(d.enrolment)}): "
            f"{d.reason.value}"
        )
        if result.reason:
            line += f": {printable(result.reason)}"
        lines.append(line)
    for enrolment, reason in report.skipped:
        lines.append(f"skipped {printable(enrolment)}: {printable(reason)}")
    if report.dry_run:
        lines.append(f"{report.planned} messages would be sent (dry run)")
    else:
        lines.append(f"{report.sent} messages sent, {report.failed} failed")
    if report.stopped:
        lines.append(f"stopped: {printable(report.stopped)}")
    return "\n".join(lines)


def run_invite(args: argparse.Namespace) -> int:
    """Run ``libkurs invite``; print the report; return the exit status."""
    try:
        register, catalogue = _load(args)
        journal = Journal(_journal_path(args))
        transport = _transport(args)
        report = deliver(
            register,
            catalogue,
            journal,
            transport,
            sender=args.sender,
            now=args.now or datetime.now(HELSINKI),
            organisation=args.organisation,
            uid_domain=args.uid_domain,
            dry_run=args.dry_run,
        )
    except KursError as error:
        return _fail(args, _code(error), printable(error))
    except OSError as error:
        where = printable(error.filename or args.register)
        return _fail(args, ExitCode.BAD_INPUT, f"{where}: {error.strerror or error}")
    if report.stopped:
        code = ExitCode.UNAVAILABLE
    elif report.failed:
        code = ExitCode.PARTIAL
    else:
        code = ExitCode.IN_STEP
    if args.json:
        print(
            json.dumps({**report.to_dict(), "exit_code": int(code)}, ensure_ascii=False, indent=2)
        )
    else:
        print(_invite_summary(report))
    return int(code)


_NOT_APPLIED = (ReplyOutcome.STALE, ReplyOutcome.UNKNOWN, ReplyOutcome.REFUSED)


def _messages(args: argparse.Namespace) -> list[tuple[str, bytes]]:
    if args.imap:
        username, password = _credentials(args.imap, args.username, IMAP_PASSWORD_VARIABLE)
        return imap_messages(args.imap, username=username, password=password)
    if args.eml:
        return [item for path in args.eml for item in read_messages(path)]
    return list(read_messages(args.maildir or args.mbox))


def _replies_summary(result: Replies) -> str:
    lines = [
        f"{r.outcome.value:9} {printable(r.enrolment or '-')} {printable(r.uid or '-')}: "
        f"{printable(r.reason)} ({printable(r.source)})"
        for r in result.results
    ]
    counts = ", ".join(f"{result.count(o)} {o.value}" for o in ReplyOutcome if result.count(o))
    lines.append(f"{len(result.results)} replies: {counts or 'none'}")
    return "\n".join(lines)


def run_replies(args: argparse.Namespace) -> int:
    """Run ``libkurs replies``; write the register back; return the exit status."""
    try:
        register, catalogue = _load(args)
        journal = Journal(_journal_path(args))
        result = apply_replies(
            register,
            catalogue,
            journal,
            _messages(args),
            now=args.now or datetime.now(HELSINKI),
        )
        if result.changed:
            register_format.dump(result.register, args.register)
        result.commit(journal)
    except KursError as error:
        return _fail(args, _code(error), printable(error))
    except OSError as error:
        where = printable(error.filename or args.register)
        return _fail(args, ExitCode.BAD_INPUT, f"{where}: {error.strerror or error}")
    code = ExitCode.PARTIAL if any(result.count(o) for o in _NOT_APPLIED) else ExitCode.IN_STEP
    if args.json:
        print(
            json.dumps({**result.to_dict(), "exit_code": int(code)}, ensure_ascii=False, indent=2)
        )
    else:
        print(_replies_summary(result))
    return int(code)


def run(args: argparse.Namespace) -> int:
    """Run ``invite`` or ``replies`` with parsed *args*."""
    return run_invite(args) if args.command == "invite" else run_replies(args)
