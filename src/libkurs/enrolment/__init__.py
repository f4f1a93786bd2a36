"""Enrolment: participants, places, waiting lists, the lifecycle, attendance and completion.

Pure functions over values: every operation takes a :class:`Register` (the participants and
enrolments of one catalogue), then the :class:`~libkurs.Catalogue`, then the ids of what they
hold (participant, enrolment, target, session), and the moment ``now`` (the clock is the
caller's); it returns an :class:`Outcome` with the new register, the notifications the host
application should send, and warnings for the organiser. An operation applies fully, or raises
and changes nothing: :class:`UnknownIdError` for an id that names nothing,
:class:`EnrolmentError` when a rule of enrolment refuses it.

Nothing here does I/O; :mod:`libkurs.formats.register` stores a register as JSON,
:mod:`libkurs.formats.forms` reads registration forms and :mod:`libkurs.formats.participants`
writes participant lists.
"""

from libkurs.enrolment._attendance import (
    Completion,
    CompletionRule,
    completion,
    record_attendance,
)
from libkurs.enrolment._capacity import Availability, availability
from libkurs.enrolment._cascade import cancel_session, cancel_target
from libkurs.enrolment._errors import (
    EnrolmentClosedError,
    EnrolmentError,
    IllegalTransitionError,
    NoPlaceError,
    UnknownIdError,
)
from libkurs.enrolment._lifecycle import (
    ACTIVE,
    TRANSITIONS,
    AttendanceRecord,
    CalendarAnswer,
    CalendarResponse,
    Enrolment,
    EnrolmentStatus,
    ParticipationMode,
    Presence,
    StatusChange,
    transition,
)
from libkurs.enrolment._operations import (
    accept_offer,
    add_participant,
    approve,
    cancel_enrolment,
    decline_offer,
    enrol,
    enrol_group,
    expire_offers,
    promote,
    reject,
    withdraw,
)
from libkurs.enrolment._participants import Participant
from libkurs.enrolment._privacy import anonymize
from libkurs.enrolment._register import (
    Notification,
    NotificationKind,
    Outcome,
    Register,
    add_participants,
    new_participant_id,
)
from libkurs.enrolment._targets import (
    Target,
    TargetKind,
    resolve_target,
    targets_of_event,
    targets_of_session,
)
from libkurs.enrolment._waiting import DEFAULT_OFFER_TIME, PromotionPolicy, waiting_list

__all__ = [
    "ACTIVE",
    "AttendanceRecord",
    "CalendarAnswer",
    "CalendarResponse",
    "Availability",
    "Completion",
    "CompletionRule",
    "DEFAULT_OFFER_TIME",
    "Enrolment",
    "EnrolmentClosedError",
    "EnrolmentError",
    "EnrolmentStatus",
    "IllegalTransitionError",
    "NoPlaceError",
    "Notification",
    "NotificationKind",
    "Outcome",
    "Participant",
    "ParticipationMode",
    "Presence",
    "PromotionPolicy",
    "Register",
    "StatusChange",
    "TRANSITIONS",
    "Target",
    "TargetKind",
    "UnknownIdError",
    "accept_offer",
    "add_participant",
    "add_participants",
    "anonymize",
    "approve",
    "availability",
    "cancel_enrolment",
    "cancel_session",
    "cancel_target",
    "completion",
    "decline_offer",
    "enrol",
    "enrol_group",
    "expire_offers",
    "new_participant_id",
    "promote",
    "record_attendance",
    "reject",
    "resolve_target",
    "targets_of_event",
    "targets_of_session",
    "transition",
    "waiting_list",
    "withdraw",
]
