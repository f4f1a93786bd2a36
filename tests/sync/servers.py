"""Helpers for tests against real CalDAV servers: the test user, and new calendars."""

from __future__ import annotations

import base64
import http.client
import itertools
from pathlib import Path

import attrs

USER = "kursadmin"
PASSWORD = "h3mligt-lösenord"  # Radicale's auth=none takes any password; tests look for it


@attrs.frozen
class Server:
    """A running CalDAV server: where it listens and where a user's calendars go."""

    name: str
    port: int
    home: str  # the path of the calendar home, ending in "/"
    principal: str  # the path of the user's principal, ending in "/"
    log: Path

    @property
    def root(self) -> str:
        """The server's URL."""
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str) -> str:
        """The URL of *path* on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        """Send one raw request (as the test user) and return the status and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        try:
            connection.request(method, path, body=body, headers={"Authorization": f"Basic {token}"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


_numbers = itertools.count(1)


def make_calendar(server: Server, prefix: str = "cal") -> str:
    """Make a new, empty calendar collection on *server*, named *prefix* and a number."""
    name = f"{prefix}{next(_numbers)}"
    path = f"{server.home}{name}/"
    status, body = server.request("MKCALENDAR", path)
    assert status == 201, (status, body)
    return server.url(path)
