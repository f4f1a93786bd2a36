"""A server that refuses items, redirects writes, keeps failing or answers too much.

A scripted loopback server (:mod:`sync.loopback`) answers the discovery and listing like a
calendar with no items and no sync tokens, and each PUT as the test says.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from libkurs.errors import CalendarError, TransportError
from libkurs.sync import CalDAVCalendar, Outcome, RetryPolicy, SyncState, sync
from libkurs.sync._retry import parse_retry_after
from sync.catalogues import catalogue
from sync.helpers import KEY
from sync.loopback import CALENDAR_PROPFIND, Answer, Request, Script, listing, serve


def calendar_answering(put: Callable[[Request], Answer]) -> Callable[[Request], Answer]:
    """A default answer: an empty calendar without sync tokens, and *put* for every PUT."""

    def answer(request: Request) -> Answer:
        if request.method == "PUT":
            return put(request)
        if request.method == "PROPFIND" and request.headers.get("Depth") == "0":
            return 207, {"Content-Type": "application/xml"}, CALENDAR_PROPFIND
        if request.method == "PROPFIND":
            return 207, {"Content-Type": "application/xml"}, listing()
        return 405, {}, b""  # no sync-collection report

    return answer


def _error(condition: str, namespace: str = "urn:ietf:params:xml:ns:caldav") -> bytes:
    return (
        f'<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="{namespace}"><C:{condition}/>'
        "</D:error>"
    ).encode()


@pytest.mark.parametrize(
    ("status", "body", "named"),
    [
        (403, _error("unique-scheduling-object-resource"), "unique-scheduling-object-resource"),
        (403, b"", "403"),
        (409, _error("max-resource-size"), "max-resource-size"),
        (507, b"", "507"),
    ],
)
def test_an_item_the_server_refuses_fails_alone_and_the_run_goes_on(
    status: int, body: bytes, named: str
) -> None:
    """403, 409 or 507 on the second PUT: that item failed with the reason; the rest created."""
    puts = [0]

    def put(_request: Request) -> Answer:
        puts[0] += 1
        if puts[0] == 2:
            return status, {"Content-Type": "application/xml"}, body
        return 201, {"ETag": f'"e{puts[0]}"'}, b""

    with (
        serve(Script(default=calendar_answering(put))) as base,
        CalDAVCalendar(f"{base}/cal/", retry=RetryPolicy(wait=False)) as calendar,
    ):
        report = sync(catalogue(4), calendar, key=KEY, state=SyncState())
    assert (report.created, report.failed, report.aborted) == (3, 1, None)
    failed = next(r for r in report.results if r.outcome is Outcome.FAILED)
    assert named in failed.reason
    assert puts[0] == 4  # 507 is not retried: the server is full, not away


def test_a_redirected_write_is_not_counted_as_done() -> None:
    """A PUT answered 307 is not followed and not created; the reason names only the host."""
    secret_target = "https://elsewhere.example/cal/x.ics?token=SECRET"

    def put(_request: Request) -> Answer:
        return 307, {"Location": secret_target}, b""

    state = SyncState()
    with (
        serve(Script(default=calendar_answering(put))) as base,
        CalDAVCalendar(f"{base}/cal/", retry=RetryPolicy(wait=False)) as calendar,
    ):
        report = sync(catalogue(2), calendar, key=KEY, state=state)
    assert (report.created, report.failed) == (0, 2)
    assert all("redirected" in r.reason for r in report.results)
    assert all("SECRET" not in r.reason for r in report.results)
    assert state.entries == {}


def test_a_server_that_keeps_failing_stops_the_run_within_bounds() -> None:
    """Every PUT answered 503: a few items are tried (each retried), then the run stops."""
    script = Script(default=calendar_answering(lambda _r: (503, {"Retry-After": "1"}, b"")))
    began = time.monotonic()
    with serve(script) as base:
        policy = RetryPolicy(attempts=3, wait=False)
        with CalDAVCalendar(f"{base}/cal/", retry=policy) as calendar:
            report = sync(catalogue(50), calendar, key=KEY, state=SyncState())
    assert time.monotonic() - began < 30
    assert report.aborted is not None
    assert "try again later" in report.aborted
    assert not report.ok
    assert report.failed == 3  # the run stopped after three items in a row
    assert sum(1 for r in script.requests if r.method == "PUT") == 3 * 3
    assert report.to_dict()["error"] == report.aborted


def test_retries_of_one_request_stop_at_the_total_time_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Retry-After of an hour is capped, and max_total ends the retrying at once."""
    monkeypatch.delenv("LIBKURS_NO_BACKOFF", raising=False)
    policy = RetryPolicy(attempts=10, max_wait=60.0, max_total=5.0)
    calls = []

    def failing() -> None:
        calls.append(1)
        raise TransportError("503", retry_after=3600.0)

    slept: list[float] = []
    with pytest.raises(TransportError):
        policy.call(failing, sleep=slept.append)
    assert calls == [1]  # the first wait alone (60 s) would pass the 5 s bound
    assert slept == []


def test_an_answer_larger_than_the_cap_is_refused_not_read() -> None:
    """A listing bigger than max_response_size is a CalendarError, and memory stays small."""
    huge = listing(*((f"item-{n}.ics", f'"{n}"') for n in range(2000)))
    script = Script(
        default=lambda r: (
            (207, {}, CALENDAR_PROPFIND) if r.headers.get("Depth") == "0" else (207, {}, huge)
        )
    )
    with serve(script) as base:
        calendar = CalDAVCalendar(
            f"{base}/cal/", retry=RetryPolicy(wait=False), max_response_size=10_000
        )
        with calendar, pytest.raises(CalendarError, match="larger than 10000 bytes"):
            calendar.list()


@pytest.mark.parametrize("header", ["²", "٣", "-5", "1e9", "9" * 40, "Sun, 06 Nov 99999 08:49:37"])
def test_a_hostile_retry_after_never_raises(header: str) -> None:
    """Superscript digits, other scripts' digits, negatives, huge values: None or capped."""
    seconds = parse_retry_after(header)
    assert seconds is None or 0 <= seconds <= 86_400


def test_a_superscript_retry_after_from_a_server_is_a_plain_transport_error() -> None:
    """A 503 with Retry-After: ² is retried and reported, never a ValueError."""
    script = Script(default=lambda _r: (503, {"Retry-After": "²"}, b""))
    with serve(script) as base:
        calendar = CalDAVCalendar(f"{base}/cal/", retry=RetryPolicy(attempts=2, wait=False))
        with calendar, pytest.raises(TransportError) as caught:
            calendar.list()
    assert caught.value.retry_after is None
