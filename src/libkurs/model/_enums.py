"""The closed vocabularies of the domain."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["AttendanceMode", "EventKind", "PartOfDay", "Publication", "Status"]


class Status(enum.StrEnum):
    """Whether an event or a session takes place as announced (schema.org's five statuses)."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    """Moved to a time not yet known; the start it had is kept in ``previous_start``."""
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


class PartOfDay(enum.StrEnum):
    """A part of a day named without a clock: "förmiddag", "aamupäivä", "morning".

    An announcement that says only "in the morning" gives no clock time, and libkurs invents
    none: such a session is all-day, with its part of day. Members are listed in the order of
    the day; :attr:`rank` gives that order (the values' alphabetical order is not it).

    >>> sorted([PartOfDay.AFTERNOON, PartOfDay.MORNING], key=lambda part: part.rank)
    [<PartOfDay.MORNING: 'morning'>, <PartOfDay.AFTERNOON: 'afternoon'>]
    """

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @property
    def rank(self) -> int:
        """The place of this part in the day: 0 for the morning, then 1, 2."""
        return list(PartOfDay).index(self)

    @property
    def words(self) -> Mapping[str, str]:
        """The name of this part in Swedish, Finnish and English, by language tag.

        >>> PartOfDay.MORNING.words["fi"]
        'aamupäivä'
        """
        return _PART_NAMES[self]


_PART_NAMES: Mapping[PartOfDay, Mapping[str, str]] = {
    PartOfDay.MORNING: MappingProxyType({"sv": "förmiddag", "fi": "aamupäivä", "en": "morning"}),
    PartOfDay.AFTERNOON: MappingProxyType(
        {"sv": "eftermiddag", "fi": "iltapäivä", "en": "afternoon"}
    ),
    PartOfDay.EVENING: MappingProxyType({"sv": "kväll", "fi": "ilta", "en": "evening"}),
}
