"""The closed vocabularies of the domain."""

from __future__ import annotations

import enum

__all__ = ["AttendanceMode", "EventKind", "Publication", "Status"]


class Status(enum.StrEnum):
    """Whether an event or a session takes place as announced (schema.org's five statuses)."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    """Moved to a time not yet known."""
    RESCHEDULED = "rescheduled"
    """Moved to a new time; the previous start is kept in ``previous_start``."""
    MOVED_ONLINE = "moved_online"


class Publication(enum.StrEnum):
    """Whether an event may be shown to the public; separate from its :class:`Status`."""

    DRAFT = "draft"
    PUBLIC = "public"


class EventKind(enum.StrEnum):
    """What sort of event it is."""

    COURSE = "course"
    SEMINAR = "seminar"
    STUDY_VISIT = "study_visit"
    WEBINAR = "webinar"
    WORKSHOP = "workshop"
    INFORMATION_SESSION = "information_session"
    LECTURE = "lecture"
    CONFERENCE = "conference"
    STUDY_CIRCLE = "study_circle"
    TRAINING_DAY = "training_day"
    MEETING = "meeting"
    OTHER = "other"


class AttendanceMode(enum.StrEnum):
    """How people attend, derived from a location (schema.org's attendance modes)."""

    ON_SITE = "on_site"
    ONLINE = "online"
    MIXED = "mixed"
