"""SEQUENCE, DTSTAMP and LAST-MODIFIED that clients trust, however the catalogue changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import attrs
import icalendar

import libkurs
from libkurs import bump_revisions
from libkurs.sync import DirectoryCalendar, SyncState, sync
from sync.catalogues import catalogue
from sync.helpers import KEY, snapshot

FIRST_RUN = datetime(2030, 1, 1, 8, tzinfo=UTC)
SECOND_RUN = datetime(2030, 1, 8, 8, 30, tzinfo=UTC)
THIRD_RUN = datetime(2030, 1, 15, 9, tzinfo=UTC)


def _vevent(calendar: DirectoryCalendar, href: str) -> icalendar.cal.Component:
    data = snapshot(calendar)[href].data
    return icalendar.Calendar.from_ical(data).walk("VEVENT")[0]


def test_a_session_moved_by_hand_in_the_json_file_gets_a_higher_sequence_and_a_new_dtstamp(
    tmp_path: Path,
) -> None:
    """Move a session in the JSON text: SEQUENCE rises by one, DTSTAMP is the run; then no-op."""
    source = tmp_path / "catalogue.json"
    libkurs.dump(catalogue(3), source)
    calendar = DirectoryCalendar(tmp_path / "calendar")
    state = tmp_path / "state.json"
    assert sync(libkurs.load(source), calendar, key=KEY, state=state, now=FIRST_RUN).created == 3
    before = _vevent(calendar, "kurs-1@libkurs.ics")
    assert (int(before["SEQUENCE"]), before["DTSTAMP"].dt) == (0, FIRST_RUN)

    text = source.read_text(encoding="utf-8")
    edited = text.replace("2030-03-05T09:00:00", "2030-03-05T13:00:00").replace(
        "2030-03-05T11:00:00", "2030-03-05T15:00:00"
    )
    assert edited != text  # by hand: no revision raised
    source.write_text(edited, encoding="utf-8")
    report = sync(libkurs.load(source), calendar, key=KEY, state=state, now=SECOND_RUN)
    assert (report.updated, report.unchanged, report.conflicts) == (1, 2, 0)
    after = _vevent(calendar, "kurs-1@libkurs.ics")
    assert int(after["SEQUENCE"]) == 1
    assert after["DTSTAMP"].dt == SECOND_RUN
    assert after["LAST-MODIFIED"].dt == SECOND_RUN
    assert after["DTSTART"].dt.hour == 13
    untouched = _vevent(calendar, "kurs-0@libkurs.ics")
    assert (int(untouched["SEQUENCE"]), untouched["DTSTAMP"].dt) == (0, FIRST_RUN)

    etags = dict(calendar.list())
    again = sync(libkurs.load(source), calendar, key=KEY, state=state, now=THIRD_RUN)
    assert (again.updated, again.created, again.unchanged) == (0, 0, 3)
    assert dict(calendar.list()) == etags  # nothing written


def test_without_state_the_sequence_comes_from_the_item_itself(tmp_path: Path) -> None:
    """A machine with no state still raises SEQUENCE above the item's own."""
    calendar = DirectoryCalendar(tmp_path / "calendar")
    sync(catalogue(2), calendar, key=KEY, state=SyncState(), now=FIRST_RUN)
    moved = catalogue(2, moved={0})  # revise() raised the revision to 1
    sync(moved, calendar, key=KEY, state=SyncState(), now=SECOND_RUN)
    assert int(_vevent(calendar, "kurs-0@libkurs.ics")["SEQUENCE"]) == 1
    event = moved.events[0]
    first, second = event.sessions
    longer = attrs.evolve(first, end=first.end + (first.end - first.start))  # no revise()
    by_hand = attrs.evolve(moved, events=[attrs.evolve(event, sessions=[longer, second])])
    report = sync(by_hand, calendar, key=KEY, state=SyncState(), now=THIRD_RUN)
    assert report.updated == 1
    vevent = _vevent(calendar, "kurs-0@libkurs.ics")
    assert int(vevent["SEQUENCE"]) == 2  # the revision says 1; the item had 1
    assert vevent["DTSTAMP"].dt == THIRD_RUN


def test_the_feed_writes_the_modified_time_the_model_records_and_stays_byte_identical() -> None:
    """bump_revisions(now=) records `modified`; the feed writes it as LAST-MODIFIED, stably."""
    old = catalogue(2)
    new = catalogue(2, moved={1})
    new = attrs.evolve(
        new,
        events=[
            attrs.evolve(
                new.events[0],
                sessions=[attrs.evolve(s, revision=0) for s in new.events[0].sessions],
            )
        ],
    )
    bumped = bump_revisions(old, new, now=SECOND_RUN)
    sessions = {s.id: s for _, s in bumped.sessions()}
    assert (sessions["kurs-1"].revision, sessions["kurs-1"].modified) == (1, SECOND_RUN)
    assert (sessions["kurs-0"].revision, sessions["kurs-0"].modified) == (0, None)
    feed = libkurs.dumps(bumped, "ics", now=THIRD_RUN)
    assert feed == libkurs.dumps(bumped, "ics", now=THIRD_RUN)
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")}
    assert events["kurs-1@libkurs"]["LAST-MODIFIED"].dt == SECOND_RUN
    assert int(events["kurs-1@libkurs"]["SEQUENCE"]) == 1
    assert events["kurs-1@libkurs"]["DTSTAMP"].dt == THIRD_RUN
    assert "LAST-MODIFIED" not in events["kurs-0@libkurs"]
    assert libkurs.loads(libkurs.dumps(bumped, "json"), "json") == bumped  # kept in the file
