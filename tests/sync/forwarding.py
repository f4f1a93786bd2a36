"""What the tests' loopback servers and proxies share: a quiet server, answering, forwarding."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})


class QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that does not print the clients that hang up (tests do)."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (a timeout test, a dropped connection) is no server error."""


def reply(
    handler: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], body: bytes
) -> None:
    """Answer *handler*'s request with *status*, *headers* and *body* (its length added)."""
    handler.send_response(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def forward(
    handler: BaseHTTPRequestHandler, upstream: int, body: bytes
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send *handler*'s request with *body* to 127.0.0.1:*upstream*; its status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=20)
    try:
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        connection.request(handler.command, handler.path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
    finally:
        connection.close()
    return answer.status, kept, data


@contextmanager
def running(server: ThreadingHTTPServer, lifetime: float | None = None) -> Iterator[int]:
    """Serve with *server* in a thread (for at most *lifetime* seconds); yield its port."""
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    timer = threading.Timer(lifetime, server.shutdown) if lifetime is not None else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        yield int(server.server_address[1])
    finally:
        if timer is not None:
            timer.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
