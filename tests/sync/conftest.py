"""Real CalDAV servers for the sync tests: Radicale and Xandikos, started on 127.0.0.1.

Each server runs once per test session as a subprocess on a free port, with its storage in a
temporary folder (in memory, under /dev/shm, where there is one: the servers sync every write
to disk, which would make the suite slow). Each test gets a fresh calendar collection, made
with MKCALENDAR. The servers are terminated and waited for at the end.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.servers import USER, Server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the server did not start listening on port {port}:\n{log.read_text()}")


def _storage_root() -> str | None:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() else None


@pytest.fixture(scope="session")
def _server_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="libkurs-servers-", dir=_storage_root()))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _start(command: list[str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    _wait_until_listening(process, port, log)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def radicale(_server_folder: Path) -> Iterator[Server]:
    """Radicale, with no authentication check (any user name and password go)."""
    port = _free_port()
    storage = _server_folder / "radicale"
    log = _server_folder / "radicale.log"
    command = [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        "",
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--storage-filesystem-folder",
        str(storage),
        "--auth-type",
        "none",
        # Radicale waits a second before every 403 (a refused sync token too); not in tests.
        "--auth-delay",
        "0",
        "--logging-level",
        "warning",
    ]
    process = _start(command, port, log)
    yield Server("radicale", port, f"/{USER}/", f"/{USER}/", log)
    _stop(process)


@pytest.fixture(scope="session")
def xandikos(_server_folder: Path) -> Iterator[Server]:
    """Xandikos, which makes the principal /user/ and its calendar home on first use."""
    port = _free_port()
    log = _server_folder / "xandikos.log"
    command = [
        sys.executable,
        "-m",
        "xandikos.web",
        "--directory",
        str(_server_folder / "xandikos"),
        "--state-dir",
        str(_server_folder / "xandikos-state"),
        "--autocreate",
        "--listen-address",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-detect-systemd",
    ]
    process = _start(command, port, log)
    yield Server("xandikos", port, "/user/calendars/", "/user/", log)
    _stop(process)


@pytest.fixture(params=["radicale", "xandikos"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each of the two servers in turn."""
    found: Server = request.getfixturevalue(request.param)
    return found


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry without waiting in every sync test."""
    monkeypatch.setenv("LIBKURS_NO_BACKOFF", "1")


@pytest.fixture(autouse=True)
def _state_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep every default sync state file out of the real home directory."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state-home")))
