"""Fan-out on a real server: 50 calendars on one Radicale, 20 sessions each, from one file."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import libkurs
from libkurs import HELSINKI, Catalogue, Event, LocalizedText, Session
from libkurs.cli import main
from libkurs.sync import CalDAVCalendar
from sync.servers import make_calendar

CALENDARS = 50
SESSIONS = 20


def _catalogue() -> Catalogue:
    start = datetime(2030, 5, 6, 9, tzinfo=HELSINKI)
    sessions = [
        Session(id=f"s{n}", start=start + timedelta(days=n), end=start + timedelta(days=n, hours=2))
        for n in range(SESSIONS)
    ]
    title = LocalizedText({"sv": "Kurs", "fi": "Kurssi"})
    return Catalogue(id="fanout", events=[Event(id="kurs", title=title, sessions=sessions)])


def test_fifty_calendars_are_synced_right_and_a_noop_rerun_is_cheap(
    tmp_path, radicale, capsys, monkeypatch
):
    """``libkurs sync --targets --jobs 4`` fills 50 Radicale calendars with 20 items each,
    every one right; the re-run changes nothing and makes at most 2 requests per calendar."""
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    monkeypatch.setenv("LIBKURS_NO_BACKOFF", "1")
    libkurs.dump(_catalogue(), tmp_path / "catalogue.json")
    urls = [make_calendar(radicale, "fan") for _ in range(CALENDARS)]
    lines = ['catalogue = "catalogue.json"', 'state_dir = "state"']
    lines += ["[[feeds]]", 'name = "alla"', 'language = "fi"']
    for number, url in enumerate(urls):
        lines += ["[[targets]]", f'name = "t{number}"', 'feed = "alla"', f'calendar = "{url}"']
    config = tmp_path / "targets.toml"
    config.write_text("\n".join(lines) + "\n")

    began = time.perf_counter()
    assert main(["sync", "--targets", str(config), "--jobs", "4", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["targets"]
    elapsed = time.perf_counter() - began
    assert elapsed < 300
    assert sorted(first) == sorted(f"t{n}" for n in range(CALENDARS))
    assert all(member["created"] == SESSIONS for member in first.values())
    for url in urls:
        with CalDAVCalendar(url) as calendar:
            items, missing = calendar.get(list(calendar.list()))
        assert not missing
        assert len(items) == SESSIONS
        assert all(b"SUMMARY;LANGUAGE=fi:Kurssi" in item.data for item in items)

    assert main(["sync", "--targets", str(config), "--jobs", "4", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)["targets"]
    assert all(member["unchanged"] == SESSIONS for member in again.values())
    assert max(member["requests"] for member in again.values()) <= 2
