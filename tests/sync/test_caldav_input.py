"""What a CalDAV calendar refuses to take: bad URLs, tokens in query strings, DTDs in any
encoding; and how calendars named on one server keep their states apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from libkurs.errors import CalendarError
from libkurs.sync import CalDAVCalendar, SyncState, default_state_path, sync
from sync.catalogues import catalogue
from sync.helpers import KEY
from sync.loopback import CALENDAR_PROPFIND, Script, listing, serve
from sync.servers import PASSWORD, USER, Server, make_calendar


@pytest.mark.parametrize(
    "url",
    [
        "http://kim:hemligt@127.0.0.1:99999/cal/",
        "http://kim:hemligt@[::1/cal/",
        "https://kim:hemligt@example.org:port/cal/",
    ],
)
def test_a_malformed_url_is_a_calendar_error_without_credentials(url: str) -> None:
    """A bad port or IPv6 address raises CalendarError, not ValueError, and hides the password."""
    with pytest.raises(CalendarError) as raised:
        CalDAVCalendar(url)
    assert "not a valid URL" in str(raised.value)
    assert "hemligt" not in str(raised.value)
    assert "kim" not in str(raised.value)


@pytest.mark.parametrize("query", ["?access_token=SECRET", "?a=1&access_token=SECRET"])
def test_a_query_string_is_refused_without_echoing_it(query: str) -> None:
    """A token in the query string would leak into state and errors: refused, never echoed."""
    with pytest.raises(CalendarError, match="query string") as raised:
        CalDAVCalendar(f"https://example.org/cal/{query}")
    assert "SECRET" not in str(raised.value)
    assert "access_token" not in str(raised.value)


def test_state_keeps_calendars_named_on_one_server_apart(server: Server, tmp_path: Path) -> None:
    """calendar= names two calendars under one URL: two state files, each no-op stays cheap."""
    names = [make_calendar(server).rstrip("/").rsplit("/", 1)[-1] for _ in range(2)]
    root = server.url(server.home)

    def open_named(name: str) -> CalDAVCalendar:
        return CalDAVCalendar(root, calendar=name, username=USER, password=PASSWORD)

    paths = {default_state_path(open_named(name).address, KEY) for name in names}
    assert len(paths) == 2
    for name in names:
        with open_named(name) as calendar:
            assert sync(catalogue(3), calendar, key=KEY).created == 3
    for name in names:
        with open_named(name) as calendar:
            report = sync(catalogue(3), calendar, key=KEY)
            assert report.unchanged == 3
            known = SyncState(default_state_path(calendar.address, KEY), key=KEY)
            assert known.token is not None
            assert set(known.entries) == set(calendar.list())


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")


def test_a_document_type_in_utf16_is_refused() -> None:
    """A DTD that a byte search cannot see (UTF-16) is still refused by the parser."""
    bomb = _utf16(
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><D:multistatus xmlns:D="DAV:">'
        "<D:response><D:href>/cal/&b;.ics</D:href></D:response></D:multistatus>"
    )
    assert b"<!DOCTYPE" not in bomb
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND), (207, {}, bomb)])
    with (
        serve(script) as base,
        CalDAVCalendar(f"{base}/cal/") as calendar,
        pytest.raises(CalendarError, match="document type"),
    ):
        calendar.list()


def test_a_utf16_answer_without_a_dtd_is_read() -> None:
    """UTF-16 itself is fine: a listing in UTF-16 is read like one in UTF-8."""
    answer = _utf16(listing(("a.ics", '"1"')).decode().replace("?>", ' encoding="UTF-16"?>', 1))
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND), (207, {}, answer)])
    with serve(script) as base, CalDAVCalendar(f"{base}/cal/") as calendar:
        assert calendar.list() == {"a.ics": '"1"'}
