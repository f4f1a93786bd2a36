"""The CalDAV backend's HTTP client, against small real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import contextlib
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from libkurs.errors import CalendarError, TransportError
from libkurs.sync._http import HttpClient
from sync.loopback import Answer, Request, Script, serve

PASSWORD = "h3mligt-lösenord"  # a test secret, never a real one
OK: Answer = (200, {"ETag": '"1"'}, b"done")

_made: list[HttpClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _made:
        _made.pop().close()


def client(**options: object) -> HttpClient:
    """A client as CalDAVCalendar makes it, with *options* changed; closed after the test."""
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


def connections(script: Script) -> int:
    """How many connections the requests of *script* came over (one client port each)."""
    return len({request.client_port for request in script.requests})


def test_requests_share_one_kept_alive_connection_with_basic_auth() -> None:
    """Twenty requests in a row go over one connection, each with the credentials."""
    script = Script(default=lambda _request: OK)
    with serve(script) as url:
        http = client()
        for number in range(20):
            answer = http.request("PUT", f"{url}/item{number}.ics", body=b"x")
            assert (answer.status_code, answer.content) == (200, b"done")
            assert answer.headers.get("etag") == '"1"'
    assert connections(script) == 1
    assert http.requests == 20
    assert all(r.headers["Authorization"].startswith("Basic ") for r in script.requests)


def test_an_idle_connection_the_server_closed_is_replaced_without_a_failure() -> None:
    """The server closes each connection after its answer without saying so; none fails."""
    script = Script(default=lambda _request: OK, hang_up=True)
    with serve(script) as url:
        http = client()
        for _ in range(5):
            assert http.request("DELETE", url + "/a.ics").status_code == 200
    assert len(script.requests) == 5  # each sent once: no request was lost or doubled
    assert connections(script) == 5


def test_an_answer_over_the_size_cap_is_refused() -> None:
    """With or without a Content-Length, an answer larger than the cap is a CalendarError."""
    script = Script(
        answers=[(207, {}, b"x" * 5000), (207, {"Transfer-Encoding": "chunked"}, b"y" * 5000)]
    )
    with serve(script) as url:
        http = client()
        for _ in range(2):
            with pytest.raises(CalendarError, match="larger than 1024 bytes"):
                http.request("REPORT", url + "/cal/")


def test_a_redirect_is_returned_not_followed() -> None:
    """A 301 comes back as it is; nothing is sent to where it points."""
    script = Script(answers=[(301, {"Location": "http://127.0.0.1:9/elsewhere/"}, b"")])
    with serve(script) as url:
        answer = client().request("PUT", url + "/a.ics", body=b"x")
    assert answer.status_code == 301
    assert len(script.requests) == 1


def test_a_refused_connection_is_a_transport_error_without_the_password() -> None:
    """Nothing listens: TransportError, and the message holds no credential."""
    with serve(Script()) as url:
        pass
    with pytest.raises(TransportError) as caught:
        client().request("GET", url + "/")
    assert PASSWORD not in str(caught.value)
    assert "anna" not in str(caught.value)


def test_concurrent_requests_stay_within_the_limit() -> None:
    """Eight threads, limit 3: every request answered, never more than 3 at the server at once."""
    lock, busy = threading.Lock(), [0, 0]  # now, peak

    def slow(_request: Request) -> Answer:
        with lock:
            busy[0] += 1
            busy[1] = max(busy)
        threading.Event().wait(0.01)
        with lock:
            busy[0] -= 1
        return OK

    script = Script(default=slow)
    with serve(script) as url:
        http = client(limit=3)

        def send() -> None:
            for number in range(15):
                assert http.request("PUT", f"{url}/{number}.ics", body=b"x").status_code == 200

        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert http.requests == len(script.requests) == 120
    assert 2 <= busy[1] <= 3
    assert connections(script) <= 3


def test_busy_answers_halve_the_limit_and_good_ones_raise_it_again() -> None:
    """503 and 429 halve the requests at once (not below 1); good answers raise it again."""
    script = Script(answers=[(503, {}, b""), (429, {}, b""), (503, {}, b"")])
    with serve(script) as url:
        http = client(limit=8)
        limits = []
        for _ in range(43):
            http.request("PUT", url + "/a.ics", body=b"x")
            limits.append(http.current_limit(url))
    assert limits[:3] == [4, 2, 1]
    assert limits[-1] == 8
    assert limits == sorted(limits[:3], reverse=True) + sorted(limits[3:])


def test_a_plain_http_proxy_from_the_environment_gets_absolute_urls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """http_proxy is used for another host (with its own credentials), never for this machine."""
    relay, direct = Script(), Script()
    with serve(relay) as proxy, serve(direct) as here:
        monkeypatch.setenv("http_proxy", proxy.replace("http://", "http://relay:s3cret@"))
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        http = client()
        answer = http.request("PUT", "http://calendar.invalid/dav/a.ics", body=b"x")
        assert answer.status_code == 200
        assert http.request("GET", here + "/").status_code == 200  # this machine: directly
    (forwarded,) = relay.requests
    assert (forwarded.method, forwarded.path) == ("PUT", "http://calendar.invalid/dav/a.ics")
    assert forwarded.headers["Proxy-Authorization"].startswith("Basic ")
    assert len(direct.requests) == 1


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
    script = Script(default=lambda _request: OK)
    with serve(script, tls=context) as url:
        tunnel = _Tunnel(int(url.rsplit(":", 1)[1]))
        threading.Thread(target=tunnel.serve_forever, daemon=True).start()
        try:
            monkeypatch.setenv("https_proxy", f"http://127.0.0.1:{tunnel.server_address[1]}")
            http = client(verify=str(cert))
            answer = http.request("PUT", "https://calendar.invalid/dav/a.ics", body=b"x")
            assert (answer.status_code, answer.content) == (200, b"done")
            assert tunnel.asked[0].startswith(b"CONNECT calendar.invalid:443 HTTP/1.")
            assert b"Authorization" not in tunnel.asked[0]  # the proxy never sees the password
            untrusted = client()  # the system's CAs do not know this certificate
            with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
                untrusted.request("GET", "https://calendar.invalid/dav/")
        finally:
            tunnel.shutdown()
            tunnel.server_close()
    assert (script.requests[0].method, script.requests[0].path) == ("PUT", "/dav/a.ics")


def test_cookies_go_back_to_the_server_that_set_them_and_nowhere_else() -> None:
    """A session cookie is sent back on later requests to its origin only; Max-Age=0 ends it."""
    setting = Script(
        answers=[
            (200, [("Set-Cookie", "nc_session_id=abc123; Path=/; HttpOnly"),
                   ("Set-Cookie", "oc_sessionPassphrase=x%2By; Secure")], b""),
            (200, {}, b""),
            (200, {"Set-Cookie": "nc_session_id=gone; Max-Age=0"}, b""),
            (200, {}, b""),
        ]
    )  # fmt: skip
    other = Script()
    with serve(setting) as url, serve(other) as elsewhere:
        http = client()
        for _ in range(4):
            http.request("PROPFIND", url + "/")
            http.request("GET", elsewhere + "/")
    assert [request.headers.get("Cookie") for request in setting.requests] == [
        None,
        "nc_session_id=abc123; oc_sessionPassphrase=x%2By",
        "nc_session_id=abc123; oc_sessionPassphrase=x%2By",
        "oc_sessionPassphrase=x%2By",
    ]
    assert all("Cookie" not in request.headers for request in other.requests)


def test_a_calendar_writes_one_at_a_time_on_this_machine_and_four_elsewhere() -> None:
    """The default number of connections follows where the server is; an explicit one wins."""
    from libkurs.sync import DEFAULT_CONNECTIONS, CalDAVCalendar

    assert CalDAVCalendar("http://127.0.0.1:5232/cal/").connections == 1
    assert CalDAVCalendar("http://localhost:5232/cal/").connections == 1
    assert CalDAVCalendar("https://cal.example/dav/cal/").connections == DEFAULT_CONNECTIONS == 4
    assert CalDAVCalendar("https://cal.example/dav/cal/", connections=2).connections == 2
    with pytest.raises(CalendarError, match="connections"):
        CalDAVCalendar("https://cal.example/dav/cal/", connections=0)
