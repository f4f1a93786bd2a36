"""Benchmark the iCalendar format against plain icalendar, and check that it scales linearly.

Run: ``python bench/bench_ics.py`` (5,000 sessions). It prints, for a generated calendar:

- export: ``libkurs.dumps(catalogue, "ics")`` against ``icalendar.Calendar.to_ical()`` of the
  same file (already parsed), as a ratio; the target is at most 1.3;
- import: ``libkurs.loads(text, "ics")`` against ``icalendar.Calendar.from_ical(text)``;
- linearity: ten times the sessions should cost at most eleven times the time.

``--sessions`` and ``--repeat`` make it small enough for the smoke test in tests/.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import icalendar

import libkurs
from libkurs import (
    HELSINKI,
    AgendaItem,
    Catalogue,
    Event,
    EventKind,
    Geo,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    Person,
    Session,
    Venue,
)

SESSIONS_PER_EVENT = 10


def make_catalogue(sessions: int) -> Catalogue:
    """A catalogue of *sessions* sessions, ten per event, over two years in Helsinki."""
    venues = [
        Venue(
            id=f"venue-{n}",
            name=LocalizedText({"sv": f"Bibliotek {n}", "fi": f"Kirjasto {n}"}),
            geo=Geo(latitude=60.0 + n / 100, longitude=24.0 + n / 100),
        )
        for n in range(10)
    ]
    people = [Person(id=f"person-{n}", name=f"Talare {n}") for n in range(10)]
    organisation = Organisation(id="rfv", name=LocalizedText({"sv": "Regionförvaltningsverket"}))
    events = []
    start = datetime(2023, 1, 2, 9, tzinfo=HELSINKI)
    for number in range((sessions + SESSIONS_PER_EVENT - 1) // SESSIONS_PER_EVENT):
        count = min(SESSIONS_PER_EVENT, sessions - number * SESSIONS_PER_EVENT)
        event_sessions = []
        for index in range(count):
            begin = start + timedelta(days=(number * 7 + index) % 700, hours=index % 3)
            event_sessions.append(
                Session(
                    id=f"e{number}-s{index}",
                    start=begin,
                    end=begin + timedelta(hours=3),
                    title=LocalizedText({"sv": f"Del {index + 1}", "fi": f"Osa {index + 1}"}),
                    agenda=[
                        AgendaItem(
                            title=LocalizedText({"sv": "Föredrag om läsfrämjande"}),
                            start=begin,
                            end=begin + timedelta(hours=1),
                            speakers=[f"person-{index % 10}"],
                        )
                    ],
                    revision=index % 4,
                )
            )
        events.append(
            Event(
                id=f"e{number}",
                title=LocalizedText({"sv": f"Kurs nummer {number}", "fi": f"Kurssi {number}"}),
                description=LocalizedText({"sv": "Fortbildning för bibliotekspersonal. " * 4}),
                kind=EventKind.COURSE,
                keywords=[LocalizedText({"sv": "läsfrämjande"})],
                organisers=["rfv"],
                location=Location(
                    venue=f"venue-{number % 10}",
                    online=OnlineRoom(platform="Zoom", join_url="https://example.zoom.us/j/1"),
                ),
                url=f"https://example.fi/kurs/{number}",
                sessions=event_sessions,
            )
        )
    return Catalogue(events=events, venues=venues, people=people, organisations=[organisation])


def best_of(repeat: int, function: Callable[[], object]) -> float:
    """The shortest of *repeat* timings of *function*, in seconds."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark; return the ratios (also printed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args(argv)
    n, repeat = arguments.sessions, arguments.repeat

    catalogue = make_catalogue(n)
    text = libkurs.dumps(catalogue, "ics")
    parsed = icalendar.Calendar.from_ical(text)

    ours_out = best_of(repeat, lambda: libkurs.dumps(catalogue, "ics"))
    theirs_out = best_of(repeat, parsed.to_ical)
    ours_in = best_of(repeat, lambda: libkurs.loads(text, "ics"))
    theirs_in = best_of(repeat, lambda: icalendar.Calendar.from_ical(text))

    small = make_catalogue(max(n // 10, 1))
    small_text = libkurs.dumps(small, "ics")
    small_out = best_of(repeat, lambda: libkurs.dumps(small, "ics"))
    small_in = best_of(repeat, lambda: libkurs.loads(small_text, "ics"))

    ratios = {
        "export": ours_out / theirs_out,
        "import": ours_in / theirs_in,
        "export_10x": ours_out / small_out,
        "import_10x": ours_in / small_in,
    }
    print(f"iCalendar, {n} sessions, {len(text.encode()) / 1e6:.1f} MB, best of {repeat}")
    print(
        f"  export  libkurs {ours_out:.3f} s  icalendar to_ical   {theirs_out:.3f} s  "
        f"ratio {ratios['export']:.2f} (target <= 1.3)"
    )
    print(
        f"  import  libkurs {ours_in:.3f} s  icalendar from_ical {theirs_in:.3f} s  "
        f"ratio {ratios['import']:.2f} (target <= 1.3)"
    )
    print(
        f"  linear  {n // 10} -> {n} sessions: export x{ratios['export_10x']:.1f}, "
        f"import x{ratios['import_10x']:.1f} (target <= 11)"
    )
    return ratios


if __name__ == "__main__":
    main()
