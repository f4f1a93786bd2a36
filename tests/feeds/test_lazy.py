"""Importing libkurs, its feeds and its command line never pays for the WSGI server."""

import subprocess
import sys


def test_importing_libkurs_never_imports_waitress():
    """waitress is imported only when ``libkurs serve`` runs."""
    code = (
        "import sys, libkurs, libkurs.feeds, libkurs.sync, libkurs.cli\n"
        "from libkurs.feeds import app\n"
        "app('examples/feeds.toml')\n"
        "assert 'waitress' not in sys.modules, 'waitress was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
