"""The latency proxy that stands for a real network in front of Radicale and Xandikos."""

from __future__ import annotations

import threading
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


class _SharedCrash(CrashingCalendar):
    """A crashing calendar whose workers count their writes together."""

    def __init__(self, calendar, writes: int, lock=None, counter=None) -> None:
        super().__init__(calendar, writes)
        self.lock = lock if lock is not None else threading.Lock()
        self.counter = counter if counter is not None else [writes]

    def _wrote(self) -> None:
        with self.lock:
            self.counter[0] -= 1
            dead = self.counter[0] <= 0
        if dead:
            raise Interrupted

    def workers(self, count: int) -> list[_SharedCrash]:
        """The inner calendar's workers, each counting into the same crash."""
        return [
            _SharedCrash(inner, 0, self.lock, self.counter)
            for inner in self.calendar.workers(count)
        ]

    def close(self) -> None:
        """Close the inner calendar."""
        self.calendar.close()


def _outcomes(report):
    return [(r.outcome, r.uid, r.href) for r in report.results]


def test_a_concurrent_push_through_the_proxy_matches_a_sequential_one(
    server: Server, tmp_path
) -> None:
    """With 4 connections, 16 items are written once each, with a sequential push's results."""
    base = catalogue(16)
    sequential_url, concurrent_url = make_calendar(server), make_calendar(server)
    with LatencyProxy("127.0.0.1", server.port, delay=0.02) as proxy:
        reports = []
        for url, connections in ((sequential_url, None), (concurrent_url, 4)):
            proxied = url.replace(f":{server.port}/", f":{proxy.port}/")
            seen = []
            with CalDAVCalendar(proxied, username=USER, password=PASSWORD) as calendar:
                reports.append(
                    sync(
                        base,
                        calendar,
                        key=KEY,
                        state=tmp_path / f"{connections}.json",
                        now=NOW,
                        connections=connections,
                        progress=seen.append,
                    )
                )
            assert sorted(_outcomes(reports[-1])) == sorted(
                (r.outcome, r.uid, r.href) for r in seen
            )
    sequential, concurrent = reports
    assert concurrent.ok
    assert concurrent.created == 16
    assert _outcomes(concurrent) == _outcomes(sequential)  # plan order kept
    for url in (sequential_url, concurrent_url):
        with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
            assert_in_step(calendar, base)
            assert len(calendar.list()) == 16
    with CalDAVCalendar(concurrent_url, username=USER, password=PASSWORD) as calendar:
        again = sync(base, calendar, key=KEY, state=tmp_path / "4.json", now=NOW, connections=4)
    assert again.unchanged == 16


def test_a_concurrent_push_that_crashes_converges_without_duplicates(
    server: Server, tmp_path
) -> None:
    """A 3-connection push that dies after 5 writes is finished by the next run, each item once."""
    url, base, state = make_calendar(server), catalogue(12), tmp_path / "state.json"
    with LatencyProxy("127.0.0.1", server.port, delay=0.02) as proxy:
        proxied = url.replace(f":{server.port}/", f":{proxy.port}/")
        with (
            CalDAVCalendar(proxied, username=USER, password=PASSWORD) as calendar,
            pytest.raises(Interrupted),
        ):
            sync(base, _SharedCrash(calendar, 5), key=KEY, state=state, now=NOW, connections=3)
        with CalDAVCalendar(proxied, username=USER, password=PASSWORD) as calendar:
            report = sync(base, calendar, key=KEY, state=state, now=NOW, connections=3)
    assert report.ok
    assert report.created + report.unchanged == 12
    assert report.unchanged >= 5
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        assert_in_step(calendar, base)
        assert len(calendar.list()) == 12


def test_connections_out_of_range_are_refused() -> None:
    """connections=0, 17 or a non-number is a CalendarError before anything is read."""
    from libkurs.errors import CalendarError
    from libkurs.sync import MemoryCalendar

    for wrong in (0, 17, 2.5, True):
        with pytest.raises(CalendarError, match="connections"):
            sync(catalogue(1), MemoryCalendar(), key=KEY, connections=wrong)


class _Gauge(CrashingCalendar):
    """A calendar that counts how many of its writes are under way at once (and never dies)."""

    def __init__(self, calendar, shared=None) -> None:
        super().__init__(calendar, writes=10**9)
        self.shared = (
            shared if shared is not None else {"now": 0, "peak": 0, "lock": threading.Lock()}
        )

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """Create, counted while under way."""
        with self.shared["lock"]:
            self.shared["now"] += 1
            self.shared["peak"] = max(self.shared["peak"], self.shared["now"])
        try:
            return self.calendar.create(name, data)
        finally:
            with self.shared["lock"]:
                self.shared["now"] -= 1

    def workers(self, count: int) -> list[_Gauge]:
        """The inner calendar's workers, counted together."""
        return [_Gauge(inner, self.shared) for inner in self.calendar.workers(count)]


def test_writes_overlap_with_connections_and_not_without(server: Server, tmp_path) -> None:
    """Through the proxy, connections=4 has up to 4 writes under way at once; the default 1."""
    peaks = {}
    with LatencyProxy("127.0.0.1", server.port, delay=0.03) as proxy:
        for connections in (None, 4):
            url = make_calendar(server).replace(f":{server.port}/", f":{proxy.port}/")
            with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
                gauge = _Gauge(calendar)
                report = sync(
                    catalogue(12), gauge, key=KEY, state=tmp_path / f"{connections}.json",
                    now=NOW, connections=connections,
                )  # fmt: skip
            assert report.created == 12
            peaks[connections] = gauge.shared["peak"]
    assert peaks[None] == 1  # on this machine, one at a time unless told
    assert 2 <= peaks[4] <= 4
