"""Retries with back-off: the policy alone, and CalDAV against a flaky loopback server."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from libkurs.errors import ItemNotFoundError, TransportError
from libkurs.sync import CalDAVCalendar, RetryPolicy
from libkurs.sync._retry import parse_retry_after
from sync.loopback import CALENDAR_PROPFIND, Script, listing, serve


class Flaky:
    """An operation that fails with the given errors first, then returns "done"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Let the policy wait (no LIBKURS_NO_BACKOFF), recording the waits instead of sleeping."""
    monkeypatch.delenv("LIBKURS_NO_BACKOFF", raising=False)
    return []


def test_transient_errors_are_retried_until_success(slept: list[float]) -> None:
    """Two transport errors, then success: three calls, two waits, the result returned."""
    operation = Flaky(TransportError("500"), TransportError("dropped"))
    assert RetryPolicy().call(operation, sleep=slept.append) == "done"
    assert operation.calls == 3
    assert len(slept) == 2


def test_waits_grow_exponentially_with_jitter(slept: list[float]) -> None:
    """Each wait lies between half and all of backoff × factor ** n."""
    policy = RetryPolicy(attempts=4, backoff=1.0, factor=3.0)
    policy.call(Flaky(*(TransportError("x") for _ in range(3))), sleep=slept.append)
    for wait, nominal in zip(slept, (1.0, 3.0, 9.0), strict=True):
        assert nominal / 2 <= wait <= nominal


def test_retry_after_is_honoured_up_to_the_cap(slept: list[float]) -> None:
    """A server's Retry-After sets the wait, but never beyond max_wait."""
    policy = RetryPolicy(max_wait=10.0)
    errors = (TransportError("429", retry_after=7.0), TransportError("429", retry_after=3600.0))
    policy.call(Flaky(*errors), sleep=slept.append)
    assert slept == [7.0, 10.0]


def test_attempts_are_bounded(slept: list[float]) -> None:
    """When every attempt fails, the last error is raised after exactly `attempts` calls."""
    operation = Flaky(*(TransportError(f"failure {n}") for n in range(10)))
    with pytest.raises(TransportError, match="failure 2"):
        RetryPolicy(attempts=3).call(operation, sleep=slept.append)
    assert operation.calls == 3


def test_other_errors_are_not_retried(slept: list[float]) -> None:
    """A calendar error that is not transient passes through at once."""
    operation = Flaky(ItemNotFoundError("gone"))
    with pytest.raises(ItemNotFoundError):
        RetryPolicy().call(operation, sleep=slept.append)
    assert (operation.calls, slept) == (1, [])


def test_wait_false_retries_without_sleeping(slept: list[float]) -> None:
    """RetryPolicy(wait=False) keeps retrying but never sleeps."""
    operation = Flaky(TransportError("x"), TransportError("y", retry_after=30.0))
    assert RetryPolicy(wait=False).call(operation, sleep=slept.append) == "done"
    assert (operation.calls, slept) == (3, [])


def test_environment_switch_turns_waiting_off(
    slept: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """LIBKURS_NO_BACKOFF=1 turns the waiting off for every policy."""
    monkeypatch.setenv("LIBKURS_NO_BACKOFF", "1")
    operation = Flaky(TransportError("x", retry_after=30.0))
    assert RetryPolicy().call(operation, sleep=slept.append) == "done"
    assert slept == []


def test_policy_refuses_nonsense() -> None:
    """Zero attempts or a negative wait is a ValueError."""
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="backoff"):
        RetryPolicy(backoff=-1.0)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), (" 0 ", 0.0), ("Sun, 06 Nov 1994 08:49:40 GMT", 10.0), ("later", None)],
)
def test_retry_after_header_is_parsed(header: str, seconds: float | None) -> None:
    """Retry-After is read as delta-seconds or as an HTTP date."""
    now = datetime(1994, 11, 6, 8, 49, 30, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == seconds


def calendar_answers(*answers: tuple[int, dict[str, str], bytes] | None) -> Script:
    """A script: first the calendar's own PROPFIND, then *answers*."""
    return Script(answers=[(207, {}, CALENDAR_PROPFIND), *answers])


def test_caldav_retries_500_and_429_then_succeeds() -> None:
    """A 500 and a 429 with Retry-After are retried; with back-off off it takes no time."""
    script = calendar_answers(
        (500, {}, b"oops"),
        (429, {"Retry-After": "30"}, b"slow down"),
        (207, {}, listing(("a.ics", '"1"'))),
    )
    with serve(script) as base:
        started = time.monotonic()
        with CalDAVCalendar(f"{base}/cal/") as calendar:
            assert calendar.list() == {"a.ics": '"1"'}
            assert calendar.requests_sent == 4
        assert time.monotonic() - started < 2
    assert [request.method for request in script.requests] == ["PROPFIND"] * 4


def test_caldav_retries_a_dropped_connection() -> None:
    """A connection closed without an answer is retried."""
    script = calendar_answers(None, (207, {}, listing()))
    with serve(script) as base, CalDAVCalendar(f"{base}/cal/") as calendar:
        assert calendar.list() == {}
    assert len(script.requests) == 3


def test_caldav_gives_up_after_the_last_attempt() -> None:
    """A server that keeps answering 503 yields a TransportError with status and Retry-After."""
    script = Script(
        answers=[(207, {}, CALENDAR_PROPFIND)],
        default=lambda request: (503, {"Retry-After": "5"}, b"down"),
    )
    with serve(script) as base:
        calendar = CalDAVCalendar(f"{base}/cal/", retry=RetryPolicy(attempts=3))
        with pytest.raises(TransportError) as raised:
            calendar.list()
        calendar.close()
    assert (raised.value.status, raised.value.retry_after) == (503, 5.0)
    assert len(script.requests) == 1 + 3


def test_caldav_reports_a_refused_connection_as_transport_error() -> None:
    """Nobody listening: a TransportError after the bounded attempts, quickly."""
    with serve(Script()) as base:
        pass  # the port is free again
    calendar = CalDAVCalendar(f"{base}/cal/", retry=RetryPolicy(attempts=2), timeout=2)
    with pytest.raises(TransportError, match="PROPFIND failed"):
        calendar.list()


def test_caldav_times_out_a_silent_server() -> None:
    """A server slower than the timeout gives a TransportError saying so, after each attempt."""

    def slow(request: object) -> tuple[int, dict[str, str], bytes]:
        time.sleep(0.5)
        return (207, {}, listing())

    script = Script(answers=[(207, {}, CALENDAR_PROPFIND)], default=slow)
    with serve(script) as base:
        calendar = CalDAVCalendar(f"{base}/cal/", timeout=0.1, retry=RetryPolicy(attempts=2))
        calendar.url  # noqa: B018 - found before the clock starts
        started = time.monotonic()
        with pytest.raises(TransportError, match=r"timed out after 0\.1 s"):
            calendar.list()
        assert time.monotonic() - started < 1.0
        calendar.close()
    assert len(script.requests) == 3
