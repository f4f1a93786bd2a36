"""The iCalendar benchmark runs (tiny) and reports its ratios."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench" / "bench_ics.py"


def test_bench_ics_runs_tiny_and_prints_ratios(capsys):
    """A 50-session run prints the export, import and both linearity ratios."""
    spec = importlib.util.spec_from_file_location("bench_ics", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ratios = module.main(["--sessions", "50", "--repeat", "1"])
    assert set(ratios) == {
        "export",
        "import",
        "import_paused",
        "export_10x",
        "import_10x",
        "one_event_export_10x",
        "one_event_import_10x",
    }
    assert all(value > 0 for value in ratios.values())
    out = capsys.readouterr().out
    assert "ratio" in out
    assert "one event" in out
    assert "collector running" in out
