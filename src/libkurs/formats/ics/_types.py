"""The values the iCalendar format hands out besides catalogues: attendees, warnings, results."""

from __future__ import annotations

import re
from typing import Any

import attrs

from libkurs.enrolment import EnrolmentStatus
from libkurs.errors import ValidationError
from libkurs.formats._warnings import Action, CalendarWarning
from libkurs.model import Catalogue

__all__ = [
    "INVITED",
    "UNINVITED",
    "Action",
    "Attendee",
    "CalendarWarning",
    "FoundAttendee",
    "Imported",
]

#: The enrolment status that gets a METHOD:REQUEST: the person has a place.
INVITED: frozenset[EnrolmentStatus] = frozenset({EnrolmentStatus.CONFIRMED})
#: The statuses that get a METHOD:CANCEL: the enrolment no longer stands.
UNINVITED: frozenset[EnrolmentStatus] = frozenset(
    {
        EnrolmentStatus.DECLINED,
        EnrolmentStatus.WITHDRAWN,
        EnrolmentStatus.CANCELLED,
        EnrolmentStatus.REJECTED,
    }
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL = re.compile(r"[^\s@<>()\[\]\\,;:\"]+@[^\s@<>()\[\]\\,;:\"]+\.[^\s@<>()\[\]\\,;:\".]+")


def _one_line(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise ValidationError(f"must be a string, got {type(value).__name__}", path=attribute.name)
    if _CONTROL.search(value) or not value.strip():
        raise ValidationError(
            f"must be one non-empty line without control characters, got {value!r}",
            path=attribute.name,
        )


def _email(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _one_line(instance, attribute, value)
    assert isinstance(value, str)
    if not _EMAIL.fullmatch(value):
        raise ValidationError(f"not an e-mail address: {value!r}", path=attribute.name)


def _status(value: object) -> EnrolmentStatus:
    if isinstance(value, EnrolmentStatus):
        return value
    if isinstance(value, str):
        try:
            return EnrolmentStatus(value)
        except ValueError:
            pass
    known = ", ".join(repr(s.value) for s in EnrolmentStatus)
    raise ValidationError(f"unknown enrolment status {value!r} (one of {known})", path="status")


def _revision(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"must be a whole number ≥ 0, got {value!r}", path=attribute.name)


@attrs.frozen(kw_only=True)
class Attendee:
    """One person an invitation is for: a name, an e-mail address, an enrolment status.

    This is what :func:`~libkurs.formats.ics.invitations` needs of an enrolment
    (:func:`~libkurs.formats.ics.invitation_for` makes one from an
    :class:`~libkurs.enrolment.Enrolment` and its :class:`~libkurs.enrolment.Participant`).
    ``status`` is the enrolment's :class:`~libkurs.enrolment.EnrolmentStatus` (its value as
    a string is accepted too): ``confirmed`` gives a METHOD:REQUEST; ``declined``,
    ``withdrawn``, ``cancelled`` and ``rejected`` give a METHOD:CANCEL; a person still
    waiting (``requested``, ``waitlisted``, ``offered``) gets no invitation at all.
    ``revision`` counts the status changes of the enrolment, so that every change (a
    cancellation, a re-enrolment after it) gets a higher SEQUENCE than the one before.

    The organiser of an invitation is an ``Attendee`` too; its status is not used.

    Raises:
        libkurs.errors.ValidationError: a control character in the name or address, an
            address that is not an e-mail address, an unknown status, a negative revision.
    """

    email: str = attrs.field(validator=_email)
    name: str | None = attrs.field(default=None, validator=_one_line)
    status: EnrolmentStatus = attrs.field(default=EnrolmentStatus.CONFIRMED, converter=_status)
    revision: int = attrs.field(default=0, validator=_revision)

    @property
    def cancelled(self) -> bool:
        """Whether the enrolment no longer stands (it gets a METHOD:CANCEL)."""
        return self.status in UNINVITED

    @property
    def waiting(self) -> bool:
        """Whether the person waits for a place (and so gets no invitation)."""
        return self.status not in INVITED | UNINVITED


@attrs.frozen(kw_only=True)
class FoundAttendee:
    """An ATTENDEE of an imported event: who, their reply, and which event of the catalogue.

    :meth:`enrolment_status` reads the reply as an :class:`~libkurs.enrolment.EnrolmentStatus`;
    :func:`~libkurs.formats.ics.found_enrolments` makes participants and enrolments of them.
    """

    event: str
    """The id of the imported event."""
    email: str | None
    name: str | None
    partstat: str | None
    """The participation status as written (``ACCEPTED``, ``NEEDS-ACTION`` …)."""
    role: str | None
    line: int

    def enrolment_status(self) -> EnrolmentStatus:
        """The reply as an enrolment status.

        ACCEPTED is confirmed; DECLINED is withdrawn (the person said no, which is not the
        *declined* of a place offered from the waiting list); the rest (NEEDS-ACTION,
        TENTATIVE, DELEGATED, none) is requested, waiting for the organiser.
        """
        partstat = (self.partstat or "").upper()
        if partstat == "ACCEPTED":
            return EnrolmentStatus.CONFIRMED
        if partstat == "DECLINED":
            return EnrolmentStatus.WITHDRAWN
        return EnrolmentStatus.REQUESTED


@attrs.frozen(kw_only=True)
class Imported:
    """What :func:`read_calendar` found: the catalogue, the attendees, and the warnings.

    In the (default) lenient reading, every VEVENT, line or component that could not be read
    as written has a :class:`CalendarWarning` here; with ``strict=True`` the first one is an
    error instead, and ``warnings`` holds only what strict reading also reads past.
    """

    catalogue: Catalogue
    attendees: tuple[FoundAttendee, ...] = ()
    warnings: tuple[CalendarWarning, ...] = ()
