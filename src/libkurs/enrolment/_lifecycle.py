"""The lifecycle of an enrolment: its statuses, the legal changes, and a history never rewritten.

An enrolment starts as *requested* (when an organiser approves each one), *confirmed* or
*waitlisted*, and moves only along :data:`TRANSITIONS`. Every change is appended to the
enrolment's dated history; the current status is the last entry.

>>> from datetime import datetime
>>> from libkurs import HELSINKI
>>> enrolment = Enrolment(
...     id="e1",
...     participant="p1",
...     target="liboppi-dag-2023",
...     history=[
...         StatusChange(
...             status=EnrolmentStatus.WAITLISTED, at=datetime(2023, 1, 2, tzinfo=HELSINKI)
...         )
...     ],
... )
>>> later = transition(
...     enrolment, EnrolmentStatus.CONFIRMED, at=datetime(2023, 1, 3, tzinfo=HELSINKI)
... )
>>> [change.status.value for change in later.history]
['waitlisted', 'confirmed']
>>> transition(later, EnrolmentStatus.WAITLISTED, at=datetime(2023, 1, 4, tzinfo=HELSINKI))
Traceback (most recent call last):
...
libkurs.errors.IllegalTransitionError: status: enrolment 'e1' cannot go from confirmed...
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

import attrs

from libkurs.enrolment._errors import IllegalTransitionError
from libkurs.errors import ValidationError
from libkurs.model._checks import (
    check_aware,
    check_identifier,
    check_text,
    each_check,
    each_unique,
    field_check,
    instance_check,
    strings,
    tuple_of,
)
from libkurs.model._event import utc

__all__ = [
    "ACTIVE",
    "AttendanceRecord",
    "CalendarAnswer",
    "CalendarResponse",
    "Enrolment",
    "EnrolmentStatus",
    "HOLDING_A_PLACE",
    "INITIAL",
    "ParticipationMode",
    "Presence",
    "StatusChange",
    "TRANSITIONS",
    "transition",
]


class EnrolmentStatus(enum.StrEnum):
    """Where an enrolment stands."""

    REQUESTED = "requested"
    """Received, waiting for the organiser's approval."""
    CONFIRMED = "confirmed"
    """Has a place."""
    WAITLISTED = "waitlisted"
    """Waits for a place, first come first served."""
    OFFERED = "offered"
    """A freed place is held for this person until a deadline."""
    DECLINED = "declined"
    """Did not take an offered place (said no, or let the deadline pass)."""
    WITHDRAWN = "withdrawn"
    """The participant withdrew."""
    CANCELLED = "cancelled"
    """The organiser cancelled it (or the event)."""
    REJECTED = "rejected"
    """The organiser did not approve the request."""


class ParticipationMode(enum.StrEnum):
    """How one participant takes part: on site or remotely; each has its own places."""

    ON_SITE = "on_site"
    REMOTE = "remote"


class Presence(enum.StrEnum):
    """Whether a participant attended one session."""

    PRESENT = "present"
    ABSENT = "absent"
    PARTIAL = "partial"


S = EnrolmentStatus

#: The statuses an enrolment may start in.
INITIAL: Final = frozenset({S.REQUESTED, S.CONFIRMED, S.WAITLISTED})

#: The legal changes: from each status, the statuses it may go to. The last four are final.
TRANSITIONS: Final = MappingProxyType(
    {
        S.REQUESTED: frozenset({S.CONFIRMED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN, S.CANCELLED}),
        S.WAITLISTED: frozenset({S.CONFIRMED, S.OFFERED, S.WITHDRAWN, S.CANCELLED}),
        S.OFFERED: frozenset({S.CONFIRMED, S.DECLINED, S.WITHDRAWN, S.CANCELLED}),
        S.CONFIRMED: frozenset({S.WITHDRAWN, S.CANCELLED}),
        S.DECLINED: frozenset(),
        S.WITHDRAWN: frozenset(),
        S.CANCELLED: frozenset(),
        S.REJECTED: frozenset(),
    }
)

#: The statuses of an enrolment that is still going somewhere.
ACTIVE: Final = frozenset({S.REQUESTED, S.CONFIRMED, S.WAITLISTED, S.OFFERED})
#: The statuses that take up a place: a confirmed one, and one offered and not yet answered.
HOLDING_A_PLACE: Final = frozenset({S.CONFIRMED, S.OFFERED})

_optional_text = field_check(check_text, optional=True)


def _check_change(instance: StatusChange, _attribute: attrs.Attribute[Any], _value: Any) -> None:
    if instance.status is S.OFFERED and instance.until is None:
        raise ValidationError("an offer needs a deadline", path="until")
    if instance.status is not S.OFFERED and instance.until is not None:
        raise ValidationError("only an offer has a deadline", path="until")
    if instance.until is not None and utc(instance.until) <= utc(instance.at):
        raise ValidationError("the offer's deadline is not after the offer", path="until")


@attrs.frozen(kw_only=True)
class StatusChange:
    """One dated entry of an enrolment's history."""

    status: EnrolmentStatus = attrs.field(validator=field_check(instance_check(EnrolmentStatus)))
    at: datetime = attrs.field(validator=field_check(check_aware))
    until: datetime | None = attrs.field(
        default=None, validator=[field_check(check_aware, optional=True), _check_change]
    )
    """For an offer: the deadline to accept it."""
    note: str | None = attrs.field(default=None, validator=_optional_text)


@attrs.frozen(kw_only=True)
class AttendanceRecord:
    """Whether the participant attended one session."""

    session: str = attrs.field(validator=field_check(check_identifier))
    presence: Presence = attrs.field(validator=field_check(instance_check(Presence)))
    note: str | None = attrs.field(default=None, validator=_optional_text)


class CalendarAnswer(enum.StrEnum):
    """What a participant answered an invitation in their calendar, short of declining it.

    Declining withdraws the enrolment (a change of status); these two change nothing but are
    worth knowing: who has put the session in their calendar, and who is unsure.
    """

    ACCEPTED = "accepted"
    TENTATIVE = "tentative"


@attrs.frozen(kw_only=True)
class CalendarResponse:
    """One answer a participant gave in their calendar (an iMIP REPLY), and when."""

    answer: CalendarAnswer = attrs.field(validator=field_check(instance_check(CalendarAnswer)))
    at: datetime = attrs.field(validator=field_check(check_aware))
    session: str | None = attrs.field(
        default=None, validator=field_check(check_identifier, optional=True)
    )
    """The session the invitation was for, when it was for one."""


def _check_history(instance: Enrolment, _attribute: attrs.Attribute[Any], value: Any) -> None:
    each_check(instance_check(StatusChange))(instance, _attribute, value)
    if not value:
        raise ValidationError("an enrolment needs at least one status", path="history")
    if value[0].status not in INITIAL:
        raise ValidationError(
            f"an enrolment cannot start as {value[0].status}", path="history[0].status"
        )
    for index in range(1, len(value)):
        before, after = value[index - 1], value[index]
        if after.status not in TRANSITIONS[before.status]:
            raise ValidationError(
                f"cannot go from {before.status} to {after.status}", path=f"history[{index}].status"
            )
        if utc(after.at) < utc(before.at):
            raise ValidationError(
                "a change cannot be dated before the one it follows", path=f"history[{index}].at"
            )


def _check_attendance(instance: Enrolment, attribute: attrs.Attribute[Any], value: Any) -> None:
    each_check(instance_check(AttendanceRecord))(instance, attribute, value)
    each_unique(instance, attribute, tuple(record.session for record in value))


def _history(items: Sequence[StatusChange]) -> tuple[StatusChange, ...]:
    return tuple_of(items)


def _attendance(items: Sequence[AttendanceRecord]) -> tuple[AttendanceRecord, ...]:
    return tuple_of(items)


def _responses(items: Sequence[CalendarResponse]) -> tuple[CalendarResponse, ...]:
    return tuple_of(items)


@attrs.frozen(kw_only=True)
class Enrolment:
    """One participant's enrolment in one target: a programme, an event or one run of an event.

    ``sessions`` lists the sessions chosen, when the event lets people choose; empty means all of
    the target's. ``group`` ties together the enrolments made at once by one ``contact``: they get
    places all together or not at all.
    """

    id: str = attrs.field(validator=field_check(check_identifier))
    participant: str = attrs.field(validator=field_check(check_identifier))
    """The id of a :class:`~libkurs.enrolment.Participant` of the same register."""
    target: str = attrs.field(validator=field_check(check_identifier))
    """The id of a programme, an event or a run of the catalogue."""
    mode: ParticipationMode = attrs.field(
        default=ParticipationMode.ON_SITE, validator=field_check(instance_check(ParticipationMode))
    )
    sessions: tuple[str, ...] = attrs.field(
        default=(), converter=strings, validator=[each_check(check_identifier), each_unique]
    )
    group: str | None = attrs.field(
        default=None, validator=field_check(check_identifier, optional=True)
    )
    contact: str | None = attrs.field(
        default=None, validator=field_check(check_identifier, optional=True)
    )
    """The participant id of whoever enrolled the group."""
    history: tuple[StatusChange, ...] = attrs.field(converter=_history, validator=_check_history)
    attendance: tuple[AttendanceRecord, ...] = attrs.field(
        default=(), converter=_attendance, validator=_check_attendance
    )
    responses: tuple[CalendarResponse, ...] = attrs.field(
        default=(), converter=_responses, validator=each_check(instance_check(CalendarResponse))
    )
    """Answers given in the participant's calendar that left the status as it was (accepted,
    tentative), oldest first; they are not history, so they raise no invitation's SEQUENCE."""

    @property
    def status(self) -> EnrolmentStatus:
        """The current status: the last of the history."""
        return self.history[-1].status

    @property
    def changed(self) -> datetime:
        """When the status last changed."""
        return self.history[-1].at

    @property
    def offered_until(self) -> datetime | None:
        """The deadline of the current offer, or None when nothing is on offer."""
        return self.history[-1].until

    @property
    def requested(self) -> datetime:
        """When the enrolment was made."""
        return self.history[0].at

    def presence(self, session: str) -> Presence | None:
        """The recorded attendance at *session*, or None if none was recorded."""
        for record in self.attendance:
            if record.session == session:
                return record.presence
        return None


def transition(
    enrolment: Enrolment,
    status: EnrolmentStatus,
    *,
    at: datetime,
    until: datetime | None = None,
    note: str | None = None,
) -> Enrolment:
    """*enrolment* with *status* appended to its history at *at*.

    Raises:
        IllegalTransitionError: the lifecycle does not allow that change.
        ValidationError: *at* is before the last change, or an offer has no deadline.
    """
    if status not in TRANSITIONS[enrolment.status]:
        raise IllegalTransitionError(
            enrolment.id, current=enrolment.status.value, requested=status.value
        )
    change = StatusChange(status=status, at=at, until=until, note=note)
    if utc(at) < utc(enrolment.changed):
        raise ValidationError(
            f"{at.isoformat()} is before the enrolment's last change "
            f"({enrolment.changed.isoformat()})",
            path="at",
        )
    return attrs.evolve(enrolment, history=(*enrolment.history, change))
