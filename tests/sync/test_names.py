"""Names that differ only in case are refused before anything is written."""

from __future__ import annotations

import attrs
import pytest

from libkurs.errors import ValidationError
from libkurs.sync import MemoryCalendar, plan, sync
from sync.catalogues import catalogue, session
from sync.helpers import KEY


def _twins():
    base = catalogue(2)
    event = base.events[0]
    twin = attrs.evolve(session(5), id="KURS-0")
    return attrs.evolve(base, events=[attrs.evolve(event, sessions=[*event.sessions, twin])])


def test_session_ids_that_differ_only_in_case_are_refused_up_front() -> None:
    """kurs-0 and KURS-0 would be one file on macOS or Windows: refused, nothing written."""
    calendar = MemoryCalendar()
    with pytest.raises(ValidationError, match="differ only in case") as caught:
        sync(_twins(), calendar, key=KEY)
    assert "kurs-0" in str(caught.value)
    assert "KURS-0" in str(caught.value)
    assert calendar.list() == {}
    with pytest.raises(ValidationError, match="differ only in case"):
        plan(_twins(), [], key=KEY)
