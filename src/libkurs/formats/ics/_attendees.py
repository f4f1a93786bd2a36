"""The ATTENDEEs of an imported calendar as enrolment data: participants and enrolments.

A calendar knows far less than a register: an address, perhaps a name, a reply. So
:func:`found_enrolments` gives each address one :class:`~libkurs.enrolment.Participant`
(its id a hash of the address, so that no id spreads the address) and each attendee of an
event one :class:`~libkurs.enrolment.Enrolment` in it, with a one- or two-entry history dated
*at*, the moment of the import (the file does not say when anyone replied). Attendees
without an e-mail address, the chair and non-participants are left out; so is a second
ATTENDEE with the same address in the same event. The result is data to merge into a
register, not a register: places, waiting lists and modes are for the enrolment operations.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from libkurs.enrolment import Enrolment, EnrolmentStatus, Participant, StatusChange
from libkurs.errors import ValidationError
from libkurs.formats.ics._types import FoundAttendee

__all__ = ["found_enrolments"]

_LEFT_OUT_ROLES = {"CHAIR", "NON-PARTICIPANT"}


def _participant_id(email: str) -> str:
    digest = hashlib.sha1(email.lower().encode(), usedforsecurity=False).hexdigest()
    return f"attendee-{digest[:12]}"


def _history(found: FoundAttendee, at: datetime) -> list[StatusChange]:
    status = found.enrolment_status()
    if status is EnrolmentStatus.WITHDRAWN:
        return [
            StatusChange(status=EnrolmentStatus.REQUESTED, at=at),
            StatusChange(status=status, at=at),
        ]
    return [StatusChange(status=status, at=at)]


def found_enrolments(
    attendees: tuple[FoundAttendee, ...] | list[FoundAttendee],
    *,
    at: datetime,
    language: str = "sv",
) -> tuple[tuple[Participant, Enrolment], ...]:
    """Each usable attendee as a participant and their enrolment in the imported event.

    *at* dates the history (when the calendar was read); *language* is each participant's
    language of service, which a calendar does not tell.

    Raises:
        libkurs.errors.ValidationError: an attendee the model refuses (a name with control
            characters, an address that is not one), with the ATTENDEE's ``line``.
    """
    found: list[tuple[Participant, Enrolment]] = []
    seen: set[tuple[str, str]] = set()
    for attendee in attendees:
        if attendee.email is None or (attendee.role or "").upper() in _LEFT_OUT_ROLES:
            continue
        participant_id = _participant_id(attendee.email)
        if (attendee.event, participant_id) in seen:
            continue
        seen.add((attendee.event, participant_id))
        try:
            participant = Participant(
                id=participant_id,
                name=attendee.name or attendee.email,
                email=attendee.email,
                language=language,
            )
            enrolment = Enrolment(
                id=f"{attendee.event[:100]}-{participant_id}",
                participant=participant_id,
                target=attendee.event,
                history=_history(attendee, at),
            )
        except ValidationError as error:
            error.line = attendee.line
            raise
        found.append((participant, enrolment))
    return tuple(found)
