"""What was sent to whom: the journal that makes a delivery safe to repeat.

One :class:`Entry` per message the mail server accepted (UID, SEQUENCE, method, recipient, time,
Message-ID), and one per reply applied. The planner reads the last entry of each UID and
recipient to decide what that person's calendar already holds.

A :class:`Journal` with a path keeps a JSON snapshot there, written atomically and readable by
its owner only (it holds addresses), and a log beside it (``<path>.log``, JSON lines) that takes
one line as soon as a message is accepted, handed to the operating system before the next
message goes, so a delivery killed at any point has recorded every message it sent;
:meth:`Journal.save` folds the log into the snapshot and syncs it to disk. (A line is not
synced to disk one by one: that would cost more than sending the message; after a power cut,
the messages of the last seconds may go twice.) A last line cut short by
a crash is ignored: its message was not yet recorded, and is the only one that may go twice.

Addresses stay only as long as the register keeps the enrolment: :meth:`Journal.forget` drops
the entries of enrolments the register no longer has and of anonymised participants.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path

import attrs

from libkurs._files import replace_atomically
from libkurs.enrolment import Register
from libkurs.errors import FormatError

__all__ = ["Entry", "Journal"]

_VERSION = 1
#: Methods of messages sent; a reply is recorded as ``REPLY`` with its PARTSTAT.
_METHODS = frozenset({"REQUEST", "CANCEL", "REPLY"})


@attrs.frozen(kw_only=True)
class Entry:
    """One message accepted by the mail server, or one reply applied to the register.

    Its ``repr`` leaves the address out, so that logs do not spread it.
    """

    uid: str
    recipient: str = attrs.field(repr=False)
    """The participant's address (the attendee, for a reply)."""
    enrolment: str
    method: str
    """``REQUEST`` or ``CANCEL`` sent, or ``REPLY`` received."""
    sequence: int
    """The SEQUENCE of the message."""
    revision: int
    """The SEQUENCE the catalogue and the register called for when it was sent."""
    at: datetime
    message_id: str
    organiser: str | None = attrs.field(default=None, repr=False)
    """The ORGANIZER address of the message sent (a reply must name the same)."""
    partstat: str | None = None
    """For a reply: ``ACCEPTED``, ``TENTATIVE`` or ``DECLINED``."""

    @property
    def standing(self) -> bool:
        """Whether this entry says what the participant's calendar holds (not an answer only)."""
        return self.method != "REPLY" or self.partstat == "DECLINED"

    def to_json(self) -> dict[str, object]:
        """The entry as a JSON object."""
        data: dict[str, object] = {
            "uid": self.uid,
            "recipient": self.recipient,
            "enrolment": self.enrolment,
            "method": self.method,
            "sequence": self.sequence,
            "revision": self.revision,
            "at": self.at.isoformat(),
            "message_id": self.message_id,
        }
        if self.organiser is not None:
            data["organiser"] = self.organiser
        if self.partstat is not None:
            data["partstat"] = self.partstat
        return data


def _entry(data: object, where: str) -> Entry:
    if not isinstance(data, Mapping):
        raise FormatError("expected an object", source=where)
    try:
        at = datetime.fromisoformat(str(data["at"]))
        entry = Entry(
            uid=str(data["uid"]),
            recipient=str(data["recipient"]),
            enrolment=str(data["enrolment"]),
            method=str(data["method"]),
            sequence=int(data["sequence"]),
            revision=int(data["revision"]),
            at=at,
            message_id=str(data["message_id"]),
            organiser=None if data.get("organiser") is None else str(data["organiser"]),
            partstat=None if data.get("partstat") is None else str(data["partstat"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise FormatError(f"not a journal entry: {error}", source=where) from None
    if entry.method not in _METHODS or at.tzinfo is None:
        raise FormatError(f"not a journal entry: method {entry.method!r}", source=where)
    return entry


class Journal:
    """The messages sent and the replies applied, by UID and recipient.

    >>> journal = Journal()
    >>> journal.last("s1@libkurs", "anna@example.org") is None
    True
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._entries: list[Entry] = []
        self._last: dict[tuple[str, str], Entry] = {}
        self._message_ids: set[str] = set()
        if self.path is not None:
            self._load(self.path)

    def __repr__(self) -> str:
        return f"Journal({len(self._entries)} entries)"

    @property
    def log_path(self) -> Path | None:
        """Where entries go as they are recorded, before :meth:`save`."""
        return self.path.with_name(self.path.name + ".log") if self.path is not None else None

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry, oldest first."""
        return tuple(self._entries)

    def _load(self, path: Path) -> None:
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = None
        except OSError as error:
            raise FormatError(f"cannot be read: {error.strerror}", source=where) from None
        if text is not None:
            try:
                document = json.loads(text)
            except json.JSONDecodeError as error:
                raise FormatError(error.msg, source=where, line=error.lineno) from None
            if not isinstance(document, dict) or document.get("version") != _VERSION:
                raise FormatError(f"not an invitation journal of version {_VERSION}", source=where)
            for number, data in enumerate(document.get("entries") or []):
                self._add(_entry(data, f"{where}: entries[{number}]"))
        log = self.log_path
        assert log is not None
        try:
            lines = log.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for number, line in enumerate(lines, start=1):
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                if number == len(lines):  # cut short by a crash while it was written
                    break
                raise FormatError("not a JSON line", source=str(log), line=number) from None
            self._add(_entry(data, f"{log}: line {number}"))

    def _add(self, entry: Entry) -> None:
        self._entries.append(entry)
        self._message_ids.add(entry.message_id)
        if entry.standing:
            self._last[(entry.uid, entry.recipient.casefold())] = entry

    def last(self, uid: str, recipient: str) -> Entry | None:
        """The last message sent (or decline received) for *uid* and *recipient*, if any."""
        return self._last.get((uid, recipient.casefold()))

    def has_message(self, message_id: str) -> bool:
        """Whether a message of this Message-ID was sent or applied already."""
        return message_id in self._message_ids

    def replies(self, uid: str) -> Iterator[Entry]:
        """The replies applied for *uid*, oldest first."""
        return (e for e in self._entries if e.uid == uid and e.method == "REPLY")

    def record(self, *entries: Entry) -> None:
        """Add *entries*; with a path, append them to the log at once (flushed to the system)."""
        for entry in entries:
            self._add(entry)
        log = self.log_path
        if log is None or not entries:
            return
        lines = "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in entries)
        new = not log.exists()
        with log.open("a", encoding="utf-8") as file:
            if new:
                log.chmod(0o600)  # addresses are personal data
            file.write(lines)
            file.flush()  # in the system's hands: it survives the process being killed

    def forget(self, register: Register) -> int:
        """Drop the entries of enrolments *register* no longer has or of anonymised people.

        Returns how many were dropped; :meth:`save` makes it last.
        """
        kept: list[Entry] = []
        for entry in self._entries:
            try:
                enrolment = register.enrolment(entry.enrolment)
                participant = register.participant(enrolment.participant)
            except KeyError:
                continue
            if participant.email is None or participant.anonymized:
                continue
            kept.append(entry)
        dropped = len(self._entries) - len(kept)
        if dropped:
            self._replace(kept)
        return dropped

    def _replace(self, entries: Iterable[Entry]) -> None:
        self._entries = []
        self._last = {}
        self._message_ids = set()
        for entry in entries:
            self._add(entry)

    def save(self) -> None:
        """Write the snapshot atomically (owner-readable only) and empty the log."""
        if self.path is None:
            return
        document = {"version": _VERSION, "entries": [e.to_json() for e in self._entries]}
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        replace_atomically(self.path, data, private=True)
        log = self.log_path
        assert log is not None
        log.unlink(missing_ok=True)
