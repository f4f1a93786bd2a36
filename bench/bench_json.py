"""How much libkurs' native JSON format costs over the standard json module.

The script builds one large catalogue deterministically (10,000 events by default, no random
numbers: every value follows from the event's number), writes it with ``libkurs.dumps(c, "json")``
and reads it back with ``libkurs.loads(text, "json")``. It compares each with the standard library
doing only the JSON part of the same work:

- dump: ``libkurs.dumps`` (unstructure the model with the cattrs converter, then ``json.dumps``)
  against ``json.dumps`` of the very same unstructured document, with the same options;
- load: ``libkurs.loads`` (``json.loads``, then structure and validate every value) against
  ``json.loads`` of the same text;
- peak memory of each load, measured with :mod:`tracemalloc` in a separate pass (tracing slows
  Python down, so it never overlaps the timings).

Times are the best of ``--repeat`` runs measured with :func:`time.perf_counter`; the ratio says how
many times slower (or bigger) libkurs is. Run it as::

    python bench/bench_json.py                      # 10,000 events, best of 3
    python bench/bench_json.py --events 50 --repeat 1
    python bench/bench_json.py --profile            # also: where the load spends its time
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime, timedelta

import libkurs
from libkurs import (
    HELSINKI,
    Address,
    AgendaItem,
    Catalogue,
    EnrolmentSettings,
    Event,
    EventKind,
    Geo,
    Link,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    PartialDate,
    Period,
    Person,
    Programme,
    Run,
    Session,
    Status,
    Venue,
)

THEMES = (
    ("Bibliotekspedagogik", "Kirjastopedagogiikka"),
    ("Service design", "Palvelumuotoilu"),
    ("Meröppet bibliotek", "Omatoimikirjasto"),
    ("Läsfrämjande för barn och unga", "Lukemisen edistäminen lapsille ja nuorille"),
    ("Aktivt medborgarskap och demokrati", "Aktiivinen kansalaisuus ja demokratia"),
    ("Studiecirklar i Liboppi", "Opintopiirit Liboppissa"),
    ("Tillgänglighet och delaktighet", "Saavutettavuus ja osallisuus"),
    ("Evenemang på biblioteket", "Tapahtumat kirjastossa"),
)
TOWNS = ("Helsingfors", "Esbo", "Vanda", "Borgå", "Lovisa", "Raseborg", "Hangö", "Kyrkslätt")
KINDS = tuple(EventKind)
FIRST_DAY = date(2023, 1, 9)


def _text(sv: str, fi: str | None = None) -> LocalizedText:
    return LocalizedText({"sv": sv, "fi": fi} if fi is not None else {"sv": sv})


def build_catalogue(events: int) -> Catalogue:
    """A catalogue of *events* events, the same every time for the same number."""
    organisations = [
        Organisation(
            id="rfv",
            name=_text("Regionförvaltningsverket", "Aluehallintovirasto"),
            abbreviation=_text("RFV", "AVI"),
            url="https://avi.fi/",
        ),
        *(
            Organisation(
                id=f"bibliotek-{n}",
                name=_text(f"{town} stadsbibliotek", f"{town} kaupunginkirjasto"),
                url=f"https://bibliotek.example.fi/{n}",
            )
            for n, town in enumerate(TOWNS)
        ),
    ]
    organisation_ids = [o.id for o in organisations]
    venues = [
        Venue(
            id=f"venue-{n}",
            name=_text(f"Huvudbiblioteket i {town}", f"{town} pääkirjasto"),
            address=Address(
                street=f"Biblioteksgatan {n + 1}",
                postal_code=f"0{n}100",
                locality=town,
                country="FI",
            ),
            geo=Geo(latitude=60.0 + n / 10, longitude=24.0 + n / 7),
        )
        for n, town in enumerate(TOWNS)
    ]
    people = [
        Person(
            id=f"person-{n}",
            name=f"Förnamn{n} Efternamn{n}",
            title=_text("bibliotekarie", "kirjastonhoitaja") if n % 2 else _text("utvecklare"),
            organisation=organisation_ids[n % len(organisation_ids)],
            email=f"person{n}@bibliotek.example.fi",
        )
        for n in range(100)
    ]
    catalogue_events = [_event(i, organisation_ids, people, venues) for i in range(events)]
    programmes = [
        Programme(
            id=f"programme-{p}",
            title=_text(
                f"Biblioteksfortbildning {p}: Tillsammans kan vi!", f"Kirjastokoulutus {p}"
            ),
            period=Period(start=PartialDate(year=2023), end=PartialDate(year=2024)),
            organisers=["rfv"],
            modules=[e.id for e in catalogue_events[p * 40 : p * 40 + 6]],
            enrolment=EnrolmentSettings(
                capacity=30, closes=datetime(2023, 3, 1, 16, tzinfo=HELSINKI)
            ),
        )
        for p in range(max(1, events // 500))
    ]
    return Catalogue(
        name=_text("Fortbildning för biblioteksanställda", "Kirjastohenkilöstön täydennyskoulutus"),
        publisher="rfv",
        events=catalogue_events,
        programmes=programmes,
        organisations=organisations,
        people=people,
        venues=venues,
    )


def _event(i: int, organisation_ids: list[str], people: list[Person], venues: list[Venue]) -> Event:
    theme_sv, theme_fi = THEMES[i % len(THEMES)]
    day = FIRST_DAY + timedelta(days=(i * 3) % 700)
    event_id = f"event-{i:05d}"
    online = OnlineRoom(platform="Zoom", join_url=f"https://example.zoom.us/j/{900000 + i}")
    venue = venues[i % len(venues)].id
    location = (
        Location(venue=venue),
        Location(online=online),
        Location(venue=venue, online=online),
    )[i % 3]
    sessions = _sessions(i, event_id, day, people)
    runs = []
    if i % 11 == 0 and len(sessions) > 1:
        runs = [
            Run(
                id=f"{event_id}-run-{n}",
                sessions=[s.id],
                title=_text(f"Alternativ {n + 1}", f"Vaihtoehto {n + 1}"),
            )
            for n, s in enumerate(sessions)
        ]
    return Event(
        id=event_id,
        title=_text(f"{theme_sv} ({i})", f"{theme_fi} ({i})"),
        summary=_text(f"En introduktion till {theme_sv.lower()} för biblioteksanställda.")
        if i % 2
        else None,
        description=(
            _text(
                f"Under dagen bekantar vi oss med {theme_sv.lower()}."
                "\nTvåspråkigt, öppet för alla.",
                f"Päivän aikana tutustumme aiheeseen {theme_fi.lower()}.",
            )
            if i % 4 == 0
            else None
        ),
        status=Status.CANCELLED if i % 37 == 0 else Status.SCHEDULED,
        kind=KINDS[i % len(KINDS)],
        languages=("sv", "fi") if i % 3 else ("sv",),
        keywords=[
            _text(word) for word in ("fortbildning", theme_sv.lower(), "bibliotek")[: 1 + i % 3]
        ],
        open_to_all=i % 5 == 0,
        organisers=[organisation_ids[0], organisation_ids[1 + i % (len(organisation_ids) - 1)]][
            : 1 + i % 2
        ],
        contacts=[people[i % len(people)].id] if i % 2 == 0 else [],
        links=[Link(url=f"https://avi.fi/kurs/{i}", title=_text("Mer information"))]
        if i % 6 == 0
        else [],
        price=_text("Avgiftsfritt; resor och lunch på egen bekostnad") if i % 8 == 0 else None,
        free_of_charge=True if i % 8 == 0 else None,
        enrolment=(
            EnrolmentSettings(
                opens=datetime(day.year, day.month, 1, 9, tzinfo=HELSINKI) - timedelta(days=60),
                closes=datetime(day.year, day.month, day.day, 16, tzinfo=HELSINKI)
                - timedelta(days=7),
                capacity=20 + i % 40,
                minimum=5,
                url=f"https://avi.fi/anmalan/{i}",
            )
            if i % 2 == 0
            else None
        ),
        location=location,
        sessions=sessions,
        runs=runs,
        revision=i % 4,
    )


def _sessions(i: int, event_id: str, day: date, people: list[Person]) -> list[Session]:
    count = 1 + i % 3
    if i % 7 == 0:
        start, end = Session.all_day_span(day, day + timedelta(days=count - 1), HELSINKI)
        return [Session(id=f"{event_id}-s0", start=start, end=end, all_day=True)]
    sessions = []
    for n in range(count):
        start = datetime(
            day.year, day.month, day.day, 9 + 4 * (n % 2), tzinfo=HELSINKI
        ) + timedelta(days=n // 2 * 7)
        end = start + timedelta(hours=3)
        agenda = []
        if (i + n) % 3 == 0:
            agenda = [
                AgendaItem(
                    title=_text(title_sv, title_fi),
                    start=start + timedelta(minutes=45 * k),
                    end=start + timedelta(minutes=45 * (k + 1)),
                    speakers=[people[(i + k) % len(people)].id] if k else [],
                )
                for k, (title_sv, title_fi) in enumerate(
                    (
                        ("Morgonkaffe", "Aamukahvi"),
                        ("Föredrag", "Esitelmä"),
                        ("Diskussion", "Keskustelu"),
                    )
                )
            ]
        sessions.append(
            Session(
                id=f"{event_id}-s{n}",
                start=start,
                end=end,
                title=_text(("Förmiddag", "Eftermiddag")[n % 2], ("Aamupäivä", "Iltapäivä")[n % 2]),
                agenda=agenda,
            )
        )
    return sessions


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The shortest of *repeat* wall-clock times of *run*, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(run: Callable[[], object]) -> int:
    """The most memory *run* holds at once while it runs, in bytes, as tracemalloc sees it."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def _line(label: str, ours: float, theirs: float, name: str, unit: str = "s") -> str:
    if unit == "MB":
        return (
            f"{label}: libkurs {ours / 1e6:.1f} MB, {name} {theirs / 1e6:.1f} MB, "
            f"ratio {ours / theirs:.1f}x"
        )
    return f"{label}: libkurs {ours:.3f} s, {name} {theirs:.3f} s, ratio {ours / theirs:.1f}x"


def _profile(text: str, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(libkurs.loads, text, "json")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Build the catalogue, run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events", type=int, default=10_000, help="events in the catalogue (10,000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each step; the best counts (3)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also profile one load with cProfile"
    )
    args = parser.parse_args(argv)
    if args.events < 1 or args.repeat < 1:
        parser.error("--events and --repeat must be at least 1")

    started = time.perf_counter()
    catalogue = build_catalogue(args.events)
    built = time.perf_counter() - started
    text = libkurs.dumps(catalogue, "json")
    document = json.loads(text)
    if json.dumps(document, ensure_ascii=False, indent=2) + "\n" != text:
        print("json.dumps does not write what libkurs.dumps writes: the comparison is unfair")
        return 1
    if libkurs.loads(text, "json") != catalogue:
        print("the catalogue does not survive a round trip")
        return 1

    sessions = sum(len(event.sessions) for event in catalogue.events)
    print(f"python {sys.version.split()[0]}, libkurs {libkurs.__version__}")
    print(
        f"catalogue: {len(catalogue.events):,} events, {sessions:,} sessions, "
        f"{len(catalogue.programmes)} programmes; built in {built:.3f} s"
    )
    print(f"native JSON: {len(text):,} characters, {len(text.encode()):,} bytes (indent=2)")
    print(f"best of {args.repeat}")

    dump_ours = best_of(args.repeat, lambda: libkurs.dumps(catalogue, "json"))
    dump_json = best_of(args.repeat, lambda: json.dumps(document, ensure_ascii=False, indent=2))
    print(_line("dump", dump_ours, dump_json, "json.dumps"))
    load_ours = best_of(args.repeat, lambda: libkurs.loads(text, "json"))
    load_json = best_of(args.repeat, lambda: json.loads(text))
    print(_line("load", load_ours, load_json, "json.loads"))

    peak_ours = peak_memory(lambda: libkurs.loads(text, "json"))
    peak_json = peak_memory(lambda: json.loads(text))
    print(_line("load peak memory", peak_ours, peak_json, "json.loads", unit="MB"))

    if args.profile:
        print(_profile(text, top=25))
    return 0


if __name__ == "__main__":
    sys.exit(main())
