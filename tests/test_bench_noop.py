"""The no-op benchmark runs (tiny) against Radicale and vdirsyncer, and counts requests."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[1] / "bench" / "bench_noop.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_noop", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_noop_runs_tiny_against_vdirsyncer(capsys):
    """A 20-session round prints both processes' CPU, one request each, and the ratio."""
    module = _bench()
    if module.find_vdirsyncer() is None:
        pytest.skip("vdirsyncer is not installed")
    numbers = module.main(["--sessions", "20", "--rounds", "1"])
    assert numbers["libkurs_requests"] == 1
    assert numbers["other_requests"] == 1
    assert numbers["libkurs_cpu_s"] > 0
    assert numbers["other_cpu_s"] > 0
    assert numbers["in_process_cpu_s"] > 0
    out = capsys.readouterr().out
    assert "whole process CPU (median of 1): libkurs" in out
    assert "vdirsyncer" in out
    assert "ratio" in out


def test_bench_noop_compares_with_a_raw_listing_without_vdirsyncer(capsys):
    """Without vdirsyncer, the other process is one raw PROPFIND listing, parsed."""
    numbers = _bench().main(["--sessions", "5", "--rounds", "1", "--without-vdirsyncer"])
    assert numbers["libkurs_requests"] == 1
    assert numbers["other_requests"] == 1
    assert "a raw PROPFIND listing process" in capsys.readouterr().out
