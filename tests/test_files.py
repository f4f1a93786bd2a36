"""Atomic file replacement: all or nothing, permissions kept, links followed."""

import os
import stat

import pytest

from libkurs._files import replace_atomically


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_an_existing_file_keeps_its_permissions(tmp_path):
    """A catalogue shared with a group stays readable by it after a save."""
    path = tmp_path / "c.json"
    path.write_text("old")
    path.chmod(0o644)
    replace_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    assert mode(path) == 0o644


def test_a_new_file_gets_what_the_umask_allows(tmp_path):
    """A new file is created as open() would create it."""
    old = os.umask(0o022)
    try:
        replace_atomically(tmp_path / "new.json", b"x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.json") == 0o644


def test_private_files_are_for_their_owner_only(tmp_path):
    """private=True (personal data) gives mode 0600 whatever was there."""
    path = tmp_path / "register.json"
    path.write_text("old")
    path.chmod(0o644)
    replace_atomically(path, b"new", private=True)
    assert mode(path) == 0o600


def test_a_symbolic_link_is_followed(tmp_path):
    """Writing through a link replaces its target and keeps the link."""
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    replace_atomically(link, b"new")
    assert link.is_symlink()
    assert target.read_bytes() == b"new"


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path):
    """If writing fails, the old file is as it was and no temporary file is left."""
    path = tmp_path / "c.json"
    path.write_text("old")
    with pytest.raises(TypeError):
        replace_atomically(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]
