"""The feeds benchmark runs (tiny): polling a served feed, and a fan-out on Radicale."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench" / "bench_feeds.py"


def test_bench_feeds_runs_tiny_and_prints_its_numbers(capsys):
    """20 clients on a 50-session feed get 304 for every poll; 4 calendars fan out and a
    no-op re-run makes at most 2 requests per calendar."""
    spec = importlib.util.spec_from_file_location("bench_feeds", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    numbers = module.main(
        [
            *("--sessions", "50", "--clients", "20", "--requests", "400"),
            *("--calendars", "4", "--calendar-sessions", "5", "--jobs", "2"),
        ]
    )
    assert numbers["requests"] >= 400
    assert numbers["share_304"] == 1.0
    assert numbers["rps"] > 0
    assert numbers["p50_ms"] <= numbers["p99_ms"]
    assert numbers["rss_end_mib"] - numbers["rss_early_mib"] < 8  # the feed is rendered once
    assert numbers["fanout_noop_max_requests"] <= 2
    assert numbers["fanout_ratio"] > 0
    out = capsys.readouterr().out
    assert "304 share of polls 1.000" in out
    assert "ratio" in out
