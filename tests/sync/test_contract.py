"""The one contract every calendar backend keeps: memory, directory, and CalDAV on two servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from libkurs.errors import ItemNotFoundError, PreconditionFailedError
from libkurs.sync import (
    CalDAVCalendar,
    Calendar,
    Changes,
    DirectoryCalendar,
    MemoryCalendar,
    UnsafeNameError,
)
from sync.servers import PASSWORD, USER, make_calendar

BACKENDS = ["memory", "directory", "radicale", "xandikos"]


def text(value: str) -> str:
    """*value* as an iCalendar TEXT value (RFC 5545 3.3.11)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def event(uid: str, summary: str = "Liboppi-dag", description: str | None = None) -> bytes:
    """A small valid VEVENT, as CRLF-terminated UTF-8 bytes."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//libkurs//tests//EN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20230101T000000Z",
        "DTSTART:20230112T080000Z",
        "DTEND:20230112T140000Z",
        f"SUMMARY:{text(summary)}",
        *([f"DESCRIPTION:{text(description)}"] if description else []),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def fields(data: bytes) -> dict[str, str]:
    """The UID, SUMMARY and DESCRIPTION of the one event in *data*, parsed by icalendar."""
    component = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    return {
        key: str(component[key]) for key in ("UID", "SUMMARY", "DESCRIPTION") if key in component
    }


@pytest.fixture(params=BACKENDS)
def calendar(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Calendar]:
    """A fresh, empty calendar of each kind in turn."""
    kind = request.param
    if kind == "memory":
        yield MemoryCalendar()
    elif kind == "directory":
        yield DirectoryCalendar(tmp_path / "vdir")
    else:
        server = request.getfixturevalue(kind)
        with CalDAVCalendar(make_calendar(server), username=USER, password=PASSWORD) as caldav:
            yield caldav


def stores_bytes(calendar: Calendar) -> bool:
    """Whether the backend keeps items byte for byte (servers may rewrite them)."""
    return not isinstance(calendar, CalDAVCalendar)


def test_backend_satisfies_the_protocol(calendar: Calendar) -> None:
    """Every backend is a Calendar and starts empty."""
    assert isinstance(calendar, Calendar)
    assert calendar.list() == {}


def test_created_item_is_listed_and_read_back(calendar: Calendar) -> None:
    """create returns the href and etag that list and get then show."""
    href, etag = calendar.create("liboppi.ics", event("liboppi@example.org"))
    assert href == "liboppi.ics"
    assert calendar.list() == {href: etag}
    items, missing = calendar.get([href])
    assert missing == frozenset()
    assert [(item.href, item.etag) for item in items] == [(href, etag)]
    assert fields(items[0].data)["UID"] == "liboppi@example.org"


def test_update_gives_a_new_etag_and_new_content(calendar: Calendar) -> None:
    """update with the current etag replaces the item and returns a different etag."""
    href, etag = calendar.create("a.ics", event("a@example.org", "Före"))
    new_etag = calendar.update(href, event("a@example.org", "Efter"), etag)
    assert new_etag != etag
    assert calendar.list() == {href: new_etag}
    (item,), _ = calendar.get([href])
    assert item.etag == new_etag
    assert fields(item.data)["SUMMARY"] == "Efter"


def test_delete_removes_the_item(calendar: Calendar) -> None:
    """delete with the current etag removes the item, and only it."""
    href, etag = calendar.create("a.ics", event("a@example.org"))
    other, other_etag = calendar.create("b.ics", event("b@example.org"))
    calendar.delete(href, etag)
    assert calendar.list() == {other: other_etag}


def test_update_with_a_stale_etag_is_refused(calendar: Calendar) -> None:
    """An update that does not name the current etag fails and changes nothing."""
    href, etag = calendar.create("a.ics", event("a@example.org", "Ett"))
    current = calendar.update(href, event("a@example.org", "Två"), etag)
    with pytest.raises(PreconditionFailedError) as raised:
        calendar.update(href, event("a@example.org", "Tre"), etag)
    assert raised.value.href is not None
    (item,), _ = calendar.get([href])
    assert (item.etag, fields(item.data)["SUMMARY"]) == (current, "Två")


def test_delete_with_a_stale_etag_is_refused(calendar: Calendar) -> None:
    """A delete that does not name the current etag fails and keeps the item."""
    href, etag = calendar.create("a.ics", event("a@example.org", "Ett"))
    current = calendar.update(href, event("a@example.org", "Två"), etag)
    with pytest.raises(PreconditionFailedError):
        calendar.delete(href, etag)
    assert calendar.list() == {href: current}


def test_create_over_an_existing_item_is_refused(calendar: Calendar) -> None:
    """create never overwrites: a second create of the same name fails."""
    href, etag = calendar.create("a.ics", event("a@example.org", "Första"))
    with pytest.raises(PreconditionFailedError):
        calendar.create("a.ics", event("a@example.org", "Andra"))
    (item,), _ = calendar.get([href])
    assert (item.etag, fields(item.data)["SUMMARY"]) == (etag, "Första")


def test_delete_of_a_missing_item_raises_not_found(calendar: Calendar) -> None:
    """Deleting an href with nothing there raises ItemNotFoundError."""
    href, etag = calendar.create("a.ics", event("a@example.org"))
    calendar.delete(href, etag)
    with pytest.raises(ItemNotFoundError):
        calendar.delete(href, etag)


def test_update_of_a_missing_item_raises_not_found(calendar: Calendar) -> None:
    """Updating an href with nothing there raises ItemNotFoundError and creates nothing."""
    href, etag = calendar.create("a.ics", event("a@example.org"))
    calendar.delete(href, etag)
    with pytest.raises(ItemNotFoundError):
        calendar.update(href, event("a@example.org"), etag)
    assert calendar.list() == {}


def test_get_reports_missing_hrefs(calendar: Calendar) -> None:
    """get returns what is there and names what is not."""
    href, _ = calendar.create("a.ics", event("a@example.org"))
    items, missing = calendar.get([href, "nowhere.ics", "gone@x.ics"])
    assert [item.href for item in items] == [href]
    assert missing == {"nowhere.ics", "gone@x.ics"}


def test_get_of_nothing_is_empty(calendar: Calendar) -> None:
    """get of no hrefs sends nothing and returns nothing."""
    assert calendar.get([]) == ([], frozenset())


@pytest.mark.parametrize(
    "name",
    ["../escape.ics", "a/b.ics", ".hidden.ics", "..ics", "a b.ics", "å.ics", "a.ics/", "", "a.txt"],
)
def test_unsafe_names_are_refused(calendar: Calendar, name: str) -> None:
    """create refuses a name that could leave the calendar or is not portable."""
    with pytest.raises(UnsafeNameError):
        calendar.create(name, event("a@example.org"))
    assert calendar.list() == {}


def test_non_ascii_content_round_trips(calendar: Calendar) -> None:
    """Swedish, Finnish and Sami text comes back: byte for byte where bytes are kept."""
    summary = "Åbo, Närpes – Sámi: giellaguovddáš ČŊŠŦŽ; Hyvää päivää"
    description = "Anmälan senast 1.2. Ilmoittautuminen: lähetä sähköposti. Buorre beaivi!"
    data = event("åäö-1@example.org", summary, description)
    href, etag = calendar.create("aao-1.ics", data)
    (item,), _ = calendar.get([href])
    if stores_bytes(calendar):
        assert item.data == data
    assert fields(item.data) == {
        "UID": "åäö-1@example.org",
        "SUMMARY": summary,
        "DESCRIPTION": description,
    }
    assert item.etag == etag


def test_changes_follow_create_update_and_delete(calendar: Calendar) -> None:
    """A sync token reports exactly what was created, changed and deleted since."""
    first = calendar.changes(None)
    if first is None:  # a backend without sync tokens says so
        assert isinstance(calendar, DirectoryCalendar)
        return
    assert first.complete
    assert dict(first.changed) == {}
    a, a_etag = calendar.create("a.ics", event("a@example.org"))
    b, b_etag = calendar.create("b.ics", event("b@example.org"))
    second = calendar.changes(first.token)
    assert isinstance(second, Changes)
    assert not second.complete
    assert dict(second.changed) == {a: a_etag, b: b_etag}
    assert second.deleted == frozenset()
    a_etag = calendar.update(a, event("a@example.org", "Ny tid"), a_etag)
    calendar.delete(b, b_etag)
    third = calendar.changes(second.token)
    assert third is not None
    assert dict(third.changed) == {a: a_etag}
    assert third.deleted == {b}
    fourth = calendar.changes(third.token)
    assert fourth is not None
    assert (dict(fourth.changed), fourth.deleted) == ({}, frozenset())


def test_refused_sync_token_gives_a_complete_listing(calendar: Calendar) -> None:
    """An unknown token is answered with everything, flagged complete, and a fresh token."""
    href, etag = calendar.create("a.ics", event("a@example.org"))
    refused = calendar.changes("http://example.invalid/ns/sync/no-such-token")
    if refused is None:
        assert isinstance(calendar, DirectoryCalendar)
        return
    assert refused.complete
    assert dict(refused.changed) == {href: etag}
    after = calendar.changes(refused.token)
    assert after is not None
    assert not after.complete
    assert dict(after.changed) == {}


def test_two_hundred_items_are_listed_and_read(calendar: Calendar) -> None:
    """A listing of 200 items is complete, and get reads them all in chunks."""
    created = dict(
        calendar.create(f"item-{n}.ics", event(f"item-{n}@example.org")) for n in range(200)
    )
    assert calendar.list() == created
    items, missing = calendar.get(sorted(created))
    assert missing == frozenset()
    assert {item.href: item.etag for item in items} == created
    assert {fields(item.data)["UID"] for item in items} == {
        f"item-{n}@example.org" for n in range(200)
    }


@pytest.mark.parametrize("href", ["../a.ics", "sub/a.ics", "..", "/etc/a.ics"])
def test_hrefs_outside_the_calendar_are_not_found(calendar: Calendar, href: str) -> None:
    """update and delete of an href that leaves the calendar find nothing and change nothing."""
    calendar.create("a.ics", event("a@example.org"))
    before = calendar.list()
    with pytest.raises(ItemNotFoundError):
        calendar.update(href, event("a@example.org", "Utanför"), before["a.ics"])
    with pytest.raises(ItemNotFoundError):
        calendar.delete(href, before["a.ics"])
    assert calendar.list() == before
