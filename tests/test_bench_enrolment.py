"""The enrolment benchmark still runs, tiny."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_enrolment_benchmark_runs_small_and_prints_its_numbers() -> None:
    """bench_enrolment.py with 200 people in 5 events exits 0 and prints time, ratio and memory."""
    completed = subprocess.run(
        [
            sys.executable,
            str(BENCH / "bench_enrolment.py"),
            "--people", "200", "--events", "5", "--withdrawals", "20",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    out = completed.stdout
    assert "µs per enrolment" in out
    assert "growth ratio" in out
    assert "peak memory" in out
    assert "withdrawn" in out
