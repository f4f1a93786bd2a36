"""What the memory and directory backends do beyond the contract: files, races, token expiry."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

import libkurs.sync
from libkurs.errors import ItemNotFoundError, PreconditionFailedError
from libkurs.sync import DirectoryCalendar, Item, MemoryCalendar
from sync.test_contract import event


def test_public_names_are_pinned() -> None:
    """libkurs.sync exports exactly these names, in sorted order."""
    assert libkurs.sync.__all__ == sorted(libkurs.sync.__all__)
    assert libkurs.sync.__all__ == [
        "Action",
        "CalDAVCalendar",
        "Calendar",
        "Changes",
        "ConflictError",
        "ConflictPolicy",
        "Credentials",
        "DEFAULT_CONNECTIONS",
        "DirectoryCalendar",
        "Entry",
        "HASH_PROPERTY",
        "InsecureConnectionWarning",
        "Item",
        "MARKER_PROPERTY",
        "MAX_CONNECTIONS",
        "MemoryCalendar",
        "NO_BACKOFF_VARIABLE",
        "Outcome",
        "Plan",
        "Report",
        "Result",
        "RetryPolicy",
        "Step",
        "SyncState",
        "Target",
        "TargetResult",
        "UnsafeNameError",
        "check_name",
        "content_hash",
        "default_key",
        "default_state_path",
        "href_for",
        "plan",
        "pull",
        "read_entry",
        "sync",
        "sync_many",
    ]


def test_importing_sync_does_not_import_caldav() -> None:
    """caldav is loaded only when a CalDAV calendar first talks to its server."""
    code = "import sys, libkurs.sync; print('caldav' in sys.modules, 'niquests' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_item_repr_shows_the_size_not_the_content() -> None:
    """An item's repr names its href and etag but not its (possibly private) bytes."""
    item = Item(href="a.ics", etag='"1"', data=b"SECRET JOIN LINK")
    assert "SECRET" not in repr(item)
    assert "16 bytes" in repr(item)


def test_memory_tokens_expire_with_forget_history() -> None:
    """After forget_history, an old token is refused and a complete listing comes back."""
    calendar = MemoryCalendar({"a.ics": event("a@example.org")})
    old = calendar.changes(None)
    calendar.forget_history()
    again = calendar.changes(old.token)
    assert again.complete
    assert list(again.changed) == ["a.ics"]


def test_memory_tokens_of_another_calendar_are_refused() -> None:
    """A token from one memory calendar means nothing to another."""
    token = MemoryCalendar().changes(None).token
    assert MemoryCalendar().changes(token).complete


def test_directory_is_a_vdir(tmp_path: Path) -> None:
    """One .ics file per item, named by its href, holding exactly the bytes written."""
    calendar = DirectoryCalendar(tmp_path)
    data = event("a@example.org", "Bibliotekspedagogik")
    calendar.create("a.ics", data)
    assert (tmp_path / "a.ics").read_bytes() == data
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.ics"]  # no temporary files


def test_directory_ignores_other_files(tmp_path: Path) -> None:
    """Hidden files, other suffixes and subdirectories are not items."""
    (tmp_path / ".a.ics").write_bytes(b"x")
    (tmp_path / "notes.txt").write_bytes(b"x")
    (tmp_path / "sub.ics").mkdir()
    (tmp_path / "real.ics").write_bytes(event("r@example.org"))
    assert list(DirectoryCalendar(tmp_path).list()) == ["real.ics"]


def test_directory_sees_a_change_made_by_another_program(tmp_path: Path) -> None:
    """An edit in place, even of the same size, changes the etag: it is a content hash."""
    calendar = DirectoryCalendar(tmp_path)
    href, etag = calendar.create("a.ics", event("a@example.org", "Ett"))
    (tmp_path / href).write_bytes(event("a@example.org", "Två"))
    assert calendar.list()[href] != etag
    with pytest.raises(PreconditionFailedError):
        calendar.update(href, event("a@example.org", "Tre"), etag)


def test_directory_refuses_hrefs_outside_itself(tmp_path: Path) -> None:
    """update, delete and get never reach a file outside the directory."""
    outside = tmp_path / "outside.ics"
    outside.write_bytes(b"keep me")
    calendar = DirectoryCalendar(tmp_path / "vdir")
    etag = DirectoryCalendar(tmp_path).list()["outside.ics"]
    for href in ("../outside.ics", str(outside)):
        with pytest.raises(ItemNotFoundError):
            calendar.delete(href, etag)
        with pytest.raises(ItemNotFoundError):
            calendar.update(href, b"overwritten", etag)
        assert calendar.get([href]) == ([], {href})
    assert outside.read_bytes() == b"keep me"


def test_a_missing_directory_is_an_empty_calendar(tmp_path: Path) -> None:
    """Listing a directory that does not exist yet gives nothing; the first create makes it."""
    calendar = DirectoryCalendar(tmp_path / "not" / "yet")
    assert calendar.list() == {}
    calendar.create("a.ics", event("a@example.org"))
    assert list(calendar.list()) == ["a.ics"]


def test_concurrent_creates_of_one_name_let_exactly_one_win(tmp_path: Path) -> None:
    """Eight threads create the same name at once: one succeeds, seven are refused."""
    calendar = DirectoryCalendar(tmp_path)
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def create(n: int) -> None:
        start.wait()
        try:
            calendar.create("same.ics", event(f"writer-{n}@example.org"))
            outcomes.append("created")
        except PreconditionFailedError:
            outcomes.append("refused")

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["refused"] * 7
    assert [path.name for path in tmp_path.iterdir()] == ["same.ics"]
