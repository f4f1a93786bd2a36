"""The journal: owner-only files, addresses kept only while the register keeps the enrolment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invitations.helpers import NOW, SENDER, calendar_part, course, enrolled, read
from libkurs.enrolment import anonymize
from libkurs.errors import FormatError
from libkurs.invitations import Journal, MemoryTransport, deliver, plan


def test_journal_and_its_log_are_readable_by_the_owner_only(tmp_path):
    """Both files hold addresses: mode 600."""
    catalogue = course(capacity=2)
    path = tmp_path / "journal.json"
    journal = Journal(path)
    register = enrolled(catalogue, 2)
    deliver(register, catalogue, journal, MemoryTransport(), sender=SENDER, now=NOW)
    assert path.stat().st_mode & 0o777 == 0o600
    journal.record(journal.entries[0])
    assert journal.log_path.stat().st_mode & 0o777 == 0o600


def test_anonymisation_clears_the_addresses_from_the_journal(tmp_path):
    """Once the register anonymises a participant, the next delivery drops their entries."""
    catalogue = course(capacity=2)
    register = enrolled(catalogue, 2)
    path = tmp_path / "journal.json"
    deliver(register, catalogue, Journal(path), MemoryTransport(), sender=SENDER, now=NOW)
    assert "p1@bibliotek.example.fi" in path.read_text(encoding="utf-8")
    forgotten = anonymize(register, catalogue, before=NOW + timedelta(days=400))
    transport = MemoryTransport()
    report = deliver(forgotten, catalogue, Journal(path), transport, sender=SENDER, now=NOW)
    assert report.sent == 0
    assert "@bibliotek.example.fi" not in path.read_text(encoding="utf-8")
    assert Journal(path).entries == ()


def test_a_broken_journal_is_a_format_error_naming_the_file(tmp_path):
    """Not JSON, or another document: FormatError with the path (and line)."""
    path = tmp_path / "journal.json"
    path.write_text("{\n  nej", encoding="utf-8")
    with pytest.raises(FormatError, match=r"journal\.json: line 2"):
        Journal(path)
    path.write_text('{"version": 99}', encoding="utf-8")
    with pytest.raises(FormatError, match="version 1"):
        Journal(path)


def test_reprs_name_no_address():
    """A plan's deliveries and the journal's entries keep addresses out of their repr."""
    catalogue = course(capacity=2)
    register = enrolled(catalogue, 2)
    planned = plan(register, catalogue, Journal(), sender=SENDER, now=NOW)
    (first, _) = planned.deliveries
    assert "bibliotek" not in repr(first)
    entry = first.entry(at=NOW, message_id="<m@x>")
    assert "bibliotek" not in repr(entry)


def test_waiting_and_withdrawn_before_any_invitation_get_nothing():
    """A waitlisted person gets nothing; one who leaves before being invited gets no CANCEL."""
    from libkurs.enrolment import withdraw

    catalogue = course(capacity=1)
    register = enrolled(catalogue, 3)
    register = withdraw(register, catalogue, "e3", now=NOW + timedelta(hours=1)).register
    planned = plan(register, catalogue, Journal(), sender=SENDER, now=NOW)
    assert [(d.participant, d.method) for d in planned.deliveries] == [("p1", "REQUEST")]


def test_a_cancelled_session_sends_a_cancel_to_those_invited_only(tmp_path):
    """Cancelling the session: CANCEL to the confirmed who got a REQUEST, nothing to the waiting."""
    import attrs

    from libkurs import Status, revise

    catalogue = course(capacity=2)
    register = enrolled(catalogue, 3)
    journal = Journal()
    deliver(register, catalogue, journal, MemoryTransport(), sender=SENDER, now=NOW)
    event = catalogue.event("kurs")
    (session,) = event.sessions
    gone = revise(session, status=Status.CANCELLED)
    catalogue = attrs.evolve(catalogue, events=[attrs.evolve(event, sessions=[gone])])
    transport = MemoryTransport()
    report = deliver(register, catalogue, journal, transport, sender=SENDER, now=NOW)
    assert sorted((r.delivery.participant, r.delivery.method) for r in report.results) == [
        ("p1", "CANCEL"),
        ("p2", "CANCEL"),
    ]
    assert {r.delivery.reason.value for r in report.results} == {"session_cancelled"}
    assert calendar_part(read(transport.sent[0].data))[0] == "CANCEL"
    assert deliver(register, catalogue, journal, transport, sender=SENDER, now=NOW).sent == 0


def test_an_organiser_other_than_the_sender_gets_sent_by():
    """organiser= someone else: ORGANIZER is them, with SENT-BY the sender's address."""
    import icalendar

    from libkurs.formats.ics import Attendee

    catalogue = course(capacity=2)
    boss = Attendee(email="chef@avi.example.fi", name="Kim Chef")
    transport = MemoryTransport()
    deliver(
        enrolled(catalogue, 1),
        catalogue,
        Journal(),
        transport,
        sender=SENDER,
        now=NOW,
        organiser=boss,
    )
    (sent,) = transport.sent
    _, text = calendar_part(read(sent.data))
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:chef@avi.example.fi"
    assert organizer.params["SENT-BY"] == f"mailto:{SENDER}"
    assert sent.sender == SENDER
