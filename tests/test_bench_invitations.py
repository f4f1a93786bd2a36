"""The invitation benchmark runs (tiny) against a throwaway aiosmtpd server and prints numbers."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench" / "bench_invitations.py"


def test_bench_invitations_runs_tiny_and_prints_rate_and_memory(capsys):
    """A 30-invitation run sends them all, prints messages a second and peak RSS, then nothing."""
    spec = importlib.util.spec_from_file_location("bench_invitations", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    numbers = module.main(["--invitations", "30"])
    assert numbers["rate"] > 0
    assert 0 < numbers["rss_before_mib"] <= numbers["rss_mib"]
    out = capsys.readouterr().out
    assert "30 invitations to a loopback SMTP server" in out
    assert "messages/s" in out
    assert "second run, nothing to send" in out
