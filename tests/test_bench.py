"""The benchmarks in bench/ still run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_json_benchmark_runs_small_and_prints_ratios() -> None:
    """bench_json.py with 50 events and one repeat exits 0 and prints its ratios."""
    completed = subprocess.run(
        [sys.executable, str(BENCH / "bench_json.py"), "--events", "50", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "ratio" in completed.stdout
    assert completed.stdout.count("ratio") == 3, completed.stdout
