"""The directory backend's writes: an edit made while libkurs writes is never lost, and files
keep the permissions they had (new ones get the umask's)."""

from __future__ import annotations

import fcntl
import os
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from libkurs.errors import PreconditionFailedError
from libkurs.sync import DirectoryCalendar, sync
from libkurs.sync._directory import LOCK_NAME
from sync.catalogues import catalogue
from sync.helpers import KEY
from sync.test_contract import event

EDIT = event("a@example.org", "Ändrad i khal")


def test_an_edit_landing_while_the_update_is_written_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """khal saves after libkurs checked the etag, while it writes: the update is refused."""
    calendar = DirectoryCalendar(tmp_path)
    href, etag = calendar.create("a.ics", event("a@example.org", "Ett"))
    write = calendar._write_temporary

    def write_then_khal_saves(data: bytes) -> Path:
        temporary = write(data)
        (tmp_path / href).write_bytes(EDIT)
        return temporary

    monkeypatch.setattr(calendar, "_write_temporary", write_then_khal_saves)
    with pytest.raises(PreconditionFailedError):
        calendar.update(href, event("a@example.org", "Två"), etag)
    assert (tmp_path / href).read_bytes() == EDIT
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != LOCK_NAME) == ["a.ics"]


@contextmanager
def holding_the_lock(folder: Path) -> Iterator[None]:
    """Hold the vdir's lock, as another libkurs process writing there would."""
    with (folder / LOCK_NAME).open("a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        yield


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_check_and_write_wait_for_the_lock_and_check_again(tmp_path: Path, operation: str) -> None:
    """While another writer holds the lock and edits, libkurs waits, then sees the edit."""
    calendar = DirectoryCalendar(tmp_path)
    href, etag = calendar.create("a.ics", event("a@example.org", "Ett"))
    outcome: list[str] = []

    def write() -> None:
        try:
            if operation == "update":
                calendar.update(href, event("a@example.org", "Två"), etag)
            else:
                calendar.delete(href, etag)
            outcome.append("written")
        except PreconditionFailedError:
            outcome.append("refused")

    with holding_the_lock(tmp_path):
        thread = threading.Thread(target=write)
        thread.start()
        time.sleep(0.2)
        assert outcome == []  # waiting for the lock
        (tmp_path / href).write_bytes(EDIT)
    thread.join(timeout=10)
    assert outcome == ["refused"]
    assert (tmp_path / href).read_bytes() == EDIT


def test_the_lock_file_is_not_an_item(tmp_path: Path) -> None:
    """.libkurs.lock never shows in a listing, and a sync leaves it out."""
    calendar = DirectoryCalendar(tmp_path)
    href, etag = calendar.create("a.ics", event("a@example.org"))
    calendar.delete(href, etag)
    assert (tmp_path / LOCK_NAME).exists()
    assert calendar.list() == {}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_items_get_the_umask_mode_and_updates_keep_the_mode(tmp_path: Path) -> None:
    """A create gives 0666 less the umask (not 0600); an update keeps what the file had."""
    old = os.umask(0o022)
    try:
        calendar = DirectoryCalendar(tmp_path / "cal")
        sync(catalogue(2), calendar, key=KEY)
        files = sorted((tmp_path / "cal").glob("*.ics"))
        assert [_mode(path) for path in files] == [0o644, 0o644]
        files[0].chmod(0o640)
        files[1].chmod(0o604)
        assert sync(catalogue(2, moved={0, 1}), calendar, key=KEY).updated == 2
        assert [_mode(path) for path in files] == [0o640, 0o604]
        os.umask(0o077)
        calendar.create("private.ics", event("p@example.org"))
        assert _mode(tmp_path / "cal" / "private.ics") == 0o600
    finally:
        os.umask(old)


def test_temporary_files_of_an_interrupted_sync_are_removed_by_the_next_run(
    tmp_path: Path,
) -> None:
    """A stale .libkurs-*.tmp is swept by the next sync; a fresh one (a write now) is kept."""
    folder = tmp_path / "cal"
    folder.mkdir()
    stale = folder / ".libkurs-0123456789abcdef.tmp"
    stale.write_bytes(b"BEGIN:VCALENDAR half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = folder / ".libkurs-fedcba9876543210.tmp"
    fresh.write_bytes(b"being written")
    other = folder / ".someone-else.tmp"
    other.write_bytes(b"not ours")
    os.utime(other, (old, old))
    assert sync(catalogue(2), DirectoryCalendar(folder), key=KEY).created == 2
    assert not stale.exists()
    assert fresh.exists()
    assert other.exists()
