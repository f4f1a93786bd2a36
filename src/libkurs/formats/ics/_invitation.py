"""Personal invitations: iTIP (RFC 5546) METHOD:REQUEST and METHOD:CANCEL for one attendee.

An invitation is private by nature: it is written from the full catalogue, not the public
view, and carries the join link, as an RFC 7986 CONFERENCE property and in the DESCRIPTION
for the many programs that do not read CONFERENCE, and the room's access note.

One message per session: iTIP allows one UID per message, and each session has its own UID
(the same as in the public feed, so the invitation and the feed speak of the same thing).
ORGANIZER and ATTENDEE carry ``SCHEDULE-AGENT=CLIENT`` unless the caller asks for server
scheduling: a CalDAV server that sees them must not send mail of its own.

SEQUENCE is the session's (event's plus session's revision) plus the attendee's revision; a
cancelled enrolment adds one more, so the CANCEL outranks the REQUEST before it. A cancelled
session (or event) is a CANCEL with the session's own, already raised, SEQUENCE.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from libkurs.errors import ValidationError
from libkurs.formats.ics._export import Writer, conference_line, label
from libkurs.formats.ics._lines import content_line
from libkurs.formats.ics._types import Attendee
from libkurs.model import Catalogue, Event, Session, Status

__all__ = ["Invitation", "invitations"]


@attrs.frozen(kw_only=True)
class Invitation:
    """One iTIP message: for which session, with which UID and method, and its text."""

    session: str
    uid: str
    method: str
    """``REQUEST`` or ``CANCEL``."""
    sequence: int
    text: str


def _sessions(catalogue: Catalogue, target: str) -> list[tuple[Event, Session]]:
    for event in catalogue.events:
        if event.id == target:
            return [(event, s) for s in event.sessions]
        for run in event.runs:
            if run.id == target:
                return [(event, s) for s in event.sessions_of(run)]
        for session in event.sessions:
            if session.id == target:
                return [(event, session)]
    for programme in catalogue.programmes:
        if programme.id == target:
            return [(e, s) for m in programme.modules for e, s in _sessions(catalogue, m)]
    raise KeyError(target)


def _organiser(catalogue: Catalogue, event: Event, organiser: Attendee | None) -> Attendee:
    if organiser is not None:
        return organiser
    for person_id in event.contacts:
        person = catalogue.person(person_id)
        if person.email is not None:
            return Attendee(email=person.email, name=person.name)
    raise ValidationError(
        "an invitation needs an organiser: pass organiser=, or give the event a contact "
        "person with an e-mail address",
        path=f"events[{catalogue.events.index(event)}].contacts",
    )


def _address(
    name: str, person: Attendee, extra: list[tuple[str, str]], server_scheduling: bool
) -> str:
    params = [("CN", person.name)] if person.name else []
    params += extra
    if not server_scheduling:
        params.append(("SCHEDULE-AGENT", "CLIENT"))
    return content_line(name, f"mailto:{person.email}", params)


def invitations(
    catalogue: Catalogue,
    target: str,
    attendee: Attendee,
    *,
    organiser: Attendee | None = None,
    language: str | None = None,
    second_language: str | None = None,
    uid_domain: str = "libkurs",
    now: datetime | None = None,
    server_scheduling: bool = False,
) -> tuple[Invitation, ...]:
    """The iTIP messages that tell *attendee* about *target*: one per session.

    *target* is the id of what the person enrolled in: an event, one run of it, a session,
    or a programme (every session of its modules).

    Raises:
        KeyError: nothing in the catalogue has the id *target*.
        ValidationError: no organiser is given and the event has no contact with an e-mail.
    """
    found = []
    writer = Writer(
        catalogue,
        language=language,
        second_language=second_language,
        uid_domain=uid_domain,
        now=now,
        last_modified=None,
    )
    for event, session in _sessions(catalogue, target):
        writer.zones = {}
        boss = _organiser(catalogue, event, organiser)
        gone = Status.CANCELLED in {event.status, session.status}
        cancel = gone or attendee.cancelled
        sequence = event.revision + session.revision + attendee.revision
        if attendee.cancelled and not gone:
            sequence += 1
        partstat = "DECLINED" if attendee.cancelled else "ACCEPTED"
        extra = [
            _address("ORGANIZER", boss, [], server_scheduling),
            _address(
                "ATTENDEE",
                attendee,
                [
                    ("CUTYPE", "INDIVIDUAL"),
                    ("ROLE", "REQ-PARTICIPANT"),
                    ("PARTSTAT", partstat),
                    ("RSVP", "FALSE"),
                ],
                server_scheduling,
            ),
        ]
        where = event.location_of(session)
        room = where.online if where is not None else None
        postscript = None
        if room is not None and room.join_url and not cancel:
            extra.append(conference_line(room.join_url, room.platform))
            postscript = f"{label('join', writer.language)}: {room.join_url}"
            if room.access_note:
                postscript += f"\n{room.access_note}"
        method = "CANCEL" if cancel else "REQUEST"
        vevent = writer.vevent(
            event, session, extra=extra, sequence=sequence, cancelled=cancel, postscript=postscript
        )
        found.append(
            Invitation(
                session=session.id,
                uid=writer.uid(session.id),
                method=method,
                sequence=sequence,
                text=writer.calendar([vevent], method=method),
            )
        )
    return tuple(found)
