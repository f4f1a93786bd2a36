"""Replies back into enrolment: iMIP METHOD:REPLY messages (RFC 6047, RFC 5546 §3.2.3).

A participant who presses *Decline* in Outlook, Gmail or Apple Calendar sends a REPLY with
``PARTSTAT=DECLINED``; :func:`apply_replies` reads it and withdraws the enrolment, so the place
goes to the next person on the waiting list (who gets a REQUEST on the next delivery), and
records the decline in the journal, so the decliner gets no CANCEL for what their own calendar
already dropped. A decline of one session of an enrolment withdraws the whole enrolment (its
other sessions then get a CANCEL). ``ACCEPTED`` and ``TENTATIVE`` are recorded on the
enrolment (:attr:`Enrolment.responses <libkurs.enrolment.Enrolment.responses>`, which is not its
status history, so no invitation's SEQUENCE rises for it) and in the journal
(:meth:`Journal.replies <libkurs.invitations.Journal.replies>`).

A reply is matched by UID and attendee against the last message the journal says was sent
to that address, and refused (reported, nothing changed) when:

- the UID or the attendee is unknown (never sent, or the enrolment is gone);
- its SEQUENCE is older than the last message sent (it answers an invitation since replaced);
- its ORGANIZER is not the one the invitation named (forged, or for another organiser);
- it is not a REPLY: a COUNTER (a proposal of another time) is for a person to answer;
- it cannot be read.

Processing the same messages twice changes nothing the second time: each message is known by
its Message-ID once applied. Messages come from ``.eml`` files, a Maildir or an mbox
(:func:`read_messages`, with :mod:`mailbox`), or an IMAP folder
(:func:`~libkurs.invitations.imap_messages`).
"""

from __future__ import annotations

import email
import email.policy
import enum
import hashlib
import mailbox
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import attrs

from libkurs.enrolment import (
    CalendarAnswer,
    CalendarResponse,
    Enrolment,
    EnrolmentStatus,
    Register,
    withdraw,
)
from libkurs.enrolment._register import replace_enrolments
from libkurs.errors import (
    FormatError,
)
from libkurs.invitations._journal import Entry, Journal
from libkurs.model import Catalogue
from libkurs.model._checks import check_aware

__all__ = [
    "ReplyOutcome",
    "ReplyResult",
    "Replies",
    "apply_replies",
    "read_messages",
    "read_replies",
]

#: The note a withdrawal by a declined invitation carries in the enrolment's history.
DECLINED_NOTE = "declined the calendar invitation"


class ReplyOutcome(enum.Enum):
    """What one reply did."""

    WITHDRAWN = "withdrawn"
    """DECLINED: the enrolment is withdrawn."""
    RECORDED = "recorded"
    """ACCEPTED or TENTATIVE: recorded on the enrolment and in the journal."""
    ALREADY = "already"
    """Applied before (the same message, or the enrolment had already ended)."""
    STALE = "stale"
    """It answers an older SEQUENCE than the last message sent."""
    UNKNOWN = "unknown"
    """The UID or the attendee is not one an invitation was sent to."""
    REFUSED = "refused"
    """Not a REPLY (a COUNTER …), a forged ORGANIZER, or unreadable."""


@attrs.frozen(kw_only=True)
class ReplyResult:
    """One reply (one VEVENT of one message): where it came from, what it did, and why."""

    source: str
    outcome: ReplyOutcome
    reason: str
    uid: str | None = None
    enrolment: str | None = None

    def to_dict(self) -> dict[str, object]:
        """For ``--json``: never the attendee's address."""
        return {
            "source": self.source,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "uid": self.uid,
            "enrolment": self.enrolment,
        }


@attrs.frozen(kw_only=True)
class Replies:
    """The register after the replies, what each did, and the journal entries to record.

    Save :attr:`register` first, then :meth:`commit` the entries to the journal: a crash in
    between is mended by processing the mailbox again.
    """

    register: Register
    results: tuple[ReplyResult, ...]
    entries: tuple[Entry, ...] = attrs.field(repr=False)

    def count(self, outcome: ReplyOutcome) -> int:
        """How many replies had *outcome*."""
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def changed(self) -> bool:
        """Whether the register changed."""
        return self.count(ReplyOutcome.WITHDRAWN) > 0

    def commit(self, journal: Journal) -> None:
        """Record the entries in *journal* and save it."""
        journal.record(*self.entries)
        journal.save()

    def to_dict(self) -> dict[str, object]:
        """The results as JSON-ready data."""
        counts = {o.value: self.count(o) for o in ReplyOutcome}
        return {**counts, "replies": [r.to_dict() for r in self.results]}


def _address(value: object) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip()


def _calendar_parts(message: EmailMessage) -> list[bytes]:
    parts = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind in {"text/calendar", "application/ics"}:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                parts.append(data)
    # The same calendar as an alternative and as an attachment: read it once.
    return list(dict.fromkeys(parts))


def _message_id(message: EmailMessage, data: bytes) -> str:
    found = message.get("Message-ID")
    if found:
        return str(found).strip()
    return "sha256:" + hashlib.sha256(data).hexdigest()


class _Apply:
    def __init__(
        self, register: Register, catalogue: Catalogue, journal: Journal, now: datetime
    ) -> None:
        self.register = register
        self.catalogue = catalogue
        self.journal = journal
        self.now = now
        self.results: list[ReplyResult] = []
        self.entries: list[Entry] = []
        self.seen: set[str] = set()
        self.declined: dict[tuple[str, str], Entry] = {}

    def result(
        self,
        source: str,
        outcome: ReplyOutcome,
        reason: str,
        uid: str | None = None,
        enrolment: str | None = None,
    ) -> None:
        self.results.append(
            ReplyResult(source=source, outcome=outcome, reason=reason, uid=uid, enrolment=enrolment)
        )

    def message(self, source: str, data: bytes) -> None:
        import icalendar

        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        message_id = _message_id(message, data)
        if message_id in self.seen or self.journal.has_message(message_id):
            self.result(source, ReplyOutcome.ALREADY, "this message was applied before")
            return
        self.seen.add(message_id)
        parts = _calendar_parts(message)
        if not parts:
            self.result(source, ReplyOutcome.REFUSED, "no calendar part (text/calendar)")
            return
        for part in parts:
            try:
                calendar = icalendar.Calendar.from_ical(part.decode("utf-8"))
            except (ValueError, UnicodeDecodeError, KeyError, IndexError) as error:
                self.result(source, ReplyOutcome.REFUSED, f"unreadable calendar: {error}")
                continue
            method = str(calendar.get("METHOD", "")).upper()
            if method != "REPLY":
                self.result(
                    source,
                    ReplyOutcome.REFUSED,
                    f"METHOD:{method or '(none)'} is not a REPLY; a person must answer it",
                )
                continue
            events = calendar.walk("VEVENT")
            if not events:
                self.result(source, ReplyOutcome.REFUSED, "a REPLY without a VEVENT")
            for event in events:
                self.event(source, message_id, event)

    def answered(self, enrolment: Enrolment, answer: CalendarAnswer) -> None:
        """Record on *enrolment* an answer that leaves its status as it is."""
        response = CalendarResponse(answer=answer, at=self.now)
        recorded = attrs.evolve(enrolment, responses=(*enrolment.responses, response))
        self.register = replace_enrolments(self.register, {enrolment.id: recorded})

    def event(  # noqa: PLR0911, PLR0912 - one return per way a reply is refused
        self, source: str, message_id: str, event: object
    ) -> None:
        get = getattr(event, "get")  # noqa: B009 - an icalendar component, untyped
        uid = str(get("UID", "")).strip()
        attendees = get("ATTENDEE")
        if isinstance(attendees, list):
            if len(attendees) != 1:
                self.result(source, ReplyOutcome.REFUSED, "a REPLY names one ATTENDEE", uid)
                return
            attendees = attendees[0]
        if not uid or attendees is None:
            self.result(source, ReplyOutcome.REFUSED, "a REPLY needs a UID and an ATTENDEE", uid)
            return
        attendee = _address(attendees)
        params = getattr(attendees, "params", {})
        partstat = str(params.get("PARTSTAT", "NEEDS-ACTION")).upper()
        try:
            sequence = int(str(get("SEQUENCE", 0)))
        except ValueError:
            self.result(source, ReplyOutcome.REFUSED, "SEQUENCE is not a number", uid)
            return
        last = self.declined.get((uid, attendee.casefold())) or self.journal.last(uid, attendee)
        if last is None:
            known = any(e.uid == uid for e in self.journal.entries)
            what = "attendee" if known else "UID"
            self.result(
                source, ReplyOutcome.UNKNOWN, f"no invitation was sent for this {what}", uid
            )
            return
        organiser = _address(get("ORGANIZER", ""))
        if last.organiser is not None and organiser.casefold() != last.organiser.casefold():
            self.result(
                source,
                ReplyOutcome.REFUSED,
                "the ORGANIZER is not the one of the invitation",
                uid,
                last.enrolment,
            )
            return
        if sequence < last.sequence:
            self.result(
                source,
                ReplyOutcome.STALE,
                f"it answers SEQUENCE {sequence}, the last message sent had {last.sequence}",
                uid,
                last.enrolment,
            )
            return
        try:
            enrolment = self.register.enrolment(last.enrolment)
            participant = self.register.participant(enrolment.participant)
        except KeyError:
            self.result(source, ReplyOutcome.UNKNOWN, "the enrolment is gone", uid)
            return
        if participant.email is None or participant.email.casefold() != attendee.casefold():
            self.result(source, ReplyOutcome.UNKNOWN, "the attendee is not the participant", uid)
            return
        entry = Entry(
            uid=uid,
            recipient=participant.email,
            enrolment=enrolment.id,
            method="REPLY",
            sequence=sequence,
            revision=last.revision,
            at=self.now,
            message_id=message_id,
            organiser=last.organiser,
            partstat=partstat,
        )
        if partstat in {"ACCEPTED", "TENTATIVE"}:
            if last.method == "REPLY":
                self.result(source, ReplyOutcome.ALREADY, "declined before", uid, enrolment.id)
                return
            self.entries.append(entry)
            self.answered(enrolment, CalendarAnswer(partstat.lower()))
            self.result(source, ReplyOutcome.RECORDED, partstat.lower(), uid, enrolment.id)
            return
        if partstat != "DECLINED":
            self.result(source, ReplyOutcome.REFUSED, f"PARTSTAT {partstat} is not an answer", uid)
            return
        self.entries.append(entry)
        self.declined[(uid, attendee.casefold())] = entry
        if enrolment.status is not EnrolmentStatus.CONFIRMED:
            self.result(
                source,
                ReplyOutcome.ALREADY,
                f"the enrolment is already {enrolment.status.value}",
                uid,
                enrolment.id,
            )
            return
        outcome = withdraw(
            self.register, self.catalogue, enrolment.id, now=self.now, note=DECLINED_NOTE
        )
        self.register = outcome.register
        self.result(source, ReplyOutcome.WITHDRAWN, "declined", uid, enrolment.id)


def apply_replies(
    register: Register,
    catalogue: Catalogue,
    journal: Journal,
    messages: Iterable[tuple[str, bytes]],
    *,
    now: datetime,
) -> Replies:
    """Apply the iMIP replies among *messages* (``(source, raw bytes)`` pairs) to *register*.

    Pure but for reading *journal*, which it does not change: record :attr:`Replies.entries`
    (:meth:`Replies.commit`) once the new register is saved.
    """
    check_aware(now, "now")
    work = _Apply(register, catalogue, journal, now)
    for source, data in messages:
        work.message(source, data)
    return Replies(register=work.register, results=tuple(work.results), entries=tuple(work.entries))


def read_messages(source: str | os.PathLike[str]) -> Iterator[tuple[str, bytes]]:
    """The messages of *source*: an ``.eml`` file, a Maildir (a folder) or an mbox (a file).

    Each comes with where it is: the file, or the mailbox and the message's key.

    Raises:
        FormatError: *source* is neither (or cannot be read).
    """
    path = Path(source)
    where = str(path)
    try:
        if path.is_dir():
            if not (path / "cur").is_dir() or not (path / "new").is_dir():
                raise FormatError("a folder that is not a Maildir (no cur/ and new/)", source=where)
            box: mailbox.Mailbox = mailbox.Maildir(path, factory=None, create=False)
        elif path.suffix.lower() == ".eml":
            yield where, path.read_bytes()
            return
        elif path.is_file():
            box = mailbox.mbox(path, create=False)
        else:
            raise FormatError("no such file or folder", source=where)
        try:
            for key in sorted(box.keys()):
                yield f"{where}: {key}", box.get_bytes(key)
        finally:
            box.close()
    except OSError as error:
        raise FormatError(f"cannot be read: {error.strerror or error}", source=where) from None


def read_replies(
    register: Register,
    catalogue: Catalogue,
    journal: Journal,
    source: str | os.PathLike[str],
    *,
    now: datetime,
) -> Replies:
    """:func:`apply_replies` to the messages of an ``.eml`` file, a Maildir or an mbox."""
    return apply_replies(register, catalogue, journal, read_messages(source), now=now)
