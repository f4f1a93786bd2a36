"""Start-up: each command imports only what it uses; the lazy parser says what the full one does."""

import subprocess
import sys
from pathlib import Path

import pytest

import libkurs
from libkurs.cli import _parser

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "catalogue.json")

IMPORTED = (
    "import sys\n"
    "from libkurs.cli import main\n"
    "main({argv!r})\n"
    "print(sorted(m for m in ('libkurs.sync', 'icalendar', 'caldav', 'libkurs.enrolment',"
    " 'importlib.metadata') if m in sys.modules), file=sys.stderr)\n"
)


def _imported(argv):
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED.format(argv=argv)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stderr.strip().splitlines()[-1]


def test_validate_imports_neither_the_sync_layer_nor_the_enrolment_rules():
    """libkurs validate imports no sync layer, icalendar, caldav, enrolment or package metadata."""
    assert _imported(["validate", EXAMPLE]) == "[]"


def test_a_workflow_command_imports_the_enrolment_rules_but_not_the_sync_layer():
    """libkurs waiting-list --help builds its own arguments without the sync layer."""
    done = subprocess.run(
        [sys.executable, "-m", "libkurs", "waiting-list", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0
    assert "--target" in done.stdout


def test_the_lazy_command_list_is_the_full_one():
    """libkurs --help lists every command with the very line its own module gives it."""
    assert _parser("").format_help() == _parser(None).format_help()


@pytest.mark.parametrize("command", ["sync", "enrol", "import-form", "validate"])
def test_a_named_command_has_its_full_arguments(command):
    """The parser built for one command gives it the same help as the full parser."""
    lazy = _parser(command)._subparsers._group_actions[0].choices[command]
    full = _parser(None)._subparsers._group_actions[0].choices[command]
    assert lazy.format_help() == full.format_help()


def test_version_is_printed_without_reading_package_metadata():
    """libkurs --version prints the version that the package metadata also holds."""
    done = subprocess.run(
        [sys.executable, "-m", "libkurs", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.strip() == f"libkurs {libkurs.__version__}"


def test_a_single_sync_does_not_import_the_feeds_layer(tmp_path):
    """libkurs sync CATALOGUE DIR (what cron runs) leaves libkurs.feeds, --targets' need, out."""
    script = (
        "import sys\n"
        "from libkurs.cli import main\n"
        f"code = main(['sync', {EXAMPLE!r}, {str(tmp_path / 'vdir')!r}, '--create',"
        f" '--state', {str(tmp_path / 'state.json')!r}, '--quiet'])\n"
        "print(code, 'libkurs.feeds' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stderr.strip().splitlines()[-1] == "0 False"
