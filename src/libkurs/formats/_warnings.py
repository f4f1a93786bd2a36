"""What a lenient reader of iCalendar read past: :class:`CalendarWarning` and its :class:`Action`.

Apart from :mod:`libkurs.formats.ics` so that the typed load options can name it without
importing the iCalendar reader (and icalendar with it) when a command does not read a calendar.
"""

from __future__ import annotations

import enum

import attrs

__all__ = ["Action", "CalendarWarning"]


class Action(enum.Enum):
    """What the reader did with something it could not read as written."""

    SKIPPED = "skipped"
    """Left out: a line, a property, a VEVENT (with every session it would give), a component."""
    REPAIRED = "repaired"
    """Read as something close to what was written: the message says as what."""
    CUT = "cut"
    """Read up to a bound (a rule at its horizon, the occurrences of a file at their cap)."""
    NOTED = "noted"
    """Read as written; worth knowing (an EXDATE that excludes nothing)."""


@attrs.frozen(kw_only=True)
class CalendarWarning:
    """Something in the input that libkurs read past, and what it did about it.

    ``line`` is the line of the input it is about (None if it is about the whole file),
    ``uid`` the UID of the VEVENT it is about if there is one, ``message`` what was found and
    done in words, ``action`` the same as a value a program can test.

    >>> str(
    ...     CalendarWarning(
    ...         message="DTEND equals DTSTART: read as lasting 1:00:00",
    ...         line=12,
    ...         uid="abc@google.com",
    ...         action=Action.REPAIRED,
    ...     )
    ... )
    'line 12 (UID abc@google.com): DTEND equals DTSTART: read as lasting 1:00:00'
    """

    message: str
    line: int | None = None
    uid: str | None = None
    action: Action = Action.REPAIRED

    def __str__(self) -> str:
        where = [] if self.line is None else [f"line {self.line}"]
        if self.uid is not None:
            where.append(f"(UID {self.uid})")
        return f"{' '.join(where)}: {self.message}" if where else self.message
