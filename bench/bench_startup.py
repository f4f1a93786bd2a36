"""Benchmark the start-up of the ``libkurs`` command against a two-line script.

Run: ``python bench/bench_startup.py``. It runs, in interleaved rounds, ``libkurs --help``,
``libkurs validate examples/catalogue.json`` and the script
``import libkurs; libkurs.load("examples/catalogue.json")``, each in a new process, and prints
the median CPU time (user + system, of the child process) of each and the ratios of the two
commands to the script; the target is at most 1.3. ``--rounds`` makes it small enough for the
smoke test.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
from pathlib import Path

EXAMPLE = str(Path(__file__).parents[1] / "examples" / "catalogue.json")
CLI = "import sys; from libkurs.cli import main; sys.exit(main(sys.argv[1:]))"
SCRIPT = f"import libkurs\nlibkurs.load({EXAMPLE!r})"


def _cpu(argv: list[str]) -> float:
    """The CPU seconds one child process running *argv* takes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    runs = {
        "libkurs --help": [sys.executable, "-c", CLI, "--help"],
        "libkurs validate examples/catalogue.json": [
            sys.executable,
            "-c",
            CLI,
            "validate",
            EXAMPLE,
        ],
        "import libkurs; libkurs.load(...)": [sys.executable, "-c", SCRIPT],
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, command in runs.items():
            times[name].append(_cpu(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    script = medians["import libkurs; libkurs.load(...)"]
    for name, value in medians.items():
        spread = f"{min(times[name]):.3f}–{max(times[name]):.3f}"
        print(f"{name:45} {value:.3f} s CPU (median of {args.rounds}; {spread})")
    numbers = {
        "help_ratio": medians["libkurs --help"] / script,
        "validate_ratio": medians["libkurs validate examples/catalogue.json"] / script,
    }
    print(f"ratio libkurs --help / script: {numbers['help_ratio']:.2f} (target ≤ 1.3)")
    print(f"ratio libkurs validate / script: {numbers['validate_ratio']:.2f} (target ≤ 1.3)")
    return numbers


if __name__ == "__main__":
    main()
