"""The errors an enrolment rule raises when it refuses an operation.

Every operation of :mod:`libkurs.enrolment` is all or nothing: when one of these is raised, no
register was changed and no notification is due::

    ValidationError (libkurs.errors)
    └── EnrolmentError                  an enrolment rule refuses the operation
        ├── IllegalTransitionError      that status change is not allowed from the current status
        ├── EnrolmentClosedError        the enrolment window is not open at that moment
        ├── NoPlaceError                no place and no room on the waiting list
        └── UnknownIdError              no participant, enrolment or target with that id
"""

from __future__ import annotations

from libkurs.errors import ValidationError

__all__ = [
    "EnrolmentClosedError",
    "EnrolmentError",
    "IllegalTransitionError",
    "NoPlaceError",
    "UnknownIdError",
]


class EnrolmentError(ValidationError):
    """An enrolment rule refuses the operation; nothing was changed."""


class IllegalTransitionError(EnrolmentError):
    """A status change that the lifecycle does not allow, such as withdrawn → confirmed.

    Attributes:
        enrolment: The id of the enrolment.
        current: The status it has.
        requested: The status it was asked to take.
    """

    def __init__(self, enrolment: str, *, current: str, requested: str) -> None:
        self.enrolment = enrolment
        self.current = current
        self.requested = requested
        super().__init__(
            f"enrolment {enrolment!r} cannot go from {current} to {requested}", path="status"
        )


class EnrolmentClosedError(EnrolmentError):
    """The enrolment window of the target is not open at that moment."""


class NoPlaceError(EnrolmentError):
    """No place is free and the waiting list (if any) has no room."""


class UnknownIdError(EnrolmentError):
    """No participant, enrolment or target has that id.

    Attributes:
        id: The id that names nothing.
        expected: What it should name (``"participant"``, ``"enrolment"``, ``"target"`` …).
    """

    def __init__(self, id: str, *, expected: str, path: str = "") -> None:
        self.id = id
        self.expected = expected
        super().__init__(f"no {expected} with id {id!r}", path=path)
