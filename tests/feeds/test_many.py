"""libkurs.sync.sync_many: many calendars at once, each one's failure its own."""

from __future__ import annotations

import os

import pytest

from feeds.helpers import region_catalogue
from libkurs.errors import CalendarError
from libkurs.feeds import FeedFilter, select
from libkurs.sync import Credentials, DirectoryCalendar, Target, sync_many
from sync.servers import USER, make_calendar


def _target(name, calendar, **kw):
    return Target(name=name, catalogue=region_catalogue(), calendar=str(calendar), **kw)


def test_every_target_is_synced_and_a_failing_one_fails_alone(tmp_path):
    """Two good directory targets are synced; a missing directory fails alone, in order."""
    targets = [
        _target("a", tmp_path / "a", create=True, state=tmp_path / "a.json"),
        _target("missing", tmp_path / "nope", state=tmp_path / "nope.json"),
        _target("b", tmp_path / "b", create=True, state=tmp_path / "b.json", language="fi"),
    ]
    seen = []
    results = sync_many(targets, jobs=3, on_result=lambda r: seen.append(r.name))
    assert [r.name for r in results] == ["a", "missing", "b"]
    assert sorted(seen) == ["a", "b", "missing"]
    assert results[0].report.created == 7
    assert results[2].report.created == 7
    assert isinstance(results[1].error, CalendarError)
    assert "no such directory" in str(results[1].error)
    assert not (tmp_path / "nope").exists()
    assert not (tmp_path / "nope.json").exists()
    assert (tmp_path / "a.json").exists()
    assert (tmp_path / "b.json").exists()
    finnish = b"".join(p.read_bytes() for p in (tmp_path / "b").iterdir())
    assert b"E-kirjawebinaari" in finnish
    again = sync_many(targets[::2], jobs=2)
    assert [r.report.unchanged for r in again] == [7, 7]


def test_each_target_gets_its_own_slice(tmp_path):
    """A target with a feed's slice holds only that slice's sessions."""
    online = select(region_catalogue(), FeedFilter(places=("Åbo",)))
    target = Target(
        name="abo",
        catalogue=online,
        calendar=str(tmp_path / "abo"),
        create=True,
        state=tmp_path / "abo.json",
    )
    (result,) = sync_many([target])
    assert result.report.created == 2
    assert len(DirectoryCalendar(tmp_path / "abo").list()) == 2


def test_bad_arguments_are_refused():
    """jobs below 1 and two targets of one name are refused before anything runs."""
    with pytest.raises(ValueError, match="jobs"):
        sync_many([], jobs=0)
    twice = [_target("x", "/nonexistent/x"), _target("x", "/nonexistent/y")]
    with pytest.raises(ValueError, match="name"):
        sync_many(twice)


def test_credentials_come_by_reference_and_never_show(tmp_path, monkeypatch, radicale):
    """A password named by variable logs in; an unset variable fails that target alone and
    names the variable; no password shows in a repr or an error."""
    url = make_calendar(radicale, "many")
    monkeypatch.setenv("KURS_TEST_PASSWORD", "hemligt-123")
    good = _target(
        "good",
        url,
        state=tmp_path / "good.json",
        credentials=Credentials(username=USER, password_variable="KURS_TEST_PASSWORD"),
    )
    unset = _target(
        "unset",
        make_calendar(radicale, "many"),
        state=tmp_path / "unset.json",
        credentials=Credentials(username=USER, password_variable="KURS_UNSET_PASSWORD"),
    )
    first, second = sync_many([good, unset], jobs=2)
    assert first.report.created == 7
    assert first.requests is not None
    assert "KURS_UNSET_PASSWORD" in str(second.error)
    for text in (repr(good), repr(first), repr(second), str(second.error)):
        assert "hemligt-123" not in text


def test_a_netrc_others_can_read_is_refused(tmp_path, monkeypatch, radicale):
    """The .netrc entry of the host is used when it is private, refused when others can read it."""
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password hemligt-456\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    target = _target("n", make_calendar(radicale, "netrc"), state=tmp_path / "n.json")
    (result,) = sync_many([target])
    assert result.error is None
    assert result.report.created == 7
    netrc.chmod(0o644)
    (refused,) = sync_many([target])
    assert "chmod 600" in str(refused.error)
    assert "hemligt-456" not in str(refused.error)
    assert os.environ["NETRC"] == str(netrc)
