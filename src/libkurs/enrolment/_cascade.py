"""Cancellation cascades: when a session or a whole target is cancelled, who is affected.

A cancelled target cancels every enrolment still going in it. A cancelled session cancels the
enrolments that are left with no session at all; the others stand, and their participants are
told that a part is cancelled. Update the catalogue itself with :func:`libkurs.revise`.
"""

from __future__ import annotations

from datetime import datetime

from libkurs.enrolment._errors import EnrolmentError, UnknownIdError
from libkurs.enrolment._lifecycle import ACTIVE, Enrolment, EnrolmentStatus, transition
from libkurs.enrolment._register import (
    Notification,
    NotificationKind,
    Outcome,
    Register,
    replace_enrolments,
)
from libkurs.enrolment._targets import resolve_target, targets_of_session
from libkurs.model import Catalogue, Event, Status
from libkurs.model._checks import check_aware

__all__ = ["cancel_session", "cancel_target"]


def _cancel(enrolment: Enrolment, now: datetime, note: str) -> tuple[Enrolment, Notification]:
    new = transition(enrolment, EnrolmentStatus.CANCELLED, at=now, note=note)
    return new, Notification(
        kind=NotificationKind.CANCELLED,
        participant=new.participant,
        enrolment=new.id,
        target=new.target,
        at=now,
        note=note,
    )


def _part_cancelled(enrolment: Enrolment, part: str, now: datetime) -> Notification:
    return Notification(
        kind=NotificationKind.PART_CANCELLED,
        participant=enrolment.participant,
        enrolment=enrolment.id,
        target=enrolment.target,
        at=now,
        part=part,
    )


def cancel_target(
    register: Register, catalogue: Catalogue, target: str, *, now: datetime
) -> Outcome:
    """Cancel a programme, an event (with all its runs) or a run, and every enrolment in it.

    Enrolments in programmes that have a cancelled event as a module stand; their participants
    are told that the module is cancelled.
    """
    check_aware(now, "now")
    ids = [target]
    event: Event | None
    try:
        event = catalogue.event(target)
    except UnknownIdError:
        resolve_target(catalogue, target)  # raises UnknownIdError for an unknown target
        event = None
    else:
        ids.extend(run.id for run in event.runs)
    changed: dict[str, Enrolment] = {}
    notifications: list[Notification] = []
    note = f"{target} is cancelled"
    for target_id in ids:
        for enrolment in register.enrolments_in(target_id):
            if enrolment.status in ACTIVE:
                changed[enrolment.id], notice = _cancel(enrolment, now, note)
                notifications.append(notice)
    if event is not None:
        for programme in catalogue.programmes_of(event):
            for enrolment in register.enrolments_in(programme.id):
                if enrolment.status in ACTIVE:
                    notifications.append(_part_cancelled(enrolment, event.id, now))
    return Outcome(register=replace_enrolments(register, changed), notifications=notifications)


def cancel_session(
    register: Register, catalogue: Catalogue, session: str, *, now: datetime
) -> Outcome:
    """Cancel one session: cancel the enrolments left with no session, tell the others."""
    check_aware(now, "now")
    _event, target_ids = targets_of_session(catalogue, session)
    changed: dict[str, Enrolment] = {}
    notifications: list[Notification] = []
    for target_id in target_ids:
        try:
            target = resolve_target(catalogue, target_id)
        except EnrolmentError:  # an event with runs is enrolled in through its runs
            continue
        if session not in {s.id for s in target.sessions}:
            continue
        for enrolment in register.enrolments_in(target_id):
            if enrolment.status not in ACTIVE:
                continue
            attends = [
                s for s in target.sessions if not enrolment.sessions or s.id in enrolment.sessions
            ]
            if session not in {s.id for s in attends}:
                continue
            left = [s for s in attends if s.id != session and s.status is not Status.CANCELLED]
            if left:
                notifications.append(_part_cancelled(enrolment, session, now))
            else:
                changed[enrolment.id], notice = _cancel(
                    enrolment, now, f"session {session} is cancelled"
                )
                notifications.append(notice)
    return Outcome(register=replace_enrolments(register, changed), notifications=notifications)
