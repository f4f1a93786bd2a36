"""What only the CalDAV backend does: discovery, request counts, server quirks, credentials, TLS."""

from __future__ import annotations

import base64
import logging
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from libkurs.errors import (
    AuthenticationError,
    CalendarError,
    ItemNotFoundError,
    PreconditionFailedError,
    TransportError,
)
from libkurs.sync import CalDAVCalendar, RetryPolicy
from sync.loopback import CALENDAR_PROPFIND, Script, listing, serve
from sync.servers import PASSWORD, USER, Server, make_calendar
from sync.test_contract import event


def test_calendar_is_found_from_its_own_url(server: Server) -> None:
    """A calendar URL is used as it is, after one PROPFIND that shows it is a calendar."""
    url = make_calendar(server)
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        assert calendar.url == url
        assert calendar.requests_sent == 1


@pytest.mark.parametrize("start", ["root", "principal"])
def test_calendar_is_found_by_name_from_the_server_or_principal(server: Server, start: str) -> None:
    """From the server's or the principal's URL, the calendar is found by its path segment."""
    url = make_calendar(server, "fortbildning-2023-")
    name = url.rstrip("/").rsplit("/", 1)[-1]
    where = server.root if start == "root" else server.url(server.principal)
    with CalDAVCalendar(where, calendar=name, username=USER, password=PASSWORD) as c:
        assert c.url == url
        assert c.list() == {}


def test_unknown_calendar_name_lists_the_calendars_there(server: Server) -> None:
    """Asking for a calendar that is not there names the ones that are."""
    make_calendar(server, "studiebesok")
    calendar = CalDAVCalendar(
        server.root, calendar="nothing-here", username=USER, password=PASSWORD
    )
    with pytest.raises(CalendarError, match=r"no calendar named “nothing-here”.*studiebesok"):
        calendar.list()
    calendar.close()


def test_credentials_in_the_url_are_used_and_hidden(server: Server) -> None:
    """user:password@ in the URL authenticates, and shows nowhere afterwards."""
    url = make_calendar(server)
    with_credentials = url.replace("http://", f"http://{USER}:{PASSWORD}@")
    with CalDAVCalendar(with_credentials.replace("ö", "%C3%B6")) as calendar:
        calendar.create("a.ics", event("a@example.org"))
        assert PASSWORD not in repr(calendar)
        assert "@" not in repr(calendar)
        assert list(calendar.list()) == ["a.ics"]


def test_a_second_item_with_the_same_uid_is_refused(server: Server) -> None:
    """Both servers refuse a UID already used under another name (409 or 412)."""
    with CalDAVCalendar(make_calendar(server), username=USER, password=PASSWORD) as calendar:
        calendar.create("first.ics", event("same@example.org"))
        with pytest.raises(PreconditionFailedError, match="no-uid-conflict") as raised:
            calendar.create("second.ics", event("same@example.org"))
        assert raised.value.status == {"radicale": 409, "xandikos": 412}[server.name]
        assert list(calendar.list()) == ["first.ics"]


def test_no_op_listing_and_sync_cost_one_request_each(server: Server) -> None:
    """Once the calendar is found, list() is one PROPFIND and changes(token) one REPORT."""
    with CalDAVCalendar(make_calendar(server), username=USER, password=PASSWORD) as calendar:
        for n in range(5):
            calendar.create(f"e{n}.ics", event(f"e{n}@example.org"))
        token = calendar.changes(None)
        assert token is not None
        before = calendar.requests_sent
        calendar.list()
        assert calendar.requests_sent - before == 1
        before = calendar.requests_sent
        nothing = calendar.changes(token.token)
        assert nothing is not None
        assert (dict(nothing.changed), nothing.deleted) == ({}, frozenset())
        assert calendar.requests_sent - before == 1


def test_a_fresh_no_op_listing_costs_two_requests(server: Server) -> None:
    """From a calendar URL and a cold start: one PROPFIND to find it, one to list it."""
    url = make_calendar(server)
    with CalDAVCalendar(url, username=USER, password=PASSWORD) as calendar:
        calendar.list()
        assert calendar.requests_sent == 2


def test_multiget_is_chunked(server: Server) -> None:
    """get asks for at most multiget_size items per REPORT and finds them all."""
    url = make_calendar(server)
    with CalDAVCalendar(url, username=USER, password=PASSWORD, multiget_size=3) as calendar:
        for n in range(7):
            calendar.create(f"e{n}.ics", event(f"e{n}@example.org"))
        before = calendar.requests_sent
        items, missing = calendar.get([f"e{n}.ics" for n in range(7)] + ["none.ics"])
        assert calendar.requests_sent - before == 3
        assert len(items) == 7
        assert missing == {"none.ics"}


def test_credentials_never_reach_logs_or_errors(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    """With every logger at DEBUG, neither the password nor its Basic token is ever written."""
    caplog.set_level(logging.DEBUG)
    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    messages = []
    with CalDAVCalendar(server.root, calendar="nope", username=USER, password=PASSWORD) as c:
        with pytest.raises(CalendarError) as raised:
            c.list()
        messages.append(str(raised.value))
    with CalDAVCalendar(make_calendar(server), username=USER, password=PASSWORD) as calendar:
        href, etag = calendar.create("a.ics", event("a@example.org"))
        calendar.update(href, event("a@example.org", "Ny"), etag)
        with pytest.raises(PreconditionFailedError) as stale:
            calendar.delete(href, etag)
        with pytest.raises(ItemNotFoundError) as missing:
            calendar.delete("none.ics", etag)
        messages += [str(stale.value), str(missing.value), repr(calendar)]
    text = "\n".join(messages + [record.getMessage() for record in caplog.records])
    assert caplog.records  # the loggers did write something
    assert PASSWORD not in text
    assert basic not in text


def test_bearer_token_is_sent_and_hidden() -> None:
    """A bearer token goes in the Authorization header, never in reprs or errors."""
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND), (401, {}, b"no")])
    with serve(script) as base, CalDAVCalendar(f"{base}/cal/", token="s3cret-token") as calendar:
        with pytest.raises(AuthenticationError) as raised:
            calendar.list()
        assert "s3cret-token" not in str(raised.value) + repr(calendar)
    assert script.requests[0].headers["Authorization"] == "Bearer s3cret-token"


def test_requests_share_one_keep_alive_connection() -> None:
    """Against a server that keeps connections open, every request uses the same one."""
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND)], default=lambda r: (207, {}, listing()))
    with serve(script) as base, CalDAVCalendar(f"{base}/cal/") as calendar:
        for _ in range(5):
            calendar.list()
    assert len(script.requests) == 6
    assert len({request.client_port for request in script.requests}) == 1


def test_put_without_an_etag_is_followed_by_a_propfind() -> None:
    """A server that answers PUT with no ETag is asked for it with one PROPFIND of the item."""
    etag_answer = (
        b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response>'
        b'<D:href>/cal/a.ics</D:href><D:propstat><D:prop><D:getetag>"v1"</D:getetag></D:prop>'
        b"<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND), (201, {}, b""), (207, {}, etag_answer)])
    with serve(script) as base, CalDAVCalendar(f"{base}/cal/") as calendar:
        assert calendar.create("a.ics", event("a@example.org")) == ("a.ics", '"v1"')
    put, propfind = script.requests[1:]
    assert (put.method, put.headers["If-None-Match"]) == ("PUT", "*")
    assert (propfind.method, propfind.path, propfind.headers["Depth"]) == (
        "PROPFIND",
        "/cal/a.ics",
        "0",
    )


def test_sync_token_refused_with_500_falls_back_to_a_full_listing() -> None:
    """A server that answers a stale token with 500 gets one token-less REPORT instead."""
    full = (
        b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response>'
        b'<D:href>/cal/a.ics</D:href><D:propstat><D:prop><D:getetag>"v1"</D:getetag></D:prop>'
        b"<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        b"<D:sync-token>new</D:sync-token></D:multistatus>"
    )
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND), (500, {}, b""), (207, {}, full)])
    with serve(script) as base, CalDAVCalendar(f"{base}/cal/") as calendar:
        changes = calendar.changes("old")
    assert changes is not None
    assert (changes.token, dict(changes.changed), changes.complete) == (
        "new",
        {"a.ics": '"v1"'},
        True,
    )
    assert b"<D:sync-token>old</D:sync-token>" in script.requests[1].body
    assert b"<D:sync-token></D:sync-token>" in script.requests[2].body


def test_truncated_sync_report_is_continued() -> None:
    """A 507 on the collection itself means more to come: ask again with the new token."""
    page = (
        '<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response>'
        '<D:href>/cal/{name}</D:href><D:propstat><D:prop><D:getetag>"{name}"</D:getetag></D:prop>'
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>{more}"
        "<D:sync-token>{token}</D:sync-token></D:multistatus>"
    )
    more = (
        "<D:response><D:href>/cal/</D:href>"
        "<D:status>HTTP/1.1 507 Insufficient Storage</D:status></D:response>"
    )
    first = page.format(name="a.ics", more=more, token="t1").encode()
    second = page.format(name="b.ics", more="", token="t2").encode()
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND), (207, {}, first), (207, {}, second)])
    with serve(script) as base, CalDAVCalendar(f"{base}/cal/") as calendar:
        changes = calendar.changes(None)
    assert changes is not None
    assert (changes.token, sorted(changes.changed)) == ("t2", ["a.ics", "b.ics"])
    assert b"<D:sync-token>t1</D:sync-token>" in script.requests[2].body


def test_multiget_that_leaves_out_an_href_reports_it_missing() -> None:
    """An href the server silently drops from a multiget answer counts as missing."""
    answer = (
        b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"'
        b' xmlns:C="urn:ietf:params:xml:ns:caldav"><D:response><D:href>/cal/a.ics</D:href>'
        b'<D:propstat><D:prop><D:getetag>"1"</D:getetag>'
        b"<C:calendar-data>BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n</C:calendar-data></D:prop>"
        b"<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND), (207, {}, answer)])
    with serve(script) as base, CalDAVCalendar(f"{base}/cal/") as calendar:
        items, missing = calendar.get(["a.ics", "b.ics"])
    assert [item.href for item in items] == ["a.ics"]
    assert missing == {"b.ics"}
    assert b"limit" not in script.requests[1].body


def test_a_document_type_in_an_answer_is_refused() -> None:
    """XML with a DTD (a way to expand entities without end) is never parsed."""
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><D:multistatus xmlns:D="DAV:"/>'
    script = Script(answers=[(207, {}, CALENDAR_PROPFIND), (207, {}, bomb)])
    with (
        serve(script) as base,
        CalDAVCalendar(f"{base}/cal/") as calendar,
        pytest.raises(CalendarError, match="document type"),
    ):
        calendar.list()


# -- TLS -------------------------------------------------------------------------------------

TLS_CERT: list[str] = []  # the test server's certificate, once made


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate (made with openssl)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    TLS_CERT[:] = [str(cert)]
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        def do_PROPFIND(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(207)
            self.send_header("Content-Length", str(len(CALENDAR_PROPFIND)))
            self.end_headers()
            self.wfile.write(CALENDAR_PROPFIND)

        def log_message(self, format: str, *args: object) -> None:
            """Keep quiet."""

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/cal/"
    server.shutdown()
    server.server_close()


def test_tls_certificates_are_verified_by_default(tls_server: str) -> None:
    """A self-signed certificate is refused unless verification is turned off explicitly."""
    calendar = CalDAVCalendar(tls_server, retry=RetryPolicy(attempts=1))
    assert calendar.verify is True
    with pytest.raises(TransportError, match=r"SSL|certificate"):
        calendar.url  # noqa: B018
    calendar.close()
    unverified = CalDAVCalendar(tls_server, verify=False, retry=RetryPolicy(attempts=1))
    with pytest.warns(Warning, match="Unverified HTTPS"):
        assert unverified.url == tls_server
    unverified.close()


def test_tls_certificate_can_be_checked_against_a_ca_bundle(tls_server: str) -> None:
    """verify= the path of a CA bundle trusts the certificates it holds."""
    with CalDAVCalendar(tls_server, verify=TLS_CERT[0], retry=RetryPolicy(attempts=1)) as calendar:
        assert calendar.url == tls_server
