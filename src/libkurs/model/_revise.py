"""Revisions: the sequence number that tells calendars a session has changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import attrs

from libkurs.model._catalogue import Catalogue
from libkurs.model._event import Event, Programme, Session

__all__ = ["CALENDAR_FIELDS", "bump_revisions", "revise"]

#: The fields whose change a calendar must hear about, per class. A change to any of them
#: raises the revision, which calendar exports write as SEQUENCE.
CALENDAR_FIELDS: dict[type, tuple[str, ...]] = {
    Session: ("start", "end", "all_day", "status", "previous_start", "location", "title"),
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
    """
    revised = attrs.evolve(item, **changes)
    if "revision" not in changes and _calendar_changed(item, revised):
        revised = attrs.evolve(revised, revision=item.revision + 1)
        if now is not None:
            revised = attrs.evolve(revised, modified=now)
    return revised


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
        if now is not None:
            bumped = attrs.evolve(bumped, modified=now)
        return bumped

    events = []
    for event in current.events:
        sessions = [bumped(s, old_sessions.get(s.id)) for s in event.sessions]
        events.append(bumped(attrs.evolve(event, sessions=sessions), old_events.get(event.id)))
    programmes = [bumped(p, old_programmes.get(p.id)) for p in current.programmes]
    return attrs.evolve(current, events=events, programmes=programmes)
