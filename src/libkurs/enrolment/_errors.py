"""The errors an enrolment operation raises; they live in :mod:`libkurs.errors`.

Every operation of :mod:`libkurs.enrolment` is all or nothing: when one of these is raised, no
register was changed and no notification is due::

    KursError (libkurs.errors)
    ├── UnknownIdError (also KeyError)  no participant, enrolment, target or session with that id
    └── EnrolmentError                  an enrolment rule refuses the operation
        ├── IllegalTransitionError      that status change is not allowed from the current status
        ├── EnrolmentClosedError        the enrolment window is not open at that moment
        └── NoPlaceError                no place and no room on the waiting list
"""

from __future__ import annotations

from libkurs.errors import (
    EnrolmentClosedError,
    EnrolmentError,
    IllegalTransitionError,
    NoPlaceError,
    UnknownIdError,
)

__all__ = [
    "EnrolmentClosedError",
    "EnrolmentError",
    "IllegalTransitionError",
    "NoPlaceError",
    "UnknownIdError",
]
