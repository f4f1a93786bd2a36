"""Benchmark the feeds: many subscribers polling one feed, and one catalogue into many calendars.

Load: ``libkurs serve`` (waitress, in its own process) serves a feed of --sessions sessions on
127.0.0.1; --clients threads, each on its own keep-alive connection, fetch it once and then poll
it with the ETag they got, as calendar apps do, until --requests requests are answered. Printed:
requests per second, p50 and p99 latency, the share of polls answered 304 (all of them, since
nothing changes), and the server's resident memory after a tenth of the requests and at the
end (flat: the feed is rendered once, not per request).

Fan-out: --calendars calendars on one Radicale, --calendar-sessions sessions each, synced with
``libkurs.sync.sync_many`` at --jobs 1 and at --jobs N (fresh calendars each), every calendar
checked; then a no-op re-run of all of them, counting each calendar's HTTP requests.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import libkurs
from libkurs import HELSINKI, Catalogue, Event, LocalizedText, Session
from libkurs.sync import CalDAVCalendar, Target, sync_many

sys.path.insert(0, str(Path(__file__).parent))
from bench_sync import free_port, make_calendar, radicale, wait_for


def feed_catalogue(sessions: int) -> Catalogue:
    """*sessions* sessions, ten per event, with Swedish and Finnish titles."""
    start = datetime(2030, 1, 7, 9, tzinfo=HELSINKI)
    events = []
    for number in range((sessions + 9) // 10):
        items = []
        for index in range(min(10, sessions - number * 10)):
            serial = number * 10 + index
            begin = start + timedelta(days=serial % 700, hours=serial % 3)
            items.append(Session(id=f"s{serial}", start=begin, end=begin + timedelta(hours=2)))
        events.append(
            Event(
                id=f"e{number}",
                title=LocalizedText({"sv": f"Kurs {number}", "fi": f"Kurssi {number}"}),
                description=LocalizedText({"sv": "Välkommen! " * 20}),
                sessions=items,
            )
        )
    return Catalogue(id="bench", name=LocalizedText({"sv": "Kurser"}), events=events)


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(sessions: int, clients: int, requests: int) -> dict[str, float]:
    """Poll a served feed of *sessions* sessions with *clients* clients, *requests* in all."""
    with tempfile.TemporaryDirectory() as folder:
        libkurs.dump(feed_catalogue(sessions), Path(folder) / "catalogue.json")
        config = Path(folder) / "feeds.toml"
        config.write_text(
            'catalogue = "catalogue.json"\n[[feeds]]\nname = "alla"\nlanguage = "fi"\n'
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "libkurs", "serve", str(config), "--port", str(port),
             "--connections", str(clients + 50)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for(port, server, "libkurs serve", seconds=30)
            return _poll_all(port, server.pid, clients, requests)
        finally:
            server.terminate()
            server.wait(timeout=20)


def _poll_all(port: int, pid: int, clients: int, requests: int) -> dict[str, float]:
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: list[int] = []
    sizes: list[int] = []
    rss: dict[str, float] = {}
    tenth = max(1, requests // 10)
    start = threading.Barrier(clients + 1)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        etag = None
        start.wait()
        while True:
            with lock:
                if len(latencies) >= requests:
                    break
            headers = {"If-None-Match": etag} if etag else {}
            began = time.perf_counter()
            connection.request("GET", "/alla.ics", headers=headers)
            answer = connection.getresponse()
            body = answer.read()
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                statuses.append(answer.status if etag else 0)
                if etag is None:
                    sizes.append(len(body))
                if len(latencies) == tenth:
                    rss["early"] = _rss_mib(pid)
            etag = etag or answer.getheader("ETag")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    rss["end"] = _rss_mib(pid)
    polls = [status for status in statuses if status]
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
        "share_304": sum(1 for s in polls if s == 304) / len(polls) if polls else 0.0,
        "feed_bytes": max(sizes),
        "rss_early_mib": rss.get("early", float("nan")),
        "rss_end_mib": rss["end"],
    }


def fanout(calendars: int, sessions: int, jobs: int) -> dict[str, float]:
    """Sync *calendars* calendars on one Radicale at --jobs 1 and *jobs*; then a no-op re-run."""
    os.environ.setdefault("LIBKURS_NO_BACKOFF", "1")
    catalogue = feed_catalogue(sessions)
    results: dict[str, float] = {}
    with radicale() as port, tempfile.TemporaryDirectory() as folder:
        make_calendar(port, "warm-up")
        for count in (1, jobs):
            targets = [
                Target(
                    name=f"j{count}-{n}",
                    catalogue=catalogue,
                    calendar=make_calendar(port, f"j{count}-{n}"),
                    state=Path(folder) / f"j{count}-{n}.json",
                    language="fi",
                )
                for n in range(calendars)
            ]
            began = time.perf_counter()
            done = sync_many(targets, jobs=count)
            results[f"seconds_jobs_{count}"] = time.perf_counter() - began
            assert all(r.error is None and r.report.created == sessions for r in done), done
            for target in targets:
                with CalDAVCalendar(str(target.calendar), username="bench", password="b") as cal:
                    assert len(cal.list()) == sessions, target.name
        again = sync_many(targets, jobs=jobs)
        assert all(r.report.unchanged == sessions for r in again)
        results["noop_max_requests"] = max(r.requests or 0 for r in again)
        results["noop_seconds"] = sum(r.seconds for r in again)
    results["ratio"] = results["seconds_jobs_1"] / results[f"seconds_jobs_{jobs}"]
    return results


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run both benchmarks; print and return their numbers."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--calendars", type=int, default=50)
    parser.add_argument("--calendar-sessions", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=4)
    args = parser.parse_args(argv)
    numbers = load(args.sessions, args.clients, args.requests)
    print(
        f"load: {args.clients} clients polling a {args.sessions}-session feed "
        f"({numbers['feed_bytes'] / 1024:.0f} KiB): {numbers['requests']:.0f} requests, "
        f"{numbers['rps']:.0f} requests/s, p50 {numbers['p50_ms']:.1f} ms, "
        f"p99 {numbers['p99_ms']:.1f} ms, 304 share of polls {numbers['share_304']:.3f}"
    )
    print(
        f"server memory: {numbers['rss_early_mib']:.1f} MiB after {args.requests // 10} "
        f"requests, {numbers['rss_end_mib']:.1f} MiB after {numbers['requests']:.0f}"
    )
    fan = fanout(args.calendars, args.calendar_sessions, args.jobs)
    print(
        f"fan-out: {args.calendars} calendars x {args.calendar_sessions} sessions on Radicale: "
        f"--jobs 1 {fan['seconds_jobs_1']:.2f} s, --jobs {args.jobs} "
        f"{fan[f'seconds_jobs_{args.jobs}']:.2f} s, ratio {fan['ratio']:.2f}; no-op re-run "
        f"at most {fan['noop_max_requests']:.0f} requests per calendar (target <= 2)"
    )
    return {**numbers, **{f"fanout_{k}": v for k, v in fan.items()}}


if __name__ == "__main__":
    main()
