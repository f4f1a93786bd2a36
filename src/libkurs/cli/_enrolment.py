"""The enrolment commands: import a form export, list participants, report completion.

``libkurs import-form FORM --catalogue C --register R`` enrols everyone who answered a
registration form into the register file R (made if missing); ``libkurs participants R
--catalogue C --event ID`` prints the participants of an event (or a sign-in sheet of one
session) as CSV; ``libkurs completion R --catalogue C --target ID`` says who completed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Final

import libkurs
from libkurs._files import replace_atomically
from libkurs.cli._arguments import moment
from libkurs.enrolment import (
    CompletionRule,
    EnrolmentStatus,
    ParticipationMode,
    Register,
    completion,
)
from libkurs.formats import forms, participants
from libkurs.formats import register as register_format
from libkurs.model import HELSINKI

__all__ = ["COMMANDS", "add_commands"]


def _share(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share such as 0.8 or 80%: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a share is between 0 and 1 (or 0% and 100%): {text}")
    return value


def _mapping(text: str) -> tuple[str, str]:
    header, equals, field = text.rpartition("=")
    if not equals or not header.strip():
        raise argparse.ArgumentTypeError(f"not HEADER=FIELD: {text!r}")
    fields = [f.value for f in forms.FormField]
    if field.strip() not in fields:
        raise argparse.ArgumentTypeError(
            f"no form field {field.strip()!r} in {text!r}; the fields are {', '.join(fields)}"
        )
    return header.strip(), field.strip()


def _write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* atomically (readable by the owner only); errors name *path*."""
    try:
        replace_atomically(path, data, private=True)
    except OSError as error:
        # The temporary file's name means nothing to the user: name the file asked for.
        raise type(error)(error.errno, error.strerror, os.fspath(path)) from error


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the enrolment subcommands to the ``libkurs`` command line."""
    imports = commands.add_parser(
        "import-form", help="enrol everyone who answered a registration form (CSV export)"
    )
    imports.add_argument("file", metavar="FORM", help="the form's CSV export")
    imports.add_argument("--catalogue", required=True, help="the catalogue file")
    imports.add_argument("--register", required=True, help="the register file (made if missing)")
    imports.add_argument("--target", help="the programme, event or run id, unless a column says")
    imports.add_argument(
        "--preset",
        choices=sorted(forms.PRESETS),
        default="template",
        help="the program that made the export (default: %(default)s)",
    )
    imports.add_argument(
        "--mode",
        choices=[m.value for m in ParticipationMode],
        default=ParticipationMode.ON_SITE.value,
        help="the mode for rows that do not choose one (default: %(default)s)",
    )
    imports.add_argument(
        "--map",
        type=_mapping,
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help="read the column HEADER as FIELD (repeatable), for headers no preset knows; "
        f"fields: {', '.join(f.value for f in forms.FormField)}",
    )
    imports.add_argument(
        "--date-order",
        choices=[order.value for order in forms.DateOrder],
        help="how dates with slashes are written, when the file cannot tell (12/01/2023)",
    )
    imports.add_argument("--encoding", help="the file's encoding, if it cannot be told")
    imports.add_argument(
        "--skip-bad-rows", action="store_true", help="import the good rows and list the bad ones"
    )
    imports.add_argument(
        "--reenrol",
        action="store_true",
        help="enrol again those who withdrew, declined or were turned down or cancelled "
        "(by default they count as already enrolled)",
    )
    imports.add_argument(
        "--now", type=moment, help="the moment of import, ISO 8601 (default: the clock)"
    )

    lists = commands.add_parser("participants", help="print the participants of an event as CSV")
    lists.add_argument("file", metavar="REGISTER", help="the register file")
    lists.add_argument("--catalogue", required=True, help="the catalogue file")
    which = lists.add_mutually_exclusive_group(required=True)
    which.add_argument("--event", help="an event, run or programme id")
    which.add_argument("--session", help="a session id: print its sign-in sheet")
    lists.add_argument("--lang", default="sv", help="the language of the headers (sv, fi, en)")
    lists.add_argument(
        "--all",
        action="store_true",
        help="every enrolment, not only the confirmed ones (not with --session)",
    )
    lists.add_argument(
        "--json", action="store_true", help="JSON instead of CSV (not with --session)"
    )
    lists.add_argument(
        "--output",
        help="write to this file, readable by you only (CSV as UTF-8 with a byte-order mark, "
        "for Excel)",
    )
    lists.set_defaults(usage_error=lists.error)

    report = commands.add_parser("completion", help="report who completed a programme or event")
    report.add_argument("file", metavar="REGISTER", help="the register file")
    report.add_argument("--catalogue", required=True, help="the catalogue file")
    report.add_argument("--target", required=True, help="the programme, event or run id")
    report.add_argument(
        "--share",
        type=_share,
        default=0.8,
        help="the share of sessions to attend, 0.8 or 80%% (default: 0.8)",
    )


def _import_form(args: argparse.Namespace) -> str:
    catalogue = libkurs.load(args.catalogue)
    path = Path(args.register)
    register = register_format.load(path) if path.exists() else Register()
    result = forms.import_form(
        Path(args.file).read_bytes(),
        register,
        catalogue,
        now=args.now or datetime.now(HELSINKI),
        target=args.target,
        preset=args.preset,
        mode=ParticipationMode(args.mode),
        mapping=dict(args.map),
        date_order=args.date_order,
        encoding=args.encoding,
        skip_bad_rows=args.skip_bad_rows,
        reenrol=args.reenrol,
        source=args.file,
    )
    register_format.dump(result.register, path)
    statuses = Counter(result.register.enrolment(e).status.value for e in result.enrolled)
    split = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    summary = (
        f"{args.file}: {len(result.enrolled)} enrolled ({split or 'none'}), "
        f"{len(result.duplicates)} already enrolled, {len(result.skipped)} skipped"
    )
    lines = [summary]
    for skipped in result.skipped:
        column = f"column {skipped.column!r}: " if skipped.column else ""
        lines.append(f"  skipped row {skipped.row}: {column}{skipped.reason}")
    lines.extend(f"  warning: {warning}" for warning in result.warnings)
    return "\n".join(lines)


def _participants(args: argparse.Namespace) -> str:
    if args.session and (args.json or args.all):
        # A sign-in sheet lists the confirmed participants, as CSV: say so rather than ignore.
        option = "--json" if args.json else "--all"
        args.usage_error(f"argument {option}: not allowed with argument --session")
    catalogue = libkurs.load(args.catalogue)
    register = register_format.load(args.file)
    statuses = list(EnrolmentStatus) if args.all else [EnrolmentStatus.CONFIRMED]
    if args.session:
        text = participants.sign_in_sheet_csv(register, catalogue, args.session, language=args.lang)
    elif args.json:
        text = participants.participants_json(register, catalogue, args.event, statuses=statuses)
    else:
        text = participants.participants_csv(
            register, catalogue, args.event, statuses=statuses, language=args.lang
        )
    if args.output:
        if args.json:
            _write(args.output, text.encode("utf-8"))
            count = len(json.loads(text)["participants"])
        else:
            _write(args.output, text.encode("utf-8-sig"))
            count = sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=";")) - 1
        return f"{args.output}: {count} participant{'' if count == 1 else 's'} written"
    return text.replace("\r\n", "\n").rstrip("\n")


def _completion(args: argparse.Namespace) -> str:
    catalogue = libkurs.load(args.catalogue)
    register = register_format.load(args.file)
    results = completion(register, catalogue, args.target, CompletionRule(share=args.share))
    lines = []
    for result in results:
        name = register.participant(result.participant).name
        attended = f"{result.attended:g} of {result.sessions} sessions"
        if result.completed:
            lines.append(f"{result.participant} {name}: completed ({attended})")
        else:
            lines.append(f"{result.participant} {name}: not completed: {'; '.join(result.reasons)}")
    done = sum(r.completed for r in results)
    lines.append(f"{done} of {len(results)} completed")
    return "\n".join(lines)


#: Command name → handler, for :func:`libkurs.cli.main`.
COMMANDS: Final[dict[str, Callable[[argparse.Namespace], str]]] = {
    "import-form": _import_form,
    "participants": _participants,
    "completion": _completion,
}
