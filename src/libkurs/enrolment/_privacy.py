"""Personal data: anonymise participants once their data need no longer be kept."""

from __future__ import annotations

from datetime import datetime

import attrs

from libkurs.enrolment._errors import EnrolmentError, UnknownIdError
from libkurs.enrolment._lifecycle import ACTIVE, Enrolment
from libkurs.enrolment._participants import ANONYMOUS, Participant
from libkurs.enrolment._register import Register, replace_enrolments, replace_participants
from libkurs.enrolment._targets import resolve_target
from libkurs.model import Catalogue
from libkurs.model._checks import check_aware
from libkurs.model._event import utc

__all__ = ["anonymize"]


def _settled(enrolment: Enrolment, catalogue: Catalogue) -> datetime | None:
    """When an enrolment stops needing its personal data, or None while it still needs them.

    It is settled once its target's last session has ended and its status last changed. One in
    a target without a dated session is still going, whatever its status; one whose target has
    left the catalogue is settled by its last change once its status is final.
    """
    try:
        end = resolve_target(catalogue, enrolment.target).end
    except (UnknownIdError, EnrolmentError):  # the target has left the catalogue (or changed)
        return None if enrolment.status in ACTIVE else enrolment.changed
    if end is None:
        return None
    return max(enrolment.changed, end, key=utc)


def _without_notes(enrolment: Enrolment) -> Enrolment:
    """*enrolment* with the free text of its history and attendance removed."""
    return attrs.evolve(
        enrolment,
        history=[attrs.evolve(change, note=None) for change in enrolment.history],
        attendance=[attrs.evolve(record, note=None) for record in enrolment.attendance],
    )


def anonymize(register: Register, catalogue: Catalogue, *, before: datetime) -> Register:
    """Remove the personal data of everyone whose enrolments were all settled before *before*.

    An enrolment is settled when its target's last session has ended and its status last
    changed; an enrolment in a target that has no dated session yet is never settled, whatever
    its status (nor is one still going in a target that has left the catalogue). Pass *before* as
    "now minus the retention period". Participants with no enrolment at all are anonymised too.
    An anonymised participant keeps its id, municipality and language of service (for
    statistics), and its enrolments and attendance; name, e-mail address, phone number and
    organisation are removed, and so are the notes of its enrolments' history and attendance,
    which are free text that may name people.
    """
    check_aware(before, "before")
    limit = utc(before)
    changed: dict[str, Participant] = {}
    settled: dict[str, bool] = {p.id: True for p in register.participants}
    for enrolment in register.enrolments:
        if settled.get(enrolment.participant):
            moment = _settled(enrolment, catalogue)
            if moment is None or utc(moment) >= limit:
                settled[enrolment.participant] = False
    for participant in register.participants:
        if settled[participant.id] and not participant.anonymized:
            changed[participant.id] = attrs.evolve(
                participant,
                name=ANONYMOUS,
                email=None,
                phone=None,
                organisation=None,
                anonymized=True,
            )
    anonymized = {p.id for p in register.participants if settled[p.id]}
    notes = {
        e.id: _without_notes(e)
        for e in register.enrolments
        if e.participant in anonymized
        and (
            any(c.note is not None for c in e.history)
            or any(r.note is not None for r in e.attendance)
        )
    }
    return replace_enrolments(replace_participants(register, changed), notes)
