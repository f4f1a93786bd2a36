"""The latency proxy that stands for a real network in front of Radicale and Xandikos."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from libkurs.sync import CalDAVCalendar, sync
from sync.catalogues import catalogue
from sync.helpers import KEY, CrashingCalendar, Interrupted, assert_in_step
from sync.latency import LatencyProxy
from sync.servers import PASSWORD, USER, Server, make_calendar

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def test_a_request_through_the_proxy_waits_the_delay_each_way(server: Server) -> None:
    """One request through a 50 ms proxy takes at least 100 ms and gets the server's answer."""
    direct = server.request("PROPFIND", server.home)
    with LatencyProxy("127.0.0.1", server.port, delay=0.05) as proxy:
        proxied = Server(server.name, proxy.port, server.home, server.principal, server.log)
        started = time.monotonic()
        answer = proxied.request("PROPFIND", server.home)
        elapsed = time.monotonic() - started
    assert answer[0] == direct[0] == 207
    assert elapsed >= 0.1
    assert elapsed < 10  # generous: the machine is shared


def test_a_push_through_the_proxy_writes_every_item_once(server: Server, tmp_path) -> None:
    """A first push of 12 sessions through the proxy leaves the calendar exactly in step."""
    url = make_calendar(server)
    base = catalogue(12)
    with LatencyProxy("127.0.0.1", server.port, delay=0.02) as proxy:
        proxied = url.replace(f":{server.port}/", f":{proxy.port}/")
        with CalDAVCalendar(proxied, username=USER, password=PASSWORD) as calendar:
            report = sync(base, calendar, key=KEY, state=tmp_path / "state.json", now=NOW)
    assert report.created == 12
    assert report.ok
    assert proxy.connections >= 1
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        assert_in_step(calendar, base)


def test_a_push_through_the_proxy_that_crashes_converges_without_duplicates(
    server: Server, tmp_path
) -> None:
    """A first push that dies after 4 of 10 writes is finished by the next run, each item once."""
    url, base, state = make_calendar(server), catalogue(10), tmp_path / "state.json"
    with LatencyProxy("127.0.0.1", server.port, delay=0.02) as proxy:
        proxied = url.replace(f":{server.port}/", f":{proxy.port}/")
        with (
            CalDAVCalendar(proxied, username=USER, password=PASSWORD) as calendar,
            pytest.raises(Interrupted),
        ):
            sync(base, CrashingCalendar(calendar, 4), key=KEY, state=state, now=NOW)
        with CalDAVCalendar(proxied, username=USER, password=PASSWORD) as calendar:
            report = sync(base, calendar, key=KEY, state=state, now=NOW)
    assert report.ok
    assert report.created == 6
    assert report.unchanged == 4
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        assert_in_step(calendar, base)
