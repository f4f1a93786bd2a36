"""The ``libkurs sync`` command: keep a calendar (a directory or a CalDAV URL) in step.

``libkurs sync CATALOGUE TARGET`` writes one calendar item per session of the catalogue into
TARGET, a local directory (a vdir, as khal and vdirsyncer use) or an ``http(s)://`` URL of a
CalDAV server, principal or calendar. The password comes from ``LIBKURS_PASSWORD`` or from
``~/.netrc`` (the entry of the server's host), never from the command line. The report goes to
standard output (``--json`` for a JSON object); progress goes to standard error when it is a
terminal. The exit status is 0 when no item failed, 1 otherwise or on an error (one line on
standard error); a ``--dry-run`` whose plan the safety valve would refuse prints that plan
(what it would delete), says why it would be refused, and exits 1.

TARGET is a CalDAV URL when it starts with ``http://`` or ``https://`` (in any case); another
``scheme://`` is refused; anything else is a directory. A password from ``LIBKURS_PASSWORD``
needs a user name: ``--username``, the URL's, or the one ``~/.netrc`` names for the host.
Items are marked with ``--key``, or else the catalogue's publisher and name
(:func:`libkurs.sync.default_key`); a catalogue with neither needs ``--key``.
"""

from __future__ import annotations

import argparse
import json
import netrc
import os
import re
import sys
from collections.abc import Callable
from typing import Final, TextIO
from urllib.parse import urlsplit

import libkurs
from libkurs.errors import CalendarError, KursError
from libkurs.sync import (
    CalDAVCalendar,
    Calendar,
    ConflictPolicy,
    DirectoryCalendar,
    Outcome,
    Report,
    Result,
    sync,
)
from libkurs.sync._discovery import split_credentials

__all__ = ["PASSWORD_VARIABLE", "add_command", "run"]

#: The environment variable the password is read from.
PASSWORD_VARIABLE: Final = "LIBKURS_PASSWORD"  # noqa: S105 - a name, not a secret


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sync`` subcommand to the ``libkurs`` command line."""
    command = commands.add_parser(
        "sync",
        help="keep a calendar (a directory or a CalDAV URL) in step with a catalogue",
        description=(
            "Write one calendar item per session of CATALOGUE into TARGET and keep them right. "
            f"The password comes from ${PASSWORD_VARIABLE} or ~/.netrc."
        ),
    )
    command.add_argument("catalogue", metavar="CATALOGUE", help="the catalogue file")
    command.add_argument(
        "target", metavar="TARGET", help="a directory, or the http(s) URL of a CalDAV calendar"
    )
    command.add_argument("--format", help="the catalogue's format (default: from its suffix)")
    command.add_argument(
        "--dry-run", action="store_true", help="say what would change; write nothing"
    )
    command.add_argument(
        "--policy",
        choices=[policy.value for policy in ConflictPolicy],
        default=ConflictPolicy.KEEP_CALENDAR.value,
        help="what to do with items edited in the calendar (default: %(default)s)",
    )
    command.add_argument(
        "--state", metavar="PATH", help="the state file (default: in ~/.local/state)"
    )
    command.add_argument("--username", metavar="NAME", help="the user name for the server")
    command.add_argument("--calendar", metavar="NAME", help="which calendar, for a server URL")
    command.add_argument(
        "--key",
        help=(
            "the catalogue key that marks its items (default: the catalogue's publisher and "
            "name; needed when it has neither)"
        ),
    )
    command.add_argument("--json", action="store_true", help="print the report as a JSON object")
    command.add_argument(
        "--force", action="store_true", help="delete even more than half of the items synced"
    )


_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _netrc_entry(url: str) -> tuple[str, str, str] | None:
    host = urlsplit(url).hostname or ""
    try:
        return netrc.netrc().authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None


def _credentials(url: str, username: str | None) -> tuple[str | None, str | None]:
    """The user name and password for *url*: from the environment, else from ``~/.netrc``.

    A password from the environment needs a user name: ``--username``, else the one in the
    URL, else the one the netrc entry of the host names; with none of them, an error.
    """
    bare, url_username, _password = split_credentials(url)  # CalendarError if not a URL
    username = username if username is not None else url_username
    password = os.environ.get(PASSWORD_VARIABLE) or None
    if password is not None:
        if username is None:
            found = _netrc_entry(bare)
            username = (found[0] or None) if found is not None else None
        if username is None:
            raise CalendarError(
                f"${PASSWORD_VARIABLE} is set but no user name is known for "
                f"{urlsplit(bare).hostname}: give --username"
            )
        return username, password
    found = _netrc_entry(bare)
    if found is not None and (username is None or found[0] == username):
        username, password = username or found[0] or None, found[2] or None
    return username, password


def open_target(args: argparse.Namespace) -> Calendar:
    """The calendar TARGET names: a CalDAV calendar for an http(s) URL, else a directory.

    The scheme is matched whatever its case; a TARGET that looks like a URL of another
    scheme (``ftp://…``, ``webcal://…``) is refused rather than taken for a directory.
    """
    target: str = args.target
    scheme = target.split("://", 1)[0].lower() if _URL_LIKE.match(target) else None
    if scheme in {"http", "https"}:
        username, password = _credentials(target, args.username)
        return CalDAVCalendar(target, calendar=args.calendar, username=username, password=password)
    if scheme is not None:
        raise CalendarError(
            f"TARGET must be a directory or an http:// or https:// URL, not a {scheme}:// URL"
        )
    return DirectoryCalendar(target)


def _progress(stream: TextIO) -> Callable[[Result], None]:
    def show(result: Result) -> None:
        print(f"{result.outcome.value:>9} {result.href}", file=stream, flush=True)

    return show


def _summary(report: Report) -> str:
    counts = ", ".join(
        f"{report.count(o)} {o.value}" for o in Outcome if report.count(o) or o is Outcome.UNCHANGED
    )
    lines = [("would be: " if report.dry_run else "") + counts]
    if report.refused is not None:
        lines.append(f"refused: {report.refused}")
    for result in report.results:
        if result.outcome in {Outcome.CONFLICT, Outcome.FAILED}:
            lines.append(f"{result.outcome.value}: {result.href}: {result.reason}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run ``libkurs sync`` with parsed *args*; print the report; return the exit status."""
    try:
        catalogue = libkurs.load(args.catalogue, args.format)
        calendar = open_target(args)
        try:
            report = sync(
                catalogue,
                calendar,
                state=args.state,
                policy=ConflictPolicy(args.policy),
                key=args.key,
                dry_run=args.dry_run,
                force=args.force,
                progress=_progress(sys.stderr) if sys.stderr.isatty() else None,
            )
        finally:
            if isinstance(calendar, CalDAVCalendar):
                calendar.close()
    except KursError as error:
        print(f"libkurs: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"libkurs: {error.filename or args.catalogue}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_summary(report))
    return 0 if report.ok else 1
