"""How enrolment scales: many people enrolling into many events, with waiting lists.

The script builds a catalogue of ``--events`` events (100 by default), each with 80 places
(50 on site, 40 remote, so the modes compete for the whole), and a register of ``--people``
participants (10,000). Then, with a fixed random seed:

1. enrol: every participant enrols in one event, in one mode, a minute apart: about 8,000
   places are taken and the rest wait;
2. withdraw: ``--withdrawals`` confirmed participants (1,000) withdraw, half under
   :attr:`PromotionPolicy.CONFIRM` and half under :attr:`PromotionPolicy.OFFER`, so places pass
   down the waiting lists;
3. expire: a day later every unanswered offer lapses and passes on (:func:`expire_offers`);
4. save: the register is written as JSON and read back;
5. form import: a registration form export of ``--form-rows`` rows (4,000), and one of a
   quarter as many, are imported into an open seminar; the ratio of the two times is about 4
   when an import costs in proportion to its rows, 16 when it is quadratic.

Each phase prints its time and the time per operation; the ratio of the last tenth of the
enrolments to the first tenth shows whether an operation costs more as the register grows.
Peak memory is measured with :mod:`tracemalloc` in a second, separate pass. Run it as::

    python bench/bench_enrolment.py                                  # 10,000 people
    python bench/bench_enrolment.py --people 200 --events 5 --withdrawals 20 --form-rows 200
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from datetime import datetime, timedelta

from libkurs import HELSINKI, Catalogue, EnrolmentSettings, Event, LocalizedText, Session
from libkurs.enrolment import (
    EnrolmentStatus,
    Participant,
    ParticipationMode,
    PromotionPolicy,
    Register,
    enrol,
    expire_offers,
    withdraw,
)
from libkurs.formats import register as register_format
from libkurs.formats.forms import import_form

START = datetime(2024, 1, 8, 9, tzinfo=HELSINKI)


def build(people: int, events: int) -> tuple[Catalogue, Register]:
    first = datetime(2024, 3, 4, 10, tzinfo=HELSINKI)
    settings = EnrolmentSettings(capacity=80, capacity_on_site=50, capacity_remote=40)
    catalogue = Catalogue(
        events=[
            Event(
                id=f"kurs-{n}",
                title=LocalizedText({"sv": f"Kurs {n}", "fi": f"Kurssi {n}"}),
                enrolment=settings,
                sessions=[
                    Session(
                        id=f"kurs-{n}-{k}",
                        start=first + timedelta(days=n, weeks=k),
                        end=first + timedelta(days=n, weeks=k, hours=3),
                    )
                    for k in range(3)
                ],
            )
            for n in range(events)
        ]
    )
    register = Register(
        participants=[
            Participant(
                id=f"p{n}",
                name=f"Deltagare {n}",
                email=f"p{n}@bibliotek.example.fi",
                municipality="Esbo",
                language="sv" if n % 3 else "fi",
            )
            for n in range(people)
        ]
    )
    return catalogue, register


def run(people: int, events: int, withdrawals: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    catalogue, register = build(people, events)
    timings: dict[str, float] = {}
    tenth = max(people // 10, 1)
    now = START
    began = time.perf_counter()
    first_tenth = last_tenth = 0.0
    for n in range(people):
        now += timedelta(minutes=1)
        mode = ParticipationMode.REMOTE if rng.random() < 0.4 else ParticipationMode.ON_SITE
        target = f"kurs-{rng.randrange(events)}"
        tick = time.perf_counter()
        register = enrol(register, catalogue, f"p{n}", target, mode=mode, now=now).register
        spent = time.perf_counter() - tick
        if n < tenth:
            first_tenth += spent
        elif n >= people - tenth:
            last_tenth += spent
    timings["enrol"] = time.perf_counter() - began
    timings["growth"] = last_tenth / first_tenth if first_tenth else 0.0

    confirmed = [e.id for e in register.enrolments if e.status is EnrolmentStatus.CONFIRMED]
    leaving = rng.sample(confirmed, min(withdrawals, len(confirmed)))
    began = time.perf_counter()
    for number, enrolment in enumerate(leaving):
        now += timedelta(minutes=1)
        policy = PromotionPolicy.CONFIRM if number % 2 else PromotionPolicy.OFFER
        register = withdraw(register, catalogue, enrolment, now=now, policy=policy).register
    timings["withdraw"] = time.perf_counter() - began

    began = time.perf_counter()
    outcome = expire_offers(register, catalogue, now=now + timedelta(days=3))
    register = outcome.register
    timings["expire"] = time.perf_counter() - began
    timings["lapsed"] = sum(1 for n in outcome.notifications if n.kind.value == "declined")

    began = time.perf_counter()
    text = register_format.dumps(register)
    assert register_format.loads(text) == register
    timings["save"] = time.perf_counter() - began
    timings["megabytes"] = len(text.encode()) / 1e6
    counts = dict.fromkeys(EnrolmentStatus, 0)
    for enrolment in register.enrolments:
        counts[enrolment.status] += 1
    timings.update({f"n_{status.value}": count for status, count in counts.items()})
    return timings


def form_import(rows: int) -> float:
    """Seconds to import a form export of *rows* respondents into one open seminar."""
    first = datetime(2024, 3, 4, 10, tzinfo=HELSINKI)
    catalogue = Catalogue(
        events=[
            Event(
                id="seminarium",
                title=LocalizedText({"sv": "Seminarium"}),
                sessions=[Session(id="s-1", start=first, end=first + timedelta(hours=3))],
            )
        ]
    )
    lines = ["submitted;name;email;municipality"]
    for n in range(rows):
        at = START + timedelta(seconds=n)
        lines.append(f"{at:%Y-%m-%d %H:%M:%S};Deltagare {n};p{n}@bibliotek.example.fi;Esbo")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    began = time.perf_counter()
    result = import_form(
        data, Register(), catalogue, now=START + timedelta(days=1), target="seminarium"
    )
    spent = time.perf_counter() - began
    assert len(result.enrolled) == rows
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--withdrawals", type=int, default=1_000)
    parser.add_argument(
        "--form-rows", type=int, help="rows of the form export (default: 4,000, at most --people)"
    )
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()

    t = run(args.people, args.events, args.withdrawals, args.seed)
    print(f"{args.people} people, {args.events} events, {args.withdrawals} withdrawals")
    print(f"enrol      {t['enrol']:8.3f} s  {t['enrol'] / args.people * 1e6:8.1f} µs per enrolment")
    print(f"growth ratio (last tenth / first tenth of enrolments): {t['growth']:.2f}")
    per = t["withdraw"] / max(args.withdrawals, 1) * 1e6
    print(f"withdraw   {t['withdraw']:8.3f} s  {per:8.1f} µs per withdrawal (with promotion)")
    print(f"expire     {t['expire']:8.3f} s  ({int(t['lapsed'])} offers lapsed and passed on)")
    print(f"save+load  {t['save']:8.3f} s  ({t['megabytes']:.1f} MB of JSON)")
    statuses = ", ".join(
        f"{int(t[f'n_{s.value}'])} {s.value}" for s in EnrolmentStatus if t[f"n_{s.value}"]
    )
    print(f"final: {statuses}")
    rows = args.form_rows or min(4_000, args.people)
    quarter = max(rows // 4, 1)
    small, large = form_import(quarter), form_import(rows)
    print(f"form import {quarter} rows {small:8.3f} s, {rows} rows {large:8.3f} s")
    print(f"form import ratio ({rows} / {quarter} rows): {large / small:.1f}")

    tracemalloc.start()
    run(args.people, args.events, args.withdrawals, args.seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory {peak / 1e6:8.1f} MB  ({peak / args.people / 1e3:.1f} kB per person)")


if __name__ == "__main__":
    main()
