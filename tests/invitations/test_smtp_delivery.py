"""Delivery through a real SMTP server on 127.0.0.1, every message read back as a client would."""

from __future__ import annotations

from datetime import timedelta

import attrs
import icalendar
import pytest

from formats.ics.vobject_helper import vobject_read
from invitations.helpers import NOW, SENDER, ZOOM, calendar_part, course, enrolled, read
from libkurs import revise
from libkurs.enrolment import ParticipationMode
from libkurs.errors import MailLoginError, ValidationError
from libkurs.invitations import Journal, Outcome, SMTPTransport, deliver


def _sent(inbox):
    """``(recipients, message, method header, calendar text)`` of each message received."""
    found = []
    for sender, recipients, data in inbox.received:
        assert sender == SENDER
        message = read(data)
        method, text = calendar_part(message)
        found.append((recipients, message, method, text))
    return found


def test_each_participant_gets_one_message_of_their_own(smtp_server):
    """One message per confirmed participant: one envelope recipient, To them alone, no Cc."""
    url, inbox = smtp_server
    catalogue = course(capacity=5)
    register = enrolled(catalogue, 7)
    report = deliver(register, catalogue, Journal(), SMTPTransport(url), sender=SENDER, now=NOW)
    assert report.sent == 5
    sent = _sent(inbox)
    assert sorted(r[0] for r, *_ in sent) == [f"p{n}@bibliotek.example.fi" for n in range(1, 6)]
    for recipients, message, _, _ in sent:
        assert message["To"].addresses[0].addr_spec == recipients[0]
        assert message["Cc"] is None
        assert message["Bcc"] is None
        assert message["Auto-Submitted"] == "auto-generated"


def test_method_in_the_header_is_the_method_inside_and_the_message_is_itip(smtp_server):
    """text/calendar; method=REQUEST holds METHOD:REQUEST, ORGANIZER, ATTENDEE with RSVP."""
    url, inbox = smtp_server
    catalogue = course(capacity=5)
    deliver(
        enrolled(catalogue, 1), catalogue, Journal(), SMTPTransport(url), sender=SENDER, now=NOW
    )
    ((_, message, method, text),) = _sent(inbox)
    assert message.get_content_type() == "multipart/mixed"
    alternative = next(iter(message.iter_parts()))
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    attachment = list(message.iter_attachments())
    assert [(p.get_content_type(), p.get_filename()) for p in attachment] == [
        ("application/ics", "invite.ics")
    ]
    calendar = icalendar.Calendar.from_ical(text)
    assert method == str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["ORGANIZER"]) == f"mailto:{SENDER}"
    assert event["ORGANIZER"].params["CN"] == "Regionförvaltningsverket"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:p1@bibliotek.example.fi"
    assert (attendee.params["RSVP"], attendee.params["PARTSTAT"]) == ("TRUE", "NEEDS-ACTION")
    assert "SCHEDULE-AGENT" not in text
    assert event.decoded("DTSTAMP") == NOW.astimezone(event.decoded("DTSTAMP").tzinfo)
    parsed = vobject_read(text)
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.uid.value == "kurs-1@libkurs"


def test_messages_are_in_the_participants_language(smtp_server):
    """Swedish, Finnish and English subjects and texts, with CLDR dates."""
    url, inbox = smtp_server
    catalogue = course(capacity=5)
    deliver(
        enrolled(catalogue, 3), catalogue, Journal(), SMTPTransport(url), sender=SENDER, now=NOW
    )
    by_person = {r[0]: m for r, m, _, _ in _sent(inbox)}
    swedish = by_person["p1@bibliotek.example.fi"]
    finnish = by_person["p2@bibliotek.example.fi"]
    english = by_person["p3@bibliotek.example.fi"]
    assert swedish["Subject"].startswith("Inbjudan: Kurs i katalogisering, onsdag 1 februari 2023")
    assert finnish["Subject"].startswith("Kutsu: Luetteloinnin kurssi, keskiviikkona 1. helmikuuta")
    assert english["Subject"].startswith("Invitation: ")
    assert "Wednesday 1 February 2023" in english["Subject"]
    assert "Iso sali" in finnish.get_body(("plain",)).get_content()
    html = swedish.get_body(("html",)).get_content()
    assert '<html lang="sv">' in html
    assert "Stora salen" in html


def test_a_moved_session_gives_the_same_people_an_update_with_a_higher_sequence(smtp_server):
    """After a move: one REQUEST per confirmed participant, SEQUENCE one higher."""
    url, inbox = smtp_server
    catalogue = course(capacity=3)
    register = enrolled(catalogue, 4)
    journal = Journal()
    deliver(register, catalogue, journal, SMTPTransport(url), sender=SENDER, now=NOW)
    first = {r[0]: icalendar.Calendar.from_ical(t).walk("VEVENT")[0] for r, _, _, t in _sent(inbox)}
    inbox.received.clear()
    event = catalogue.event("kurs")
    session = event.sessions[0]
    moved = revise(
        session, start=session.start + timedelta(hours=1), end=session.end + timedelta(hours=1)
    )
    catalogue = attrs.evolve(catalogue, events=[attrs.evolve(event, sessions=[moved])])
    later = NOW + timedelta(days=1)
    report = deliver(register, catalogue, journal, SMTPTransport(url), sender=SENDER, now=later)
    assert report.sent == 3
    for recipients, message, method, text in _sent(inbox):
        (vevent,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
        assert method == "REQUEST"
        assert vevent["SEQUENCE"] == first[recipients[0]]["SEQUENCE"] + 1
        assert message["Subject"].startswith(("Ändrat", "Muutos", "Updated"))
        assert vevent.decoded("DTSTAMP") > first[recipients[0]].decoded("DTSTAMP")
    assert "p4@bibliotek.example.fi" not in {r[0] for r, *_ in _sent(inbox)}


def test_the_join_link_goes_only_to_remote_participants(smtp_server):
    """Hybrid session: the remote participant's invitation has the link, the on-site one's not."""
    url, inbox = smtp_server
    catalogue = course(capacity=5, hybrid=True)
    register = enrolled(catalogue, 2, modes={"p2": ParticipationMode.REMOTE})
    deliver(register, catalogue, Journal(), SMTPTransport(url), sender=SENDER, now=NOW)
    by_person = {r[0]: (m, t) for r, m, _, t in _sent(inbox)}
    on_site, remote = by_person["p1@bibliotek.example.fi"], by_person["p2@bibliotek.example.fi"]
    assert ZOOM in remote[1].replace("\r\n ", "")
    assert "Kod 4711" in remote[1]
    assert ZOOM not in on_site[1].replace("\r\n ", "")
    assert "4711" not in on_site[1]
    for message, _ in (on_site, remote):
        assert ZOOM not in message.get_body(("plain",)).get_content()


def test_a_permanent_refusal_is_that_recipients_failure_and_the_run_goes_on(smtp_server):
    """A 550 for one recipient: that message fails, the others are sent; the next run retries it."""
    url, inbox = smtp_server
    inbox.refuse["p2@bibliotek.example.fi"] = "550 5.1.1 <p2@bibliotek.example.fi>: no such user"
    catalogue = course(capacity=5)
    register = enrolled(catalogue, 3)
    journal = Journal()
    report = deliver(register, catalogue, journal, SMTPTransport(url), sender=SENDER, now=NOW)
    assert (report.sent, report.failed) == (2, 1)
    (failed,) = [r for r in report.results if r.outcome is Outcome.FAILED]
    assert failed.delivery.participant == "p2"
    assert "550" in failed.reason
    assert "p2@" not in failed.reason
    del inbox.refuse["p2@bibliotek.example.fi"]
    again = deliver(register, catalogue, journal, SMTPTransport(url), sender=SENDER, now=NOW)
    assert again.sent == 1
    assert [r[0] for _, r, _ in inbox.received].count("p2@bibliotek.example.fi") == 1


def test_a_temporary_refusal_is_tried_again(smtp_server):
    """Two 451 answers, then the server accepts: every message is sent once."""
    url, inbox = smtp_server
    inbox.busy = 2
    catalogue = course(capacity=5)
    report = deliver(
        enrolled(catalogue, 3), catalogue, Journal(), SMTPTransport(url), sender=SENDER, now=NOW
    )
    assert report.sent == 3
    assert report.failed == 0
    assert len(inbox.received) == 3


def test_a_server_that_is_down_stops_the_run_and_says_so():
    """Nothing listening: the run stops after two failed messages, with the reason."""
    from invitations.conftest import free_port

    catalogue = course(capacity=5)
    transport = SMTPTransport(f"smtp://127.0.0.1:{free_port()}", timeout=5)
    journal = Journal()
    report = deliver(enrolled(catalogue, 4), catalogue, journal, transport, sender=SENDER, now=NOW)
    assert report.sent == 0
    assert report.failed == 2
    assert report.stopped is not None
    assert "cannot connect" in report.stopped
    assert journal.entries == ()


def test_smtp_url_with_a_password_or_another_scheme_is_refused():
    """A password in the URL, or an http:// URL, is a ValidationError naming smtp."""
    with pytest.raises(ValidationError, match="password"):
        SMTPTransport("smtp://kurs:hemligt@mail.example.fi")
    with pytest.raises(ValidationError, match="smtp"):
        SMTPTransport("http://mail.example.fi")
    transport = SMTPTransport("smtps://kurs@mail.example.fi", password="hemligt")
    assert "hemligt" not in repr(transport)
    assert transport.port == 465


def test_a_login_on_the_loopback_interface_and_a_refused_one(smtp_server):
    """kurs / hemligt logs in and sends; a wrong password is MailLoginError, nothing sent."""
    url, inbox = smtp_server
    catalogue = course(capacity=5)
    register = enrolled(catalogue, 2)
    wrong = SMTPTransport(url, username="kurs", password="fel")
    journal = Journal()
    with pytest.raises(MailLoginError, match="refused the login") as caught:
        deliver(register, catalogue, journal, wrong, sender=SENDER, now=NOW)
    assert "fel" not in str(caught.value)
    assert inbox.received == []
    assert journal.entries == ()
    right = SMTPTransport(url, username="kurs", password="hemligt")
    assert deliver(register, catalogue, journal, right, sender=SENDER, now=NOW).sent == 2
    assert inbox.logins == [b"kurs"]


def test_plain_smtp_is_refused_away_from_the_loopback_interface():
    """Only 127.0.0.1, ::1 and localhost count as this machine, where plain SMTP is allowed."""
    from libkurs.invitations._transport import _loopback

    assert _loopback("127.0.0.1")
    assert _loopback("::1")
    assert _loopback("localhost")
    assert not _loopback("mail.example.fi")
    assert not _loopback("192.0.2.1")


def test_a_lasting_temporary_refusal_fails_that_message_only(smtp_server):
    """451 for one recipient every time: retried, then that message fails; the run goes on."""
    url, inbox = smtp_server
    inbox.refuse["p2@bibliotek.example.fi"] = "451 4.2.2 Mailbox full, try later"
    catalogue = course(capacity=5)
    report = deliver(
        enrolled(catalogue, 3), catalogue, Journal(), SMTPTransport(url), sender=SENDER, now=NOW
    )
    assert (report.sent, report.failed, report.stopped) == (2, 1, None)
    (failed,) = [r for r in report.results if r.outcome is Outcome.FAILED]
    assert failed.delivery.participant == "p2"
    assert "451" in failed.reason
