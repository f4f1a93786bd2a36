"""Personal invitations: iTIP REQUEST with the join link, CANCEL with a higher SEQUENCE."""

from datetime import datetime, timedelta

import attrs
import pytest
import vobject

from libkurs import (
    HELSINKI,
    Catalogue,
    Event,
    LocalizedText,
    Location,
    OnlineRoom,
    Person,
    Run,
    Session,
    Status,
    revise,
)
from libkurs.errors import ValidationError
from libkurs.formats.ics import Attendee, invitations

ZOOM = "https://example.zoom.us/j/123456789?pwd=hemligt"
MAJA = Attendee(name="Maja Mattsson", email="maja.mattsson@example.fi")


def vobject_read(text):
    """The calendar as vobject reads it, its zone cache emptied first.

    vobject keeps the first VTIMEZONE it saw for a TZID for the rest of the process, so a
    second file with the same TZID but other years would be read with the first file's rules.
    """
    vobject.icalendar.__dict__["__tzidMap"].clear()
    return vobject.readOne(text)


def liboppi_day():
    """A two-session online day with a contact person and a private Zoom room."""
    morning = datetime(2023, 1, 12, 9, tzinfo=HELSINKI)
    event = Event(
        id="liboppi-dag",
        title=LocalizedText({"sv": "Liboppi-dag", "fi": "Liboppi-päivä"}),
        contacts=["anna"],
        location=Location(
            online=OnlineRoom(platform="Zoom", join_url=ZOOM, access_note="Lösenord 2023")
        ),
        sessions=[
            Session(id="formiddag", start=morning, end=morning + timedelta(hours=3)),
            Session(
                id="eftermiddag",
                start=morning + timedelta(hours=4),
                end=morning + timedelta(hours=7),
            ),
        ],
        runs=[Run(id="bara-eftermiddag", sessions=["eftermiddag"])],
    )
    anna = Person(id="anna", name="Anna Andersson", email="anna.andersson@example.fi")
    return Catalogue(events=[event], people=[anna])


def test_request_has_organizer_attendee_conference_and_one_uid_per_message():
    """METHOD:REQUEST, ORGANIZER, the attendee with RSVP=FALSE, CONFERENCE, one UID each."""
    messages = invitations(liboppi_day(), "liboppi-dag", MAJA)
    assert [m.session for m in messages] == ["formiddag", "eftermiddag"]
    for message in messages:
        calendar = vobject_read(message.text)
        assert calendar.method.value == "REQUEST"
        (event,) = calendar.vevent_list
        assert event.uid.value == message.uid
        assert event.organizer.value == "mailto:anna.andersson@example.fi"
        assert event.organizer.params["CN"] == ["Anna Andersson"]
        assert event.attendee.value == "mailto:maja.mattsson@example.fi"
        assert event.attendee.params["RSVP"] == ["FALSE"]
        assert event.attendee.params["SCHEDULE-AGENT"] == ["CLIENT"]
        assert event.conference.value == ZOOM
        assert event.conference.params["VALUE"] == ["URI"]
        assert ZOOM in event.description.value
        assert "Lösenord 2023" in event.description.value


def test_server_scheduling_leaves_out_schedule_agent():
    """server_scheduling=True lets the CalDAV server send the mail: no SCHEDULE-AGENT."""
    (message, _) = invitations(liboppi_day(), "liboppi-dag", MAJA, server_scheduling=True)
    assert "SCHEDULE-AGENT" not in message.text


def test_target_may_be_a_run_or_a_session():
    """A run gives its own sessions and the common ones; a session gives itself."""
    catalogue = liboppi_day()
    assert [m.session for m in invitations(catalogue, "bara-eftermiddag", MAJA)] == [
        "formiddag",
        "eftermiddag",
    ]
    assert [m.session for m in invitations(catalogue, "formiddag", MAJA)] == ["formiddag"]
    with pytest.raises(KeyError):
        invitations(catalogue, "no-such-id", MAJA)


def test_cancelled_enrolment_gives_cancel_with_a_higher_sequence():
    """A cancelled enrolment: METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE one above, no link."""
    catalogue = liboppi_day()
    (request, _) = invitations(catalogue, "liboppi-dag", MAJA)
    gone = attrs.evolve(MAJA, status="cancelled")
    (cancel, _) = invitations(catalogue, "liboppi-dag", gone)
    assert cancel.method == "CANCEL"
    assert cancel.uid == request.uid
    assert cancel.sequence > request.sequence
    event = vobject_read(cancel.text).vevent
    assert event.status.value == "CANCELLED"
    assert int(event.sequence.value) == cancel.sequence
    assert ZOOM not in cancel.text


def test_cancelled_session_gives_cancel_with_its_raised_sequence():
    """A session cancelled with revise(): CANCEL, with a SEQUENCE above the earlier REQUEST."""
    catalogue = liboppi_day()
    (request, _) = invitations(catalogue, "liboppi-dag", MAJA)
    event = catalogue.events[0]
    cancelled = revise(event.sessions[0], status=Status.CANCELLED)
    changed = attrs.evolve(
        catalogue, events=[attrs.evolve(event, sessions=[cancelled, event.sessions[1]])]
    )
    (cancel, still) = invitations(changed, "liboppi-dag", MAJA)
    assert (cancel.method, still.method) == ("CANCEL", "REQUEST")
    assert cancel.sequence > request.sequence


def test_re_enrolment_outranks_the_cancellation_through_the_attendee_revision():
    """An enrolment's own revision lifts SEQUENCE above its earlier CANCEL."""
    catalogue = liboppi_day()
    (cancel, _) = invitations(catalogue, "liboppi-dag", attrs.evolve(MAJA, status="cancelled"))
    (again, _) = invitations(catalogue, "liboppi-dag", attrs.evolve(MAJA, revision=2))
    assert again.method == "REQUEST"
    assert again.sequence > cancel.sequence


def test_no_organiser_is_a_validation_error():
    """Without organiser= and without a contact e-mail there is nobody to send from."""
    catalogue = liboppi_day()
    bare = attrs.evolve(catalogue, events=[attrs.evolve(catalogue.events[0], contacts=[])])
    with pytest.raises(ValidationError, match="organiser"):
        invitations(bare, "liboppi-dag", MAJA)
    organiser = Attendee(name="AKE-biblioteken", email="ake@example.fi")
    (message, _) = invitations(bare, "liboppi-dag", MAJA, organiser=organiser)
    assert "mailto:ake@example.fi" in message.text


def test_attendee_values_cannot_break_a_line():
    """A name or an address with a line break is refused before any text is written."""
    with pytest.raises(ValueError, match="one non-empty line"):
        Attendee(name="Maja\r\nATTENDEE:mailto:evil@example.com", email="maja@example.fi")
    quoted = Attendee(name='Maja "M"; Mattsson: x', email="maja@example.fi")
    (message, _) = invitations(liboppi_day(), "liboppi-dag", quoted)
    assert vobject_read(message.text).vevent.attendee.value == "mailto:maja@example.fi"


def test_invitation_is_deterministic_and_takes_now():
    """The same call gives the same text; now= sets DTSTAMP."""
    catalogue = liboppi_day()
    assert invitations(catalogue, "formiddag", MAJA) == invitations(catalogue, "formiddag", MAJA)
    now = datetime(2023, 1, 2, 8, tzinfo=HELSINKI)
    (message,) = invitations(catalogue, "formiddag", MAJA, now=now)
    assert "DTSTAMP:20230102T060000Z" in message.text
