"""The pieces of a sync on their own: content hash, rendering, the planner, state, pull."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from libkurs.errors import CalendarError, FormatError, PreconditionFailedError, SafetyError
from libkurs.sync import (
    HASH_PROPERTY,
    MARKER_PROPERTY,
    Action,
    CalDAVCalendar,
    ConflictError,
    ConflictPolicy,
    Entry,
    Item,
    MemoryCalendar,
    SyncState,
    content_hash,
    default_state_path,
    href_for,
    plan,
    pull,
    read_entry,
    sync,
)
from sync.catalogues import catalogue
from sync.helpers import FOREIGN, KEY
from sync.servers import PASSWORD, USER, Server, make_calendar

ZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\nBEGIN:STANDARD\r\nDTSTART:19701025T040000\r\n"
    "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)


def pushed(count: int = 3) -> tuple[MemoryCalendar, dict[str, Item]]:
    """A memory calendar after a first sync of *count* sessions, and its items."""
    calendar = MemoryCalendar()
    sync(catalogue(count), calendar, key=KEY)
    items, _ = calendar.get(calendar.list())
    return calendar, {item.href: item for item in items}


def _refold(line: str, width: int = 30) -> str:
    return "\r\n ".join(line[i : i + width] for i in range(0, len(line), width))


def test_content_hash_ignores_what_servers_rewrite() -> None:
    """Reordered, refolded, restamped, with a VTIMEZONE added: the same content hash."""
    _, items = pushed(1)
    data = items["kurs-0@libkurs.ics"].data.decode()
    lines = data.replace("\r\n ", "").split("\r\n")
    body = lines[lines.index("BEGIN:VEVENT") + 1 : lines.index("END:VEVENT")]
    kept = [_refold(line) for line in reversed(body) if not line.startswith("DTSTAMP")]
    rewritten = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "PRODID:-//Server//EN",
            "VERSION:2.0",
            ZONE + "BEGIN:VEVENT",
            *kept,
            "DTSTAMP:20991231T000000Z",
            "CREATED:20990101T000000Z",
            "LAST-MODIFIED:20990101T000000Z",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    assert rewritten.encode() != data.encode()
    assert content_hash(rewritten.encode()) == content_hash(data.encode())
    assert read_entry(Item(href="x.ics", etag="1", data=rewritten.encode())).untouched


def test_content_hash_sees_a_changed_summary() -> None:
    """A change that people see changes the hash."""
    _, items = pushed(1)
    data = items["kurs-0@libkurs.ics"].data
    assert content_hash(data.replace(b":Kurs i", b":Kurs om")) != content_hash(data)


def test_content_hash_refuses_bytes_that_are_not_utf8() -> None:
    """Invalid UTF-8 is an error naming the line, not silently replaced."""
    with pytest.raises(FormatError, match="not UTF-8") as raised:
        content_hash(b"BEGIN:VCALENDAR\r\nX:\xff\r\nEND:VCALENDAR\r\n")
    assert raised.value.line == 2


def test_read_entry_tells_ours_untouched_edited_and_foreign() -> None:
    """The mark and the stamped hash say whose an item is and whether it was edited."""
    _, items = pushed(1)
    item = items["kurs-0@libkurs.ics"]
    entry = read_entry(item)
    assert (entry.uid, entry.owner, entry.untouched) == ("kurs-0@libkurs", KEY, True)
    assert MARKER_PROPERTY.encode() in item.data
    assert HASH_PROPERTY.encode() in item.data
    edited = Item(href=item.href, etag="e", data=item.data.replace(b":Kurs i", b":Kursen i"))
    assert read_entry(edited).untouched is False
    foreign = read_entry(Item(href="f.ics", etag="f", data=FOREIGN))
    assert (foreign.uid, foreign.owner) == ("staff-meeting@example.org", None)
    broken = read_entry(Item(href="b.ics", etag="b", data=b"\xff\xfe"))
    assert (broken.uid, broken.owner) == (None, None)


def test_href_is_derived_from_the_uid_and_always_safe() -> None:
    """The same UID gives the same href everywhere; odd UIDs give safe names."""
    assert href_for("kurs-1@libkurs") == "kurs-1@libkurs.ics"
    odd = href_for("../ä b/" + "x" * 300)
    assert odd == href_for("../ä b/" + "x" * 300)
    assert odd.endswith(".ics")
    assert "/" not in odd
    assert ".." not in odd


def test_items_carry_no_organizer_or_attendee_so_no_server_mails_invitations() -> None:
    """A synced item has no ORGANIZER or ATTENDEE: no server schedules (mails) anything."""
    _calendar, items = pushed(2)
    for item in items.values():
        text = item.data.decode()
        assert "ORGANIZER" not in text
        assert "ATTENDEE" not in text


def test_plan_is_pure_and_gives_a_reason_for_every_step() -> None:
    """plan() over items writes nothing and explains each step."""
    calendar, items = pushed(4)
    before = dict(calendar.list())
    edited = items["kurs-0@libkurs.ics"]
    edited = Item(href=edited.href, etag="x", data=edited.data.replace(b":Kurs i", b":Kursen i"))
    values = [edited, items["kurs-1@libkurs.ics"], items["kurs-3@libkurs.ics"]]
    result = plan(catalogue(4, moved={1}, removed={3}), values, key=KEY)
    assert dict(calendar.list()) == before
    actions = {s.href: s.action for s in result.steps}
    assert actions == {
        "kurs-0@libkurs.ics": Action.CONFLICT,
        "kurs-1@libkurs.ics": Action.UPDATE,
        "kurs-2@libkurs.ics": Action.CREATE,
        "kurs-3@libkurs.ics": Action.DELETE,
    }
    assert all(step.reason for step in result.steps)


def test_plan_from_a_listing_uses_the_known_entries() -> None:
    """With a listing (href → etag), entries come from what the state knows."""
    calendar, items = pushed(2)
    known = {href: read_entry(item) for href, item in items.items()}
    result = plan(catalogue(2), calendar.list(), known, key=KEY)
    assert result.counts["unchanged"] == 2
    with pytest.raises(ValueError, match="read these items first"):
        plan(catalogue(2), {**calendar.list(), "new.ics": '"1"'}, known, key=KEY)


def test_foreign_item_with_our_uid_is_a_conflict_and_left_alone() -> None:
    """A foreign item holding a session's UID is reported, and nothing is created beside it."""
    data = FOREIGN.replace(b"UID:staff-meeting@example.org", b"UID:kurs-0@libkurs")
    calendar = MemoryCalendar({"theirs.ics": data})
    report = sync(catalogue(1), calendar, key=KEY)
    assert (report.conflicts, report.created) == (1, 0)
    assert list(calendar.list()) == ["theirs.ics"]


def test_second_item_with_our_uid_is_deleted() -> None:
    """A duplicate of ours (another href, same UID) is removed; the one at its href stays."""
    calendar, items = pushed(3)
    calendar.create("copy.ics", items["kurs-1@libkurs.ics"].data)
    report = sync(catalogue(3), calendar, key=KEY, force=True)
    assert report.deleted == 1
    assert sorted(calendar.list()) == [f"kurs-{n}@libkurs.ics" for n in range(3)]


def test_fail_policy_raises_before_writing_anything() -> None:
    """Under ConflictPolicy.FAIL a conflict stops the sync before any write."""
    calendar, items = pushed(2)
    item = items["kurs-0@libkurs.ics"]
    calendar.update(item.href, item.data.replace(b":Kurs i", b":Kursen i"), item.etag)
    before = dict(calendar.list())
    with pytest.raises(ConflictError):
        sync(catalogue(3, moved={1}), calendar, key=KEY, policy=ConflictPolicy.FAIL)
    assert dict(calendar.list()) == before


def test_safety_valve_allows_half_and_refuses_more() -> None:
    """Up to half of our items may go; more than half needs force."""
    calendar, _ = pushed(2)
    assert sync(catalogue(2, removed={0}), calendar, key=KEY).deleted == 1
    calendar, _ = pushed(4)
    with pytest.raises(SafetyError, match="3 of the 4"):
        sync(catalogue(4, removed={0, 1, 2}), calendar, key=KEY)


def test_dry_run_plans_and_writes_nothing(tmp_path: Path) -> None:
    """dry_run=True reports what would happen; neither calendar nor state file change."""
    calendar = MemoryCalendar()
    state = tmp_path / "state.json"
    report = sync(catalogue(3), calendar, key=KEY, state=state, dry_run=True)
    assert (report.created, report.dry_run) == (3, True)
    assert calendar.list() == {}
    assert not state.exists()


def test_state_file_is_written_atomically_and_journals_each_item(tmp_path: Path) -> None:
    """The snapshot holds token and items; a journal line per item survives a crash."""
    path = tmp_path / "state" / "s.json"
    state = SyncState(path, calendar="http://u:p@host/cal/", key=KEY)
    assert state.calendar == "http://host/cal/"
    entry = Entry(href="a.ics", etag='"1"', uid="a", owner=KEY, hash="h", untouched=True)
    state.record(entry)
    state.commit()
    assert path.with_name("s.json.journal").read_text().count("\n") == 1
    again = SyncState(path, calendar="http://host/cal/", key=KEY)
    assert again.entries == {"a.ics": entry}
    again.save("token-1")
    document = json.loads(path.read_text())
    assert document["token"] == "token-1"
    assert "p@" not in path.read_text()
    assert not path.with_name("s.json.journal").exists()
    with path.with_name("s.json.journal").open("a") as journal:
        journal.write('{"drop": "a.ics"}\n{"href": "b.ics", "et')  # a torn last line
    last = SyncState(path, calendar="http://host/cal/", key=KEY)
    assert (last.entries, last.token) == ({}, "token-1")


def test_state_of_another_catalogue_is_ignored(tmp_path: Path) -> None:
    """A state file written for another key is not used."""
    path = tmp_path / "s.json"
    SyncState(path, key="one").save("t")
    assert SyncState(path, key="two").token is None


def test_default_state_path_follows_xdg_and_drops_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The default state lives under XDG_STATE_HOME/libkurs/sync, keyed without credentials."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    path = default_state_path("https://kim:secret@example.org/cal/", KEY)
    assert path.parent == tmp_path / "libkurs" / "sync"
    assert path == default_state_path("https://example.org/cal/", KEY)
    assert path != default_state_path("https://example.org/cal/", "other")


def test_pull_reads_the_calendar_back_into_a_catalogue() -> None:
    """pull() gives back the events and sessions a sync wrote, and foreign events too."""
    calendar, _ = pushed(3)
    calendar.create("staff.ics", FOREIGN)
    pulled = pull(calendar)
    sessions = sorted(s.id for _, s in pulled.sessions())
    assert [s for s in sessions if s.startswith("kurs-")] == ["kurs-0", "kurs-1", "kurs-2"]
    assert len(sessions) == 4


def test_pull_leaves_out_an_unreadable_item_and_says_which() -> None:
    """A broken item in a shared calendar is a warning naming it; strict makes it an error."""
    calendar, _ = pushed(2)
    calendar.create("broken.ics", b"\xff\xfeBEGIN:VCALENDAR garbage")
    calendar.create("odd.ics", FOREIGN.replace(b"DTSTART", b"X-ODD;=:x\r\nDTSTART", 1))
    warnings: list = []
    pulled = pull(calendar, warnings=warnings)
    assert sorted(s.id for _, s in pulled.sessions() if s.id.startswith("kurs-")) == [
        "kurs-0",
        "kurs-1",
    ]
    messages = [str(warning) for warning in warnings]
    assert any(m.startswith("broken.ics: not UTF-8 iCalendar") for m in messages), messages
    assert all(warning.line is None for warning in warnings)
    with pytest.raises(FormatError) as caught:
        pull(calendar, strict=True)
    assert caught.value.source == "broken.ics"


def test_no_op_resync_costs_few_requests(server: Server, tmp_path: Path) -> None:
    """A no-op re-sync sends at most 3 requests with state and 5 without; k changes k + 3."""
    address = make_calendar(server)
    state = tmp_path / "state.json"
    with CalDAVCalendar(address, username=USER, password=PASSWORD) as calendar:
        sync(catalogue(60), calendar, key=KEY, state=state)
    with CalDAVCalendar(address, username=USER, password=PASSWORD) as calendar:
        assert sync(catalogue(60), calendar, key=KEY, state=state).unchanged == 60
        assert calendar.requests_sent <= 3
    with CalDAVCalendar(address, username=USER, password=PASSWORD) as calendar:
        sync(catalogue(60), calendar, key=KEY, state=SyncState())
        assert calendar.requests_sent <= 5
    with CalDAVCalendar(address, username=USER, password=PASSWORD) as calendar:
        report = sync(catalogue(60, moved={1, 2, 3}), calendar, key=KEY, state=state)
        assert report.updated == 3
        assert calendar.requests_sent <= 3 + 3


class _RacingCalendar(MemoryCalendar):
    """A calendar where another client writes the same UID elsewhere just before our create."""

    def __init__(self) -> None:
        super().__init__()
        self.raced = False

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """The first create loses a race: the UID now lives at another href (409)."""
        if not self.raced:
            self.raced = True
            super().create("elsewhere.ics", data)
            raise PreconditionFailedError("no-uid-conflict", href=name, status=409)
        return super().create(name, data)


def test_uid_conflict_answer_finds_the_item_elsewhere_without_duplicating() -> None:
    """A 409 for a UID that exists at another href is re-read and planned, not duplicated."""
    calendar = _RacingCalendar()
    report = sync(catalogue(1), calendar, key=KEY, state=SyncState())
    assert (report.unchanged, report.created, report.failed) == (1, 0, 0)
    assert list(calendar.list()) == ["elsewhere.ics"]


class _PickyCalendar(MemoryCalendar):
    """A calendar that refuses one item (as a server refuses data it cannot store)."""

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """Refuse kurs-1."""
        if name.startswith("kurs-1@"):
            raise CalendarError("the server answered 415", href=name, status=415)
        return super().create(name, data)


def test_an_item_the_server_refuses_fails_alone() -> None:
    """One refused item is reported failed; the others are written; the next run tries again."""
    calendar = _PickyCalendar()
    report = sync(catalogue(3), calendar, key=KEY, state=SyncState())
    assert (report.created, report.failed, report.ok) == (2, 1, False)
    (failed,) = [r for r in report.results if r.outcome.value == "failed"]
    assert "415" in failed.reason


def test_refused_sync_token_falls_back_to_a_full_listing() -> None:
    """When the calendar refuses the saved token, the sync lists everything and stays right."""
    calendar = MemoryCalendar()
    state = SyncState()
    sync(catalogue(3), calendar, key=KEY, state=state)
    (item,), _ = calendar.get(["kurs-2@libkurs.ics"])
    calendar.delete(item.href, item.etag)
    calendar.forget_history()
    report = sync(catalogue(3), calendar, key=KEY, state=state)
    assert (report.created, report.unchanged) == (1, 2)


class _DeadServer(MemoryCalendar):
    """A calendar whose every write fails as an unavailable server's does; it takes 4 threads."""

    def __init__(self) -> None:
        super().__init__()
        self.tried = 0

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """Fail after a while, as a server that stays unavailable after every retry."""
        import time

        from libkurs.errors import TransportError

        self.tried += 1
        time.sleep(0.02)  # the other threads meanwhile send theirs
        raise TransportError("PUT answered 503 Service Unavailable", href=name, status=503)

    def workers(self, count: int) -> list[_DeadServer]:
        """This calendar for every thread."""
        return [self] * count


def test_a_concurrent_push_gives_up_on_an_unavailable_server_as_soon_as_a_sequential_one() -> None:
    """Items in a row that fail count across the threads: 4 connections do not try 4 times more."""
    from libkurs.sync._engine import GIVE_UP_AFTER

    calendar = _DeadServer()
    report = sync(catalogue(40), calendar, key=KEY, connections=4)
    assert report.aborted is not None
    assert GIVE_UP_AFTER <= calendar.tried < GIVE_UP_AFTER + 4  # at most the writes in flight
    assert report.failed == calendar.tried
