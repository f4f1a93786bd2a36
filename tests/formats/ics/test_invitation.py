"""Personal invitations: iTIP REQUEST with the join link, CANCEL with a higher SEQUENCE."""

from datetime import datetime, timedelta
from pathlib import Path

import attrs
import pytest

from formats.ics.vobject_helper import vobject_read
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
from libkurs.enrolment import Enrolment, EnrolmentStatus, Participant, Register, StatusChange
from libkurs.errors import UnknownIdError, UnresolvedReferenceError, ValidationError
from libkurs.formats.ics import (
    Attendee,
    FoundAttendee,
    found_enrolments,
    invitation_for,
    invitations,
    read_calendar,
)

ZOOM = "https://example.zoom.us/j/123456789?pwd=hemligt"
DATA = Path(__file__).parents[2] / "data" / "ics"
MAJA = Attendee(name="Maja Mattsson", email="maja.mattsson@example.fi")


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


def test_unknown_target_is_an_unresolved_reference():
    """An id that names nothing is an UnresolvedReferenceError, not a KeyError."""
    with pytest.raises(UnresolvedReferenceError) as caught:
        invitations(liboppi_day(), "no-such-id", MAJA)
    assert caught.value.id == "no-such-id"


def test_cancelled_enrolment_gives_cancel_with_a_higher_sequence():
    """A cancelled enrolment: METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE one above, no link."""
    catalogue = liboppi_day()
    (request, _) = invitations(catalogue, "liboppi-dag", MAJA)
    gone = attrs.evolve(MAJA, status=EnrolmentStatus.CANCELLED, revision=1)
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


def test_sequence_strictly_increases_over_confirm_cancel_re_enrol():
    """Revisions 0, 1, 2 (confirmed, cancelled, confirmed again) give SEQUENCE 0 < 1 < 2."""
    catalogue = liboppi_day()
    steps = [
        (EnrolmentStatus.CONFIRMED, "REQUEST"),
        (EnrolmentStatus.CANCELLED, "CANCEL"),
        (EnrolmentStatus.CONFIRMED, "REQUEST"),
        (EnrolmentStatus.WITHDRAWN, "CANCEL"),
    ]
    sequences = []
    for revision, (status, method) in enumerate(steps):
        attendee = attrs.evolve(MAJA, status=status, revision=revision)
        (message, _) = invitations(catalogue, "liboppi-dag", attendee)
        assert message.method == method
        sequences.append(message.sequence)
    assert sequences == sorted(set(sequences))
    assert sequences == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "status",
    [EnrolmentStatus.DECLINED, EnrolmentStatus.WITHDRAWN, "cancelled", EnrolmentStatus.REJECTED],
)
def test_ended_enrolments_get_a_cancel_without_the_join_link(status):
    """Declined, withdrawn, cancelled and rejected: METHOD:CANCEL, PARTSTAT=DECLINED, no link."""
    (message, _) = invitations(liboppi_day(), "liboppi-dag", attrs.evolve(MAJA, status=status))
    assert message.method == "CANCEL"
    assert ZOOM not in message.text
    assert "PARTSTAT=ACCEPTED" not in message.text


@pytest.mark.parametrize("status", ["requested", "waitlisted", EnrolmentStatus.OFFERED])
def test_waiting_enrolments_get_no_invitation_at_all(status):
    """Someone without a place yet (requested, waitlisted, offered) gets no message, no link."""
    with pytest.raises(ValidationError, match="no invitation"):
        invitations(liboppi_day(), "liboppi-dag", attrs.evolve(MAJA, status=status))


@pytest.mark.parametrize("status", ["nonsense", "Rejected", "", 3])
def test_unknown_status_is_refused_when_the_attendee_is_made(status):
    """A status that is no EnrolmentStatus (value) is a ValidationError, not a REQUEST."""
    with pytest.raises(ValidationError, match="status"):
        Attendee(email="maja@example.fi", status=status)


def test_invitation_for_takes_status_revision_and_sessions_from_the_enrolment():
    """invitation_for(): confirmed with a choice of one session gives one REQUEST."""
    maja = Participant(id="maja", name="Maja Mattsson", email="maja@example.fi", language="fi")
    at = datetime(2023, 1, 2, 9, tzinfo=HELSINKI)
    history = [StatusChange(status=EnrolmentStatus.CONFIRMED, at=at)]
    enrolment = Enrolment(
        id="e1", participant="maja", target="liboppi-dag", sessions=["eftermiddag"], history=history
    )
    register = Register(participants=[maja], enrolments=[enrolment])
    (message,) = invitation_for(register, liboppi_day(), "e1")
    assert (message.session, message.method, message.sequence) == ("eftermiddag", "REQUEST", 1)
    assert "LANGUAGE=fi" in message.text
    history.append(StatusChange(status=EnrolmentStatus.WITHDRAWN, at=at + timedelta(days=1)))
    gone = attrs.evolve(enrolment, history=history)
    register = Register(participants=[maja], enrolments=[gone])
    (cancel,) = invitation_for(register, liboppi_day(), "e1")
    assert (cancel.method, cancel.sequence) == ("CANCEL", 2)
    assert ZOOM not in cancel.text


def test_invitation_for_refuses_a_waiting_enrolment_and_an_unknown_id():
    """A waitlisted enrolment is a ValidationError; an unknown enrolment id UnknownIdError."""
    maja = Participant(id="maja", name="Maja Mattsson", email="maja@example.fi")
    at = datetime(2023, 1, 2, 9, tzinfo=HELSINKI)
    waiting = Enrolment(
        id="e1",
        participant="maja",
        target="liboppi-dag",
        history=[StatusChange(status=EnrolmentStatus.WAITLISTED, at=at)],
    )
    register = Register(participants=[maja], enrolments=[waiting])
    with pytest.raises(ValidationError, match="no invitation"):
        invitation_for(register, liboppi_day(), "e1")
    with pytest.raises(UnknownIdError, match="e2"):
        invitation_for(register, liboppi_day(), "e2")


def test_no_organiser_is_a_validation_error():
    """Without organiser= and without a contact e-mail there is nobody to send from."""
    catalogue = liboppi_day()
    bare = attrs.evolve(catalogue, events=[attrs.evolve(catalogue.events[0], contacts=[])])
    with pytest.raises(ValidationError, match="organiser"):
        invitations(bare, "liboppi-dag", MAJA)
    organiser = Attendee(name="AKE-biblioteken", email="ake@example.fi")
    (message, _) = invitations(bare, "liboppi-dag", MAJA, organiser=organiser)
    assert "mailto:ake@example.fi" in message.text


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Maja\r\nATTENDEE:mailto:evil@example.com", "maja@example.fi"),
        ("Maja\x1b[31m", "maja@example.fi"),
        ("Maja", "maja@example.fi\x00"),
        ("Maja", "maja.example.fi"),
        ("Maja", "maja@example"),
        ("Maja", "maja@exa mple.fi"),
        ("Maja", 5),
    ],
)
def test_attendee_refuses_control_characters_and_non_addresses(name, email):
    """Control characters, addresses without "@" or domain, non-strings: a ValidationError."""
    with pytest.raises(ValidationError):
        Attendee(name=name, email=email)


def test_attendee_values_cannot_break_a_line():
    """A quoted, semicoloned name stays inside its parameter."""
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


def test_found_attendees_become_participants_and_enrolments():
    """A Teams invitation's attendees: one participant and one requested enrolment each."""
    imported = read_calendar((DATA / "teams.ics").read_bytes())
    at = datetime(2024, 1, 5, 12, tzinfo=HELSINKI)
    pairs = found_enrolments(imported.attendees, at=at)
    assert [p.name for p, _ in pairs] == ["Bo Berg", "Cecilia Ceder"]
    event_id = imported.catalogue.events[0].id
    for participant, enrolment in pairs:
        assert enrolment.participant == participant.id
        assert enrolment.target == event_id
        assert enrolment.status is EnrolmentStatus.REQUESTED
        assert "@" not in participant.id
        assert participant.email in {a.email for a in imported.attendees}


def test_found_attendee_replies_map_to_enrolment_statuses():
    """ACCEPTED is confirmed, DECLINED withdrawn (after requested), NEEDS-ACTION requested."""
    at = datetime(2024, 1, 5, 12, tzinfo=HELSINKI)
    attendees = [
        FoundAttendee(
            event="e", email=f"{p.lower()}@example.fi", name=None, partstat=p, role=None, line=n
        )
        for n, p in enumerate(["ACCEPTED", "DECLINED", "NEEDS-ACTION"], start=10)
    ]
    attendees.append(
        FoundAttendee(
            event="e",
            email="chair@example.fi",
            name=None,
            partstat="ACCEPTED",
            role="CHAIR",
            line=20,
        )
    )
    attendees.append(
        FoundAttendee(event="e", email=None, name="Ingen", partstat=None, role=None, line=21)
    )
    pairs = found_enrolments(attendees, at=at)
    assert [e.status for _, e in pairs] == [
        EnrolmentStatus.CONFIRMED,
        EnrolmentStatus.WITHDRAWN,
        EnrolmentStatus.REQUESTED,
    ]
    assert [len(e.history) for _, e in pairs] == [1, 2, 1]
