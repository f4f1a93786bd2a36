"""The ``libkurs sync`` command: keep a calendar (a directory or a CalDAV URL) in step.

``libkurs sync CATALOGUE TARGET`` writes one calendar item per session of the catalogue into
TARGET, a local directory (a vdir, as khal and vdirsyncer use) or an ``http(s)://`` URL of a
CalDAV server, principal or calendar. The password comes from ``LIBKURS_PASSWORD`` or from
``~/.netrc`` (the entry of the server's host), never from the command line. The report goes to
standard output (``--json`` for a JSON object); progress goes to standard error when it is a
terminal. The exit status is 0 when no item failed, 1 otherwise or on an error (one line on
standard error).
"""

from __future__ import annotations

import argparse
import json
import netrc
import os
import sys
from collections.abc import Callable
from typing import Final, TextIO
from urllib.parse import urlsplit

import libkurs
from libkurs.errors import KursError
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
        "--key", help="the catalogue key that marks its items (default: publisher)"
    )
    command.add_argument("--json", action="store_true", help="print the report as a JSON object")
    command.add_argument(
        "--force", action="store_true", help="delete even more than half of the items synced"
    )


def _credentials(url: str, username: str | None) -> tuple[str | None, str | None]:
    password = os.environ.get(PASSWORD_VARIABLE) or None
    if password is None:
        host = urlsplit(url).hostname or ""
        try:
            found = netrc.netrc().authenticators(host)
        except (FileNotFoundError, netrc.NetrcParseError, OSError):
            found = None
        if found is not None and (username is None or found[0] == username):
            username, password = username or found[0] or None, found[2] or None
    return username, password


def open_target(args: argparse.Namespace) -> Calendar:
    """The calendar TARGET names: a CalDAV calendar for an http(s) URL, else a directory."""
    target: str = args.target
    if target.startswith(("http://", "https://")):
        username, password = _credentials(target, args.username)
        return CalDAVCalendar(target, calendar=args.calendar, username=username, password=password)
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
