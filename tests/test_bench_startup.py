"""The start-up benchmark runs (tiny) and prints the CLI's CPU against the two-line script."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench" / "bench_startup.py"


def test_bench_startup_runs_tiny_and_prints_ratios(capsys):
    """One round prints both ratios; the CLI stays within a generous 3× of the script."""
    spec = importlib.util.spec_from_file_location("bench_startup", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    numbers = module.main(["--rounds", "1"])
    assert 0 < numbers["help_ratio"] < 3
    assert 0 < numbers["validate_ratio"] < 3
    assert "ratio libkurs validate / script" in capsys.readouterr().out
