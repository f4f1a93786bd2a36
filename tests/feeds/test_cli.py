"""The commands: ``libkurs serve``, ``libkurs publish`` and ``libkurs sync --targets``."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from libkurs.cli import main

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "feeds.toml"
LIBKURS = [sys.executable, "-m", "libkurs"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_serve_runs_the_example_on_loopback(tmp_path):
    """``libkurs serve examples/feeds.toml --port N``, from another folder, serves the index
    and the Finnish feed on 127.0.0.1, and stops on SIGTERM."""
    port = _free_port()
    process = subprocess.Popen(
        [*LIBKURS, "serve", str(EXAMPLE), "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, page = _get(port, "/")
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert status == 200
        assert f"webcal://127.0.0.1:{port}/verkossa-fi.ics".encode() in page
        status, feed = _get(port, "/verkossa-fi.ics")
        assert status == 200
        assert b"NAME;LANGUAGE=fi:Verkkokoulutukset" in feed
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert f"on http://127.0.0.1:{port}/" in output


def test_serve_with_a_broken_feeds_file_says_one_line(tmp_path, capsys):
    """A wrong feeds file ends serve at once with one line naming the place, status 1."""
    config = tmp_path / "feeds.toml"
    config.write_text('catalogue = "c.json"\n[[feeds]]\nname = "a"\nlanguage = 7\n')
    assert main(["serve", str(config), "--port", "1"]) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0
    assert "feeds[0].language" in err


def test_publish_writes_the_example_feeds(tmp_path, capsys):
    """``libkurs publish examples/feeds.toml OUTDIR`` writes three feeds in two formats and
    the index page."""
    assert main(["publish", str(EXAMPLE), str(tmp_path / "out")]) == 0
    assert "7 files written" in capsys.readouterr().out
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == [
        "alla.ics", "alla.jsonld", "index.html", "seminarier.ics", "seminarier.jsonld",
        "verkossa-fi.ics", "verkossa-fi.jsonld",
    ]  # fmt: skip


def _example_copy(folder: Path) -> Path:
    shutil.copy(ROOT / "examples" / "catalogue.json", folder / "catalogue.json")
    shutil.copy(EXAMPLE, folder / "feeds.toml")
    return folder / "feeds.toml"


def test_sync_targets_prints_a_line_per_target_and_a_json_member_each(tmp_path, capsys):
    """The example's directory target is synced; the re-run is in step; --json has a member
    per target and the exit code."""
    config = _example_copy(tmp_path)
    assert main(["sync", "--targets", str(config)]) == 0
    assert capsys.readouterr().out == "bibliotek-lokal: 3 created, 0 unchanged\n"
    assert len(list((tmp_path / "calendars" / "bibliotek-lokal").glob("*.ics"))) == 3
    assert (tmp_path / "state" / "bibliotek-lokal.json").exists()
    assert main(["sync", "--targets", str(config), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["exit_code"] == 0
    assert report["targets"]["bibliotek-lokal"]["unchanged"] == 3
    assert report["targets"]["bibliotek-lokal"]["exit_code"] == 0


def test_sync_targets_exits_with_the_worst_targets_code(tmp_path, capsys):
    """One target in step and one whose directory is missing: status 6 (the calendar failed),
    one line each."""
    config = _example_copy(tmp_path)
    text = config.read_text() + (
        '\n[[targets]]\nname = "borta"\nfeed = "seminarier"\ncalendar = "no/such/folder"\n'
    )
    config.write_text(text)
    assert main(["sync", "--targets", str(config), "--jobs", "2"]) == 6
    lines = sorted(capsys.readouterr().out.splitlines())
    assert lines[0] == "bibliotek-lokal: 3 created, 0 unchanged"
    assert lines[1].startswith("borta: error: ")
    assert "no such directory" in lines[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sync", "--targets", "missing.toml"], "missing.toml"),
        (["sync", "--targets", "{config}", "cat.json"], "CATALOGUE"),
        (["sync", "--targets", "{config}", "--jobs", "0"], "--jobs"),
        (["sync", "--targets", "{config}", "--shard", "3/2"], "shard"),
        (["sync"], "--targets"),
    ],
)
def test_sync_targets_refuses_bad_input_with_one_line(tmp_path, capsys, args, message):
    """A wrong --targets command line ends with status 2 and one line saying what is wrong."""
    config = _example_copy(tmp_path)
    args = [arg.replace("{config}", str(config)) for arg in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err


def _shard_config(folder: Path, count: int) -> Path:
    shutil.copy(ROOT / "examples" / "catalogue.json", folder / "catalogue.json")
    lines = ['catalogue = "catalogue.json"', 'state_dir = "state"']
    lines += ["[[feeds]]", 'name = "alla"', 'language = "sv"']
    for number in range(count):
        lines += [
            "[[targets]]",
            f'name = "bibliotek-{number}"',
            'feed = "alla"',
            f'calendar = "calendars/bibliotek-{number}"',
            "create = true",
        ]
    path = folder / "targets.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _run_shard(config: Path, shard: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*LIBKURS, "sync", "--targets", str(config), "--shard", shard, "--jobs", "2", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_two_processes_with_disjoint_shards_never_touch_each_others_targets(tmp_path):
    """Shard 1/2 alone writes only its own calendars and state files; then 1/2 and 2/2 run at
    once, share nothing, and together sync every target of the file."""
    config = _shard_config(tmp_path, 12)
    everyone = {f"bibliotek-{n}" for n in range(12)}
    alone = _run_shard(config, "1/2")
    out, err = alone.communicate(timeout=120)
    assert alone.returncode == 0, err.decode()
    first = set(json.loads(out)["targets"])
    assert first
    assert first < everyone
    assert {p.name for p in (tmp_path / "calendars").iterdir()} == first
    assert {p.stem for p in (tmp_path / "state").glob("*.json")} == first
    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "calendars").rglob("*.ics")}

    both = [_run_shard(config, "1/2"), _run_shard(config, "2/2")]
    reports = []
    for process in both:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
        reports.append(json.loads(out)["targets"])
    assert set(reports[0]) == first
    assert set(reports[0]).isdisjoint(reports[1])
    assert set(reports[0]) | set(reports[1]) == everyone
    assert all(member["unchanged"] == 3 for member in reports[0].values())
    assert all(member["created"] == 3 for member in reports[1].values())
    assert {p.stem for p in (tmp_path / "state").glob("*.json")} == everyone
    # shard 1's calendars were read by their own process again, and written by nobody
    assert {p: p.stat().st_mtime_ns for p in written} == written


def test_sync_targets_dry_run_writes_nothing(tmp_path, capsys):
    """--dry-run says what each target would get and makes no calendar and no state file."""
    config = _example_copy(tmp_path)
    assert main(["sync", "--targets", str(config), "--dry-run"]) == 0
    assert capsys.readouterr().out == "bibliotek-lokal: would be: 3 created, 0 unchanged\n"
    assert not (tmp_path / "calendars").exists()
    assert not (tmp_path / "state").exists()
