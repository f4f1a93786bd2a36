"""The sync benchmark runs (tiny) against a throwaway Radicale and reports its numbers."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench" / "bench_sync.py"


def test_bench_sync_runs_tiny_and_prints_ratios(capsys):
    """A 20-session run prints the push ratio, request counts and peak RSS on Radicale."""
    spec = importlib.util.spec_from_file_location("bench_sync", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    numbers = module.main(
        [
            *("--sessions", "20", "--changed", "2", "--repeat", "1", "--latency", "0.005"),
            *("--memory-sessions", "30", "--memory-backend", "radicale"),
        ]
    )
    assert numbers["push_ratio"] > 0
    assert numbers["proxied_push_ratio"] > 0
    assert numbers["proxied_raw_s"] >= 20 * 2 * 0.005  # 20 PUTs, 5 ms each way at least
    assert numbers["noop_requests_with_state"] == 1
    assert numbers["noop_cpu_s"] > 0
    assert numbers["listing_cpu_s"] > 0
    assert numbers["noop_requests_without_state"] <= 5
    assert numbers["changed_requests"] <= 2 + 3
    assert 0 < numbers["rss_before_mib"] <= numbers["peak_mib"]
    out = capsys.readouterr().out
    assert "ratio" in out
    assert "30 sessions into a radicale calendar (Radicale on 127.0.0.1): peak RSS" in out
