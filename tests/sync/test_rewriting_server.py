"""Syncing through a server that rewrites what it stores, or refuses some items, as Cyrus does.

Radicale sits behind a loopback proxy (:mod:`sync.rewriting`) that rewrites every PUT the way a
libical-based server does, or answers some PUTs 403 with a CalDAV precondition.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest

from libkurs.sync import CalDAVCalendar, Outcome, SyncState, read_entry, sync
from sync.catalogues import catalogue
from sync.helpers import KEY, snapshot
from sync.rewriting import PRECONDITION_403, Refusal, rewriting_proxy
from sync.servers import Server, make_calendar

COUNT = 500
NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def behind_proxy(radicale: Server) -> Iterator[tuple[str, str]]:
    """A new calendar on Radicale: its URL through the rewriting proxy, and its own URL."""
    direct = make_calendar(radicale, "rewritten")
    with rewriting_proxy(radicale.port) as port:
        yield direct.replace(f":{radicale.port}/", f":{port}/"), direct


def _component(data: bytes) -> icalendar.cal.Component:
    return next(c for c in icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_a_rewriting_server_gives_no_false_conflicts_with_or_without_state(
    behind_proxy: tuple[str, str], tmp_path: Path
) -> None:
    """500 items rewritten as libical does: zero conflicts with and without state."""
    url, _direct = behind_proxy
    state = tmp_path / "state.json"
    with CalDAVCalendar(url) as calendar:
        first = sync(catalogue(COUNT), calendar, key=KEY, state=state, now=NOW)
        assert (first.created, first.failed) == (COUNT, 0)
        stored = snapshot(calendar)["kurs-7@libkurs.ics"].data
        assert b"X-CYRUS-INDEXED" in stored  # the proxy did rewrite it
        again = sync(catalogue(COUNT), calendar, key=KEY, state=state)
        assert (again.unchanged, again.conflicts, again.updated) == (COUNT, 0, 0)
        fresh = sync(catalogue(COUNT), calendar, key=KEY, state=SyncState())
        assert (fresh.unchanged, fresh.conflicts, fresh.updated) == (COUNT, 0, 0)


def test_a_moved_session_is_written_on_a_stateless_run_and_a_real_edit_is_reported(
    behind_proxy: tuple[str, str], radicale: Server
) -> None:
    """Without state, a moved session is updated (SEQUENCE up); a hand edit stays a conflict."""
    url, direct = behind_proxy
    with CalDAVCalendar(url) as calendar:
        assert sync(catalogue(40), calendar, key=KEY, state=SyncState(), now=NOW).created == 40
        edited_href = "kurs-3@libkurs.ics"
        item = snapshot(calendar)[edited_href]
        path = direct.split(str(radicale.port), 1)[1] + edited_href
        edited = item.data.replace(b"SUMMARY;LANGUAGE=sv:Kurs", b"SUMMARY;LANGUAGE=sv:Flyttad kurs")
        assert edited != item.data
        status, _ = radicale.request("PUT", path, edited)  # past the proxy: a person's edit
        assert status in {201, 204}
        later = datetime(2030, 2, 1, tzinfo=UTC)
        report = sync(catalogue(40, moved={5}), calendar, key=KEY, state=SyncState(), now=later)
        assert (report.updated, report.conflicts, report.unchanged) == (1, 1, 38)
        conflict = next(r for r in report.results if r.outcome is Outcome.CONFLICT)
        assert conflict.href == edited_href
        moved = _component(snapshot(calendar)["kurs-5@libkurs.ics"].data)
        assert int(moved["SEQUENCE"]) == 1
        assert moved["LAST-MODIFIED"].dt == later  # the server stamps DTSTAMP its own way
        assert moved["DTSTART"].dt.astimezone(UTC).hour == 8  # 10.00 in Helsinki


def test_a_refused_put_fails_that_item_only_and_is_tried_again_next_run(
    radicale: Server, tmp_path: Path
) -> None:
    """One PUT in ten answered 403 with a precondition: the rest go on; the next run retries."""
    direct = make_calendar(radicale, "refusing")
    puts = {"count": 0, "refusing": True}

    def refuse(_path: str, _body: bytes) -> Refusal:
        puts["count"] += 1
        if puts["refusing"] and puts["count"] % 10 == 0:
            return 403, PRECONDITION_403
        return None

    state = tmp_path / "state.json"
    with rewriting_proxy(radicale.port, refuse=refuse) as port:
        url = direct.replace(f":{radicale.port}/", f":{port}/")
        with CalDAVCalendar(url) as calendar:
            started = time.monotonic()
            report = sync(catalogue(50), calendar, key=KEY, state=state)
            assert time.monotonic() - started < 60
            assert (report.created, report.failed, report.aborted) == (45, 5, None)
            failed = [r for r in report.results if r.outcome is Outcome.FAILED]
            assert all("unique-scheduling-object-resource" in r.reason for r in failed)
            assert all("403" in r.reason for r in failed)
            puts["refusing"] = False
            again = sync(catalogue(50), calendar, key=KEY, state=state)
            assert (again.created, again.unchanged, again.failed) == (5, 45, 0)
            owned = [read_entry(i) for i in snapshot(calendar).values()]
            assert sum(1 for e in owned if e.owner == KEY) == 50
