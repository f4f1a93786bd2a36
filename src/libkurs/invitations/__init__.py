"""Invitations that reach people: iMIP (RFC 6047) by e-mail, updates, cancellations, replies.

Every confirmed participant gets a calendar invitation by e-mail in their own language, one
message per session and person; when a session moves or is cancelled, exactly the people it
concerns get an update or a cancellation that their calendar applies by itself; a withdrawal
sends a cancellation; a participant who presses *Decline* frees their place for the next
person on the waiting list.

- :func:`plan` says, without I/O, what each participant must get, against a :class:`Journal`
  of what was sent;
- :func:`deliver` sends it through a :class:`Transport` (:class:`SMTPTransport`,
  :class:`MaildirTransport`, :class:`MemoryTransport`) and records each message as soon as it
  is accepted, so a second run sends nothing and an interrupted one sends only the rest;
- :func:`read_replies` (:func:`apply_replies` over :func:`read_messages` or
  :func:`imap_messages`) takes the participants' answers back into the register.

>>> from datetime import datetime
>>> import libkurs.examples
>>> from libkurs import HELSINKI
>>> from libkurs.enrolment import Participant, Register, enrol
>>> catalogue = libkurs.examples.catalogue()
>>> register = Register(participants=[Participant(id="p1", name="Anna", email="anna@example.fi")])
>>> now = datetime(2023, 1, 5, 10, tzinfo=HELSINKI)
>>> register = enrol(register, catalogue, "p1", "liboppi-dag-2023", now=now).register
>>> transport, journal = MemoryTransport(), Journal()
>>> report = deliver(register, catalogue, journal, transport, sender="kurs@example.fi", now=now)
>>> report.sent, len(transport.sent)  # one message per session of the day
(2, 2)
>>> deliver(register, catalogue, journal, transport, sender="kurs@example.fi", now=now).sent
0
"""

from libkurs.invitations._engine import Outcome, Report, Result, deliver
from libkurs.invitations._imap import imap_messages
from libkurs.invitations._journal import Entry, Journal
from libkurs.invitations._message import message_for
from libkurs.invitations._plan import Delivery, Plan, Reason, plan
from libkurs.invitations._replies import (
    DECLINED_NOTE,
    Replies,
    ReplyOutcome,
    ReplyResult,
    apply_replies,
    read_messages,
    read_replies,
)
from libkurs.invitations._transport import (
    MaildirTransport,
    MemoryTransport,
    Sent,
    SMTPTransport,
    Transport,
)

__all__ = [
    "DECLINED_NOTE",
    "Delivery",
    "Entry",
    "Journal",
    "MaildirTransport",
    "MemoryTransport",
    "Outcome",
    "Plan",
    "Reason",
    "Replies",
    "ReplyOutcome",
    "ReplyResult",
    "Report",
    "Result",
    "SMTPTransport",
    "Sent",
    "Transport",
    "apply_replies",
    "deliver",
    "imap_messages",
    "message_for",
    "plan",
    "read_messages",
    "read_replies",
]
