"""Sync through a loopback proxy that drops, delays and answers 500 or 429: it still converges."""

from __future__ import annotations

from pathlib import Path

import pytest

from libkurs import Catalogue
from libkurs.errors import TransportError
from libkurs.sync import CalDAVCalendar, Report, RetryPolicy, sync
from sync.catalogues import catalogue
from sync.faults import Faults, faulty_proxy
from sync.helpers import FOREIGN, KEY, assert_in_step
from sync.servers import PASSWORD, USER, Server, make_calendar

VERSIONS = [
    catalogue(15),
    catalogue(15, moved={0, 4}, cancelled={7}),
    catalogue(18, moved={0, 4}, cancelled={7}, removed={2, 9}),
]


def _run_until_clean(address: str, version: Catalogue, state: Path, runs: int = 12) -> Report:
    for _ in range(runs):
        with CalDAVCalendar(
            address, username=USER, password=PASSWORD, retry=RetryPolicy(attempts=3, wait=False)
        ) as calendar:
            try:
                report = sync(version, calendar, key=KEY, state=state)
            except TransportError:
                continue
            if report.ok:
                return report
    pytest.fail(f"no clean run in {runs} tries")


def test_sync_through_faults_converges_without_duplicates(server: Server, tmp_path: Path) -> None:
    """After repeated runs through faults the calendar equals the catalogue; foreign item kept."""
    address = make_calendar(server)
    with CalDAVCalendar(address, username=USER, password=PASSWORD) as direct:
        direct.create("staff-meeting.ics", FOREIGN)
        foreign_etag = direct.list()["staff-meeting.ics"]
    faults = Faults()
    state = tmp_path / "state.json"
    with faulty_proxy(server.port, faults) as port:
        proxied = address.replace(f":{server.port}/", f":{port}/")
        for version in VERSIONS:
            _run_until_clean(proxied, version, state)
            with CalDAVCalendar(address, username=USER, password=PASSWORD) as direct:
                assert_in_step(direct, version)
                assert direct.list()["staff-meeting.ics"] == foreign_etag
    assert sum(v for k, v in faults.seen.items() if k != "ok") >= 10, faults.seen
