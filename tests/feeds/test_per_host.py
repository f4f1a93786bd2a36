"""sync_many opens at most a few connections to one server, however many jobs it runs."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from feeds.helpers import region_catalogue
from libkurs.sync import Target, sync_many
from sync.servers import make_calendar


class _Relay:
    """A TCP relay in front of a real server that counts the requests waiting for an answer
    at once (from a request's first bytes to its answer's first bytes)."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.waiting = 0
        self.most = 0
        self.total = 0

    def serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _count(self, change: int) -> None:
        with self.lock:
            self.waiting += change
            self.most = max(self.most, self.waiting)
            self.total += max(change, 0)

    def _pipe(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target))
        asked = threading.Event()

        def copy(source: socket.socket, sink: socket.socket, *, request: bool) -> None:
            try:
                while data := source.recv(65536):
                    if request and not asked.is_set():
                        asked.set()
                        self._count(+1)
                    elif not request and asked.is_set():
                        asked.clear()
                        self._count(-1)
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                for end in (source, sink):
                    with suppress(OSError):
                        end.shutdown(socket.SHUT_RDWR)

        back = threading.Thread(
            target=copy, args=(upstream, client), kwargs={"request": False}, daemon=True
        )
        back.start()
        copy(client, upstream, request=True)
        back.join(timeout=30)
        if asked.is_set():
            self._count(-1)
        client.close()
        upstream.close()


@contextmanager
def _relay(port: int) -> Iterator[_Relay]:
    relay = _Relay(port)
    thread = threading.Thread(target=relay.serve, daemon=True)
    thread.start()
    try:
        yield relay
    finally:
        relay.listener.close()
        thread.join(timeout=10)


def test_targets_on_one_server_share_a_few_connections(tmp_path, radicale, monkeypatch):
    """Eight calendars on one server with jobs=8 and per_host=2: never more than two
    connections open to it at once, and every calendar synced."""
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    with _relay(radicale.port) as relay:
        targets = []
        for number in range(8):
            url = make_calendar(radicale, "host").replace(f":{radicale.port}/", f":{relay.port}/")
            targets.append(
                Target(
                    name=f"t{number}",
                    catalogue=region_catalogue(),
                    calendar=url,
                    state=tmp_path / f"t{number}.json",
                )
            )
        results = sync_many(targets, jobs=8, per_host=2)
    assert [r.error for r in results] == [None] * 8
    assert all(r.report.created == 7 for r in results)
    assert relay.total >= 8
    assert 1 <= relay.most <= 2
