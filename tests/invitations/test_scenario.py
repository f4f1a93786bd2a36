"""The whole loop: invitations, a move, a decline in a calendar, the waiting list, quiet reruns."""

from __future__ import annotations

import mailbox
from datetime import timedelta

import attrs
import icalendar
import vobject

from invitations.helpers import NOW, SENDER, calendar_part, course, enrolled, read, reply
from libkurs import revise
from libkurs.enrolment import EnrolmentStatus
from libkurs.invitations import Journal, ReplyOutcome, SMTPTransport, deliver, read_replies


def _by_recipient(inbox):
    found = {}
    for _, recipients, data in inbox.received:
        (recipient,) = recipients
        found.setdefault(recipient, []).append(data)
    return found


def _sequence(data: bytes) -> int:
    method, text = calendar_part(read(data))
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(icalendar.Calendar.from_ical(text)["METHOD"]) == method
    assert vobject.readOne(text).method.value == method
    return int(event["SEQUENCE"])


def test_twenty_places_a_move_a_decline_a_promotion_and_then_nothing(smtp_server, tmp_path):
    """25 for 20 places: 20 REQUESTs; a move updates those 20; a decline promotes the 21st."""
    url, inbox = smtp_server
    catalogue = course(capacity=20)
    register = enrolled(catalogue, 25)
    journal_path = tmp_path / "journal.json"

    # 1. The first delivery: the 20 confirmed get a REQUEST, the 5 waiting nothing.
    report = deliver(
        register, catalogue, Journal(journal_path), SMTPTransport(url), sender=SENDER, now=NOW
    )
    first = _by_recipient(inbox)
    assert report.sent == 20
    assert sorted(first) == sorted(f"p{n}@bibliotek.example.fi" for n in range(1, 21))
    assert all(len(messages) == 1 for messages in first.values())
    inbox.received.clear()

    # 2. The session moves an hour: only those 20 get an update, SEQUENCE one higher.
    event = catalogue.event("kurs")
    (session,) = event.sessions
    hour = timedelta(hours=1)
    moved = revise(session, start=session.start + hour, end=session.end + hour)
    catalogue = attrs.evolve(catalogue, events=[attrs.evolve(event, sessions=[moved])])
    later = NOW + timedelta(days=1)
    report = deliver(
        register, catalogue, Journal(journal_path), SMTPTransport(url), sender=SENDER, now=later
    )
    second = _by_recipient(inbox)
    assert report.sent == 20
    assert sorted(second) == sorted(first)
    for recipient, (data,) in second.items():
        assert _sequence(data) == _sequence(first[recipient][0]) + 1
    inbox.received.clear()

    # 3. p7 presses Decline in their calendar; the reply lands in a Maildir.
    maildir = mailbox.Maildir(tmp_path / "replies", create=True)
    maildir.add(reply(second["p7@bibliotek.example.fi"][0], "DECLINED"))
    journal = Journal(journal_path)
    replies = read_replies(
        register, catalogue, journal, tmp_path / "replies", now=later + timedelta(hours=2)
    )
    assert [r.outcome for r in replies.results] == [ReplyOutcome.WITHDRAWN]
    register = replies.register
    replies.commit(journal)
    assert register.enrolment_of("p7", "kurs").status is EnrolmentStatus.WITHDRAWN
    assert register.enrolment_of("p21", "kurs").status is EnrolmentStatus.CONFIRMED

    # 4. Deliver: one REQUEST to the promoted p21, nothing to p7, who declined themselves.
    third_run = later + timedelta(hours=3)
    report = deliver(
        register, catalogue, Journal(journal_path), SMTPTransport(url), sender=SENDER, now=third_run
    )
    third = _by_recipient(inbox)
    assert report.sent == 1
    assert list(third) == ["p21@bibliotek.example.fi"]
    (data,) = third["p21@bibliotek.example.fi"]
    assert calendar_part(read(data))[0] == "REQUEST"
    inbox.received.clear()

    # 5. Again: nothing to send; and the same Maildir read again changes nothing.
    report = deliver(
        register, catalogue, Journal(journal_path), SMTPTransport(url), sender=SENDER, now=third_run
    )
    assert report.sent == 0
    assert inbox.received == []
    again = read_replies(
        register, catalogue, Journal(journal_path), tmp_path / "replies", now=third_run
    )
    assert [r.outcome for r in again.results] == [ReplyOutcome.ALREADY]
    assert again.register is register
