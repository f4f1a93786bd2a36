"""What the invitation tests share: a course built to order, participants, replies, a clock."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta
from email.message import EmailMessage
from itertools import count

import icalendar

from libkurs import (
    HELSINKI,
    Catalogue,
    EnrolmentSettings,
    Event,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    Session,
    Venue,
)
from libkurs.enrolment import Participant, ParticipationMode, Register, enrol

#: When enrolments are made and the first delivery runs.
NOW = datetime(2023, 1, 10, 9, tzinfo=HELSINKI)
SENDER = "kurs@avi.example.fi"
ZOOM = "https://example.zoom.us/j/987654321"
START = datetime(2023, 2, 1, 10, tzinfo=HELSINKI)
LANGUAGES = ("sv", "fi", "en")


def course(*, capacity: int = 20, sessions: int = 1, hybrid: bool = False) -> Catalogue:
    """A catalogue with one event ``kurs`` of *sessions* two-hour sessions and *capacity* places.

    Hybrid: in a hall and on Zoom, with separate places on site and remote."""
    online = OnlineRoom(platform="Zoom", join_url=ZOOM, access_note="Kod 4711") if hybrid else None
    settings = (
        EnrolmentSettings(capacity_on_site=capacity, capacity_remote=capacity)
        if hybrid
        else EnrolmentSettings(capacity=capacity)
    )
    event = Event(
        id="kurs",
        title=LocalizedText({"sv": "Kurs i katalogisering", "fi": "Luetteloinnin kurssi"}),
        sessions=[
            Session(
                id=f"kurs-{n + 1}",
                start=START + timedelta(weeks=n),
                end=START + timedelta(weeks=n, hours=2),
            )
            for n in range(sessions)
        ],
        enrolment=settings,
        organisers=["avi"],
        location=Location(venue="sal", online=online),
    )
    return Catalogue(
        events=[event],
        organisations=[
            Organisation(
                id="avi",
                name=LocalizedText({"sv": "Regionförvaltningsverket", "fi": "Aluehallintovirasto"}),
            )
        ],
        venues=[Venue(id="sal", name=LocalizedText({"sv": "Stora salen", "fi": "Iso sali"}))],
    )


def people(number: int) -> list[Participant]:
    """Participants ``p1`` … in turn Swedish, Finnish and English speaking."""
    return [
        Participant(
            id=f"p{n}",
            name=f"Deltagare {n}",
            email=f"p{n}@bibliotek.example.fi",
            language=LANGUAGES[(n - 1) % 3],
        )
        for n in range(1, number + 1)
    ]


def enrolled(
    catalogue: Catalogue,
    number: int,
    *,
    at: datetime = NOW,
    modes: dict[str, ParticipationMode] | None = None,
) -> Register:
    """A register of *number* people, all enrolled in ``kurs`` one minute apart, in order."""
    register = Register(participants=people(number))
    for n in range(1, number + 1):
        mode = (modes or {}).get(f"p{n}", ParticipationMode.ON_SITE)
        moment = at + timedelta(minutes=n)
        register = enrol(register, catalogue, f"p{n}", "kurs", now=moment, mode=mode).register
    return register


def read(data: bytes) -> EmailMessage:
    """A message as the standard library reads it."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def calendar_part(message: EmailMessage) -> tuple[str, str]:
    """The text/calendar alternative: its method parameter and its text."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return str(part.get_param("method")), payload.decode("utf-8")
    raise AssertionError("no text/calendar part")


_numbers = count(1)


def reply(
    sent: bytes,
    partstat: str,
    *,
    sequence: int | None = None,
    organiser: str | None = None,
    method: str = "REPLY",
    attendee: str | None = None,
    uid: str | None = None,
) -> bytes:
    """The reply a calendar program sends to the invitation *sent*, with *partstat*."""
    _, text = calendar_part(read(sent))
    invitation = icalendar.Calendar.from_ical(text)
    (event,) = invitation.walk("VEVENT")
    who = attendee or str(event["ATTENDEE"]).removeprefix("mailto:")
    answer = icalendar.Calendar()
    answer.add("prodid", "-//Test//Calendar client//EN")
    answer.add("version", "2.0")
    answer.add("method", method)
    vevent = icalendar.Event()
    vevent.add("uid", uid or str(event["UID"]))
    vevent.add("sequence", event["SEQUENCE"] if sequence is None else sequence)
    vevent.add("dtstamp", NOW + timedelta(days=1))
    vevent.add("dtstart", event.decoded("DTSTART"))
    address = icalendar.vCalAddress(f"mailto:{who}")
    address.params["PARTSTAT"] = icalendar.vText(partstat)
    vevent.add("attendee", address, encode=False)
    boss = organiser or str(event["ORGANIZER"]).removeprefix("mailto:")
    vevent.add("organizer", icalendar.vCalAddress(f"mailto:{boss}"), encode=False)
    answer.add_component(vevent)
    message = EmailMessage()
    message["From"] = who
    message["To"] = boss
    message["Subject"] = f"{partstat.title()}: Kurs"
    message["Message-ID"] = f"<reply-{next(_numbers)}@client.example>"
    message.set_content("Svar")
    message.add_alternative(
        answer.to_ical(), maintype="text", subtype="calendar", params={"method": method}
    )
    return message.as_bytes()
