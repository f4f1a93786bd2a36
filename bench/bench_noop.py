"""Benchmark a no-op re-sync: the ``libkurs sync`` command against ``vdirsyncer sync``.

Run: ``python bench/bench_noop.py`` (500 sessions, 5 rounds). It starts a throwaway Radicale on
a free port of 127.0.0.1, writes a catalogue of ``--sessions`` sessions to a JSON file, pushes
it into a new calendar once with ``libkurs sync CATALOGUE URL --state FILE``, and points
vdirsyncer at the same calendar (a ``caldav`` storage, a ``filesystem`` storage, ``vdirsyncer
discover`` and a first ``vdirsyncer sync`` that copies the items down), so that both are in
step. Then, in interleaved rounds, it runs the no-op re-sync of each as a whole new process and
prints:

- the median client CPU (user + system of the child process, from ``RUSAGE_CHILDREN``) of
  ``libkurs sync`` with its state file and of ``vdirsyncer sync``, the HTTP requests each sent
  (counted in Radicale's log, by method) and the ratio; the target of issue 15 is at most 1.
  Without vdirsyncer (or with ``--without-vdirsyncer``) the other process is a Python script
  that sends one raw ``PROPFIND`` listing of hrefs and etags and parses it;
- as extra information, the in-process numbers of ``bench/bench_sync.py``: ``libkurs.sync.sync``
  called in this process against one raw ``PROPFIND`` listing parsed.

Both commands run from a bytecode cache (``PYTHONPYCACHEPREFIX`` in a temporary folder, filled
by an untimed round first), as they would when installed: where ``PYTHONDONTWRITEBYTECODE`` is
set and libkurs runs from a source tree, every run would otherwise compile libkurs again
(about 0.1 s), which an installed vdirsyncer never does. ``--sessions`` and ``--rounds`` make it
small enough for the smoke test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from resource import RUSAGE_CHILDREN, getrusage
from typing import NamedTuple
from urllib.parse import urlsplit

import libkurs

sys.path.insert(0, str(Path(__file__).parent))
from bench_sync import (  # the sync benchmark's catalogue, calendars and in-process numbers
    KEY,
    make_calendar,
    make_catalogue,
    noop_cpu,
    radicale,
    raw_listing_cpu,
)

USER = "bench"
PASSWORD = "bench"  # Radicale runs with auth=none here
CLI = "import sys; from libkurs.cli import main; sys.exit(main())"  # the console script
RAW_LISTING = """\
import base64, http.client, sys, xml.etree.ElementTree as ET
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
token = base64.b64encode(b"bench:bench").decode()
body = (b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
        b"<D:resourcetype/><D:getetag/></D:prop></D:propfind>")
headers = {"Authorization": "Basic " + token, "Depth": "1", "Content-Type": "application/xml"}
connection.request("PROPFIND", url.path, body=body, headers=headers)
tree = ET.fromstring(connection.getresponse().read())
etags = {r.findtext("{DAV:}href"): r.findtext(".//{DAV:}getetag")
         for r in tree.iter("{DAV:}response")}
print(len(etags) - 1, "items")
"""
#: What vdirsyncer prints when it writes: a no-op prints none of it.
WRITES = ("Copying", "Updating", "Deleting")
_REQUEST = re.compile(r"\] (\w+) request for '")


def find_vdirsyncer() -> str | None:
    """The ``vdirsyncer`` command beside this Python, else on the PATH; None if missing."""
    beside = Path(sys.executable).parent / "vdirsyncer"
    return str(beside) if beside.is_file() else shutil.which("vdirsyncer")


def vdirsyncer_config(folder: Path, url: str) -> Path:
    """A vdirsyncer configuration pairing the calendar at *url* with a vdir in *folder*."""
    (folder / "vdir").mkdir()
    config = folder / "vdirsyncer.conf"
    config.write_text(
        f"""\
[general]
status_path = "{folder / "status"}/"

[pair noop]
a = "local"
b = "remote"
collections = null
conflict_resolution = "a wins"

[storage local]
type = "filesystem"
path = "{folder / "vdir"}/"
fileext = ".ics"

[storage remote]
type = "caldav"
url = "{url}"
username = "{USER}"
password = "{PASSWORD}"
""",
        encoding="utf-8",
    )
    return config


class Runner:
    """Runs child processes, measuring each one's CPU and the requests Radicale logged for it."""

    def __init__(self, log: Path, env: dict[str, str]) -> None:
        self.log = log
        self.env = env

    def run(
        self, argv: list[str], expect: str, forbid: tuple[str, ...] = ()
    ) -> tuple[float, Counter[str]]:
        """Run *argv*; its CPU seconds (user + system) and the requests it sent, by method.

        The run must exit 0 and print *expect*, and none of *forbid* (standard output and
        error together).
        """
        offset = self.log.stat().st_size
        before = getrusage(RUSAGE_CHILDREN)
        done = subprocess.run(
            argv,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        after = getrusage(RUSAGE_CHILDREN)
        output = done.stdout + done.stderr
        if done.returncode != 0 or expect not in output or any(w in output for w in forbid):
            raise RuntimeError(f"{argv[-3:]} exited {done.returncode}:\n{output[-2000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return cpu, self.requests_since(offset)

    def requests_since(self, offset: int) -> Counter[str]:
        """The requests Radicale logged after *offset* of its log, by method."""
        time.sleep(0.05)  # Radicale logs a request as it reads it, before answering: done by now
        with self.log.open("rb") as log:
            log.seek(offset)
            text = log.read().decode("utf-8", "replace")
        return Counter(_REQUEST.findall(text))


def _requests(counted: Counter[str]) -> str:
    total = sum(counted.values())
    methods = ", ".join(f"{count} {method}" for method, count in sorted(counted.items()))
    return f"{total} request{'' if total == 1 else 's'}" + (f": {methods}" if total else "")


def _child_env(folder: Path) -> dict[str, str]:
    """The environment of the timed children: this libkurs, a bytecode cache, no back-off."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    source = str(Path(libkurs.__file__).parents[1])  # the libkurs this process runs
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    env["LIBKURS_PASSWORD"] = PASSWORD
    env["LIBKURS_NO_BACKOFF"] = "1"
    env["XDG_STATE_HOME"] = str(folder / "state-home")
    return env


class Other(NamedTuple):
    """What libkurs is compared with: its name, its command, what its no-op prints."""

    name: str
    command: list[str]
    expect: str
    set_up: str  # what its set-up did, for the report


def _other(vdirsyncer: str | None, runner: Runner, folder: Path, url: str, sessions: int) -> Other:
    """Set vdirsyncer up in step with the calendar, or else the raw listing: what to time."""
    if vdirsyncer is None:
        command = [sys.executable, "-c", RAW_LISTING, url]
        return Other("a raw PROPFIND listing process", command, f"{sessions} items", "")
    config = vdirsyncer_config(folder, url)
    runner.run([vdirsyncer, "--config", str(config), "discover"], "noop")
    command = [vdirsyncer, "--config", str(config), "sync"]
    _, copied = runner.run(command, f"Copying (uploading) item s{sessions - 1}@")
    return Other("vdirsyncer", command, "Syncing noop", f"; vdirsyncer copied them down "
                 f"({_requests(copied)})")  # fmt: skip


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark; print and return its numbers."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5, help="timed no-op runs of each")
    parser.add_argument(
        "--without-vdirsyncer",
        action="store_true",
        help="compare with a raw PROPFIND listing process even if vdirsyncer is installed",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.sessions < 1:
        parser.error("--sessions and --rounds must be at least 1")
    vdirsyncer = None if args.without_vdirsyncer else find_vdirsyncer()
    catalogue = make_catalogue(args.sessions)
    root = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="libkurs-bench-noop-", dir=root))
    times: dict[str, list[float]] = {"libkurs": [], "other": [], "in_process": [], "listing": []}
    requests: dict[str, Counter[str]] = {}
    try:
        log = folder / "radicale.log"
        with radicale(log) as port:
            runner = Runner(log, _child_env(folder))
            catalogue_file = folder / "catalogue.json"
            libkurs.dump(catalogue, catalogue_file)
            url = make_calendar(port, "noop")
            state = folder / "state.json"
            ours = [sys.executable, "-c", CLI, "sync", str(catalogue_file), url,
                    "--state", str(state), "--username", USER, "--key", KEY]  # fmt: skip
            _, pushed = runner.run(ours, f"{args.sessions} created")
            other = _other(vdirsyncer, runner, folder, url, args.sessions)
            for turn in range(args.rounds + 1):  # the first round fills the bytecode cache
                cpu, requests["libkurs"] = runner.run(ours, f"{args.sessions} unchanged")
                times["libkurs"] += [cpu] if turn else []
                cpu, requests["other"] = runner.run(other.command, other.expect, forbid=WRITES)
                times["other"] += [cpu] if turn else []
            noop_cpu(url, catalogue, state)  # untimed: imports the HTTP client, as a push would
            for _ in range(args.rounds):  # interleaved, as bench_sync does
                times["in_process"].append(noop_cpu(url, catalogue, state)[0])
                times["listing"].append(raw_listing_cpu(port, urlsplit(url).path))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    numbers = {f"{name}_cpu_s": statistics.median(values) for name, values in times.items()}
    numbers["ratio"] = numbers["libkurs_cpu_s"] / numbers["other_cpu_s"]
    numbers["in_process_ratio"] = numbers["in_process_cpu_s"] / numbers["listing_cpu_s"]
    numbers["libkurs_requests"] = sum(requests["libkurs"].values())
    numbers["other_requests"] = sum(requests["other"].values())
    print(f"set-up: libkurs sync pushed {args.sessions} sessions ({_requests(pushed)})"
          f"{other.set_up}")  # fmt: skip
    print(f"no-op re-sync of {args.sessions} with state, whole process CPU (median of "
          f"{args.rounds}): libkurs {numbers['libkurs_cpu_s']:.2f} s "
          f"({_requests(requests['libkurs'])}), {other.name} {numbers['other_cpu_s']:.2f} s "
          f"({_requests(requests['other'])}), ratio {numbers['ratio']:.2f} "
          "(target <= 1)")  # fmt: skip
    print(f"extra, in-process (not the target): libkurs.sync.sync() no-op "
          f"{numbers['in_process_cpu_s'] * 1000:.0f} ms CPU, a raw PROPFIND listing parsed "
          f"{numbers['listing_cpu_s'] * 1000:.0f} ms, ratio "
          f"{numbers['in_process_ratio']:.1f}")  # fmt: skip
    return numbers


if __name__ == "__main__":
    main()
