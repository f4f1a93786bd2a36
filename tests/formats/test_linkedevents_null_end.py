"""Linked Events: an event or sub-event whose end_time is null still gets its session."""

from datetime import datetime
from pathlib import Path

import pytest

import libkurs
from libkurs import HELSINKI
from libkurs.formats.linkedevents import LinkedEventsWarning

DATA = Path(__file__).parents[1] / "data" / "linkedevents" / "null-end-time.json"


def test_null_end_time_gives_a_session_to_midnight_with_a_warning_naming_the_path():
    """Most published events have no end_time: each gets a session ending with its day."""
    with pytest.warns(LinkedEventsWarning) as caught:
        catalogue = libkurs.load(DATA, "linkedevents")
    single, series = catalogue.events
    (session,) = single.sessions
    assert session.start == datetime(2024, 3, 5, 10, tzinfo=HELSINKI)
    assert session.end == datetime(2024, 3, 6, 0, tzinfo=HELSINKI)
    ends = [s.end for s in series.sessions]
    assert ends == [
        datetime(2024, 3, 6, 18, tzinfo=HELSINKI),
        datetime(2024, 3, 14, tzinfo=HELSINKI),
    ]
    paths = sorted(str(w.message).split(" ")[0] for w in caught)
    assert paths == ["data[0].end_time", "data[3].end_time"]
