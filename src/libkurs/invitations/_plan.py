"""The pure planner: who must get which invitation, from catalogue, register and journal.

For each participant's enrolment in a target (the one still going, else the latest) and each
session of it, the planner asks :func:`libkurs.formats.ics.invitation_for` what that person's
calendar should hold, and the :class:`~libkurs.invitations.Journal` what it holds:

- a confirmed enrolment gets a REQUEST when the person has none standing for the session, or
  when the session or the enrolment changed since (its revision rose);
- a withdrawn, declined, cancelled or rejected enrolment, and a cancelled session, get a CANCEL,
  but only where a REQUEST stands: someone never invited is not uninvited, and someone who
  declined in their own calendar is not told again;
- an enrolment still waiting for a place gets nothing; so does a participant without an address
  (anonymised).

Every message has a SEQUENCE above the last one sent for its UID to that person, so calendars
take it as newer. Nothing here does I/O: a plan is data, which a dry run prints and
:func:`~libkurs.invitations.deliver` sends.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime

import attrs

from libkurs.enrolment import ACTIVE, Enrolment, EnrolmentStatus, Register, resolve_target
from libkurs.errors import KursError
from libkurs.formats.ics import Attendee, Invitation, invitation_for, organiser_of
from libkurs.invitations._journal import Entry, Journal
from libkurs.model import Catalogue

__all__ = ["Delivery", "Plan", "Reason", "plan"]

_WAITING = frozenset(
    {EnrolmentStatus.REQUESTED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.OFFERED}
)


class Reason(enum.StrEnum):
    """Why a message is planned."""

    NEW = "new"
    """The participant has a place and no invitation yet."""
    CHANGED = "changed"
    """The session (time, place, status, title) or the enrolment changed since the last one."""
    ENDED = "ended"
    """The enrolment ended: withdrawn, cancelled, rejected."""
    SESSION_CANCELLED = "session_cancelled"
    """The session (or its event) is cancelled."""


@attrs.frozen(kw_only=True)
class Delivery:
    """One message to send: to whom (an enrolment's participant), about which session, why.

    Its ``repr`` leaves out the address and the text.
    """

    enrolment: str
    participant: str
    recipient: str = attrs.field(repr=False)
    name: str | None = attrs.field(repr=False)
    language: str
    session: str
    uid: str
    method: str
    sequence: int
    revision: int
    reason: Reason
    organiser: str = attrs.field(repr=False)
    organiser_name: str | None = attrs.field(repr=False)
    calendar: str = attrs.field(repr=False)
    """The iCalendar text (METHOD, one VEVENT)."""

    def entry(self, *, at: datetime, message_id: str) -> Entry:
        """The journal entry that records this message as sent."""
        return Entry(
            uid=self.uid,
            recipient=self.recipient,
            enrolment=self.enrolment,
            method=self.method,
            sequence=self.sequence,
            revision=self.revision,
            at=at,
            message_id=message_id,
            organiser=self.organiser,
        )

    def to_dict(self) -> dict[str, object]:
        """What a dry run shows: ids, never the address or the text."""
        return {
            "enrolment": self.enrolment,
            "participant": self.participant,
            "session": self.session,
            "uid": self.uid,
            "method": self.method,
            "sequence": self.sequence,
            "reason": self.reason.value,
        }


@attrs.frozen(kw_only=True)
class Plan:
    """The messages to send, and the enrolments that could not be planned, with why."""

    deliveries: tuple[Delivery, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    """``(enrolment id, reason)`` for each enrolment left out (its target left the catalogue…)."""

    def __len__(self) -> int:
        return len(self.deliveries)


def _governing(register: Register) -> Iterator[Enrolment]:
    """Per participant and target, the enrolment that decides: the one going, else the latest."""
    chosen: dict[tuple[str, str], Enrolment] = {}
    for enrolment in register.enrolments:
        key = (enrolment.participant, enrolment.target)
        before = chosen.get(key)
        if before is None or enrolment.status in ACTIVE or before.status not in ACTIVE:
            chosen[key] = enrolment
    return iter(chosen.values())


def _organiser(
    catalogue: Catalogue,
    target: str,
    *,
    sender: str,
    organiser: Attendee | None,
    organisation: str | None,
    language: str,
) -> Attendee:
    if organiser is not None:
        return organiser
    if organisation is None:
        found = resolve_target(catalogue, target)
        owner = found.programme or found.event
        organisation = owner.organisers[0] if owner is not None and owner.organisers else None
    if organisation is None:
        return Attendee(email=sender)
    return organiser_of(catalogue, organisation, email=sender, language=language)


def _decide(invitation: Invitation, last: Entry | None, enrolment: Enrolment) -> Reason | None:
    if invitation.method == "REQUEST":
        if last is None or last.method != "REQUEST":
            return Reason.NEW
        if last.enrolment != enrolment.id or invitation.revision > last.revision:
            return Reason.CHANGED
        return None
    if last is None or last.method != "REQUEST":  # never invited, or already told / declined
        return None
    if enrolment.status is EnrolmentStatus.CONFIRMED:
        return Reason.SESSION_CANCELLED
    return Reason.ENDED


def plan(
    register: Register,
    catalogue: Catalogue,
    journal: Journal,
    *,
    sender: str,
    now: datetime,
    organiser: Attendee | None = None,
    organisation: str | None = None,
    uid_domain: str = "libkurs",
) -> Plan:
    """What each participant must get now, against what *journal* says they got.

    *sender* is the address the messages come from. The ORGANIZER is *organiser* when given
    (with *sender* as SENT-BY if it differs), else *sender* under the name of *organisation*
    (an organisation id of the catalogue; by default the target's first organiser), in the
    participant's language. *uid_domain* must be the one the calendars were given before.

    Raises:
        UnknownIdError: *organisation* is not in the catalogue.
        ValidationError: *sender* is not an e-mail address.
    """
    sender = Attendee(email=sender).email
    deliveries: list[Delivery] = []
    skipped: list[tuple[str, str]] = []
    for enrolment in _governing(register):
        if enrolment.status in _WAITING:
            continue
        participant = register.participant(enrolment.participant)
        if participant.email is None or participant.anonymized:
            continue
        try:
            boss = _organiser(
                catalogue,
                enrolment.target,
                sender=sender,
                organiser=organiser,
                organisation=organisation,
                language=participant.language,
            )
            sent_by = sender if boss.email.casefold() != sender.casefold() else None
            messages = invitation_for(
                register,
                catalogue,
                enrolment.id,
                organiser=boss,
                uid_domain=uid_domain,
                now=now,
                imip=True,
                sent_by=sent_by,
            )
        except KursError as error:
            if organisation is not None and isinstance(error, KeyError):
                raise
            skipped.append((enrolment.id, str(error)))
            continue
        for found in messages:
            message = found
            last = journal.last(message.uid, participant.email)
            reason = _decide(message, last, enrolment)
            if reason is None:
                continue
            if last is not None and last.sequence >= message.sequence:
                again = invitation_for(
                    register,
                    catalogue,
                    enrolment.id,
                    organiser=boss,
                    uid_domain=uid_domain,
                    now=now,
                    imip=True,
                    sent_by=sent_by,
                    min_sequence=last.sequence + 1,
                )
                message = next(m for m in again if m.session == message.session)
            deliveries.append(
                Delivery(
                    enrolment=enrolment.id,
                    participant=participant.id,
                    recipient=participant.email,
                    name=participant.name,
                    language=participant.language,
                    session=message.session,
                    uid=message.uid,
                    method=message.method,
                    sequence=message.sequence,
                    revision=message.revision,
                    reason=reason,
                    organiser=boss.email,
                    organiser_name=boss.name,
                    calendar=message.text,
                )
            )
    return Plan(deliveries=tuple(deliveries), skipped=tuple(skipped))
