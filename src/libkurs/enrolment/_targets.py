"""Targets: what a person enrols in, found by id in the catalogue.

The catalogue's ids share one namespace, so an id alone names a programme (which covers all its
modules), an event, or one run of an event. A run's own :class:`~libkurs.EnrolmentSettings`
override its event's; a run without its own uses the event's, for its own places.

A programme's participants attend its modules, so they take places in each module event as
well: a programme target knows its module events (:attr:`Target.modules`) and an event target
the programmes it is a module of (:attr:`Target.programmes`).
"""

from __future__ import annotations

import enum
from datetime import datetime, time, timedelta

import attrs

from libkurs.enrolment._errors import EnrolmentError, UnknownIdError
from libkurs.model import (
    HELSINKI,
    Catalogue,
    EnrolmentSettings,
    Event,
    LocalizedText,
    Programme,
    Run,
    Session,
    Status,
)
from libkurs.model._event import utc

__all__ = [
    "Target",
    "TargetKind",
    "resolve_target",
    "targets_of_event",
    "targets_of_session",
]


class TargetKind(enum.StrEnum):
    """What sort of thing an enrolment is in."""

    PROGRAMME = "programme"
    EVENT = "event"
    RUN = "run"


@attrs.frozen(kw_only=True)
class Target:
    """A programme, an event or a run, with what enrolment needs to know about it."""

    id: str
    kind: TargetKind
    title: LocalizedText
    settings: EnrolmentSettings | None
    """The enrolment settings that apply (a run's own, else its event's)."""
    sessions: tuple[Session, ...]
    """The sessions a participant of this target attends."""
    event: Event | None = None
    run: Run | None = None
    programme: Programme | None = None
    modules: tuple[Target, ...] = ()
    """For a programme: its module events (those without runs), whose places its people take."""
    programmes: tuple[str, ...] = ()
    """For an event: the ids of the programmes it is a module of."""

    @property
    def clashes_with(self) -> tuple[str, ...]:
        """Ids of the other targets that one person may not be enrolled in at the same time.

        The other runs of a run's event; a programme's module events and the other programmes
        that share a module; an event's programmes.
        """
        ids = [*self.programmes, *(m.id for m in self.modules)]
        ids += [p for module in self.modules for p in module.programmes]
        if self.event is not None:
            ids += [run.id for run in self.event.runs]
        return tuple(i for i in dict.fromkeys(ids) if i != self.id)

    @property
    def end(self) -> datetime | None:
        """When its last session ends, else the end of its period; None while neither is known.

        A run or an event known only by its period (``2022-08``) ends at midnight after the
        period's last day, Helsinki time.
        """
        last = max((s.end for s in self.sessions), key=utc, default=None)
        if last is not None:
            return last
        periods = (self.run.period if self.run else None, self.event.period if self.event else None)
        period = next((p for p in periods if p is not None), None)
        if period is None:
            return None
        return datetime.combine(period.last_day + timedelta(days=1), time(), tzinfo=HELSINKI)

    @property
    def cancelled(self) -> bool:
        """Whether it is cancelled: itself, or every one of its sessions."""
        offering = self.programme or self.event
        if offering is not None and offering.status is Status.CANCELLED:
            return True
        return bool(self.sessions) and all(s.status is Status.CANCELLED for s in self.sessions)

    def session(self, id: str) -> Session:
        """The target's session with this id; :class:`UnknownIdError` if it has none."""
        for session in self.sessions:
            if session.id == id:
                return session
        raise UnknownIdError(id, expected=f"session of {self.id!r}", path="sessions")


def _common_sessions(event: Event) -> tuple[Session, ...]:
    in_runs = {sid for run in event.runs for sid in run.sessions}
    return tuple(s for s in event.sessions if s.id not in in_runs)


def _event_target(catalogue: Catalogue, event: Event) -> Target:
    return Target(
        id=event.id,
        kind=TargetKind.EVENT,
        title=event.title,
        settings=event.enrolment,
        sessions=event.sessions,
        event=event,
        programmes=tuple(programme.id for programme in catalogue.programmes_of(event)),
    )


def resolve_target(catalogue: Catalogue, target: str) -> Target:
    """The programme, event or run of *catalogue* with the id *target*.

    Raises:
        UnknownIdError: nothing of that id.
        EnrolmentError: an event that has runs (enrol in one of its runs instead).
    """
    id = target
    try:
        programme = catalogue.programme(id)
    except UnknownIdError:
        pass
    else:
        sessions: list[Session] = []
        modules: list[Target] = []
        for module in programme.modules:
            event = catalogue.event(module)
            sessions.extend(_common_sessions(event))
            if not event.runs:
                modules.append(_event_target(catalogue, event))
        return Target(
            id=id,
            kind=TargetKind.PROGRAMME,
            title=programme.title,
            settings=programme.enrolment,
            sessions=tuple(sessions),
            programme=programme,
            modules=tuple(modules),
        )
    try:
        event = catalogue.event(id)
    except UnknownIdError:
        pass
    else:
        if event.runs:
            runs = ", ".join(repr(run.id) for run in event.runs)
            raise EnrolmentError(
                f"event {id!r} has alternative dates: enrol in one of its runs ({runs})",
                path="target",
            )
        return _event_target(catalogue, event)
    for event in catalogue.events:
        for run in event.runs:
            if run.id == id:
                return Target(
                    id=id,
                    kind=TargetKind.RUN,
                    title=run.title or event.title,
                    settings=run.enrolment or event.enrolment,
                    sessions=event.sessions_of(run),
                    event=event,
                    run=run,
                )
    raise UnknownIdError(id, expected="programme, event or run", path="target")


def targets_of_event(catalogue: Catalogue, event: str) -> tuple[str, ...]:
    """The ids of the targets whose people attend *event*: itself or its runs, and programmes.

    *event* may also be a programme or a run id: then it is the only one.

    Raises:
        UnknownIdError: nothing of that id.
    """
    try:
        found = catalogue.event(event)
    except UnknownIdError:
        resolve_target(catalogue, event)  # a programme or a run, or UnknownIdError
        return (event,)
    ids = [run.id for run in found.runs] or [found.id]
    return (*ids, *(programme.id for programme in catalogue.programmes_of(found)))


def targets_of_session(catalogue: Catalogue, session: str) -> tuple[Event, tuple[str, ...]]:
    """The event that holds *session*, and the ids of every target whose people attend it."""
    for event, candidate in catalogue.sessions():
        if candidate.id == session:
            runs = [run for run in event.runs if session in run.sessions]
            ids = [event.id] + [run.id for run in (runs or event.runs)]
            ids += [programme.id for programme in catalogue.programmes_of(event)]
            return event, tuple(ids)
    raise UnknownIdError(session, expected="session", path="session")
