"""A loopback proxy in front of a real CalDAV server that behaves like a libical-based one.

Servers built on libical (Cyrus IMAP, which large hosted mail services run) store what they
are given only after rewriting it: properties libical 3.0 does not know (REFID, LINK) are
dropped, lines are unfolded and folded again at another width, VTIMEZONEs go first under a
TZID of their own, properties come back in another order, PRODID and DTSTAMP are the server's
and it adds properties of its own. :func:`libical_rewrite` does all of that to the body of
every PUT; the proxy forwards everything else to the server as it is.

The proxy can also refuse PUTs, as Cyrus does for a UID that exists in another calendar of the
same user (403 with ``unique-scheduling-object-resource``): pass ``refuse``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from sync.forwarding import QuietServer, forward, reply, running

_UNKNOWN_TO_LIBICAL = ("REFID", "LINK")
_CYRUS_TZID = "/freeassociation.sourceforge.net/"

#: A refusal: (status, body), or None to forward the request.
Refusal = tuple[int, bytes] | None

PRECONDITION_403 = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:" '
    b'xmlns:C="urn:ietf:params:xml:ns:caldav"><C:unique-scheduling-object-resource/>'
    b"</D:error>"
)


def _fold(line: str, width: int) -> list[str]:
    out, current, size = [], "", 0
    for char in line:
        length = len(char.encode())
        if size + length > width:
            out.append(current)
            current, size = "\t", 1
        current += char
        size += length
    return [*out, current]


def _rewritten(name: str, line: str, zones: set[str]) -> str:
    for zone in zones:  # a TZID of the server's own, in the VTIMEZONE and every parameter
        line = line.replace(f"TZID:{zone}", f"TZID:{_CYRUS_TZID}{zone}")
        line = line.replace(f"TZID={zone}:", f"TZID={_CYRUS_TZID}{zone}:")
    if name == "PRODID":
        return "PRODID:-//CyrusIMAP.org/Cyrus 3.8.0//EN"
    if name == "DTSTAMP":
        return "DTSTAMP:20991231T235959Z"
    if name == "URL":
        return line.replace(";VALUE=URI", "")
    if name == "DESCRIPTION":
        return line.replace("\\n", "\\N")
    if name == "GEO":
        latitude, longitude = line.split(":", 1)[1].split(";")
        return f"GEO:{float(latitude):.6f};{float(longitude):.6f}"
    return line


def libical_rewrite(text: str) -> str:
    """*text* as a libical-based server stores it: same meaning, other bytes."""
    lines = text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    zones = {m.group(1) for line in lines if (m := re.match(r"TZID:(.+)$", line))}
    kept: list[str] = []
    for original in lines:
        name = re.split(r"[;:]", original, maxsplit=1)[0].upper()
        if name in _UNKNOWN_TO_LIBICAL:
            continue
        kept.append(_rewritten(name, original, zones))
    # the VEVENT's properties in reverse order, with the server's own added
    start = kept.index("BEGIN:VEVENT")
    end = kept.index("END:VEVENT")
    body = list(reversed(kept[start + 1 : end]))
    body += ["CREATED:20991231T235959Z", "X-CYRUS-INDEXED:1", "TRANSP:OPAQUE"]
    kept = [*kept[: start + 1], *body, *kept[end:]]
    folded = [part for line in kept if line for part in _fold(line, 60)]
    return "\r\n".join(folded) + "\r\n"


def _handler(
    upstream: int, rewrite: Callable[[str], str], refuse: Callable[[str, bytes], Refusal]
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Keep quiet."""

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.command == "PUT":
                refusal = refuse(self.path, body)
                if refusal is not None:
                    status, answer = refusal
                    reply(self, status, [("Content-Type", "application/xml")], answer)
                    return
                body = rewrite(body.decode("utf-8")).encode("utf-8")
            status, kept, data = forward(self, upstream, body)
            reply(self, status, kept, data)

        do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_HEAD = _forward  # noqa: N815
        do_OPTIONS = do_MKCALENDAR = _forward  # noqa: N815

    return Handler


def _forward_all(_path: str, _body: bytes) -> Refusal:
    return None


@contextmanager
def rewriting_proxy(
    upstream_port: int,
    *,
    rewrite: Callable[[str], str] = libical_rewrite,
    refuse: Callable[[str, bytes], Refusal] = _forward_all,
    lifetime: float = 300,
) -> Iterator[int]:
    """Run the proxy in front of 127.0.0.1:*upstream_port*; yield the proxy's port."""
    server = QuietServer(("127.0.0.1", 0), _handler(upstream_port, rewrite, refuse))
    with running(server, lifetime) as port:
        yield port
