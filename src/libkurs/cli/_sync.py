"""The ``libkurs sync`` command: keep a calendar (a directory or a CalDAV URL) in step.

``libkurs sync CATALOGUE TARGET`` writes one calendar item per session of the catalogue into
TARGET, a local directory (a vdir, as khal and vdirsyncer use) or an ``http(s)://`` URL of a
CalDAV server, principal or calendar. The password comes from ``LIBKURS_PASSWORD`` or from
``~/.netrc`` (the entry of the server's host; a ``.netrc`` others can read is refused, as ftp
and curl do), never from the command line. The report goes to standard output (``--json``
for one JSON object, always, with an ``error`` member when the run did not complete;
``--quiet`` for nothing at all when the calendar is in step); progress (``n/total``) goes to
standard error when it is a terminal. The exit status says what happened (:class:`ExitCode`),
so that cron can tell a network blip from a broken catalogue.

TARGET is a CalDAV URL when it starts with ``http://`` or ``https://`` (in any case); another
``scheme://`` is refused; anything else is a directory, which must exist unless ``--create``
is given. A password from ``LIBKURS_PASSWORD`` needs a user name: ``--username``, the URL's,
or the one ``~/.netrc`` names for the host. A password goes over plain ``http://`` only to
this machine, unless ``--allow-insecure-http``. Items are marked with ``--key``, or else the
catalogue's id (:func:`libkurs.sync.default_key`).
"""

from __future__ import annotations

import argparse
import enum
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final, TextIO
from urllib.parse import urlsplit

import libkurs
from libkurs._netrc import netrc_entry
from libkurs.cli._terminal import printable
from libkurs.errors import (
    AuthenticationError,
    CalendarError,
    ConflictError,
    DataError,
    ItemNotFoundError,
    KursError,
    SafetyError,
    TransportError,
    UnknownFormatError,
)
from libkurs.sync import (
    CalDAVCalendar,
    Calendar,
    ConflictPolicy,
    DirectoryCalendar,
    Outcome,
    Plan,
    Report,
    Result,
    default_key,
    sync,
)
from libkurs.sync._discovery import split_credentials

__all__ = ["PASSWORD_VARIABLE", "ExitCode", "add_command", "run"]

#: The environment variable the password is read from.
PASSWORD_VARIABLE: Final = "LIBKURS_PASSWORD"  # noqa: S105 - a name, not a secret


class ExitCode(enum.IntEnum):
    """The exit status of ``libkurs sync``: one per thing a cron job must tell apart."""

    IN_STEP = 0
    """The calendar is in step with the catalogue."""
    PARTIAL = 1
    """The run completed, but with conflicts or failed items: read the report."""
    BAD_INPUT = 2
    """The catalogue or the options are wrong (argparse uses 2 for a wrong command line too)."""
    REFUSED = 3
    """The safety valve refused: the sync would delete too much (``--force`` to go on)."""
    LOGIN_REFUSED = 4
    """The server refused the login (or the calendar): fix the credentials."""
    UNAVAILABLE = 5
    """The server or the network is unavailable: try again later."""
    CALENDAR_FAILED = 6
    """The calendar or the sync state could not be used (not writable, not a calendar)."""


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sync`` subcommand to the ``libkurs`` command line."""
    codes = "; ".join(f"{code.value} {code.name.lower().replace('_', ' ')}" for code in ExitCode)
    command = commands.add_parser(
        "sync",
        help="keep a calendar (a directory or a CalDAV URL) in step with a catalogue",
        description=(
            "Write one calendar item per session of CATALOGUE into TARGET and keep them right. "
            f"The password comes from ${PASSWORD_VARIABLE} or ~/.netrc."
        ),
        epilog=f"Exit status: {codes}.",
    )
    command.add_argument("catalogue", metavar="CATALOGUE", nargs="?", help="the catalogue file")
    command.add_argument(
        "target",
        metavar="TARGET",
        nargs="?",
        help="a directory, or the http(s) URL of a CalDAV calendar",
    )
    from libkurs.cli._many import add_arguments  # it imports this module

    add_arguments(command)
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
            "the catalogue key that marks its items (default: the catalogue's id, else its "
            "publisher and name)"
        ),
    )
    command.add_argument("--json", action="store_true", help="print the report as a JSON object")
    command.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing when the calendar is in step"
    )
    command.add_argument(
        "--force", action="store_true", help="delete even more than half of the items synced"
    )
    command.add_argument(
        "--create", action="store_true", help="create the TARGET directory if it is missing"
    )
    command.add_argument(
        "--connections",
        type=int,
        metavar="N",
        help=(
            "write N items at once to a CalDAV server (1 to 16; default: 1 on this machine, "
            "4 for any other server)"
        ),
    )
    command.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="send the password over plain http:// to a host other than this machine",
    )


_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class _InputError(KursError):
    """An option is wrong: exits with :attr:`ExitCode.BAD_INPUT`."""


def _netrc_entry(url: str) -> tuple[str | None, str | None] | None:
    """The user name and password ``~/.netrc`` gives the host of *url* (see libkurs._netrc)."""
    try:
        return netrc_entry(urlsplit(url).hostname or "")
    except CalendarError as error:
        raise _InputError(printable(str(error), one_line=True)) from None


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
            username = found[0] if found is not None else None
        if username is None:
            raise _InputError(
                f"${PASSWORD_VARIABLE} is set but no user name is known for "
                f"{urlsplit(bare).hostname}: give --username"
            )
        return username, password
    found = _netrc_entry(bare)
    if found is not None and (username is None or found[0] == username):
        username, password = username or found[0], found[1]
    return username, password


def open_target(args: argparse.Namespace) -> Calendar:
    """The calendar TARGET names: a CalDAV calendar for an http(s) URL, else a directory.

    The scheme is matched whatever its case; a TARGET that looks like a URL of another
    scheme (``ftp://…``, ``webcal://…``) is refused rather than taken for a directory; a
    directory must exist unless ``--create`` was given.
    """
    target: str = args.target
    scheme = target.split("://", 1)[0].lower() if _URL_LIKE.match(target) else None
    if scheme in {"http", "https"}:
        try:
            split_credentials(target)
        except CalendarError as error:
            raise _InputError(str(error)) from None
        username, password = _credentials(target, args.username)
        try:
            return CalDAVCalendar(
                target,
                calendar=args.calendar,
                username=username,
                password=password,
                allow_insecure_http=args.allow_insecure_http,
                connections=getattr(args, "connections", None),
            )
        except CalendarError as error:
            raise _InputError(str(error)) from None
    if scheme is not None:
        raise _InputError(
            f"TARGET must be a directory or an http:// or https:// URL, not a {scheme}:// URL"
        )
    folder = Path(target)
    if not folder.is_dir():
        if folder.exists():
            raise _InputError(f"{printable(target)}: not a directory")
        if not args.create:
            raise _InputError(
                f"{printable(target)}: no such directory; check the name, or give --create "
                "to make it"
            )
        if args.dry_run:
            return DirectoryCalendar(folder)  # an empty calendar; a dry run makes nothing
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            raise _InputError(f"{printable(target)}: cannot create it: {error.strerror}") from None
    return DirectoryCalendar(folder)


def _progress(stream: TextIO, total: list[int]) -> Callable[[Result], None]:
    done = [0]

    def show(result: Result) -> None:
        done[0] += 1
        count = f"{done[0]}/{max(total[0], done[0])}"
        line = f"{count:>11} {result.outcome.value:>9} {printable(result.href)}"
        print(line, file=stream, flush=True)

    return show


def _summary(report: Report) -> str:
    counts = ", ".join(
        f"{report.count(o)} {o.value}" for o in Outcome if report.count(o) or o is Outcome.UNCHANGED
    )
    lines = [("would be: " if report.dry_run else "") + counts]
    if report.refused is not None:
        lines.append(f"refused: {printable(report.refused)}")
    if report.aborted is not None:
        lines.append(f"stopped: {printable(report.aborted)}")
    for result in report.results:
        if result.outcome in {Outcome.CONFLICT, Outcome.FAILED}:
            lines.append(
                f"{result.outcome.value}: {printable(result.href)}: {printable(result.reason)}"
            )
    return "\n".join(lines)


def _report_code(report: Report) -> ExitCode:
    if report.refused is not None:
        return ExitCode.REFUSED
    if report.aborted is not None:
        return ExitCode.UNAVAILABLE
    if not report.in_step:
        return ExitCode.PARTIAL
    return ExitCode.IN_STEP


def _error_code(error: KursError) -> ExitCode:  # noqa: PLR0911 - one per kind of error
    if isinstance(error, SafetyError):
        return ExitCode.REFUSED
    if isinstance(error, ConflictError):
        return ExitCode.PARTIAL
    if isinstance(error, AuthenticationError):
        return ExitCode.LOGIN_REFUSED
    if isinstance(error, TransportError):
        return ExitCode.UNAVAILABLE
    if isinstance(error, DataError | UnknownFormatError | _InputError):
        return ExitCode.BAD_INPUT
    if isinstance(error, ItemNotFoundError):
        return ExitCode.BAD_INPUT  # no calendar at that URL: the TARGET is wrong
    return ExitCode.CALENDAR_FAILED


def _key(args: argparse.Namespace, catalogue: libkurs.Catalogue) -> str:
    key: str | None = args.key
    if key is None:
        try:
            return default_key(catalogue)
        except CalendarError as error:
            raise _InputError(str(error)) from None
    if not key.strip():
        raise _InputError("--key must not be empty: it marks which items are this catalogue's")
    return key


def run(args: argparse.Namespace) -> int:
    """Run ``libkurs sync`` with parsed *args*; print the report; return the exit status."""
    if args.targets is not None:
        from libkurs.cli._many import run as run_many  # it imports this module

        return run_many(args)
    if args.catalogue is None or args.target is None:
        return _fail(args, ExitCode.BAD_INPUT, "give CATALOGUE and TARGET, or --targets CONFIG")
    report: Report | None = None
    total = [0]
    try:
        catalogue = libkurs.load(args.catalogue, args.format)
        key = _key(args, catalogue)
        calendar = open_target(args)
        try:
            report = sync(
                catalogue,
                calendar,
                state=args.state,
                policy=ConflictPolicy(args.policy),
                key=key,
                dry_run=args.dry_run,
                force=args.force,
                progress=_progress(sys.stderr, total) if sys.stderr.isatty() else None,
                on_plan=lambda plan: _count(plan, total),
            )
        finally:
            if isinstance(calendar, CalDAVCalendar):
                calendar.close()
    except KursError as error:
        return _fail(args, _error_code(error), printable(error))
    except OSError as error:
        where = printable(error.filename or args.catalogue)
        return _fail(args, ExitCode.BAD_INPUT, f"{where}: {error.strerror or error}")
    code = _report_code(report)
    if args.json:
        print(
            json.dumps({**report.to_dict(), "exit_code": int(code)}, ensure_ascii=False, indent=2)
        )
    elif not (args.quiet and code is ExitCode.IN_STEP and not _would_write(report)):
        print(_summary(report))
    return int(code)


def _would_write(report: Report) -> bool:
    """Whether *report* is of a dry run that would write something."""
    return report.dry_run and any(report.count(o) for o in _WRITES)


_WRITES = (Outcome.CREATED, Outcome.UPDATED, Outcome.DELETED)


def _count(plan: Plan, total: list[int]) -> None:
    total[0] = len(plan.steps)


def _fail(args: argparse.Namespace, code: ExitCode, message: str) -> int:
    print(f"libkurs: {message}", file=sys.stderr)
    if args.json:
        print(json.dumps({"error": message, "exit_code": int(code)}, ensure_ascii=False, indent=2))
    return int(code)
