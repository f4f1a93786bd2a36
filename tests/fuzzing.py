"""A mutation fuzzer over every reader of libkurs: ``python3 dev.py fuzz`` runs it.

Each reader (native JSON, register, iCalendar, Linked Events, forms CSV, announcement text)
starts from its seeds in ``examples/`` and ``tests/data/`` and is fed mutations of them: bytes
flipped, inserted and deleted; lines deleted, repeated and swapped; splices of other seeds;
numbers replaced by boundary values (0, 9999, 99991231, a 400-digit number …); characters that
break formats (quotes, delimiters, escape sequences, a byte-order mark); for JSON, values
replaced by values of another type; and growth (a piece repeated thousands of times), which
finds what is slower than linear. What a reader returns is then written by every writer.

A reader may return, or raise a :class:`~libkurs.errors.KursError`; anything else is a
*foreign* exception, and an input that takes longer than the time limit is a *hang*. Inputs run
in a worker process that is killed and started again when one hangs. Each failing input is
written to ``.fuzz-failures/READER/SHA.bin`` (the folder is ignored by git) and the run exits
with status 1. Once fixed, a failing input is kept as a regression test in
``tests/data/fuzz/READER/``, which ``tests/test_fuzz_readers.py`` replays.

    python tests/fuzzing.py [--count N] [--seconds S] [--reader NAME] [--seed N] [--limit S]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing
import random
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
FAILURES = ROOT / ".fuzz-failures"
REGRESSIONS = DATA / "fuzz"
#: The largest input a mutation makes, in bytes: growth stops here.
MAX_SIZE = 300_000
#: The memory a worker may use (bytes of address space): more is a failure, not a swap storm.
MEMORY_LIMIT = 3 * 1024**3

_BOUNDARY_NUMBERS = [
    "0", "1", "-1", "00", "9", "12", "13", "23", "24", "25", "29", "30", "31", "32", "59", "60",
    "99", "100", "255", "256", "999", "1000", "0001", "1970", "2038", "9998", "9999", "10000",
    "65535", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e308",
    "1e999", "-0", "0.0", "NaN", "99991231", "00010101", "99991231T235959Z",
    "00010101T000000", "9" * 40, "1" * 400, "-" + "9" * 30,
]  # fmt: skip
_TOKENS = [
    "\x00", "\x1b[2J", "\x1b]0;title\x07", "\x9b", "\u202e", "\ufeff", "\r", "\n", "\r\n",
    "\t", " ", "\u00a0", '"', "'", "\\", ",", ";", ":", "=", "+", "-", "@", "＝", "{", "}",
    "[", "]", "null", "true", "[]", "{}", '""', "-1", "é", "😀", "\udcff", "\x85", "\u2028",
    "BEGIN:VEVENT\r\n", "END:VEVENT\r\n", "END:VCALENDAR\r\n", "BEGIN:VCALENDAR\r\n",
    ";TZID=Customized Time Zone", ";VALUE=DATE", "RRULE:FREQ=SECONDLY\r\n", "\r\n ",
    "kl. 9-10", "31.12.9999", "1.1.0001 kl. 1", "29.2.", "senast ", "Program\n",
    "https://zoom.us/j/123?pwd=abc", "9999-12-31", "0001-01-01T00:00:00+14:00",
    "2023-03-26T03:30:00", "Z", "+14:00", "-12:00", "=HYPERLINK(1)",
]  # fmt: skip
_JSON_VALUES: list[Any] = [
    None, True, False, 0, -1, 2**63, 1e308, 1.5, "", "x", " ", [], {},
    [1], [None], {"@id": "x"}, {"": ""}, ["EventScheduled"], "9999-12-31",
    "9999-12-31T23:59:59Z", "0001-01-01", "0001-01-01T00:00:00+14:00", "2023-02-30",
    "\x1b[2J", "\u202e", "a" * 1000, {"fi": None}, {"fi": 1}, {"fi": "x" * 200},
    "https://zoom.us/j/1", {"type": "Point", "coordinates": [1]}, "recurring", "umbrella",
]  # fmt: skip


@dataclass(frozen=True)
class Reader:
    """One reader: its seeds, and how to run it on bytes (writing what it returns)."""

    name: str
    seeds: Callable[[], list[bytes]]
    run: Callable[[bytes], object]


def _files(*patterns: str) -> Callable[[], list[bytes]]:
    def seeds() -> list[bytes]:
        paths = sorted({p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()})
        return [p.read_bytes() for p in paths]

    return seeds


def _write_everything(catalogue: Any) -> None:
    """Write *catalogue* with every writer and the listing, as a user would next."""
    import libkurs
    from libkurs.cli._listing import render_listing

    for name in ("json", "ics", "jsonld", "linkedevents"):
        libkurs.dumps(catalogue, name)
    for name in ("announcement", "announcement-html", "announcement-md"):
        for language in ("sv", "fi", "en"):
            libkurs.dumps(catalogue, name, language=language)
    for language in ("sv", "fi", "en"):
        render_listing(catalogue, language)


def _catalogue_reader(format_name: str, **options: Any) -> Callable[[bytes], object]:
    def run(data: bytes) -> object:
        import libkurs

        catalogue = libkurs.loads(data, format_name, **options)
        _write_everything(catalogue)
        return catalogue

    return run


def _register_seeds() -> list[bytes]:
    import libkurs
    from libkurs.enrolment import Register
    from libkurs.formats import register
    from libkurs.formats.forms import import_form

    catalogue = libkurs.load(ROOT / "examples" / "catalogue.json")
    seeds = []
    for name in ("webropol.utf-8.csv", "template.utf-8.csv"):
        imported = import_form(
            (DATA / "forms" / name).read_bytes(),
            Register(),
            catalogue,
            now=datetime.fromisoformat("2023-01-16T09:00:00+02:00"),
            target="studiebesok-danmark-augusti" if name.startswith("webropol") else None,
            preset=name.split(".")[0],
        )
        seeds.append(register.dumps(imported.register).encode())
    return seeds


def _run_register(data: bytes) -> object:
    from libkurs.formats import register

    read = register.loads(data)
    register.dumps(read)
    return read


_FORMS_CATALOGUE: list[Any] = []


def _run_forms(data: bytes) -> object:
    import libkurs
    from libkurs.enrolment import Register
    from libkurs.formats import register
    from libkurs.formats.forms import PRESETS, import_form

    if not _FORMS_CATALOGUE:
        _FORMS_CATALOGUE.append(libkurs.load(ROOT / "examples" / "catalogue.json"))
    preset = list(PRESETS)[data[0] % len(PRESETS)] if data else "template"
    result = import_form(
        data,
        Register(),
        _FORMS_CATALOGUE[0],
        now=datetime.fromisoformat("2023-01-16T09:00:00+02:00"),
        target=None if preset == "template" else "studiebesok-danmark-augusti",
        preset=preset,
        skip_bad_rows=len(data) % 2 == 0,
    )
    register.dumps(result.register)
    return result


READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        Reader("json", _files("examples/*.json"), _catalogue_reader("json")),
        Reader("register", _register_seeds, _run_register),
        Reader(
            "ics", _files("tests/data/ics/*.ics", "tests/data/ics/bad/*"), _catalogue_reader("ics")
        ),
        Reader(
            "linkedevents",
            _files("tests/data/linkedevents/*.json"),
            _catalogue_reader("linkedevents"),
        ),
        Reader("forms", _files("tests/data/forms/*.csv"), _run_forms),
        Reader(
            "announcement",
            _files("tests/data/announcements/*.txt", "tests/data/announcements/*.md"),
            _catalogue_reader("announcement", reference=date(2023, 1, 10)),
        ),
    )
}


# --- Mutations -------------------------------------------------------------------------------


def _flip(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]


def _insert_byte(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + bytes([rng.randrange(256)]) + data[at:]


def _delete_range(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 64) :]


def _insert_token(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    at = rng.randrange(len(data) + 1)
    token = rng.choice(_TOKENS).encode("utf-8", "surrogatepass")
    return data[:at] + token + data[at:]


def _number(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    digits = [i for i, b in enumerate(data) if 48 <= b <= 57]
    if not digits:
        return _insert_token(data, rng, pool)
    at = rng.choice(digits)
    end = at
    while end < len(data) and 48 <= data[end] <= 57:
        end += 1
    return data[:at] + rng.choice(_BOUNDARY_NUMBERS).encode() + data[end:]


def _lines(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data + b"\n" + data
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    action = rng.randrange(4)
    if action == 0:
        del lines[i]
    elif action == 1:
        lines.insert(j, lines[i])
    elif action == 2:
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return b"\n".join(lines)


def _splice(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    other = rng.choice(pool)
    if not other:
        return data
    start = rng.randrange(len(other))
    piece = other[start : start + rng.randint(1, 2000)]
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at:]


def _grow(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 200)]
    times = min(rng.choice([10, 100, 1000, 10_000]), MAX_SIZE // max(len(piece), 1))
    return data[:start] + piece * times + data[start:]


def _json_value(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return _insert_token(data, rng, pool)
    places: list[tuple[Any, Any]] = []  # (container, key) of every value, breadth first

    def walk(node: Any) -> None:
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in children:
            places.append((node, key))
            if isinstance(child, dict | list) and len(places) < 5000:
                walk(child)

    if isinstance(document, dict | list):
        walk(document)
    if not places:
        return _insert_token(data, rng, pool)
    container, key = rng.choice(places)
    action = rng.randrange(5)
    if action == 0 and isinstance(container, dict):
        del container[key]
    elif action == 1 and isinstance(container[key], list) and container[key]:
        container[key] = container[key] * rng.choice([2, 10, 100])
    else:
        container[key] = rng.choice(_JSON_VALUES)
    return json.dumps(document, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")


_JSON_READERS = frozenset({"json", "register", "linkedevents"})
_MUTATIONS = [
    _flip, _insert_byte, _delete_range, _insert_token, _number, _number, _lines, _splice,
    _grow,
]  # fmt: skip


def mutate(data: bytes, rng: random.Random, pool: list[bytes], *, json_aware: bool) -> bytes:
    """One to four mutations of *data*, splicing from *pool*; never larger than MAX_SIZE."""
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        if json_aware and rng.random() < 0.5:
            data = _json_value(data, rng, pool)
        else:
            data = rng.choice(_MUTATIONS)(data, rng, pool)
        data = data[:MAX_SIZE]
    return data


# --- Running ---------------------------------------------------------------------------------


def outcome_of(name: str, data: bytes) -> tuple[str, str]:
    """("ok" | "kurs" | "foreign", detail) of running the reader *name* on *data*."""
    from libkurs.errors import KursError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            READERS[name].run(data)
    except KursError as error:
        return "kurs", type(error).__name__
    except (Exception, RecursionError, MemoryError) as error:
        return "foreign", "".join(traceback.format_exception(error))[-4000:]
    return "ok", ""


def _worker(connection: Connection) -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    sys.setrecursionlimit(5000)
    while True:
        message = connection.recv()
        if message is None:
            return
        name, data = message
        began = time.perf_counter()
        result = outcome_of(name, data)
        connection.send((*result, time.perf_counter() - began))


class _Worker:
    """A process that runs inputs, killed and started again when one takes too long."""

    def __init__(self) -> None:
        self.process: multiprocessing.process.BaseProcess | None = None
        self.connection: Connection | None = None
        self.start()

    def start(self) -> None:
        context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        ours, theirs = context.Pipe()
        self.process = context.Process(target=_worker, args=(theirs,), daemon=True)
        self.process.start()
        self.connection = ours
        # Warm up: import libkurs and read each reader's catalogue once, outside the time limit.
        for name in READERS:
            self.run(name, b"", limit=120)

    def run(self, name: str, data: bytes, *, limit: float) -> tuple[str, str, float]:
        assert self.connection is not None
        self.connection.send((name, data))
        if self.connection.poll(limit):
            try:
                kind, detail, seconds = self.connection.recv()
            except EOFError:  # the worker died (out of memory, a crash in C)
                self.restart()
                return "foreign", "the worker process died", limit
            return kind, detail, seconds
        self.restart()
        return "hang", f"took longer than {limit:g} s", limit

    def restart(self) -> None:
        self.stop(kill=True)
        self.start()

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None or self.connection is None:
            return
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.connection.send(None)
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()
        self.process = self.connection = None


@dataclass
class Tally:
    """What one reader's run found."""

    inputs: int = 0
    ok: int = 0
    kurs: int = 0
    foreign: int = 0
    hangs: int = 0
    new_failures: int = 0
    slowest: float = 0.0


def _save(name: str, data: bytes, kind: str, detail: str) -> bool:
    """Write a failing input (and why) to .fuzz-failures/NAME/; True if it is new."""
    folder = FAILURES / name
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = folder / f"{digest}.bin"
    if path.exists():
        return False
    path.write_bytes(data)
    (folder / f"{digest}.txt").write_text(f"{kind}\n{detail}\n", encoding="utf-8")
    return True


def fuzz(name: str, *, count: int | None, seconds: float | None, seed: int, limit: float) -> Tally:
    """Run the reader *name* on *count* mutated inputs (or for *seconds*)."""
    reader = READERS[name]
    seeds = reader.seeds()
    pool = [s for r in READERS.values() if r is not reader for s in r.seeds()] + seeds
    rng = random.Random(seed)
    tally = Tally()
    worker = _Worker()
    deadline = time.monotonic() + seconds if seconds is not None else None
    try:
        while (count is None or tally.inputs < count) and (
            deadline is None or time.monotonic() < deadline
        ):
            data = mutate(rng.choice(seeds), rng, pool, json_aware=name in _JSON_READERS)
            kind, detail, took = worker.run(name, data, limit=limit)
            tally.inputs += 1
            tally.slowest = max(tally.slowest, took)
            field = "hangs" if kind == "hang" else kind
            setattr(tally, field, getattr(tally, field) + 1)
            if kind in {"foreign", "hang"} and _save(name, data, kind, detail):
                tally.new_failures += 1
                first_line = detail.strip().splitlines()[-1] if detail.strip() else kind
                print(f"  {name}: {kind}: {first_line[:160]}", flush=True)
    finally:
        worker.stop()
    return tally


def main(argv: list[str] | None = None) -> int:
    """Fuzz the readers named (all by default); 1 if any input failed."""
    parser = argparse.ArgumentParser(prog="dev.py fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, help="inputs per reader (default: 2000)")
    parser.add_argument("--seconds", type=float, help="time per reader, instead of a count")
    parser.add_argument("--reader", choices=sorted(READERS), action="append", help="repeatable")
    parser.add_argument("--seed", type=int, default=11, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--limit", type=float, default=5.0, help="seconds one input may take (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    count = args.count if args.count is not None or args.seconds is not None else 2000
    failed = False
    for name in args.reader or list(READERS):
        began = time.monotonic()
        tally = fuzz(name, count=count, seconds=args.seconds, seed=args.seed, limit=args.limit)
        print(
            f"{name}: {tally.inputs} inputs in {time.monotonic() - began:.0f} s: {tally.ok} read, "
            f"{tally.kurs} libkurs errors, {tally.foreign} foreign exceptions, "
            f"{tally.hangs} over {args.limit:g} s ({tally.new_failures} new in "
            f"{FAILURES.name}/{name}); slowest {tally.slowest:.2f} s",
            flush=True,
        )
        failed = failed or bool(tally.foreign or tally.hangs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
