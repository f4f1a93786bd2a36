"""The ``libkurs`` command: thin, over the public API.

Bad input never ends in a traceback: the command prints one line, ``libkurs: FILE: PATH: what is
wrong``, to standard error and exits with status 1 (2 for a wrong command line).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import libkurs
from libkurs.cli._enrolment import COMMANDS as ENROLMENT_COMMANDS
from libkurs.cli._enrolment import add_commands as add_enrolment_commands
from libkurs.cli._invite import add_commands as add_invite_commands
from libkurs.cli._invite import run as run_invite
from libkurs.cli._listing import render_listing
from libkurs.cli._sync import add_command as add_sync_command
from libkurs.cli._sync import run as run_sync
from libkurs.cli._workflow import COMMANDS as WORKFLOW_COMMANDS
from libkurs.cli._workflow import add_commands as add_workflow_commands
from libkurs.errors import KursError, ValidationError
from libkurs.model import DEFAULT_FALLBACK
from libkurs.model._checks import check_language

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="libkurs",
        description="Check, show and convert catalogues of trainings, seminars and study visits.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {libkurs.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check that a catalogue file is valid")
    validate.add_argument("file", metavar="FILE")
    validate.add_argument("--format", help="the file's format (default: from its suffix)")

    show = commands.add_parser("show", help="print a readable listing of a catalogue")
    show.add_argument("file", metavar="FILE")
    show.add_argument("--format", help="the file's format (default: from its suffix)")
    show.add_argument(
        "--lang",
        type=_language_tag,
        default=DEFAULT_FALLBACK[0],
        help="the language to show, falling back along sv, fi, en (default: %(default)s)",
    )
    add_enrolment_commands(commands)
    add_workflow_commands(commands)
    add_sync_command(commands)
    add_invite_commands(commands)
    return parser


def _language_tag(text: str) -> str:
    try:
        check_language(text, "--lang")
    except ValidationError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a language tag such as sv, fi or en"
        ) from None
    return text


def _validate(args: argparse.Namespace) -> str:
    catalogue = libkurs.load(args.file, args.format)
    sessions = sum(1 for _ in catalogue.sessions())
    return (
        f"{args.file}: valid: {len(catalogue.events)} events, {sessions} sessions, "
        f"{len(catalogue.programmes)} programmes"
    )


def _show(args: argparse.Namespace) -> str:
    return render_listing(libkurs.load(args.file, args.format), args.lang)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    try:
        return _run(argv)
    except BrokenPipeError:
        # The reader went away (`libkurs participants … | head`): stop quietly, as Unix tools
        # do, and keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BAD_INPUT


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "sync":  # reports progress and its own exit status as it goes
        return run_sync(args)
    if args.command in {"invite", "replies"}:  # exit statuses of their own, as sync's
        return run_invite(args)
    commands = {"validate": _validate, "show": _show, **ENROLMENT_COMMANDS, **WORKFLOW_COMMANDS}
    command = commands[args.command]
    try:
        output = command(args)
    except KursError as error:
        print(f"libkurs: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"libkurs: {error.filename or args.file}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(output, flush=True)
    return EXIT_OK
