"""Replies back into enrolment: from .eml files, a Maildir and an mbox; refusals change nothing."""

from __future__ import annotations

import mailbox
from datetime import timedelta

import pytest

from invitations.helpers import NOW, SENDER, course, enrolled, reply
from libkurs.enrolment import CalendarAnswer, EnrolmentStatus
from libkurs.errors import FormatError
from libkurs.invitations import (
    DECLINED_NOTE,
    Journal,
    MemoryTransport,
    ReplyOutcome,
    apply_replies,
    deliver,
    read_messages,
    read_replies,
)

LATER = NOW + timedelta(days=1)


@pytest.fixture
def invited(tmp_path):
    """A course of 2 places, 3 enrolled, invitations sent: (catalogue, register, path, sent)."""
    catalogue = course(capacity=2)
    register = enrolled(catalogue, 3)
    path = tmp_path / "journal.json"
    transport = MemoryTransport()
    deliver(register, catalogue, Journal(path), transport, sender=SENDER, now=NOW)
    sent = {s.recipient.partition("@")[0]: s.data for s in transport.sent}
    return catalogue, register, path, sent


def _apply(invited, *messages):
    catalogue, register, path, _ = invited
    named = [(f"m{n}", data) for n, data in enumerate(messages)]
    return apply_replies(register, catalogue, Journal(path), named, now=LATER)


def test_a_decline_from_an_eml_file_withdraws_and_promotes(invited, tmp_path):
    """DECLINED: the enrolment is withdrawn with a note, the first on the waiting list confirmed."""
    catalogue, register, path, sent = invited
    eml = tmp_path / "svar.eml"
    eml.write_bytes(reply(sent["p1"], "DECLINED"))
    result = read_replies(register, catalogue, Journal(path), eml, now=LATER)
    (only,) = result.results
    assert (only.outcome, only.enrolment, only.source) == (ReplyOutcome.WITHDRAWN, "e1", str(eml))
    withdrawn = result.register.enrolment("e1")
    assert withdrawn.status is EnrolmentStatus.WITHDRAWN
    assert withdrawn.history[-1].note == DECLINED_NOTE
    assert result.register.enrolment("e3").status is EnrolmentStatus.CONFIRMED


def test_accepted_and_tentative_are_recorded_and_change_nothing(invited):
    """ACCEPTED and TENTATIVE: on the enrolment and in the journal; no status, nothing to send."""
    catalogue, register, path, sent = invited
    result = _apply(invited, reply(sent["p1"], "ACCEPTED"), reply(sent["p2"], "TENTATIVE"))
    assert [r.outcome for r in result.results] == [ReplyOutcome.RECORDED] * 2
    for id, answer in (("e1", CalendarAnswer.ACCEPTED), ("e2", CalendarAnswer.TENTATIVE)):
        before, after = register.enrolment(id), result.register.enrolment(id)
        assert [r.answer for r in after.responses] == [answer]
        assert (after.history, after.status) == (before.history, before.status)
    journal = Journal(path)
    result.commit(journal)
    answers = [(e.enrolment, e.partstat) for e in Journal(path).replies("kurs-1@libkurs")]
    assert answers == [("e1", "ACCEPTED"), ("e2", "TENTATIVE")]
    again = MemoryTransport()
    sent_again = deliver(result.register, catalogue, Journal(path), again, sender=SENDER, now=LATER)
    assert sent_again.sent == 0


def test_an_older_sequence_is_stale(invited):
    """A reply to SEQUENCE below the last one sent changes nothing."""
    _, register, _, sent = invited
    result = _apply(invited, reply(sent["p1"], "DECLINED", sequence=0))
    assert [r.outcome for r in result.results] == [ReplyOutcome.STALE]
    assert result.register is register
    assert result.entries == ()


def test_unknown_uid_and_unknown_attendee_are_reported(invited):
    """A UID never sent, or an attendee who got nothing: UNKNOWN, nothing changed."""
    _, register, _, sent = invited
    result = _apply(
        invited,
        reply(sent["p1"], "DECLINED", uid="other@libkurs"),
        reply(sent["p1"], "DECLINED", attendee="stranger@example.org"),
    )
    assert [r.outcome for r in result.results] == [ReplyOutcome.UNKNOWN] * 2
    assert "UID" in result.results[0].reason
    assert "attendee" in result.results[1].reason
    assert result.register is register


def test_a_counter_and_a_forged_organizer_are_refused(invited):
    """METHOD:COUNTER and an ORGANIZER that is not the sender: REFUSED, nothing changed."""
    _, register, _, sent = invited
    result = _apply(
        invited,
        reply(sent["p1"], "DECLINED", method="COUNTER"),
        reply(sent["p1"], "DECLINED", organiser="boss@evil.example"),
    )
    assert [r.outcome for r in result.results] == [ReplyOutcome.REFUSED] * 2
    assert "COUNTER" in result.results[0].reason
    assert "ORGANIZER" in result.results[1].reason
    assert result.register is register


def test_the_same_mbox_twice_changes_nothing_the_second_time(invited, tmp_path):
    """An mbox processed twice: the decline applies once, then every message is ALREADY."""
    catalogue, register, path, sent = invited
    box = mailbox.mbox(tmp_path / "svar.mbox")
    box.add(reply(sent["p1"], "DECLINED"))
    box.add(reply(sent["p2"], "ACCEPTED"))
    box.close()
    journal = Journal(path)
    first = read_replies(register, catalogue, journal, tmp_path / "svar.mbox", now=LATER)
    assert [r.outcome for r in first.results] == [ReplyOutcome.WITHDRAWN, ReplyOutcome.RECORDED]
    first.commit(journal)
    second = read_replies(
        first.register, catalogue, Journal(path), tmp_path / "svar.mbox", now=LATER
    )
    assert [r.outcome for r in second.results] == [ReplyOutcome.ALREADY] * 2
    assert second.register is first.register
    assert second.entries == ()


def test_a_decline_applied_but_not_journalled_is_mended_by_a_second_pass(invited, tmp_path):
    """Register saved, crash before the journal: the second pass records, withdraws nothing."""
    catalogue, register, path, sent = invited
    message = reply(sent["p1"], "DECLINED")
    first = apply_replies(register, catalogue, Journal(path), [("a", message)], now=LATER)
    second = apply_replies(first.register, catalogue, Journal(path), [("a", message)], now=LATER)
    assert [r.outcome for r in second.results] == [ReplyOutcome.ALREADY]
    assert second.register is first.register
    second.commit(Journal(path))
    quiet = MemoryTransport()
    report = deliver(second.register, catalogue, Journal(path), quiet, sender=SENDER, now=LATER)
    assert [r.delivery.participant for r in report.results] == ["p3"]


def test_a_message_without_a_calendar_or_unreadable_is_refused(invited):
    """Plain mail, and a broken text/calendar part: REFUSED with a reason."""
    plain = b"From: a@example.org\r\nSubject: hej\r\nMessage-ID: <x@y>\r\n\r\nhej\r\n"
    broken = (
        b"From: a@example.org\r\nMessage-ID: <z@y>\r\nContent-Type: text/calendar; method=REPLY\r\n"
        b"\r\nBEGIN:VCALENDAR\r\nthis is not\r\n"
    )
    result = _apply(invited, plain, broken)
    assert [r.outcome for r in result.results] == [ReplyOutcome.REFUSED] * 2


def test_a_source_that_is_no_mailbox_is_a_format_error(tmp_path):
    """A folder without cur/ and new/, or a missing path: FormatError naming it."""
    with pytest.raises(FormatError, match="not a Maildir"):
        list(read_messages(tmp_path))
    with pytest.raises(FormatError, match="no such"):
        list(read_messages(tmp_path / "saknas"))


def test_a_declined_participant_who_enrols_again_gets_a_higher_sequence(invited):
    """After a decline, a new enrolment's REQUEST outranks every message of that UID before."""
    from libkurs.enrolment import enrol
    from libkurs.invitations import plan

    catalogue, _, path, sent = invited
    result = _apply(invited, reply(sent["p1"], "DECLINED"))
    journal = Journal(path)
    result.commit(journal)
    deliver(result.register, catalogue, journal, MemoryTransport(), sender=SENDER, now=LATER)
    # p3 was promoted; p2 withdraws, and p1 enrols again and gets the freed place.
    from libkurs.enrolment import withdraw

    register = withdraw(result.register, catalogue, "e2", now=LATER).register
    register = enrol(register, catalogue, "p1", "kurs", now=LATER + timedelta(hours=1)).register
    planned = plan(register, catalogue, Journal(path), sender=SENDER, now=LATER)
    by_person = {d.participant: d for d in planned.deliveries}
    assert by_person["p2"].method == "CANCEL"
    last = Journal(path).last("kurs-1@libkurs", "p1@bibliotek.example.fi")
    assert by_person["p1"].method == "REQUEST"
    assert by_person["p1"].sequence > last.sequence
