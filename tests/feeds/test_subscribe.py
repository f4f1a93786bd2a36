"""A real calendar client subscribes to a served feed.

vdirsyncer (its read-only ``http`` storage, as a subscribed calendar) reads the feed into a
directory calendar. Its ``http`` storage sends a plain GET on every sync (no validators: read
in its source), so the second, conditional poll that Outlook, Google Calendar and Apple
Calendar make is made here with urllib, and the feed it read is parsed with icalendar.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import icalendar

from feeds.helpers import served
from libkurs.feeds import app

VDIRSYNCER = Path(sys.executable).parent / "vdirsyncer"


def _vdirsyncer(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VDIRSYNCER), "-c", str(config), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        input="y\n",
    )


def test_vdirsyncer_reads_a_served_feed_into_a_directory_calendar(tmp_path, feeds_file):
    """vdirsyncer's http storage syncs the Finnish online feed into a vdir, item by item,
    and a second sync with nothing changed leaves the vdir as it was."""
    local = tmp_path / "kalenteri"
    local.mkdir()
    statuses: list[str] = []
    with served(app(feeds_file), statuses) as port:
        config = tmp_path / "vdirsyncer.conf"
        config.write_text(
            f"""
[general]
status_path = "{tmp_path / "status"}/"

[pair verkossa]
a = "verkossa_feed"
b = "verkossa_local"
collections = null
conflict_resolution = "a wins"

[storage verkossa_feed]
type = "http"
url = "http://127.0.0.1:{port}/verkossa-fi.ics"

[storage verkossa_local]
type = "filesystem"
path = "{local}/"
fileext = ".ics"
""",
            encoding="utf-8",
        )
        found = _vdirsyncer(config, "discover", "verkossa")
        assert found.returncode == 0, found.stdout + found.stderr
        first = _vdirsyncer(config, "sync")
        assert first.returncode == 0, first.stdout + first.stderr
        files = sorted(local.glob("*.ics"))
        before = {path.name: path.read_bytes() for path in files}
        second = _vdirsyncer(config, "sync")
        assert second.returncode == 0, second.stdout + second.stderr
    assert len(files) == 2
    summaries = set()
    for path in files:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        (event,) = calendar.walk("VEVENT")
        summaries.add(str(event["SUMMARY"]))
    assert summaries == {"E-kirjawebinaari", "Suomenkielinen kurssi"}
    assert {path.name: path.read_bytes() for path in sorted(local.glob("*.ics"))} == before
    assert statuses == ["200 OK", "200 OK"]


def _poll(url: str, etag: str | None = None, modified: str | None = None):
    request = urllib.request.Request(url)
    if etag:
        request.add_header("If-None-Match", etag)
    if modified:
        request.add_header("If-Modified-Since", modified)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_subscriber_polling_again_after_no_change_gets_304(feeds_file):
    """A client polling as calendar apps do (ETag and Last-Modified kept from the first
    answer) gets the whole feed once, then 304 with no body while nothing changes."""
    statuses: list[str] = []
    with served(app(feeds_file), statuses) as port:
        url = f"http://127.0.0.1:{port}/alla.ics"
        status, headers, body = _poll(url)
        assert status == 200
        calendar = icalendar.Calendar.from_ical(body)
        assert len(calendar.walk("VEVENT")) == 7
        assert str(calendar["X-PUBLISHED-TTL"]) == "PT60M"
        for _ in range(3):
            again = _poll(url, headers["ETag"], headers["Last-Modified"])
            assert again[0] == 304
            assert again[2] == b""
    assert statuses == ["200 OK"] + ["304 Not Modified"] * 3
