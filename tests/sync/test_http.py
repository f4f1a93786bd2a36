"""The CalDAV backend's HTTP client, against small real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import contextlib
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from libkurs.errors import CalendarError, TransportError
from libkurs.sync._http import HttpClient

PASSWORD = "h3mligt-lösenord"  # a test secret, never a real one


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *_args: object) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen(self, body)
        self.server.respond(self, body)

    do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = _answer  # noqa: N815 - http.server's names


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, respond: Callable[[_Handler, bytes], None]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.respond = respond
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.connections: set[int] = set()
        self.lock = threading.Lock()
        self.busy = 0
        self.peak = 0

    def seen(self, handler: _Handler, _body: bytes) -> None:
        with self.lock:
            self.requests.append((handler.command, handler.path, dict(handler.headers)))
            self.connections.add(id(handler.connection))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@contextlib.contextmanager
def serving(respond: Callable[[_Handler, bytes], None]) -> Iterator[_Server]:
    server = _Server(respond)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _ok(handler: _Handler, body: bytes) -> None:
    answer = b"got " + body
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(answer)))
    handler.send_header("ETag", '"1"')
    handler.end_headers()
    handler.wfile.write(answer)


_made: list[HttpClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _made:
        _made.pop().close()


def client(**options: object) -> HttpClient:
    settings: dict[str, object] = {
        "username": "anna",
        "password": PASSWORD,
        "token": None,
        "verify": True,
        "timeout": 5.0,
        "max_response_size": 1024,
        "user_agent": "libkurs-test",
        "secrets": (PASSWORD,),
    }
    settings.update(options)
    made = HttpClient(**settings)  # type: ignore[arg-type]
    _made.append(made)
    return made


def test_requests_share_one_kept_alive_connection_with_basic_auth() -> None:
    """Twenty requests in a row go over one connection, each with the credentials."""
    with serving(_ok) as server:
        http = client()
        for number in range(20):
            answer = http.request("PUT", f"{server.url}item{number}.ics", body=b"x")
            assert (answer.status_code, answer.content) == (200, b"got x")
            assert answer.headers.get("etag") == '"1"'
        http.close()
    assert len(server.connections) == 1
    assert http.requests == 20
    assert all(headers["Authorization"].startswith("Basic ") for _m, _p, headers in server.requests)


def test_an_idle_connection_the_server_closed_is_replaced_without_a_failure() -> None:
    """The server closes the connection after an answer without saying so; the next works."""

    def answer_then_hang_up(handler: _Handler, body: bytes) -> None:
        _ok(handler, body)
        handler.close_connection = True  # no "Connection: close": the client cannot know

    with serving(answer_then_hang_up) as server:
        http = client()
        for _ in range(5):
            assert http.request("DELETE", server.url + "a.ics").status_code == 200
    assert len(server.requests) == 5  # each sent once: no request was lost or doubled


def test_an_answer_over_the_size_cap_is_refused() -> None:
    """With or without a Content-Length, an answer larger than the cap is a CalendarError."""

    def large(handler: _Handler, _body: bytes) -> None:
        handler.send_response(207)
        if handler.path.endswith("declared"):
            handler.send_header("Content-Length", "5000")
            handler.end_headers()
            handler.wfile.write(b"x" * 5000)
        else:
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            for _ in range(5):
                handler.wfile.write(b"400\r\n" + b"y" * 1024 + b"\r\n")
            handler.wfile.write(b"0\r\n\r\n")

    with serving(large) as server:
        http = client()
        for path in ("declared", "chunked"):
            with pytest.raises(CalendarError, match="larger than 1024 bytes"):
                http.request("REPORT", server.url + path)


def test_a_redirect_is_returned_not_followed() -> None:
    """A 301 comes back as it is; nothing is sent to where it points."""

    def moved(handler: _Handler, _body: bytes) -> None:
        handler.send_response(301)
        handler.send_header("Location", "http://127.0.0.1:9/elsewhere/")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with serving(moved) as server:
        answer = client().request("PUT", server.url + "a.ics", body=b"x")
    assert answer.status_code == 301
    assert len(server.requests) == 1


def test_a_refused_connection_is_a_transport_error_without_the_password() -> None:
    """Nothing listens: TransportError, and the message holds no credential."""
    with serving(_ok) as server:
        url = server.url
    with pytest.raises(TransportError) as caught:
        client(password=PASSWORD).request("GET", url)
    assert PASSWORD not in str(caught.value)
    assert "anna" not in str(caught.value)


def test_concurrent_requests_stay_within_the_limit() -> None:
    """Eight threads, limit 3: every request answered, never more than 3 at the server at once."""

    def slow(handler: _Handler, body: bytes) -> None:
        server = handler.server
        with server.lock:
            server.busy += 1
            server.peak = max(server.peak, server.busy)
        threading.Event().wait(0.01)
        with server.lock:
            server.busy -= 1
        _ok(handler, body)

    with serving(slow) as server:
        http = client(limit=3)

        def send() -> None:
            for number in range(15):
                assert (
                    http.request("PUT", f"{server.url}{number}.ics", body=b"x").status_code == 200
                )

        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        http.close()
    assert http.requests == len(server.requests) == 120
    assert 2 <= server.peak <= 3
    assert len(server.connections) <= 3


def test_busy_answers_halve_the_limit_and_good_ones_raise_it_again() -> None:
    """503 and 429 halve the requests at once (not below 1); good answers raise it again."""
    answers = iter([503, 429, 503] + [200] * 40)

    def busy(handler: _Handler, body: bytes) -> None:
        status = next(answers)
        if status == 200:
            _ok(handler, body)
            return
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with serving(busy) as server:
        http = client(limit=8)
        limits = []
        for _ in range(43):
            http.request("PUT", server.url + "a.ics", body=b"x")
            limits.append(http.current_limit(server.url))
    assert limits[:3] == [4, 2, 1]
    assert limits[-1] == 8
    assert limits == sorted(limits[:3], reverse=True) + sorted(limits[3:])


def test_a_plain_http_proxy_from_the_environment_gets_absolute_urls(monkeypatch) -> None:
    """http_proxy is used for another host (with its own credentials), never for this machine."""
    with serving(_ok) as proxy:
        monkeypatch.setenv("http_proxy", f"http://relay:s3cret@127.0.0.1:{proxy.server_address[1]}")
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        http = client()
        answer = http.request("PUT", "http://calendar.invalid/dav/a.ics", body=b"x")
        assert answer.status_code == 200
        method, path, headers = proxy.requests[-1]
        assert (method, path) == ("PUT", "http://calendar.invalid/dav/a.ics")
        assert headers["Proxy-Authorization"].startswith("Basic ")
        # This machine is reached directly, whatever the environment says.
        with serving(_ok) as direct:
            assert http.request("GET", direct.url).status_code == 200
            assert len(direct.requests) == 1
    assert len(proxy.requests) == 1


def test_a_calendar_writes_one_at_a_time_on_this_machine_and_four_elsewhere() -> None:
    """The default number of connections follows where the server is; an explicit one wins."""
    from libkurs.sync import DEFAULT_CONNECTIONS, CalDAVCalendar

    assert CalDAVCalendar("http://127.0.0.1:5232/cal/").connections == 1
    assert CalDAVCalendar("http://localhost:5232/cal/").connections == 1
    assert CalDAVCalendar("https://cal.example/dav/cal/").connections == DEFAULT_CONNECTIONS == 4
    assert CalDAVCalendar("https://cal.example/dav/cal/", connections=2).connections == 2
    with pytest.raises(CalendarError, match="connections"):
        CalDAVCalendar("https://cal.example/dav/cal/", connections=0)


class _Tunnel(socketserver.ThreadingTCPServer):
    """A CONNECT proxy on 127.0.0.1 that tunnels every request to one upstream port."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream: int) -> None:
        super().__init__(("127.0.0.1", 0), _TunnelHandler)
        self.upstream = upstream
        self.asked: list[bytes] = []


class _TunnelHandler(socketserver.StreamRequestHandler):
    server: _Tunnel

    def handle(self) -> None:
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            line = self.rfile.readline()
            if not line:
                return
            head += line
        self.server.asked.append(head)
        upstream = socket.create_connection(("127.0.0.1", self.server.upstream))
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()

        def pump(source: socket.socket, target: socket.socket) -> None:
            with contextlib.suppress(OSError):
                while data := source.recv(65536):
                    target.sendall(data)
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)

        back = threading.Thread(target=pump, args=(upstream, self.connection), daemon=True)
        back.start()
        pump(self.connection, upstream)
        back.join(timeout=5)
        upstream.close()


def test_an_https_proxy_from_the_environment_tunnels_with_the_certificate_checked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """https_proxy: CONNECT to the server's host, TLS through the tunnel, verified end to end."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=calendar.invalid",
         "-addext", "subjectAltName=DNS:calendar.invalid"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serving(_ok) as server:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        tunnel = _Tunnel(server.server_address[1])
        threading.Thread(target=tunnel.serve_forever, daemon=True).start()
        try:
            monkeypatch.setenv("https_proxy", f"http://127.0.0.1:{tunnel.server_address[1]}")
            http = client(verify=str(cert))
            answer = http.request("PUT", "https://calendar.invalid/dav/a.ics", body=b"x")
            assert (answer.status_code, answer.content) == (200, b"got x")
            assert tunnel.asked[0].startswith(b"CONNECT calendar.invalid:443 HTTP/1.")
            assert b"Authorization" not in tunnel.asked[0]  # the proxy never sees the password
            untrusted = client()  # the system's CAs do not know this certificate
            with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
                untrusted.request("GET", "https://calendar.invalid/dav/")
        finally:
            tunnel.shutdown()
            tunnel.server_close()
    assert server.requests[0][:2] == ("PUT", "/dav/a.ics")


def test_cookies_go_back_to_the_server_that_set_them_and_nowhere_else() -> None:
    """A session cookie is sent back on later requests to its origin only; Max-Age=0 ends it."""
    sets = iter(
        [
            ["nc_session_id=abc123; Path=/; HttpOnly", "oc_sessionPassphrase=x%2By; Secure"],
            [],
            ["nc_session_id=gone; Max-Age=0"],
            [],
        ]
    )

    def with_cookies(handler: _Handler, body: bytes) -> None:
        handler.send_response(200)
        for cookie in next(sets, []):
            handler.send_header("Set-Cookie", cookie)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with serving(with_cookies) as server, serving(_ok) as other:
        http = client()
        for _ in range(4):
            http.request("PROPFIND", server.url)
            http.request("GET", other.url)
    cookies = [headers.get("Cookie") for _m, _p, headers in server.requests]
    assert cookies == [
        None,
        "nc_session_id=abc123; oc_sessionPassphrase=x%2By",
        "nc_session_id=abc123; oc_sessionPassphrase=x%2By",
        "oc_sessionPassphrase=x%2By",
    ]
    assert all("Cookie" not in headers for _m, _p, headers in other.requests)
