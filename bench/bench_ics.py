"""Benchmark the iCalendar format against plain icalendar, and check that it scales linearly.

Run: ``python bench/bench_ics.py`` (5,000 sessions). It prints, for a generated calendar:

- export: ``libkurs.dumps(catalogue, "ics")`` against ``icalendar.Calendar.to_ical()`` of the
  same file (already parsed), as a ratio; the target is at most 1.3;
- import: ``libkurs.loads(text, "ics")`` against ``icalendar.Calendar.from_ical(text)``, both
  with the garbage collector running as users run it; the target is at most 0.5 (issue 9);
  the same with the collector paused is printed too;
- linearity: ten times the sessions should cost at most eleven times the time, both for
  ten sessions per event and for every session in one event (a long series).

Each timing is the best of ``--repeat`` runs (default 5), each after ``gc.collect()`` and with
the garbage collector paused while it runs, as :mod:`timeit` does: a collection's cost depends
on everything else the process holds (here the other catalogues), not on the code measured,
and made the ratios swing by a third from run to run. The import is the exception: it is
measured with the collector running on both sides, since that is what a user's import costs
(libkurs builds many small objects; the collector's passes over them are part of the price).
``--sessions`` and ``--repeat`` make it small enough for the smoke test in tests/.
"""

from __future__ import annotations

import argparse
import gc
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


def make_catalogue(sessions: int, per_event: int = SESSIONS_PER_EVENT) -> Catalogue:
    """A catalogue of *sessions* sessions, *per_event* per event, over two years in Helsinki."""
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
    for number in range((sessions + per_event - 1) // per_event):
        count = min(per_event, sessions - number * per_event)
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


def best_of(repeat: int, function: Callable[[], object], *, collector: bool = False) -> float:
    """The shortest of *repeat* timings of *function*, in seconds, each after a collection.

    The garbage collector is paused during each timing unless *collector* is true.
    """
    timings = []
    for _ in range(repeat):
        gc.collect()
        if not collector:
            gc.disable()
        try:
            start = time.perf_counter()
            function()
            timings.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(timings)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark; return the ratios (also printed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args(argv)
    n, repeat = arguments.sessions, arguments.repeat

    catalogue = make_catalogue(n)
    text = libkurs.dumps(catalogue, "ics")
    parsed = icalendar.Calendar.from_ical(text)

    ours_out = best_of(repeat, lambda: libkurs.dumps(catalogue, "ics"))
    theirs_out = best_of(repeat, parsed.to_ical)
    ours_in = best_of(repeat, lambda: libkurs.loads(text, "ics"))
    ours_in_gc = best_of(repeat, lambda: libkurs.loads(text, "ics"), collector=True)
    theirs_in = best_of(repeat, lambda: icalendar.Calendar.from_ical(text))
    theirs_in_gc = best_of(repeat, lambda: icalendar.Calendar.from_ical(text), collector=True)

    small = make_catalogue(max(n // 10, 1))
    small_text = libkurs.dumps(small, "ics")
    small_out = best_of(repeat, lambda: libkurs.dumps(small, "ics"))
    small_in = best_of(repeat, lambda: libkurs.loads(small_text, "ics"))

    one = make_catalogue(n, per_event=n)
    one_text = libkurs.dumps(one, "ics")
    one_small = make_catalogue(max(n // 10, 1), per_event=max(n // 10, 1))
    one_small_text = libkurs.dumps(one_small, "ics")
    one_in = best_of(repeat, lambda: libkurs.loads(one_text, "ics"))
    one_small_in = best_of(repeat, lambda: libkurs.loads(one_small_text, "ics"))
    one_out = best_of(repeat, lambda: libkurs.dumps(one, "ics"))
    one_small_out = best_of(repeat, lambda: libkurs.dumps(one_small, "ics"))

    ratios = {
        "export": ours_out / theirs_out,
        "import": ours_in_gc / theirs_in_gc,
        "import_paused": ours_in / theirs_in,
        "export_10x": ours_out / small_out,
        "import_10x": ours_in / small_in,
        "one_event_export_10x": one_out / one_small_out,
        "one_event_import_10x": one_in / one_small_in,
    }
    print(f"iCalendar, {n} sessions, {len(text.encode()) / 1e6:.1f} MB, best of {repeat}")
    print(
        f"  export  libkurs {ours_out:.3f} s  icalendar to_ical   {theirs_out:.3f} s  "
        f"ratio {ratios['export']:.2f} (target <= 1.3)"
    )
    print(
        f"  import  libkurs {ours_in_gc:.3f} s  icalendar from_ical {theirs_in_gc:.3f} s  "
        f"ratio {ratios['import']:.2f} (target <= 0.5; collector running)"
    )
    print(
        f"          libkurs {ours_in:.3f} s  icalendar from_ical {theirs_in:.3f} s  "
        f"ratio {ratios['import_paused']:.2f} (collector paused)"
    )
    print(
        f"  linear  {n // 10} -> {n} sessions: export x{ratios['export_10x']:.1f}, "
        f"import x{ratios['import_10x']:.1f} (target <= 11)"
    )
    print(
        f"  one event  {n // 10} -> {n} sessions: export x{ratios['one_event_export_10x']:.1f}, "
        f"import x{ratios['one_event_import_10x']:.1f} (target <= 11; import {one_in:.3f} s)"
    )
    return ratios


if __name__ == "__main__":
    main()
