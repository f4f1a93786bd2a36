"""Personal invitations: iTIP (RFC 5546) METHOD:REQUEST and METHOD:CANCEL for one attendee.

An invitation is private by nature: it is written from the full catalogue, not the public
view, and carries the join link, as an RFC 7986 CONFERENCE property and in the DESCRIPTION
for the many programs that do not read CONFERENCE, and the room's access note.

One message per session: iTIP allows one UID per message, and each session has its own UID
(the same as in the public feed, so the invitation and the feed speak of the same thing).
ORGANIZER and ATTENDEE carry ``SCHEDULE-AGENT=CLIENT`` unless the caller asks for server
scheduling: a CalDAV server that sees them must not send mail of its own.

Who gets what follows the enrolment's status: a confirmed enrolment gets a REQUEST (with
the join link); a declined, withdrawn, cancelled or rejected one a CANCEL (without it); an
enrolment still waiting for a place (requested, waitlisted, offered) gets nothing, and asking
for its invitation is an error, so a join link never reaches someone without a place.

SEQUENCE is the session's (event's plus session's revision) plus the attendee's revision, the
number of status changes of the enrolment: every change, a cancellation as much as a
re-enrolment after it, raises it by one, so each message outranks the one before. A
cancelled session (or event) is a CANCEL with the session's own, already raised, SEQUENCE.
A sender that remembers what it sent passes ``min_sequence`` (one more than the last SEQUENCE
it sent for the UID), so a message never ranks below one sent before (a new enrolment after a
withdrawal starts its own history again).

An invitation to be mailed (iMIP, RFC 6047: ``imip=True``) asks for a reply: the attendee is
``PARTSTAT=NEEDS-ACTION;RSVP=TRUE`` on a REQUEST, and no ``SCHEDULE-AGENT`` is written, a
CalDAV (RFC 6638) parameter that has no place in mail. Its ORGANIZER is the sender, or the
organiser with ``SENT-BY`` the sender (``sent_by``); :func:`organiser_of` makes an organiser of
an :class:`~libkurs.Organisation` of the catalogue and an address.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from libkurs.enrolment import ParticipationMode, Register
from libkurs.errors import UnresolvedReferenceError, ValidationError
from libkurs.formats.ics._common import label
from libkurs.formats.ics._export import Writer, conference_line, guard_overflow
from libkurs.formats.ics._lines import content_line
from libkurs.formats.ics._types import Attendee
from libkurs.model import Catalogue, Event, Session, Status

__all__ = ["Invitation", "invitation_for", "invitations", "organiser_of"]


@attrs.frozen(kw_only=True)
class Invitation:
    """One iTIP message: for which session, with which UID and method, and its text."""

    session: str
    uid: str
    method: str
    """``REQUEST`` or ``CANCEL``."""
    sequence: int
    revision: int = 0
    """The SEQUENCE the session and the enrolment call for, before ``min_sequence``."""
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
    raise UnresolvedReferenceError(
        target, expected="programme, event, run or session", path="target"
    )


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


def organiser_of(
    catalogue: Catalogue, organisation: str, *, email: str, language: str | None = None
) -> Attendee:
    """The organiser of invitations: *organisation*'s name (in *language*) and *email*.

    >>> import libkurs.examples
    >>> boss = organiser_of(
    ...     libkurs.examples.catalogue(), "rfv", email="kurs@example.fi", language="fi"
    ... )
    >>> boss.email, boss.name
    ('kurs@example.fi', 'Aluehallintovirasto')

    Raises:
        UnknownIdError: no organisation has the id *organisation*.
        ValidationError: *email* is not an e-mail address.
    """
    found = catalogue.organisation(organisation)
    name = found.name.best(language) if language else found.name.best()
    return Attendee(email=email, name=" ".join(name.split()))


def _address(
    name: str,
    person: Attendee,
    extra: list[tuple[str, str]],
    server_scheduling: bool,
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
    sessions: Sequence[str] = (),
    imip: bool = False,
    sent_by: str | None = None,
    min_sequence: int = 0,
    remote: bool | None = None,
) -> tuple[Invitation, ...]:
    """The iTIP messages that tell *attendee* about *target*: one per session.

    *target* is the id of what the person enrolled in: an event, one run of it, a session,
    or a programme (every session of its modules). *sessions*, when given, are the only
    sessions of the target written (the person's choice of sessions). With *imip*, the
    messages are for mail (RFC 6047): the attendee is asked to reply and no SCHEDULE-AGENT is
    written; *sent_by* is the address that sends for the organiser. No message has a SEQUENCE
    below *min_sequence*. *remote* says how the attendee takes part: the join link and the
    access note go to a remote attendee, and to every attendee of a session that has no venue
    (online only), but not to one on site (``remote=False``) at a hybrid session; ``None``
    gives them to every confirmed attendee.

    Raises:
        UnresolvedReferenceError: nothing in the catalogue has the id *target*, or a session
            of *sessions* is not one of the target's.
        ValidationError: the attendee is still waiting for a place (requested, waitlisted,
            offered), or no organiser is given and the event has no contact with an e-mail.
    """
    if attendee.waiting:
        raise ValidationError(
            f"no invitation for an enrolment that is {attendee.status.value}: only a confirmed "
            "enrolment gets a REQUEST, and only an ended one a CANCEL",
            path="status",
        )
    chosen = _sessions(catalogue, target)
    if sessions:
        known = {s.id for _, s in chosen}
        for index, wanted in enumerate(sessions):
            if wanted not in known:
                raise UnresolvedReferenceError(
                    wanted, expected=f"session of {target!r}", path=f"sessions[{index}]"
                )
        chosen = [(e, s) for e, s in chosen if s.id in set(sessions)]
    if sent_by is not None:
        sent_by = Attendee(email=sent_by).email  # checked as an address: one line, no quotes
    with guard_overflow():
        return _write(
            catalogue,
            chosen,
            attendee,
            organiser=organiser,
            language=language,
            second_language=second_language,
            uid_domain=uid_domain,
            now=now,
            server_scheduling=server_scheduling or imip,
            imip=imip,
            sent_by=sent_by,
            min_sequence=min_sequence,
            remote=remote,
        )


def _write(
    catalogue: Catalogue,
    chosen: list[tuple[Event, Session]],
    attendee: Attendee,
    *,
    organiser: Attendee | None,
    language: str | None,
    second_language: str | None,
    uid_domain: str,
    now: datetime | None,
    server_scheduling: bool,
    imip: bool,
    sent_by: str | None,
    min_sequence: int,
    remote: bool | None,
) -> tuple[Invitation, ...]:
    found = []
    writer = Writer(
        catalogue,
        language=language,
        second_language=second_language,
        uid_domain=uid_domain,
        now=now,
        last_modified=None,
    )
    for event, session in chosen:
        writer.zones = {}
        boss = _organiser(catalogue, event, organiser)
        gone = Status.CANCELLED in {event.status, session.status}
        cancel = gone or attendee.cancelled
        revision = event.revision + session.revision + attendee.revision
        sequence = max(revision, min_sequence)
        partstat = "DECLINED" if attendee.cancelled else "ACCEPTED"
        ask = imip and not cancel
        if ask:
            partstat = "NEEDS-ACTION"
        on_behalf = [("SENT-BY", f"mailto:{sent_by}")] if sent_by else []
        extra = [
            _address("ORGANIZER", boss, on_behalf, server_scheduling),
            _address(
                "ATTENDEE",
                attendee,
                [
                    ("CUTYPE", "INDIVIDUAL"),
                    ("ROLE", "REQ-PARTICIPANT"),
                    ("PARTSTAT", partstat),
                    ("RSVP", "TRUE" if ask else "FALSE"),
                ],
                server_scheduling,
            ),
        ]
        where = event.location_of(session)
        room = where.online if where is not None else None
        postscript = None
        on_site = remote is False and where is not None and where.venue is not None
        if room is not None and room.join_url and not cancel and not on_site:
            extra.append(conference_line(room.join_url, room.platform))
            language = writer.description_language(event, session)
            postscript = f"{label('join', language)}: {room.join_url}"
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
                revision=revision,
                text=writer.calendar([vevent], method=method),
            )
        )
    return tuple(found)


def invitation_for(
    register: Register,
    catalogue: Catalogue,
    enrolment: str,
    *,
    organiser: Attendee | None = None,
    language: str | None = None,
    second_language: str | None = None,
    uid_domain: str = "libkurs",
    now: datetime | None = None,
    server_scheduling: bool = False,
    imip: bool = False,
    sent_by: str | None = None,
    min_sequence: int = 0,
) -> tuple[Invitation, ...]:
    """The iTIP messages for the enrolment with id *enrolment* of *register*.

    The attendee is the enrolment's participant; the status is the enrolment's, the revision
    the number of entries of its history (so every status change raises SEQUENCE), the
    sessions the ones it chose (all of the target's when it chose none). Without *language*,
    the participant's language of service. The join link goes to a participant enrolled to
    take part remotely, or to anyone at a session with no venue; the other options are those
    of :func:`invitations`.

    Raises:
        UnknownIdError: no enrolment of that id in *register*.
        ValidationError: the participant has no e-mail address (anonymised), or the enrolment
            waits for a place (see :func:`invitations`).
        UnresolvedReferenceError: the target or a chosen session is not in *catalogue*.
    """
    found = register.enrolment(enrolment)
    participant = register.participant(found.participant)
    if participant.email is None:
        raise ValidationError(f"participant {participant.id!r} has no e-mail address", path="email")
    attendee = Attendee(
        email=participant.email,
        name=participant.name,
        status=found.status,
        revision=len(found.history),
    )
    return invitations(
        catalogue,
        found.target,
        attendee,
        organiser=organiser,
        language=language or participant.language,
        second_language=second_language,
        uid_domain=uid_domain,
        now=now,
        server_scheduling=server_scheduling,
        sessions=found.sessions,
        imip=imip,
        sent_by=sent_by,
        min_sequence=min_sequence,
        remote=found.mode is ParticipationMode.REMOTE,
    )
