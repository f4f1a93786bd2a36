"""The values the iCalendar format hands out besides catalogues: attendees, warnings, results."""

from __future__ import annotations

from typing import Any

import attrs

from libkurs.model import Catalogue

__all__ = ["Attendee", "CalendarWarning", "FoundAttendee", "Imported"]


def _no_line_breaks(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, got {type(value).__name__}")
    if any(c in value for c in "\r\n\x00") or not value.strip():
        raise ValueError(f"{attribute.name} must be one non-empty line, got {value!r}")


@attrs.frozen(kw_only=True)
class Attendee:
    """One person an invitation is for: a name, an e-mail address, an enrolment status.

    This is what :func:`invitation` needs of an enrolment; ``status`` is the enrolment's
    status (``"cancelled"`` or ``"withdrawn"`` gives a METHOD:CANCEL), and ``revision``
    counts the changes of the enrolment, so that a re-enrolment after a cancellation gets a
    SEQUENCE above the cancellation's.
    """

    email: str = attrs.field(validator=_no_line_breaks)
    name: str | None = attrs.field(default=None, validator=_no_line_breaks)
    status: str = attrs.field(default="confirmed", validator=_no_line_breaks)
    revision: int = attrs.field(default=0, validator=attrs.validators.ge(0))

    @property
    def cancelled(self) -> bool:
        """Whether the enrolment no longer stands."""
        return self.status.lower() in {"cancelled", "canceled", "withdrawn", "declined"}


@attrs.frozen(kw_only=True)
class FoundAttendee:
    """An ATTENDEE of an imported event: who, their reply, and which event of the catalogue."""

    event: str
    """The id of the imported event."""
    email: str | None
    name: str | None
    partstat: str | None
    """The participation status as written (``ACCEPTED``, ``NEEDS-ACTION`` …)."""
    role: str | None
    line: int


@attrs.frozen(kw_only=True)
class CalendarWarning:
    """Something in the input that libkurs read past: a skipped VTODO, a rule cut at the horizon."""

    message: str
    line: int | None = None

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@attrs.frozen(kw_only=True)
class Imported:
    """What :func:`read_calendar` found: the catalogue, the attendees, and the warnings."""

    catalogue: Catalogue
    attendees: tuple[FoundAttendee, ...] = ()
    warnings: tuple[CalendarWarning, ...] = ()
