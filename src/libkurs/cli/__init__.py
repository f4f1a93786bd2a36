"""The ``libkurs`` command: thin, over the public API.

Bad input never ends in a traceback: the command prints one line, ``libkurs: FILE: PATH: what is
wrong``, to standard error and exits with status 1 (2 for a wrong command line). An error that
libkurs did not foresee is a bug: it is reported the same way, in one line that says so, with
status 70. Whatever is printed is made safe for a terminal first:
control characters and escape sequences in names, titles and messages are shown, not obeyed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence

import libkurs
from libkurs._version import __version__
from libkurs.cli._listing import render_listing
from libkurs.cli._terminal import printable
from libkurs.errors import FormatError, KursError, ValidationError
from libkurs.model import DEFAULT_FALLBACK
from libkurs.model._checks import check_language

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_INTERRUPTED = 130
#: An error libkurs did not foresee (``EX_SOFTWARE`` of sysexits.h): a bug to report.
EXIT_BUG = 70


#: The commands of the other modules, in the order ``--help`` lists them, with their line there.
#: A module (and what it imports: the sync layer, icalendar, the enrolment rules) is imported
#: only for its own commands; a test pins these lines against the modules' own.
_LAZY: dict[str, dict[str, str]] = {
    "libkurs.cli._enrolment": {
        "import-form": "enrol everyone who answered a registration form (CSV export)",
        "participants": "print the participants of an event as CSV",
        "completion": "report who completed a programme or event",
    },
    "libkurs.cli._workflow": {
        "enrol": "enrol one participant in a programme, event or run",
        "withdraw": "withdraw an enrolment; the waiting list moves",
        "approve": "approve a requested enrolment",
        "attend": "record attendance for a session: by participant ids or a sign-in sheet",
        "waiting-list": "print the waiting list of a target",
    },
    "libkurs.cli._sync": {
        "sync": "keep a calendar (a directory or a CalDAV URL) in step with a catalogue",
    },
    "libkurs.cli._feeds": {
        "serve": "serve the feeds of a feeds file over HTTP (needs libkurs[serve])",
        "publish": "write the feeds of a feeds file into a folder, for static hosting",
    },
    "libkurs.cli._invite": {
        "invite": "send calendar invitations, updates and cancellations by e-mail (iMIP)",
        "replies": "apply the participants' calendar replies (decline, accept) to the register",
    },
}


def _module_of(command: str | None) -> str | None:
    return next((module for module, lines in _LAZY.items() if command in lines), None)


def _parser(command: str | None) -> argparse.ArgumentParser:
    """The command line, with the arguments of *command* (of every command if None)."""
    parser = argparse.ArgumentParser(
        prog="libkurs",
        description="Check, show and convert catalogues of trainings, seminars and study visits.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check that a catalogue file is valid")
    validate.add_argument("file", metavar="FILE")
    validate.add_argument("--format", help="the file's format (default: from its suffix)")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="refuse a calendar (.ics) at the first thing that cannot be read as written",
    )

    show = commands.add_parser("show", help="print a readable listing of a catalogue")
    show.add_argument("file", metavar="FILE")
    show.add_argument("--format", help="the file's format (default: from its suffix)")
    show.add_argument(
        "--lang",
        type=_language_tag,
        default=DEFAULT_FALLBACK[0],
        help="the language to show, falling back along sv, fi, en (default: %(default)s)",
    )
    wanted = _module_of(command)
    for module, lines in _LAZY.items():
        if command is None or module == wanted:
            loaded = importlib.import_module(module)
            # cli._sync adds its one command with add_command, the others with add_commands.
            add = loaded.add_command if module == "libkurs.cli._sync" else loaded.add_commands
            add(commands)
        else:
            for name, line in lines.items():
                commands.add_parser(name, help=line)
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
    """Check a file; an iCalendar file is read leniently unless ``--strict``.

    What a lenient reading skipped or repaired is printed to standard error, one line each;
    the file is valid if anything usable is left.
    """
    from libkurs.formats import get_format, infer_format
    from libkurs.formats._warnings import CalendarWarning

    fmt = get_format(args.format) if args.format else infer_format(args.file)
    if fmt.name != "ics":
        catalogue = libkurs.load(args.file, args.format)
        return _summary(args.file, catalogue)
    found: list[CalendarWarning] = []
    catalogue = libkurs.load(args.file, "ics", strict=args.strict, warnings=found)
    for warning in found:
        print(
            f"libkurs: {printable(f'{args.file}: warning: {warning}', one_line=True)}",
            file=sys.stderr,
        )
    if found and not catalogue.events:
        raise FormatError(
            f"nothing usable is left: {len(found)} warnings", source=os.fspath(args.file)
        )
    summary = _summary(args.file, catalogue)
    return f"{summary}, {len(found)} warnings" if found else summary


def _summary(file: str, catalogue: libkurs.Catalogue) -> str:
    sessions = sum(1 for _ in catalogue.sessions())
    return (
        f"{file}: valid: {len(catalogue.events)} events, {sessions} sessions, "
        f"{len(catalogue.programmes)} programmes"
    )


def _show(args: argparse.Namespace) -> str:
    return render_listing(libkurs.load(args.file, args.format), args.lang)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot show a character gets its escape, not a traceback.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        with warnings.catch_warnings():
            # What libkurs warns about (a Linked Events event without an end, say) is one line
            # on standard error, as errors are, and never stops the command.
            warnings.filterwarnings("default", module=r"libkurs(\.|$)")
            warnings.showwarning = _show_warning
            return _run(argv)
    except BrokenPipeError:
        # The reader went away (`libkurs participants … | head`): stop quietly, as Unix tools
        # do, and keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("libkurs: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KursError as error:  # from a command that reports as it goes (sync)
        print(f"libkurs: {printable(str(error), one_line=True)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        what = printable(str(error), one_line=True)[:300]
        print(
            f"libkurs: unexpected {type(error).__name__}: {what} "
            "(a bug in libkurs: please report it with the command that caused it)",
            file=sys.stderr,
        )
        return EXIT_BUG


def _show_warning(message: Warning | str, *_where: object, **_line: object) -> None:
    """Print a warning as ``libkurs: warning: …`` (where in libkurs it was raised is no help)."""
    print(f"libkurs: warning: {printable(str(message), one_line=True)}", file=sys.stderr)


def _run(argv: Sequence[str] | None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    # The first word that is not an option names the command (the top level takes no values).
    named = next((word for word in arguments if not word.startswith("-")), None)
    args = _parser(named or "").parse_args(arguments)
    if args.command == "sync":  # reports progress and its own exit status as it goes
        from libkurs.cli._sync import run as run_sync

        return run_sync(args)
    if args.command == "serve":  # runs until interrupted
        from libkurs.cli._feeds import serve

        return serve(args)
    if args.command in {"invite", "replies"}:  # exit statuses of their own, as sync's
        from libkurs.cli._invite import run as run_invite

        return run_invite(args)
    commands: dict[str, Callable[[argparse.Namespace], str]] = {
        "validate": _validate,
        "show": _show,
    }
    module = _module_of(args.command)
    if module is not None:
        commands.update(getattr(importlib.import_module(module), "COMMANDS", {}))
    command = commands[args.command]
    try:
        output = command(args)
    except KursError as error:
        print(f"libkurs: {printable(str(error), one_line=True)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        where = printable(str(error.filename or args.file), one_line=True)
        reason = printable(str(error.strerror or error), one_line=True)
        print(f"libkurs: {where}: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(printable(output), flush=True)
    return EXIT_OK
