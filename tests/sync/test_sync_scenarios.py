"""Sync scenarios against a directory calendar and real Radicale and Xandikos servers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from libkurs.errors import SafetyError
from libkurs.sync import (
    CalDAVCalendar,
    Calendar,
    ConflictPolicy,
    DirectoryCalendar,
    SyncState,
    pull,
    read_entry,
    sync,
)
from sync.catalogues import catalogue
from sync.helpers import FOREIGN, KEY, CrashingCalendar, Interrupted, assert_in_step, snapshot
from sync.servers import PASSWORD, USER, make_calendar

TARGETS = ["directory", "radicale", "xandikos"]


@pytest.fixture(params=TARGETS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The address of a fresh, empty calendar of each kind: a directory or a CalDAV URL."""
    if request.param == "directory":
        yield str(tmp_path / "vdir")
    else:
        yield make_calendar(request.getfixturevalue(request.param))


_opened: list[CalDAVCalendar] = []


@pytest.fixture(autouse=True)
def _close_calendars() -> Iterator[None]:
    """Close every CalDAV calendar a test opened."""
    yield
    while _opened:
        _opened.pop().close()


def open_calendar(address: str) -> Calendar:
    """A new calendar object for *address*, as a new process would make."""
    if address.startswith("http"):
        calendar = CalDAVCalendar(address, username=USER, password=PASSWORD)
        _opened.append(calendar)
        return calendar
    return DirectoryCalendar(address)


def writes_of(calendar: Calendar, before: dict[str, str]) -> set[str]:
    """The hrefs created, changed or deleted since the listing *before*."""
    after = dict(calendar.list())
    return {h for h in before.keys() | after.keys() if before.get(h) != after.get(h)}


def test_first_push_creates_one_marked_item_per_session(target: str, tmp_path: Path) -> None:
    """The first sync creates one item per session, each marked with the catalogue key."""
    calendar = open_calendar(target)
    report = sync(catalogue(5), calendar, key=KEY, state=tmp_path / "state.json")
    assert (report.created, report.updated, report.deleted, report.failed) == (5, 0, 0, 0)
    items = assert_in_step(calendar, catalogue(5))
    assert all(read_entry(item).untouched for item in items.values())


def test_no_op_resync_writes_nothing(target: str, tmp_path: Path) -> None:
    """A second sync of the same catalogue, with or without state, changes no item."""
    sync(catalogue(5), open_calendar(target), key=KEY, state=tmp_path / "state.json")
    calendar = open_calendar(target)
    before = dict(calendar.list())
    for state in (tmp_path / "state.json", SyncState()):
        report = sync(catalogue(5), open_calendar(target), key=KEY, state=state)
        assert (report.unchanged, report.created, report.updated, report.deleted) == (5, 0, 0, 0)
    assert writes_of(calendar, before) == set()


def test_moved_session_updates_exactly_its_item(target: str, tmp_path: Path) -> None:
    """Moving one session rewrites its item and no other."""
    state = tmp_path / "state.json"
    sync(catalogue(5), open_calendar(target), key=KEY, state=state)
    calendar = open_calendar(target)
    before = dict(calendar.list())
    report = sync(catalogue(5, moved={2}), open_calendar(target), key=KEY, state=state)
    assert (report.updated, report.unchanged) == (1, 4)
    assert writes_of(calendar, before) == {"kurs-2@libkurs.ics"}
    assert_in_step(calendar, catalogue(5, moved={2}))


def test_cancelled_session_is_updated_not_deleted(target: str, tmp_path: Path) -> None:
    """A cancelled session stays in the calendar as STATUS:CANCELLED."""
    state = tmp_path / "state.json"
    sync(catalogue(5), open_calendar(target), key=KEY, state=state)
    report = sync(catalogue(5, cancelled={1}), open_calendar(target), key=KEY, state=state)
    assert (report.updated, report.deleted) == (1, 0)
    items = assert_in_step(open_calendar(target), catalogue(5, cancelled={1}))
    assert b"STATUS:CANCELLED" in items["kurs-1@libkurs.ics"].data


def test_removed_session_deletes_exactly_its_item(target: str) -> None:
    """A session that left the catalogue takes its item with it, and nothing else."""
    sync(catalogue(5), open_calendar(target), key=KEY, state=SyncState())
    calendar = open_calendar(target)
    before = dict(calendar.list())
    report = sync(catalogue(5, removed={3}), open_calendar(target), key=KEY, state=SyncState())
    assert (report.deleted, report.unchanged) == (1, 4)
    assert writes_of(calendar, before) == {"kurs-3@libkurs.ics"}


def test_foreign_items_survive_everything(target: str, tmp_path: Path) -> None:
    """Items without our mark, or with another catalogue's, are never changed or deleted."""
    calendar = open_calendar(target)
    calendar.create("staff-meeting.ics", FOREIGN)
    sync(catalogue(3, prefix="annan"), calendar, key="another-catalogue", state=SyncState())
    foreign = dict(calendar.list())
    state = tmp_path / "state.json"
    for version in (catalogue(5), catalogue(5, moved={0}, removed={1}), catalogue(0)):
        report = sync(version, open_calendar(target), key=KEY, state=state, force=True)
        assert report.foreign == 4
    listing = dict(open_calendar(target).list())
    assert {h: listing.get(h) for h in foreign} == foreign
    assert len(listing) == 4


def test_calendar_edit_is_reported_and_kept(target: str, tmp_path: Path) -> None:
    """An item edited in the calendar is a conflict under the default policy, and is kept."""
    state = tmp_path / "state.json"
    sync(catalogue(3), open_calendar(target), key=KEY, state=state)
    calendar = open_calendar(target)
    item = snapshot(calendar)["kurs-0@libkurs.ics"]
    edited = item.data.replace(b"SUMMARY;LANGUAGE=sv:Kurs", b"SUMMARY;LANGUAGE=sv:Flyttad kurs")
    calendar.update(item.href, edited, item.etag)
    for version in (catalogue(3), catalogue(3, moved={0}), catalogue(3, removed={0})):
        report = sync(version, open_calendar(target), key=KEY, state=state)
        assert report.conflicts == 1
        (conflict,) = [r for r in report.results if r.outcome.value == "conflict"]
        assert conflict.href == "kurs-0@libkurs.ics"
        assert b"Flyttad kurs" in snapshot(calendar)["kurs-0@libkurs.ics"].data


def test_catalogue_wins_overwrites_an_edit_and_says_so(target: str) -> None:
    """Under CATALOGUE_WINS an edited item is written over, with a reason that says so."""
    sync(catalogue(2), open_calendar(target), key=KEY, state=SyncState())
    calendar = open_calendar(target)
    item = snapshot(calendar)["kurs-1@libkurs.ics"]
    calendar.update(item.href, item.data.replace(b":Kurs i", b":Kursen i"), item.etag)
    report = sync(
        catalogue(2),
        open_calendar(target),
        key=KEY,
        state=SyncState(),
        policy=ConflictPolicy.CATALOGUE_WINS,
    )
    assert report.updated == 1
    assert "catalogue wins" in report.results[1].reason
    assert_in_step(calendar, catalogue(2))


def test_two_syncs_at_once_never_duplicate(target: str) -> None:
    """Two syncs started together, each without state, leave one item per session."""
    reports = []

    def run() -> None:
        reports.append(sync(catalogue(12), open_calendar(target), key=KEY, state=SyncState()))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(reports) == 2
    assert all(r.failed == 0 for r in reports)
    assert sum(r.created for r in reports) == 12
    assert_in_step(open_calendar(target), catalogue(12))


@pytest.mark.parametrize("writes", [1, 3, 6])
def test_sync_killed_half_way_converges_when_run_again(
    target: str, tmp_path: Path, writes: int
) -> None:
    """A sync that dies after k writes (the last one unanswered) converges on the next run."""
    state = tmp_path / "state.json"
    sync(catalogue(6), open_calendar(target), key=KEY, state=state)
    changed = catalogue(8, moved={0, 1}, removed={2}, cancelled={3})
    with pytest.raises(Interrupted):
        sync(changed, CrashingCalendar(open_calendar(target), writes), key=KEY, state=state)
    report = sync(changed, open_calendar(target), key=KEY, state=state)
    assert report.failed == 0
    assert_in_step(open_calendar(target), changed)
    again = sync(changed, open_calendar(target), key=KEY, state=state)
    assert again.unchanged == 7


def test_safety_valve_refuses_to_delete_most_items(target: str) -> None:
    """Deleting more than half of our items is refused, and nothing is written, unless forced."""
    sync(catalogue(6), open_calendar(target), key=KEY, state=SyncState())
    calendar = open_calendar(target)
    before = dict(calendar.list())
    with pytest.raises(SafetyError):
        sync(catalogue(6, removed={0, 1, 2, 3}), calendar, key=KEY, state=SyncState())
    assert writes_of(calendar, before) == set()
    report = sync(catalogue(6, removed={0, 1, 2, 3}), calendar, key=KEY, force=True)
    assert report.deleted == 4


_KILLED = """
import sys
sys.path.insert(0, sys.argv[3])
from libkurs.sync import CalDAVCalendar, sync
from sync.catalogues import catalogue
calendar = CalDAVCalendar(sys.argv[1], username="u", password="p")
sync(catalogue(40), calendar, key="kurskatalog", state=sys.argv[2])
"""


def test_sync_process_killed_for_real_converges(radicale: object, tmp_path: Path) -> None:
    """A sync process killed with SIGKILL mid-push is finished by the next run, no duplicates."""
    address = make_calendar(radicale)  # type: ignore[arg-type]
    state = tmp_path / "state.json"
    tests = str(Path(__file__).resolve().parents[1])
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED, address, str(state), tests],
        env={**os.environ, "LIBKURS_NO_BACKOFF": "1"},
    )
    calendar = open_calendar(address)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(calendar.list()) < 5 and process.poll() is None:
        time.sleep(0.02)
    process.kill()
    process.wait(timeout=10)
    assert len(calendar.list()) < 40, "the sync finished before it could be killed"
    report = sync(catalogue(40), open_calendar(address), key=KEY, state=state)
    assert report.failed == 0
    assert_in_step(open_calendar(address), catalogue(40))


def test_pull_reads_back_what_was_synced(target: str) -> None:
    """pull() reads the calendar into a catalogue with the synced sessions, cancelled one too."""
    version = catalogue(4, cancelled={2})
    sync(version, open_calendar(target), key=KEY, state=SyncState())
    pulled = pull(open_calendar(target))
    sessions = {s.id: s for _, s in pulled.sessions()}
    assert sorted(sessions) == [f"kurs-{n}" for n in range(4)]
    assert sessions["kurs-2"].status.value == "cancelled"
    assert sessions["kurs-1"].start == version.events[0].sessions[1].start
