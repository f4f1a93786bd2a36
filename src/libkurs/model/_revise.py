"""Revisions: the sequence number that tells calendars a session has changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import attrs

from libkurs.model._catalogue import Catalogue
from libkurs.model._enums import Status
from libkurs.model._event import Event, Programme, Session

__all__ = ["CALENDAR_FIELDS", "bump_revisions", "revise"]

#: The fields whose change a calendar must hear about, per class. A change to any of them
#: raises the revision, which calendar exports write as SEQUENCE.
CALENDAR_FIELDS: dict[type, tuple[str, ...]] = {
    Session: (
        "start",
        "end",
        "all_day",
        "part_of_day",
        "status",
        "previous_start",
        "location",
        "title",
    ),
    Event: ("title", "status", "previous_start", "location"),
    Programme: ("title", "status", "previous_start"),
}

_Revisable = TypeVar("_Revisable", Event, Session, Programme)


def _calendar_changed(old: object, new: object) -> bool:
    fields = next((f for cls, f in CALENDAR_FIELDS.items() if isinstance(old, cls)), None)
    if fields is None:
        kinds = ", ".join(cls.__name__ for cls in CALENDAR_FIELDS)
        raise TypeError(f"revise() takes one of {kinds}, not {type(old).__name__}")
    return any(getattr(old, name) != getattr(new, name) for name in fields)


# ``changes`` is Any because attrs.evolve types each keyword by its field, which a generic
# wrapper cannot spell; the classes' validators check every value at run time.
def revise(item: _Revisable, *, now: datetime | None = None, **changes: Any) -> _Revisable:
    """A copy of *item* with *changes*, its revision raised if a calendar would notice.

    >>> from datetime import datetime, timedelta
    >>> from libkurs import HELSINKI, LocalizedText, Session
    >>> start = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    >>> session = Session(id="s1", start=start, end=start + timedelta(hours=4))
    >>> revise(session, end=start + timedelta(hours=3)).revision
    1
    >>> revise(session, description=LocalizedText({"sv": "Välkommen!"})).revision
    0

    Moving a session's start tells its readers so: unless *changes* say otherwise, a scheduled,
    rescheduled or postponed session becomes rescheduled, with the start people last saw as
    ``previous_start``.

    A status that says nothing of a move (scheduled, cancelled, moved online) drops the previous
    start, unless *changes* give one.

    >>> week = timedelta(days=7)
    >>> moved = revise(session, start=start + week, end=session.end + week)
    >>> moved.status, moved.previous_start == start
    (<Status.RESCHEDULED: 'rescheduled'>, True)
    """
    if isinstance(item, Session):
        changes = _moved(item, changes)
    changes = _settled(item, changes)
    revised = attrs.evolve(item, **changes)
    if "revision" not in changes and _calendar_changed(item, revised):
        revised = attrs.evolve(revised, revision=item.revision + 1)
        if now is not None and hasattr(revised, "modified"):
            revised = attrs.evolve(revised, modified=now)
    return revised


#: The statuses a session keeps moving from: each move makes it rescheduled.
_MOVABLE = frozenset({Status.SCHEDULED, Status.RESCHEDULED, Status.POSTPONED})
#: The statuses that say a start has moved, and keep the start it had.
_MOVED = frozenset({Status.RESCHEDULED, Status.POSTPONED})


def _moved(session: Session, changes: dict[str, Any]) -> dict[str, Any]:
    """*changes*, with the status and previous start that a new start of *session* implies."""
    start = changes.get("start")
    if start is None or start == session.start or "previous_start" in changes:
        return changes
    status = changes.get("status", session.status)
    if status not in _MOVABLE or ("status" in changes and status is not Status.RESCHEDULED):
        return changes
    # A postponed session kept the start it had before; a scheduled or rescheduled one had
    # the start it is leaving.
    if session.status is Status.POSTPONED and session.previous_start is not None:
        previous = session.previous_start
    else:
        previous = session.start
    return {**changes, "status": Status.RESCHEDULED, "previous_start": previous}


def _settled(item: _Revisable, changes: dict[str, Any]) -> dict[str, Any]:
    """*changes*, without the previous start when the new status is not a move."""
    status = changes.get("status")
    if status is None or status in _MOVED or "previous_start" in changes:
        return changes
    if item.previous_start is None:
        return changes
    return {**changes, "previous_start": None}


def bump_revisions(
    previous: Catalogue, current: Catalogue, *, now: datetime | None = None
) -> Catalogue:
    """*current* with revisions raised wherever it changed what a calendar shows since *previous*.

    For catalogues edited by hand (a JSON file in an editor): pass the last published version
    and the edited one. An item whose revision was already raised is left as it is. With
    *now*, each session and event whose revision is raised records it as ``modified`` (the
    LAST-MODIFIED of calendar exports); others keep the ``modified`` they had.
    """
    old_events = {event.id: event for event in previous.events}
    old_sessions = {session.id: session for _, session in previous.sessions()}
    old_programmes = {programme.id: programme for programme in previous.programmes}

    def bumped(item: _Revisable, old: _Revisable | None) -> _Revisable:
        if old is None or item.revision > old.revision or not _calendar_changed(old, item):
            return item
        bumped = attrs.evolve(item, revision=old.revision + 1)
        if now is not None and hasattr(bumped, "modified"):
            bumped = attrs.evolve(bumped, modified=now)
        return bumped

    events = []
    for event in current.events:
        sessions = [bumped(s, old_sessions.get(s.id)) for s in event.sessions]
        events.append(bumped(attrs.evolve(event, sessions=sessions), old_events.get(event.id)))
    programmes = [bumped(p, old_programmes.get(p.id)) for p in current.programmes]
    return attrs.evolve(current, events=events, programmes=programmes)
