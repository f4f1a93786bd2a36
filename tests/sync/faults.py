"""A faulty loopback proxy: forwards to a CalDAV server and misbehaves on a share of requests.

It listens on 127.0.0.1 only, forwards each request over a new connection to the server, and
with a seeded random choice drops the connection before forwarding, forwards and then drops the
answer (the write is done, the client never hears), delays, or answers 500 or 429 itself. It
is bounded: it stops faulting after *max_faults* faults, and shuts itself down after *lifetime*
seconds even if the test forgets to.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import attrs

from sync.forwarding import QuietServer, forward, reply, running


@attrs.define
class Faults:
    """How often each fault happens (shares of all requests), and what happened."""

    drop_before: float = 0.06
    drop_after: float = 0.06
    delay: float = 0.05
    error_500: float = 0.06
    error_429: float = 0.06
    max_faults: int = 200
    seed: int = 5
    seen: Counter[str] = attrs.Factory(Counter)
    lock: threading.Lock = attrs.Factory(threading.Lock)
    random: random.Random = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.random = random.Random(self.seed)

    def choose(self) -> str:
        """The fate of the next request."""
        with self.lock:
            if sum(v for k, v in self.seen.items() if k != "ok") >= self.max_faults:
                fate = "ok"
            else:
                roll = self.random.random()
                fate = "ok"
                for name, share in (
                    ("drop_before", self.drop_before),
                    ("drop_after", self.drop_after),
                    ("delay", self.delay),
                    ("error_500", self.error_500),
                    ("error_429", self.error_429),
                ):
                    if roll < share:
                        fate = name
                        break
                    roll -= share
            self.seen[fate] += 1
            return fate


def _handler(upstream: int, faults: Faults) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Keep quiet."""

        def _drop(self) -> None:
            self.close_connection = True
            self.connection.close()

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fate = faults.choose()
            if fate == "drop_before":
                self._drop()
                return
            if fate in {"error_500", "error_429"}:
                status = 500 if fate == "error_500" else 429
                reply(self, status, [("Retry-After", "0")], b"try again")
                return
            if fate == "delay":
                time.sleep(faults.random.uniform(0.01, 0.1))
            status, kept, data = forward(self, upstream, body)
            if fate == "drop_after":
                self._drop()
                return
            reply(self, status, kept, data)

        do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_HEAD = _forward  # noqa: N815
        do_OPTIONS = do_MKCALENDAR = _forward  # noqa: N815

    return Handler


@contextmanager
def faulty_proxy(upstream_port: int, faults: Faults, lifetime: float = 120) -> Iterator[int]:
    """Run the proxy in front of 127.0.0.1:*upstream_port*; yield the proxy's port."""
    server = QuietServer(("127.0.0.1", 0), _handler(upstream_port, faults))
    with running(server, lifetime) as port:
        yield port
