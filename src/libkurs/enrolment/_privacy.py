"""Personal data: anonymise participants once their data need no longer be kept."""

from __future__ import annotations

from datetime import datetime

import attrs

from libkurs.enrolment._errors import EnrolmentError
from libkurs.enrolment._lifecycle import Enrolment
from libkurs.enrolment._participants import ANONYMOUS, Participant
from libkurs.enrolment._register import Register, replace_participants
from libkurs.enrolment._targets import resolve_target
from libkurs.model import Catalogue
from libkurs.model._checks import check_aware
from libkurs.model._event import utc

__all__ = ["anonymize"]


def _settled(enrolment: Enrolment, catalogue: Catalogue) -> datetime:
    """When an enrolment stops needing its personal data: after its target and its last change."""
    moments = [enrolment.changed]
    try:
        end = resolve_target(catalogue, enrolment.target).end
    except EnrolmentError:  # the target has left the catalogue
        end = None
    if end is not None:
        moments.append(end)
    return max(moments, key=utc)


def anonymize(register: Register, catalogue: Catalogue, *, before: datetime) -> Register:
    """Remove the personal data of everyone whose enrolments were all settled before *before*.

    An enrolment is settled when its target's last session has ended and its status last
    changed; pass *before* as "now minus the retention period". Participants with no
    enrolment at all are anonymised too. An anonymised participant keeps
    its id, municipality and language of service (for statistics), and its enrolments and
    attendance; name, e-mail address, phone number and organisation are removed.
    """
    check_aware(before, "before")
    limit = utc(before)
    changed: dict[str, Participant] = {}
    settled: dict[str, bool] = {p.id: True for p in register.participants}
    for enrolment in register.enrolments:
        if settled.get(enrolment.participant) and utc(_settled(enrolment, catalogue)) >= limit:
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
    return replace_participants(register, changed)
