"""The enrolment workflow from the shell: enrol, withdraw, approve, attend, waiting-list.

Each command works on a register file (``libkurs enrol R --catalogue C …``), applies one
operation of :mod:`libkurs.enrolment` in memory and writes the register back atomically and
readable by its owner only, or, if anything is wrong, writes nothing and prints one line.
Each prints what happened and whom to notify, or, with ``--json``, the same as a JSON object.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Final

import libkurs
from libkurs.cli._arguments import moment
from libkurs.enrolment import (
    Enrolment,
    EnrolmentStatus,
    Notification,
    Outcome,
    Participant,
    ParticipationMode,
    Presence,
    PromotionPolicy,
    Register,
    add_participant,
    approve,
    enrol,
    new_participant_id,
    record_attendance,
    targets_of_session,
    waiting_list,
    withdraw,
)
from libkurs.errors import EnrolmentError
from libkurs.formats import register as register_format
from libkurs.formats.sign_in import read_sign_in_sheet
from libkurs.model import HELSINKI, Catalogue

__all__ = ["COMMANDS", "add_commands"]


def _common(parser: argparse.ArgumentParser, *, register_help: str) -> None:
    parser.add_argument("file", metavar="REGISTER", help=register_help)
    parser.add_argument("--catalogue", required=True, help="the catalogue file")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _now_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now", type=moment, help="the moment of the change, ISO 8601 (default: the clock)"
    )


def _which_enrolment(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--enrolment", help="the enrolment id")
    parser.add_argument("--participant", help="the participant id (with --target)")
    parser.add_argument("--target", help="the programme, event or run id (with --participant)")
    parser.set_defaults(usage_error=parser.error)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add enrol, withdraw, approve, attend and waiting-list to the ``libkurs`` command line."""
    new = commands.add_parser("enrol", help="enrol one participant in a programme, event or run")
    _common(new, register_help="the register file (made if missing)")
    new.add_argument("--target", required=True, help="the programme, event or run id")
    person = new.add_mutually_exclusive_group(required=True)
    person.add_argument("--participant", help="the id of a participant of the register")
    person.add_argument(
        "--email", help="the participant's e-mail address: found in the register, or added"
    )
    new.add_argument("--name", help="the name of a participant to add (with --email)")
    new.add_argument("--organisation", help="the organisation of a participant to add")
    new.add_argument("--municipality", help="the municipality of a participant to add")
    new.add_argument(
        "--language", default="sv", help="the language of service of a participant to add"
    )
    new.add_argument(
        "--mode",
        choices=[m.value for m in ParticipationMode],
        default=ParticipationMode.ON_SITE.value,
        help="how they take part (default: %(default)s)",
    )
    new.add_argument(
        "--session",
        action="append",
        default=[],
        metavar="ID",
        help="a session they choose, where the target allows a choice (repeatable)",
    )
    approval = new.add_mutually_exclusive_group()
    approval.add_argument(
        "--approval",
        dest="approval",
        action="store_const",
        const=True,
        help="wait for the organiser's approval (default: as the target's settings say)",
    )
    approval.add_argument(
        "--no-approval",
        dest="approval",
        action="store_const",
        const=False,
        help="do not wait for approval, whatever the settings say",
    )
    _now_option(new)
    new.set_defaults(usage_error=new.error)

    leave = commands.add_parser("withdraw", help="withdraw an enrolment; the waiting list moves")
    _common(leave, register_help="the register file")
    _which_enrolment(leave)
    leave.add_argument(
        "--policy",
        choices=[p.value for p in PromotionPolicy],
        default=PromotionPolicy.CONFIRM.value,
        help="confirm the next in line at once, or offer them the place (default: %(default)s)",
    )
    leave.add_argument("--note", help="why, for the history")
    _now_option(leave)

    yes = commands.add_parser("approve", help="approve a requested enrolment")
    _common(yes, register_help="the register file")
    _which_enrolment(yes)
    _now_option(yes)

    attend = commands.add_parser(
        "attend", help="record attendance for a session: by participant ids or a sign-in sheet"
    )
    _common(attend, register_help="the register file")
    attend.add_argument("--session", required=True, help="the session id")
    who = attend.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--participant",
        nargs="+",
        metavar="ID",
        help="the ids of the participants whose attendance to record",
    )
    who.add_argument(
        "--sign-in",
        metavar="CSV",
        help="a signed sign-in sheet (from `libkurs participants --session`): a signed row is "
        "present, 'partial' partial, an empty one absent",
    )
    attend.add_argument(
        "--presence",
        choices=[p.value for p in Presence],
        default=Presence.PRESENT.value,
        help="what to record for the --participant ids (default: %(default)s)",
    )

    waiting = commands.add_parser("waiting-list", help="print the waiting list of a target")
    _common(waiting, register_help="the register file")
    waiting.add_argument("--target", required=True, help="the programme, event or run id")


def _enrolment_id(args: argparse.Namespace, register: Register) -> str:
    if args.enrolment:
        if args.participant or args.target:
            args.usage_error("give --enrolment, or --participant and --target, not both")
        return str(args.enrolment)
    if not (args.participant and args.target):
        args.usage_error("give --enrolment, or --participant and --target")
    return register.enrolment_of(args.participant, args.target).id


def _notification(notice: Notification) -> dict[str, str | None]:
    return {
        "kind": notice.kind.value,
        "participant": notice.participant,
        "enrolment": notice.enrolment,
        "target": notice.target,
        "until": notice.until.isoformat() if notice.until else None,
        "note": notice.note,
    }


def _enrolment(enrolment: Enrolment) -> dict[str, str]:
    return {
        "enrolment": enrolment.id,
        "participant": enrolment.participant,
        "target": enrolment.target,
        "status": enrolment.status.value,
        "mode": enrolment.mode.value,
    }


def _report(
    args: argparse.Namespace, changed: Iterable[Enrolment], outcome: Outcome, register: Register
) -> str:
    enrolments = list(changed)
    if args.json:
        document = {
            "enrolments": [_enrolment(e) for e in enrolments],
            "notifications": [_notification(n) for n in outcome.notifications],
            "warnings": list(outcome.warnings),
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
    lines = [
        f"{e.id}: {e.participant} {register.participant(e.participant).name}: "
        f"{e.status.value} in {e.target}"
        for e in enrolments
    ]
    for notice in outcome.notifications:
        until = f" until {notice.until.isoformat()}" if notice.until else ""
        lines.append(f"  notify {notice.participant} ({notice.enrolment}): {notice.kind}{until}")
    lines.extend(f"  warning: {warning}" for warning in outcome.warnings)
    return "\n".join(lines)


def _open(args: argparse.Namespace, *, missing_ok: bool = False) -> tuple[Register, Catalogue]:
    catalogue = libkurs.load(args.catalogue)
    path = Path(args.file)
    if missing_ok and not path.exists():
        return Register(), catalogue
    return register_format.load(path), catalogue


def _now(args: argparse.Namespace) -> datetime:
    return args.now or datetime.now(HELSINKI)


def _participant(args: argparse.Namespace, register: Register) -> tuple[Register, str]:
    """The participant to enrol: by id, by e-mail address, or a new one (then added)."""
    if args.participant:
        return register, str(register.participant(args.participant).id)
    found = register.participant_by_email(args.email)
    if found is not None:
        return register, found.id
    if not args.name:
        args.usage_error(f"{args.email} is not in the register: give --name to add them")
    new = Participant(
        id=new_participant_id(register),
        name=args.name,
        email=args.email,
        organisation=args.organisation,
        municipality=args.municipality,
        language=args.language,
    )
    return add_participant(register, new), new.id


def _enrol(args: argparse.Namespace) -> str:
    register, catalogue = _open(args, missing_ok=True)
    register, participant = _participant(args, register)
    outcome = enrol(
        register,
        catalogue,
        participant,
        args.target,
        now=_now(args),
        mode=ParticipationMode(args.mode),
        sessions=args.session,
        approval=args.approval,
    )
    register_format.dump(outcome.register, args.file)
    made = outcome.register.enrolment_of(participant, args.target)
    return _report(args, [made], outcome, outcome.register)


def _withdraw(args: argparse.Namespace) -> str:
    register, catalogue = _open(args)
    enrolment = _enrolment_id(args, register)
    outcome = withdraw(
        register,
        catalogue,
        enrolment,
        now=_now(args),
        policy=PromotionPolicy(args.policy),
        note=args.note,
    )
    register_format.dump(outcome.register, args.file)
    changed = dict.fromkeys([enrolment, *(n.enrolment for n in outcome.notifications)])
    return _report(args, map(outcome.register.enrolment, changed), outcome, outcome.register)


def _approve(args: argparse.Namespace) -> str:
    register, catalogue = _open(args)
    enrolment = _enrolment_id(args, register)
    outcome = approve(register, catalogue, enrolment, now=_now(args))
    register_format.dump(outcome.register, args.file)
    changed = dict.fromkeys([enrolment, *(n.enrolment for n in outcome.notifications)])
    return _report(args, map(outcome.register.enrolment, changed), outcome, outcome.register)


def _confirmed_enrolment(
    register: Register, catalogue: Catalogue, participant: str, session: str
) -> str:
    """The id of *participant*'s confirmed enrolment that includes *session*."""
    register.participant(participant)
    _event, targets = targets_of_session(catalogue, session)
    for enrolment in register.enrolments_of(participant):
        if enrolment.target in targets and enrolment.status is EnrolmentStatus.CONFIRMED:
            return enrolment.id
    raise EnrolmentError(
        f"{participant!r} has no confirmed enrolment that includes session {session!r}",
        path="participant",
    )


def _attend(args: argparse.Namespace) -> str:
    register, catalogue = _open(args)
    if args.sign_in:
        rows = read_sign_in_sheet(
            Path(args.sign_in).read_bytes(),
            register,
            catalogue,
            args.session,
            source=args.sign_in,
        )
        records = [(row.enrolment, row.presence) for row in rows]
    else:
        presence = Presence(args.presence)
        ids = dict.fromkeys(args.participant)
        records = [
            (_confirmed_enrolment(register, catalogue, p, args.session), presence) for p in ids
        ]
    for enrolment, presence in records:
        register = record_attendance(
            register, catalogue, enrolment, args.session, presence
        ).register
    register_format.dump(register, args.file)
    recorded = [register.enrolment(e) for e, _ in records]
    if args.json:
        document = {
            "session": args.session,
            "recorded": [
                {"enrolment": e.id, "participant": e.participant, "presence": p.value}
                for e, (_, p) in zip(recorded, records, strict=True)
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
    counts = {p: sum(1 for _, q in records if q is p) for p in Presence}
    summary = ", ".join(f"{count} {p.value}" for p, count in counts.items() if count)
    return f"{args.session}: attendance recorded for {len(records)} ({summary or 'nobody'})"


def _waiting_list(args: argparse.Namespace) -> str:
    register, catalogue = _open(args)
    waiting = waiting_list(register, catalogue, args.target)
    if args.json:
        document = {
            "target": args.target,
            "waiting": [
                {**_enrolment(e), "position": n, "since": e.changed.isoformat()}
                for n, e in enumerate(waiting, start=1)
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
    lines = [
        f"{n}. {e.id}: {e.participant} {register.participant(e.participant).name} "
        f"({e.mode.value}, since {e.changed.isoformat()})"
        for n, e in enumerate(waiting, start=1)
    ]
    lines.append(f"{len(waiting)} waiting for {args.target}")
    return "\n".join(lines)


#: Command name → handler, for :func:`libkurs.cli.main`.
COMMANDS: Final[dict[str, Callable[[argparse.Namespace], str]]] = {
    "enrol": _enrol,
    "withdraw": _withdraw,
    "approve": _approve,
    "attend": _attend,
    "waiting-list": _waiting_list,
}
