"""Helpers for the feeds tests: a small catalogue with every kind of thing a filter picks by,
and the feeds application served by waitress on 127.0.0.1 in a thread of the test."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta

from waitress.server import create_server

from libkurs import (
    HELSINKI,
    Address,
    AttendanceMode,
    Catalogue,
    Event,
    EventKind,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    Programme,
    Session,
    Status,
    Venue,
)

__all__ = ["AttendanceMode", "Client", "region_catalogue", "served"]

START = datetime(2030, 3, 4, 9, tzinfo=HELSINKI)
JOIN = "https://meet.example.org/j/secret-room-123"


def _session(id: str, day: int, **kw: object) -> Session:
    begin = START + timedelta(days=day)
    return Session(id=id, start=begin, end=begin + timedelta(hours=3), **kw)


def region_catalogue(title: str = "Regionens kurser") -> Catalogue:
    """Five events: on site in Helsingfors and Åbo, online (with a private join link), a
    cancelled one, a Finnish one; two organisers, a programme, audiences."""
    online = Location(online=OnlineRoom(platform="Zoom", join_url=JOIN))
    return Catalogue(
        id="region",
        name=LocalizedText({"sv": title, "fi": "Alueen koulutukset"}),
        organisations=[
            Organisation(id="rfv", name=LocalizedText({"sv": "RFV"})),
            Organisation(id="ake", name=LocalizedText({"sv": "AKE"})),
        ],
        venues=[
            Venue(
                id="oodi",
                name=LocalizedText({"sv": "Ode", "fi": "Oodi"}),
                address=Address(
                    locality=LocalizedText({"sv": "Helsingfors", "fi": "Helsinki"}),
                    region=LocalizedText({"sv": "Nyland", "fi": "Uusimaa"}),
                ),
            ),
            Venue(
                id="abo",
                name=LocalizedText({"sv": "Åbo stadsbibliotek"}),
                address=Address(
                    locality=LocalizedText({"sv": "Åbo", "fi": "Turku"}),
                    region=LocalizedText({"sv": "Egentliga Finland"}),
                ),
            ),
        ],
        programmes=[
            Programme(
                id="ledarskap",
                title=LocalizedText({"sv": "Ledarskap"}),
                modules=("ledare-1", "webbinar"),
            )
        ],
        events=[
            Event(
                id="ledare-1",
                title=LocalizedText({"sv": "Att leda ett bibliotek", "fi": "Kirjaston johtaminen"}),
                kind=EventKind.COURSE,
                organisers=("rfv",),
                languages=("sv",),
                audience=LocalizedText({"sv": "Bibliotekschefer"}),
                location=Location(venue="oodi"),
                sessions=[_session("ledare-1-a", 0), _session("ledare-1-b", 1)],
            ),
            Event(
                id="webbinar",
                title=LocalizedText({"sv": "Webbinarium om e-böcker", "fi": "E-kirjawebinaari"}),
                kind=EventKind.WEBINAR,
                organisers=("ake",),
                languages=("sv", "fi"),
                location=online,
                sessions=[_session("webbinar-1", 2)],
            ),
            Event(
                id="seminarium-abo",
                title=LocalizedText({"sv": "Seminarium i Åbo", "fi": "Seminaari Turussa"}),
                kind=EventKind.SEMINAR,
                organisers=("rfv",),
                languages=("sv",),
                audience=LocalizedText({"sv": "Barnbibliotekarier"}),
                location=Location(venue="abo"),
                sessions=[
                    _session("abo-1", 10),
                    _session("abo-2", 11, status=Status.CANCELLED),
                ],
            ),
            Event(
                id="inhibert",
                title=LocalizedText({"sv": "Inhiberad kurs"}),
                kind=EventKind.COURSE,
                status=Status.CANCELLED,
                organisers=("ake",),
                location=Location(venue="oodi"),
                sessions=[_session("inhibert-1", 40)],
            ),
            Event(
                id="kurssi-fi",
                title=LocalizedText({"fi": "Suomenkielinen kurssi"}),
                kind=EventKind.WORKSHOP,
                organisers=("ake",),
                languages=("fi",),
                location=Location(venue="oodi", online=OnlineRoom(platform="Teams")),
                sessions=[_session("kurssi-fi-1", 60)],
            ),
        ],
    )


class Client:
    """A plain HTTP/1.1 client on one keep-alive connection, as curl would send."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def request(
        self, method: str, path: str, headers: Mapping[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        self.connection.request(method, path, headers=dict(headers or {}))
        response = self.connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def close(self) -> None:
        self.connection.close()


@contextmanager
def served(application: object, statuses: list[str] | None = None) -> Iterator[int]:
    """Serve *application* with waitress on a free port of 127.0.0.1; yield the port.

    With *statuses*, every answer's status line is appended to it (a recording wrapper).
    """

    def recording(environ, start_response):  # type: ignore[no-untyped-def]
        def start(status, headers, *args):  # type: ignore[no-untyped-def]
            if statuses is not None:
                statuses.append(status)
            return start_response(status, headers, *args)

        return application(environ, start)  # type: ignore[operator]

    server = create_server(recording, host="127.0.0.1", port=0, threads=4)
    closing = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:
            # Closing the sockets from this thread can wake the server's select() with
            # EBADF: that is the server stopping, as asked.
            if not closing.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)
    finally:
        closing.set()
        server.close()
        thread.join(timeout=10)
