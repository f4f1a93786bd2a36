"""A tiny scripted HTTP server on 127.0.0.1, for what real servers will not do on demand.

Each request takes the next scripted answer (status, headers, body) or, when the script runs
out, the default answer for its method. An answer of None drops the connection without a
word. Headers are a mapping, or a list of pairs when a name comes more than once
(``Set-Cookie``); with ``Transfer-Encoding: chunked`` among them the body is sent in chunks
of 1 KiB, else with its ``Content-Length``. With ``hang_up`` the server closes each
connection after its answer without saying so. Every request is recorded: method, path,
headers, body, and the client's port (one per connection).
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import attrs

from sync.forwarding import QuietServer, running

Headers = Mapping[str, str] | Sequence[tuple[str, str]]
Answer = tuple[int, Headers, bytes] | None

CALENDAR_PROPFIND = (
    b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    b"<D:response><D:href>/cal/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/>"
    b"<C:calendar/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
    b"</D:response></D:multistatus>"
)


def listing(*items: tuple[str, str]) -> bytes:
    """A Depth 1 PROPFIND answer for /cal/ with the given (name, etag) items."""
    responses = "".join(
        f"<D:response><D:href>/cal/{name}</D:href><D:propstat><D:prop><D:getetag>{etag}"
        "</D:getetag><D:resourcetype/></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
        "</D:propstat></D:response>"
        for name, etag in items
    )
    return (
        '<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/cal/</D:href>'
        "<D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop>"
        f"<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>{responses}"
        "</D:multistatus>"
    ).encode()


@attrs.define
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int = 0


@attrs.define
class Script:
    """What the server answers, and what it was asked."""

    answers: list[Answer] = attrs.Factory(list)
    default: Callable[[Request], Answer] = lambda request: (200, {}, b"")
    requests: list[Request] = attrs.Factory(list)
    hang_up: bool = False


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Keep quiet."""

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                self.command,
                self.path,
                dict(self.headers.items()),
                self.rfile.read(length),
                self.client_address[1],
            )
            script.requests.append(request)
            answer = script.answers.pop(0) if script.answers else script.default(request)
            if answer is None:
                self.close_connection = True
                self.connection.close()
                return
            status, headers, body = answer
            pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
            chunked = ("Transfer-Encoding", "chunked") in pairs
            self.send_response(status)
            for name, value in pairs:
                self.send_header(name, value)
            if not chunked:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if chunked:
                for start in range(0, len(body), 1024):
                    chunk = body[start : start + 1024]
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.wfile.write(body)
            if script.hang_up:
                self.close_connection = True  # and no "Connection: close": the client cannot know

        do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_HEAD = _answer  # noqa: N815

    return Handler


@contextmanager
def serve(script: Script, *, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve *script* on a free port of 127.0.0.1 (over TLS with *tls*); yield the base URL."""
    server = QuietServer(("127.0.0.1", 0), _handler(script))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    scheme = "https" if tls is not None else "http"
    with running(server) as port:
        yield f"{scheme}://127.0.0.1:{port}"
