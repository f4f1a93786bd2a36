"""The public API's types catch misuse: mypy reports each line of misuses.py meant to fail."""

import re
import time
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

HERE = Path(__file__).parent
MARK = re.compile(r"#\s*E:\s*([\w-]+)\s*$")
REPORT = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<message>.*?)(?:\s+\[(?P<code>[\w-]+)\])?$"
)


def expected_errors(path: Path) -> dict[int, str]:
    """Line number → error code, from the ``# E: code`` marks."""
    marks = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found = MARK.search(line)
        if found:
            marks[number] = found.group(1)
    return marks


def test_mypy_reports_every_misuse_and_nothing_else(tmp_path):
    """mypy --strict reports exactly the marked lines of misuses.py, each with its error code."""
    target = HERE / "misuses.py"
    started = time.monotonic()
    stdout, stderr, _status = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--show-error-codes",
            "--no-color-output",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(target),
        ]
    )
    assert time.monotonic() - started < 600
    assert not stderr, stderr
    reported: dict[int, set[str]] = {}
    for line in stdout.splitlines():
        match = REPORT.match(line)
        if match and Path(match["file"]).name == "misuses.py":
            reported.setdefault(int(match["line"]), set()).add(match["code"] or "")
    expected = expected_errors(target)
    assert len(expected) >= 15
    missing = {n: code for n, code in expected.items() if code not in reported.get(n, set())}
    unexpected = {n: codes for n, codes in reported.items() if n not in expected}
    assert not missing, f"mypy did not report these lines:\n{missing}\n{stdout}"
    assert not unexpected, f"mypy reported lines meant to be fine:\n{unexpected}\n{stdout}"
