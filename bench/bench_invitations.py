"""Benchmark ``libkurs.invitations.deliver`` against a loopback SMTP server.

Run: ``python bench/bench_invitations.py`` (1,000 invitations). It starts a throwaway aiosmtpd
server (``python -m aiosmtpd -c aiosmtpd.handlers.Sink``, in a process of its own) on a free
port of 127.0.0.1, enrols ``--invitations`` participants in a one-session course with as many
places, and delivers one invitation to each over one SMTP connection, with the journal on disk
(one flushed line per accepted message). It prints the time, the messages a second (target: at
least 100) and the process's peak resident set size (``ru_maxrss``) beside its size before the
delivery (Python, libkurs and the register loaded), then times the no-op second run, which
sends nothing.
"""

from __future__ import annotations

import argparse
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from libkurs import (
    HELSINKI,
    Catalogue,
    EnrolmentSettings,
    Event,
    LocalizedText,
    Location,
    Organisation,
    Session,
    Venue,
)
from libkurs.enrolment import Enrolment, EnrolmentStatus, Participant, Register, StatusChange
from libkurs.invitations import Journal, SMTPTransport, deliver

NOW = datetime(2023, 1, 10, 9, tzinfo=HELSINKI)
SENDER = "kurs@avi.example.fi"
TARGET_RATE = 100.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[str]:
    """An aiosmtpd server that accepts and drops every message; yields its smtp:// URL."""
    port = _free_port()
    command = [
        sys.executable,
        *("-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"),
        *("-l", f"127.0.0.1:{port}"),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the SMTP server did not start") from None
                time.sleep(0.05)
        yield f"smtp://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def course(places: int) -> Catalogue:
    start = datetime(2023, 2, 1, 10, tzinfo=HELSINKI)
    event = Event(
        id="kurs",
        title=LocalizedText({"sv": "Kurs i katalogisering", "fi": "Luetteloinnin kurssi"}),
        sessions=[Session(id="kurs-1", start=start, end=start + timedelta(hours=2))],
        enrolment=EnrolmentSettings(capacity=places),
        organisers=["avi"],
        location=Location(venue="sal"),
    )
    return Catalogue(
        events=[event],
        organisations=[Organisation(id="avi", name=LocalizedText({"sv": "RFV", "fi": "AVI"}))],
        venues=[Venue(id="sal", name=LocalizedText({"sv": "Stora salen"}))],
    )


def register_of(count: int) -> Register:
    """*count* participants, each confirmed in ``kurs`` (built directly: enrolling is not timed)."""
    languages = ("sv", "fi", "en")
    people = [
        Participant(
            id=f"p{n}",
            name=f"Deltagare {n}",
            email=f"p{n}@bibliotek.example.fi",
            language=languages[n % 3],
        )
        for n in range(1, count + 1)
    ]
    confirmed = [StatusChange(status=EnrolmentStatus.CONFIRMED, at=NOW)]
    enrolments = [
        Enrolment(id=f"e{n}", participant=f"p{n}", target="kurs", history=confirmed)
        for n in range(1, count + 1)
    ]
    return Register(participants=people, enrolments=enrolments)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=1000)
    args = parser.parse_args(argv)
    count = args.invitations
    catalogue = course(count)
    register = register_of(count)
    with tempfile.TemporaryDirectory() as folder, smtp_server() as url:
        journal = Journal(Path(folder) / "journal.json")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        began = time.perf_counter()
        report = deliver(register, catalogue, journal, SMTPTransport(url), sender=SENDER, now=NOW)
        seconds = time.perf_counter() - began
        assert report.sent == count, report.to_dict()["messages"][:3]
        began = time.perf_counter()
        again = deliver(
            register,
            catalogue,
            Journal(Path(folder) / "journal.json"),
            SMTPTransport(url),
            sender=SENDER,
            now=NOW,
        )
        noop = time.perf_counter() - began
        assert again.sent == 0
    rate = count / seconds
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{count} invitations to a loopback SMTP server: {seconds:.2f} s, {rate:.0f} messages/s "
        f"(target at least {TARGET_RATE:.0f}: {'met' if rate >= TARGET_RATE else 'NOT met'})"
    )
    print(f"peak RSS of this process: {rss:.1f} MiB ({before:.1f} MiB before the delivery)")
    print(f"second run, nothing to send: {noop:.2f} s, {again.sent} sent")
    return {
        "seconds": seconds,
        "rate": rate,
        "rss_before_mib": before,
        "rss_mib": rss,
        "noop_seconds": noop,
    }


if __name__ == "__main__":
    main()
