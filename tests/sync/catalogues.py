"""Catalogues for the sync tests: one event with numbered sessions, moved, cancelled or gone."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from libkurs import HELSINKI, Catalogue, Event, LocalizedText, Session, Status, revise

FIRST = datetime(2030, 3, 4, 9, tzinfo=HELSINKI)


def session(number: int, prefix: str = "kurs") -> Session:
    """Session *number*: two hours, one day after another."""
    start = FIRST + timedelta(days=number)
    return Session(id=f"{prefix}-{number}", start=start, end=start + timedelta(hours=2))


def catalogue(
    count: int = 5,
    *,
    moved: Collection[int] = (),
    cancelled: Collection[int] = (),
    removed: Collection[int] = (),
    prefix: str = "kurs",
) -> Catalogue:
    """A catalogue of one event with sessions 0 … count-1, some moved, cancelled or removed."""
    sessions = []
    for number in range(count):
        if number in removed:
            continue
        item = session(number, prefix)
        if number in moved:
            item = revise(
                item, start=item.start + timedelta(hours=1), end=item.end + timedelta(hours=1)
            )
        if number in cancelled:
            item = revise(item, status=Status.CANCELLED)
        sessions.append(item)
    event = Event(
        id=prefix, title=LocalizedText({"sv": "Kurs i informationssökning"}), sessions=sessions
    )
    return Catalogue(events=[event])
