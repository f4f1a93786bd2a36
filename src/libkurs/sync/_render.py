"""One session as one calendar object resource: the VEVENT a sync writes for it.

Each session becomes a VCALENDAR with one VEVENT (and the VTIMEZONEs it needs), written by the
iCalendar format (:mod:`libkurs.formats.ics`) exactly as its public feed writes that session:
same UID (``<session id>@<uid_domain>``), same SEQUENCE, STATUS:CANCELLED for a cancelled
session. Two marks are added to the VEVENT (see :mod:`libkurs.sync._content`):
``X-LIBKURS-CATALOGUE`` and ``X-LIBKURS-HASH``. ORGANIZER and ATTENDEE, if any, get
``SCHEDULE-AGENT=CLIENT`` unless server-side scheduling is asked for, so that no server mails
invitations on its own.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable

from libkurs.formats.ics import calendar_object
from libkurs.model import Catalogue, Event, Session
from libkurs.sync._content import HASH_PROPERTY, MARKER_PROPERTY, content_hash
from libkurs.sync._protocol import check_name

__all__ = ["Desired", "href_for", "render_session"]

_PLAIN_UID = re.compile(r"[A-Za-z0-9_@.-]{1,150}")
_UNSAFE = re.compile(r"[^A-Za-z0-9_@-]+")
_SCHEDULED = re.compile(r"^(ORGANIZER|ATTENDEE)([;:])", re.IGNORECASE)


class Desired:
    """What the calendar should hold for one session: UID and href at once, the bytes lazily.

    The bytes and their content hash are made on first use (once, whichever thread asks
    first), so that a sync can render the items it creates while it waits for the server.
    """

    __slots__ = ("_lock", "_made", "_make", "href", "session", "uid")

    def __init__(self, *, uid: str, session: str, make: Callable[[], tuple[bytes, str]]) -> None:
        self.uid = uid
        self.session = session
        self.href = href_for(uid)
        self._make = make
        self._made: tuple[bytes, str] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Desired {self.uid}>"

    def _get(self) -> tuple[bytes, str]:
        with self._lock:
            if self._made is None:
                self._made = self._make()
            return self._made

    @property
    def data(self) -> bytes:
        """The item, as UTF-8 iCalendar."""
        return self._get()[0]

    @property
    def hash(self) -> str:
        """The content hash of :attr:`data`."""
        return self._get()[1]


def href_for(uid: str) -> str:
    """The name of the item for *uid*: the same on every machine, safe on every server.

    >>> href_for("kurs-1@libkurs")
    'kurs-1@libkurs.ics'
    >>> href_for("a b/c@x")
    'a-b-c@x-2bb92e05fe5cdf80.ics'
    """
    if _PLAIN_UID.fullmatch(uid) and not uid.startswith(".") and ".." not in uid:
        return check_name(f"{uid}.ics")
    digest = hashlib.sha256(uid.encode("utf-8")).hexdigest()[:16]
    return check_name(f"{_UNSAFE.sub('-', uid)[:100].strip('-')}-{digest}.ics")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a character."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def _client_scheduling(text: str) -> str:
    """Add ``SCHEDULE-AGENT=CLIENT`` to every ORGANIZER and ATTENDEE that says nothing."""
    if not re.search(r"^(ORGANIZER|ATTENDEE)[;:]", text, re.IGNORECASE | re.MULTILINE):
        return text
    lines = []
    for line in _unfold(text):
        new = line
        if line and _SCHEDULED.match(line) and "SCHEDULE-AGENT=" not in line.upper():
            new = _SCHEDULED.sub(r"\1;SCHEDULE-AGENT=CLIENT\2", line, count=1)
        lines.append(_fold(new) if new else "")
    return "".join(lines)


def render_session(
    catalogue: Catalogue,
    event: Event,
    session: Session,
    *,
    key: str,
    uid_domain: str,
    language: str | None = None,
    server_scheduling: bool = False,
) -> Desired:
    """The item a sync writes for *session* of *event*, marked for the catalogue *key*.

    *catalogue* is the view to write from (the public view, unless the caller asked for more).
    Nothing is rendered until the item's data or hash is first asked for.
    """

    def make() -> tuple[bytes, str]:
        text = calendar_object(
            catalogue,
            event,
            session,
            uid_domain=uid_domain,
            language=language,
            extra=[(MARKER_PROPERTY, key)],
        )
        if not server_scheduling:
            text = _client_scheduling(text)
        digest = content_hash(text.encode("utf-8"))
        stamp = f"{HASH_PROPERTY}:{digest}\r\n"  # short and plain: no folding or escaping
        stamped = text.replace("END:VEVENT\r\n", f"{stamp}END:VEVENT\r\n", 1)
        return stamped.encode("utf-8"), digest

    return Desired(uid=f"{session.id}@{uid_domain}", session=session.id, make=make)
