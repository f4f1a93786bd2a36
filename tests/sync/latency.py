"""A loopback TCP proxy that adds latency each way, for tests and benchmarks of pushes.

Real CalDAV servers are rarely on loopback: a round trip of 20-50 ms is common. The proxy
listens on 127.0.0.1, forwards every accepted connection to an upstream host and port, and
holds each chunk of bytes for ``delay`` seconds before passing it on, in both directions.
Chunks keep their order, and a connection closed by one side is closed on the other once the
bytes before the close have been delivered. Threads and sockets only, stdlib.

    with LatencyProxy("127.0.0.1", server_port, delay=0.02) as proxy:
        url = f"http://127.0.0.1:{proxy.port}/"
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from types import TracebackType

_CHUNK = 65536


class LatencyProxy:
    """Forward TCP connections from a free loopback port to upstream, ``delay`` seconds each way."""

    def __init__(self, host: str, port: int, delay: float = 0.02) -> None:
        self.upstream = (host, port)
        self.delay = delay
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._closing = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._accepter = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> LatencyProxy:
        self._accepter.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop accepting and close every connection still open."""
        self._closing.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()
        if self._accepter.is_alive():
            self._accepter.join(timeout=5)

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
                self._sockets += [client, upstream]
            self._pipe(client, upstream)
            self._pipe(upstream, client)

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        """Read from source, deliver to target ``delay`` seconds after each chunk arrived."""
        held: queue.Queue[tuple[float, bytes]] = queue.Queue()

        def read() -> None:
            while True:
                try:
                    data = source.recv(_CHUNK)
                except OSError:
                    data = b""
                held.put((time.monotonic() + self.delay, data))
                if not data:
                    return

        def write() -> None:
            while True:
                due, data = held.get()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if not data:
                    with contextlib.suppress(OSError):
                        target.shutdown(socket.SHUT_WR)
                    return
                try:
                    target.sendall(data)
                except OSError:
                    with contextlib.suppress(OSError):
                        source.shutdown(socket.SHUT_RD)
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()
