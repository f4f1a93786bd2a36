"""Programmes, events, runs, sessions and agenda items: what is offered, and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import attrs

from libkurs.errors import UnknownIdError, ValidationError
from libkurs.model._checks import (
    check_aware,
    check_count,
    check_identifier,
    check_language,
    check_text,
    check_type,
    check_url,
    each_check,
    each_unique,
    field_check,
    instance_check,
    strings,
    tuple_of,
)
from libkurs.model._enums import EventKind, PartOfDay, Publication, Status
from libkurs.model._places import Link, Location
from libkurs.model._text import LocalizedText
from libkurs.model._time import Period, local_days

__all__ = ["AgendaItem", "EnrolmentSettings", "Event", "Programme", "Run", "Session"]

_identifier = field_check(check_identifier)
_localized = field_check(instance_check(LocalizedText))
_optional_localized = field_check(instance_check(LocalizedText), optional=True)
_optional_aware = field_check(check_aware, optional=True)
_optional_count = field_check(check_count, optional=True)
_ids = [each_check(check_identifier), each_unique]
_revision = field_check(check_count)


def _links(items: Sequence[Link]) -> tuple[Link, ...]:
    return tuple_of(items)


def _texts(items: Sequence[LocalizedText]) -> tuple[LocalizedText, ...]:
    return tuple_of(items)


def utc(moment: datetime) -> datetime:
    """*moment* in UTC: compare and subtract there, or summer time makes wall-clock errors."""
    return moment.astimezone(UTC)


#: The statuses that say a start has moved, and so need the start it had.
_MOVED = frozenset({Status.RESCHEDULED, Status.POSTPONED})


def _check_status(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    check_type(value, Status, attribute.name)
    previous = instance.previous_start
    if previous is not None and value not in _MOVED:
        raise ValidationError(
            f"previous_start is only for a rescheduled or postponed status, not {value}",
            path="previous_start",
        )
    if previous is None and value in _MOVED:
        raise ValidationError(
            f"a {value} status needs previous_start: the start it had before it was moved",
            path="previous_start",
        )


def _check_span(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and utc(end) <= utc(start):
        raise ValidationError(
            f"ends ({end.isoformat()}) before or when it starts ({start.isoformat()})", path="end"
        )


def _check_agenda_item(
    instance: AgendaItem, _attribute: attrs.Attribute[Any], _value: object
) -> None:
    _check_span(instance.start, instance.end)


@attrs.frozen(kw_only=True)
class AgendaItem:
    """A timed part of a session's programme: a talk, a break, a discussion.

    Times are optional, since many programmes list talks in order without a clock.
    """

    title: LocalizedText = attrs.field(validator=_localized)
    start: datetime | None = attrs.field(default=None, validator=_optional_aware)
    end: datetime | None = attrs.field(
        default=None, validator=[_optional_aware, _check_agenda_item]
    )
    description: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    speakers: tuple[str, ...] = attrs.field(default=(), converter=strings, validator=_ids)
    """Ids of :class:`~libkurs.Person` in the same catalogue."""
    languages: tuple[str, ...] = attrs.field(
        default=(), converter=strings, validator=[each_check(check_language), each_unique]
    )


def _agenda(items: Sequence[AgendaItem]) -> tuple[AgendaItem, ...]:
    return tuple_of(items)


def _check_session(instance: Session, _attribute: attrs.Attribute[Any], _value: object) -> None:
    check_type(instance.all_day, bool, "all_day")
    _check_span(instance.start, instance.end)
    if instance.all_day:
        for name, bound in (("start", instance.start), ("end", instance.end)):
            if bound.time() != datetime.min.time():
                raise ValidationError(
                    f"an all-day session starts and ends at midnight, not {bound.time()}",
                    path=name,
                )
    if instance.part_of_day is not None:
        check_type(instance.part_of_day, PartOfDay, "part_of_day")
        if not instance.all_day:
            raise ValidationError(
                "a part of the day is for an all-day session, one named without a clock time; "
                "a session with clock times says when it is by them",
                path="part_of_day",
            )
        first, last = instance.days
        if first != last:
            raise ValidationError(
                f"a part of the day is for a session of one day, not {first} to {last}",
                path="part_of_day",
            )
    for index, item in enumerate(instance.agenda):
        path = f"agenda[{index}]"
        check_type(item, AgendaItem, path)
        for name, moment in (("start", item.start), ("end", item.end)):
            if moment is not None and not utc(instance.start) <= utc(moment) <= utc(instance.end):
                raise ValidationError(
                    f"{moment.isoformat()} is outside the session "
                    f"({instance.start.isoformat()} to {instance.end.isoformat()})",
                    path=f"{path}.{name}",
                )


@attrs.frozen(kw_only=True)
class Session:
    """One dated part of an event, with its own time, place, status and programme.

    A one-day seminar has one session; the Liboppi day has two (morning and afternoon, each
    an all-day session with its ``part_of_day``, since the announcement gives no clock times);
    a three-day study trip may be one all-day session spanning the days.

    ``start`` and ``end`` are timezone-aware. An all-day session starts at midnight of its first
    day and ends at midnight after its last day, in its zone; :meth:`all_day_span` builds one.
    ``location`` is the session's own location, or None to use the event's
    (:meth:`Event.location_of` resolves it).
    """

    id: str = attrs.field(validator=_identifier)
    start: datetime = attrs.field(validator=field_check(check_aware))
    end: datetime = attrs.field(validator=field_check(check_aware))
    all_day: bool = attrs.field(default=False, validator=_check_session)
    part_of_day: PartOfDay | None = None
    """For an all-day session known only as "the morning" or "the afternoon" of its day:
    that part, shown in words and in the title of calendar entries; no clock time is invented."""
    title: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    description: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    status: Status = attrs.field(default=Status.SCHEDULED, validator=_check_status)
    previous_start: datetime | None = attrs.field(default=None, validator=_optional_aware)
    location: Location | None = attrs.field(
        default=None, validator=field_check(instance_check(Location), optional=True)
    )
    agenda: tuple[AgendaItem, ...] = attrs.field(default=(), converter=_agenda)
    revision: int = attrs.field(default=0, validator=_revision)
    """Raised by every change that matters to a calendar; see :func:`libkurs.revise`."""
    modified: datetime | None = attrs.field(default=None, validator=_optional_aware)
    """When the revision was last raised (iCalendar's LAST-MODIFIED), if known."""

    @staticmethod
    def all_day_span(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
        """``start`` and ``end`` of an all-day session from *first* to *last* (inclusive) in *tz*.

        >>> from datetime import date
        >>> from zoneinfo import ZoneInfo
        >>> start, end = Session.all_day_span(
        ...     date(2022, 8, 22), date(2022, 8, 25), ZoneInfo("Europe/Copenhagen")
        ... )
        >>> start.isoformat(), end.isoformat()
        ('2022-08-22T00:00:00+02:00', '2022-08-26T00:00:00+02:00')
        """
        start = datetime(first.year, first.month, first.day, tzinfo=tz)
        after = last + timedelta(days=1)
        return start, datetime(after.year, after.month, after.day, tzinfo=tz)

    @property
    def duration(self) -> timedelta:
        """The exact time between start and end (summer time taken into account)."""
        return utc(self.end) - utc(self.start)

    @property
    def days(self) -> tuple[date, date]:
        """The first and the last calendar day of the session, in the zone of its start."""
        return local_days(self.start, self.end, all_day=self.all_day)

    @property
    def order_key(self) -> tuple[datetime, int]:
        """What sorts sessions in the order they happen: the start, then the part of the day.

        Two all-day sessions of the same day, the morning and the afternoon, start at the same
        midnight; the part of the day puts the morning first.
        """
        rank = self.part_of_day.rank if self.part_of_day is not None else -1
        return utc(self.start), rank


def _sessions(items: Sequence[Session]) -> tuple[Session, ...]:
    return tuple_of(items)


@attrs.frozen(kw_only=True)
class EnrolmentSettings:
    """How people enrol: the window, the places, the waiting list.

    Stored once on an event, a programme or a run; enrolment rules read it from there.
    A value of None means "no limit" (or "not announced"), 0 means none at all.
    """

    required: bool = attrs.field(default=True, validator=field_check(instance_check(bool)))
    """Whether people must enrol to take part."""
    approval: bool = attrs.field(default=False, validator=field_check(instance_check(bool)))
    """Whether the organiser approves each request (enrolments start as requested)."""
    session_choice: bool = attrs.field(default=False, validator=field_check(instance_check(bool)))
    """Whether participants may choose which sessions they attend (otherwise they attend all)."""
    opens: datetime | None = attrs.field(default=None, validator=_optional_aware)
    closes: datetime | None = attrs.field(default=None, validator=_optional_aware)
    """The enrolment deadline: the moment enrolment closes."""
    closes_whole_day: bool = attrs.field(default=False, validator=field_check(instance_check(bool)))
    """Whether the deadline is known only to the day ("sista anmälningsdag 7.3.2023").

    Then enrolment is open all of that day: ``closes`` is the midnight after it (as an all-day
    session ends), and outputs write the day, "senast tisdag 7 mars 2023", with no clock time.
    :meth:`closing_day` builds such a deadline; :attr:`last_day` gives the day back.
    """
    capacity: int | None = attrs.field(default=None, validator=_optional_count)
    minimum: int | None = attrs.field(default=None, validator=_optional_count)
    """Below this many participants the event may not run."""
    waiting_list: int | None = attrs.field(default=None, validator=_optional_count)
    """How many may wait for a place: None for no limit, 0 for no waiting list."""
    capacity_on_site: int | None = attrs.field(default=None, validator=_optional_count)
    capacity_remote: int | None = attrs.field(default=None, validator=_optional_count)
    url: str | None = attrs.field(default=None, validator=field_check(check_url, optional=True))
    """Where to enrol."""
    note: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    """How to enrol, in words."""

    @staticmethod
    def closing_day(day: date, tz: tzinfo) -> datetime:
        """``closes`` for a deadline known only to the day: the midnight after *day* in *tz*.

        >>> from datetime import date
        >>> from libkurs import HELSINKI
        >>> closes = EnrolmentSettings.closing_day(date(2023, 3, 7), HELSINKI)
        >>> settings = EnrolmentSettings(closes=closes, closes_whole_day=True)
        >>> settings.closes.isoformat(), settings.last_day
        ('2023-03-08T00:00:00+02:00', datetime.date(2023, 3, 7))
        """
        after = day + timedelta(days=1)
        return datetime(after.year, after.month, after.day, tzinfo=tz)

    @property
    def last_day(self) -> date | None:
        """The last day on which one may enrol, in the zone of ``closes``; None without one."""
        if self.closes is None:
            return None
        if self.closes_whole_day:
            return (self.closes - timedelta(microseconds=1)).date()
        return self.closes.date()

    def __attrs_post_init__(self) -> None:
        if self.closes_whole_day:
            if self.closes is None:
                raise ValidationError(
                    "a deadline known only to the day needs closes: the midnight after that day",
                    path="closes_whole_day",
                )
            if self.closes.time() != datetime.min.time():
                raise ValidationError(
                    "a deadline known only to the day closes at the midnight after that day, "
                    f"not at {self.closes.time()}",
                    path="closes",
                )
        if (
            self.opens is not None
            and self.closes is not None
            and utc(self.closes) <= utc(self.opens)
        ):
            raise ValidationError("enrolment closes before it opens", path="closes")
        if self.capacity is not None and self.minimum is not None and self.minimum > self.capacity:
            raise ValidationError(
                f"minimum ({self.minimum}) is larger than capacity ({self.capacity})",
                path="minimum",
            )
        for name in ("capacity_on_site", "capacity_remote"):
            split = getattr(self, name)
            if self.capacity is not None and split is not None and split > self.capacity:
                raise ValidationError(
                    f"{split} is larger than the whole capacity ({self.capacity})", path=name
                )


@attrs.frozen(kw_only=True)
class Run:
    """One of several alternative dates of the same offering; a participant joins one run.

    The study visit to Denmark ran in August and again in September: one event, two runs,
    each with its own sessions and places.
    """

    id: str = attrs.field(validator=_identifier)
    sessions: tuple[str, ...] = attrs.field(default=(), converter=strings, validator=_ids)
    """Ids of sessions of the same event."""
    period: Period | None = attrs.field(
        default=None, validator=field_check(instance_check(Period), optional=True)
    )
    """When the run takes place, as far as known (its sessions may not be dated yet)."""
    title: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    enrolment: EnrolmentSettings | None = attrs.field(
        default=None, validator=field_check(instance_check(EnrolmentSettings), optional=True)
    )
    """This run's own places and window; None uses the event's."""


def _runs(items: Sequence[Run]) -> tuple[Run, ...]:
    return tuple_of(items)


@attrs.frozen(kw_only=True)
class _Offering:
    """What programmes and events share: the announcement's facts."""

    id: str = attrs.field(validator=_identifier)
    title: LocalizedText = attrs.field(validator=_localized)
    summary: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    description: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    status: Status = attrs.field(default=Status.SCHEDULED, validator=_check_status)
    previous_start: datetime | None = attrs.field(default=None, validator=_optional_aware)
    publication: Publication = attrs.field(
        default=Publication.PUBLIC, validator=field_check(instance_check(Publication))
    )
    period: Period | None = attrs.field(
        default=None, validator=field_check(instance_check(Period), optional=True)
    )
    """When it takes place, as far as known; sessions must fall inside it."""
    languages: tuple[str, ...] = attrs.field(
        default=(), converter=strings, validator=[each_check(check_language), each_unique]
    )
    """The languages it is held in."""
    keywords: tuple[LocalizedText, ...] = attrs.field(
        default=(), converter=_texts, validator=each_check(instance_check(LocalizedText))
    )
    audience: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    open_to_all: bool = attrs.field(default=False, validator=field_check(instance_check(bool)))
    organisers: tuple[str, ...] = attrs.field(default=(), converter=strings, validator=_ids)
    """Ids of :class:`~libkurs.Organisation` in the same catalogue."""
    contacts: tuple[str, ...] = attrs.field(default=(), converter=strings, validator=_ids)
    """Ids of :class:`~libkurs.Person` in the same catalogue."""
    links: tuple[Link, ...] = attrs.field(
        default=(), converter=_links, validator=each_check(instance_check(Link))
    )
    url: str | None = attrs.field(default=None, validator=field_check(check_url, optional=True))
    """The announcement's own page."""
    price: LocalizedText | None = attrs.field(default=None, validator=_optional_localized)
    """What it costs, in words: "free of charge; travel and lunch at own cost"."""
    free_of_charge: bool | None = attrs.field(
        default=None, validator=field_check(instance_check(bool), optional=True)
    )
    enrolment: EnrolmentSettings | None = attrs.field(
        default=None, validator=field_check(instance_check(EnrolmentSettings), optional=True)
    )
    revision: int = attrs.field(default=0, validator=_revision)
    """Raised by every change that matters to a calendar; see :func:`libkurs.revise`."""
    modified: datetime | None = attrs.field(default=None, validator=_optional_aware)
    """When the revision was last raised (iCalendar's LAST-MODIFIED), if known."""
    internal_note: str | None = attrs.field(
        default=None, validator=field_check(check_text, optional=True)
    )
    """A note for the people who keep the catalogue; never published."""


@attrs.frozen(kw_only=True)
class Event(_Offering):
    """What people enrol in (unless it is a module of a programme): a course, a seminar, a visit.

    An event may exist before it has a date: then it has no sessions, and perhaps a rough
    :class:`~libkurs.Period`. Its ``location`` is inherited by every session that has none.
    """

    kind: EventKind = attrs.field(
        default=EventKind.OTHER, validator=field_check(instance_check(EventKind))
    )
    sessions: tuple[Session, ...] = attrs.field(
        default=(), converter=_sessions, validator=each_check(instance_check(Session))
    )
    runs: tuple[Run, ...] = attrs.field(
        default=(), converter=_runs, validator=each_check(instance_check(Run))
    )
    """Alternative dates of the offering; a session that is in no run is common to all runs."""
    location: Location | None = attrs.field(
        default=None, validator=field_check(instance_check(Location), optional=True)
    )
    """Where the sessions take place, unless a session says otherwise."""
    speakers: tuple[str, ...] = attrs.field(default=(), converter=strings, validator=_ids)
    """Ids of :class:`~libkurs.Person` who speak, for an event whose agenda is not (yet) known."""
    recorded: bool | None = attrs.field(
        default=None, validator=field_check(instance_check(bool), optional=True)
    )
    """Whether it is recorded; None when not announced."""

    def __attrs_post_init__(self) -> None:
        seen: dict[str, int] = {}
        for index, session in enumerate(self.sessions):
            path = f"sessions[{index}]"
            if session.id in seen:
                raise ValidationError(
                    f"duplicate session id {session.id!r} "
                    f"(already used at sessions[{seen[session.id]}])",
                    path=f"{path}.id",
                )
            seen[session.id] = index
            if self.period is not None:
                first, last = session.days
                if first not in self.period or last not in self.period:
                    raise ValidationError(
                        f"the session ({first} to {last}) lies outside "
                        f"the event's period ({self.period})",
                        path=f"{path}.start",
                    )
        in_run: dict[str, str] = {}
        for index, run in enumerate(self.runs):
            for position, session_id in enumerate(run.sessions):
                path = f"runs[{index}].sessions[{position}]"
                if session_id not in seen:
                    raise ValidationError(
                        f"refers to {session_id!r}, which is not a session of this event", path=path
                    )
                if session_id in in_run:
                    raise ValidationError(
                        f"session {session_id!r} is already in run {in_run[session_id]!r}",
                        path=path,
                    )
                in_run[session_id] = run.id

    @property
    def start(self) -> datetime | None:
        """The start of the earliest session, or None before the event has a date."""
        return min((s.start for s in self.sessions), key=utc, default=None)

    @property
    def end(self) -> datetime | None:
        """The end of the latest session, or None before the event has a date."""
        return max((s.end for s in self.sessions), key=utc, default=None)

    def session(self, id: str) -> Session:
        """The session with this id.

        Raises:
            libkurs.errors.UnknownIdError: the event has none (it is also a :class:`KeyError`).
        """
        for session in self.sessions:
            if session.id == id:
                return session
        raise UnknownIdError(id, expected=f"session of event {self.id!r}")

    def replace_session(self, session: Session) -> Event:
        """This event with *session* in place of its session of the same id.

        Raises:
            libkurs.errors.UnknownIdError: the event has no session of that id.
        """
        self.session(session.id)
        sessions = [session if s.id == session.id else s for s in self.sessions]
        return attrs.evolve(self, sessions=sessions)

    def location_of(self, session: Session) -> Location | None:
        """Where *session* takes place: its own location, else the event's."""
        return session.location if session.location is not None else self.location

    def sessions_of(self, run: Run) -> tuple[Session, ...]:
        """The sessions a participant of *run* attends: the run's own and those common to all."""
        in_other_runs = {sid for other in self.runs if other is not run for sid in other.sessions}
        return tuple(s for s in self.sessions if s.id not in in_other_runs)


@attrs.frozen(kw_only=True)
class Programme(_Offering):
    """A curriculum that people enrol in as a whole, such as a year-long training programme.

    Its modules are events of the same catalogue, listed by id in the order they are taken.
    """

    modules: tuple[str, ...] = attrs.field(default=(), converter=strings, validator=_ids)
    """Ids of :class:`Event` in the same catalogue."""
