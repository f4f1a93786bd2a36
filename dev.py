"""Set up a development environment for libkurs and run its jobs.

Needs nothing but Python 3.11+ (with its ``venv`` module) and access to the package index.
It keeps a virtual environment in ``.venv`` next to this file, creates it on first use and
reinstalls only when ``pyproject.toml`` changes.

    python3 dev.py demo     set up, validate the example catalogue and sync it to a local calendar
    python3 dev.py test     set up with the dev tools, then ruff, mypy and the whole test suite
    python3 dev.py docs     build the HTML docs into docs/_build/html
    python3 dev.py bench    run the benchmarks in bench/
    python3 dev.py fuzz     fuzz every reader with mutated inputs (not part of the tests)
                            [--count N | --seconds S] [--reader NAME] [--seed N] [--limit S]
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
# Dependency groups (PEP 735) need pip 25.1 or newer inside the environment.
PIP_REQUIREMENT = "pip>=25.1"


def run(*args: str | Path) -> None:
    """Run a command from the repository root; stop this script if it fails."""
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def setup(*, groups: tuple[str, ...]) -> None:
    """Create or refresh .venv with libkurs (editable) and the given dependency groups."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"libkurs needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating a virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / ".libkurs-installed"
    # The stamp holds the digest of pyproject.toml and the groups installed with it: a job that
    # needs no more than what is installed reinstalls nothing.
    installed = stamp.read_text().split() if stamp.exists() else []
    if installed[:1] == [digest] and set(groups) <= set(installed[1:]):
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", PIP_REQUIREMENT)
    group_args = [arg for group in groups for arg in ("--group", group)]
    run(PYTHON, "-m", "pip", "install", "--quiet", "--editable", ".", *group_args)
    kept = set(installed[1:]) if installed[:1] == [digest] else set()
    stamp.write_text(" ".join([digest, *sorted(kept | set(groups))]))


def demo() -> None:
    """The main job: check the example catalogue, then sync it into a local calendar.

    The calendar is a directory of .ics files (a vdir, as khal reads) in .venv/demo-calendar,
    with its sync state beside it; the report is printed as JSON. Run it again and every item
    is reported unchanged.
    """
    setup(groups=())
    run(BIN / "libkurs", "validate", "examples/catalogue.json")
    run(
        BIN / "libkurs",
        "sync",
        "examples/catalogue.json",
        VENV / "demo-calendar",
        "--create",
        "--state",
        VENV / "demo-calendar.state.json",
        "--json",
    )


def test(*pytest_args: str) -> None:
    """Lint, type-check, then run the whole test suite (docs build and examples included)."""
    setup(groups=("dev",))
    run(BIN / "ruff", "check", "src", "tests", "examples", "bench", "docs", "dev.py")
    run(BIN / "ruff", "format", "--check", "src")
    run(BIN / "mypy")
    run(PYTHON, "-m", "pytest", *pytest_args)


def docs() -> None:
    """Build the HTML documentation with warnings as errors."""
    setup(groups=("dev",))
    run(PYTHON, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")


def bench() -> None:
    """Run every benchmark in bench/ (they print ratios)."""
    setup(groups=("dev",))
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        run(PYTHON, script)


def fuzz(*fuzz_args: str) -> None:
    """Fuzz every reader from the examples and test data; stop with status 1 on any failure.

    A failure is an exception that is not a libkurs error, or an input that takes longer than
    its limit (5 s); each new one is written to .fuzz-failures/READER/. See tests/fuzzing.py.
    """
    setup(groups=("dev",))
    run(PYTHON, ROOT / "tests" / "fuzzing.py", *fuzz_args)


def main(argv: list[str]) -> None:
    """Dispatch the job named on the command line."""
    jobs = {"demo": demo, "test": test, "docs": docs, "bench": bench, "fuzz": fuzz}
    if not argv or argv[0] not in jobs:
        sys.exit(__doc__)
    job, *rest = argv
    if job == "test":
        test(*rest)
    elif job == "fuzz":
        fuzz(*rest)
    else:
        jobs[job]()


if __name__ == "__main__":
    main(sys.argv[1:])
