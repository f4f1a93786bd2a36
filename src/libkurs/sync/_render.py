"""One session as one calendar object resource: the VEVENT a sync writes for it.

Each session becomes a VCALENDAR with one VEVENT (and the VTIMEZONEs it needs), written by the
iCalendar format (:func:`libkurs.formats.ics.calendar_object`, the only writer of iCalendar
text) as its public feed writes that session: same UID (``<session id>@<uid_domain>``),
STATUS:CANCELLED for a cancelled session. What the sync decides itself it passes to that
writer: DTSTAMP (the time of writing), SEQUENCE (see :mod:`libkurs.sync._plan`),
LAST-MODIFIED, and two marks (see :mod:`libkurs.sync._content`): ``X-LIBKURS-CATALOGUE`` and
``X-LIBKURS-HASH``. The items carry no ORGANIZER or ATTENDEE, so no server mails invitations
for them.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from datetime import datetime

from libkurs._version import __version__
from libkurs.model import Catalogue, Event, Session
from libkurs.sync._content import HASH_PROPERTY, MARKER_PROPERTY, rendered_hash
from libkurs.sync._protocol import check_name

__all__ = [
    "Desired",
    "event_digest",
    "fingerprint",
    "href_for",
    "render_context",
    "render_session",
]

#: Raise when the same catalogue data come to render differently (a change of the writer):
#: every fingerprint kept in a sync state then differs, and each item is rendered again.
_RENDERING = 2

_PLAIN_UID = re.compile(r"[A-Za-z0-9_@.-]{1,150}")
_UNSAFE = re.compile(r"[^A-Za-z0-9_@-]+")

#: Renders the item at a SEQUENCE, given its content hash (None: a first rendering to hash).
Render = Callable[[int, str | None], str]


class Desired:
    """What the calendar should hold for one session: UID and href at once, the bytes lazily.

    Attributes:
        uid: The item's UID.
        session: The session's id.
        href: Where a new item goes.
        sequence: The SEQUENCE the catalogue gives it (its event's revision plus its own).
        fingerprint: A digest of everything it is rendered from (see :func:`fingerprint`), or
            None: two items with one fingerprint have one content hash.

    The content hash and the bytes at :attr:`sequence` are made on first use (once, whichever
    thread asks first), so that a sync can render the items it creates while it waits for the
    server; :meth:`data_at` renders the item again at a higher SEQUENCE.
    """

    __slots__ = (
        "_lock",
        "_made",
        "_render",
        "fingerprint",
        "href",
        "sequence",
        "session",
        "uid",
    )

    def __init__(
        self,
        *,
        uid: str,
        session: str,
        sequence: int,
        render: Render,
        fingerprint: str | None = None,
    ) -> None:
        self.uid = uid
        self.fingerprint = fingerprint
        self.session = session
        self.sequence = sequence
        self.href = href_for(uid)
        self._render = render
        self._made: tuple[bytes, str] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Desired {self.uid}>"

    def _get(self) -> tuple[bytes, str]:
        with self._lock:
            if self._made is None:
                digest = rendered_hash(self._render(self.sequence, None))
                self._made = self._render(self.sequence, digest).encode("utf-8"), digest
            return self._made

    @property
    def data(self) -> bytes:
        """The item at :attr:`sequence`, as UTF-8 iCalendar."""
        return self._get()[0]

    @property
    def hash(self) -> str:
        """The content hash of :attr:`data` (the same at any SEQUENCE)."""
        return self._get()[1]

    def data_at(self, sequence: int | None) -> bytes:
        """The item with SEQUENCE *sequence* (None: :attr:`sequence`)."""
        if sequence is None or sequence == self.sequence:
            return self.data
        return self._render(sequence, self.hash).encode("utf-8")


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


def render_context(
    catalogue: Catalogue, *, key: str, uid_domain: str, language: str | None
) -> bytes:
    """A digest of what every item of *catalogue* is rendered from besides its event.

    The catalogue's name and everything a session's item looks up in it (venues,
    organisations, people, programmes), the options, the writer's version and the rendering
    constant: the parts of :func:`fingerprint` that all items share, made once per sync.
    """
    shared = (
        _RENDERING,
        __version__,
        key,
        uid_domain,
        language,
        catalogue.name,
        catalogue.id,
        catalogue.publisher,
        catalogue.programmes,
        catalogue.organisations,
        catalogue.people,
        catalogue.venues,
    )
    return hashlib.sha256(repr(shared).encode("utf-8", "surrogatepass")).digest()


def fingerprint(context: bytes, event: bytes, session: Session) -> str:
    """The fingerprint of *session*'s item: what it is rendered from, digested.

    *context* comes from :func:`render_context`, *event* from :func:`event_digest` (the
    session's event, its sessions included); the session's id picks the session. The model
    is frozen and its ``repr`` shows every field (times with their zone) but an online room's
    join link and access note, which no sync item carries, so equal
    fingerprints mean equal inputs to :func:`libkurs.formats.ics.calendar_object`, whose output
    differs then only in DTSTAMP, LAST-MODIFIED and SEQUENCE, which the content hash leaves out.
    """
    digest = hashlib.sha256(context)
    digest.update(event)
    digest.update(session.id.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def event_digest(event: Event) -> bytes:
    """A digest of *event* as the model holds it, its sessions and runs included."""
    return hashlib.sha256(repr(event).encode("utf-8", "surrogatepass")).digest()


def render_session(
    catalogue: Catalogue,
    event: Event,
    session: Session,
    *,
    key: str,
    uid_domain: str,
    language: str | None = None,
    now: datetime | None = None,
    fingerprint: str | None = None,
) -> Desired:
    """The item a sync writes for *session* of *event*, marked for the catalogue *key*.

    *catalogue* is the view to write from (the public view, unless the caller asked for more);
    *now* is the time of writing: DTSTAMP and LAST-MODIFIED (an item is written only when its
    content changed). Nothing is rendered until the item's data or hash is first asked for.
    """

    def render(sequence: int, digest: str | None) -> str:
        """The item; without *digest*, a copy only to hash (VTIMEZONEs found by name left out)."""
        extra = [(MARKER_PROPERTY, key)]
        if digest is not None:
            extra.append((HASH_PROPERTY, digest))
        from libkurs.formats.ics import calendar_object  # only to render: a no-op renders none

        return calendar_object(
            catalogue,
            event,
            session,
            timezones=digest is not None,
            uid_domain=uid_domain,
            language=language,
            extra=extra,
            now=now,
            sequence=sequence,
            modified=now,
        )

    return Desired(
        uid=f"{session.id}@{uid_domain}",
        session=session.id,
        sequence=event.revision + session.revision,
        render=render,
        fingerprint=fingerprint,
    )
