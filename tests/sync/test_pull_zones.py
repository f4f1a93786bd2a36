"""pull() keeps each item's own time zone definitions, whatever their TZIDs."""

from __future__ import annotations

from datetime import UTC, datetime

from libkurs.sync import MemoryCalendar, pull


def _item(uid: str, offset: str, name: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0//EN\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n"
        f"DTSTART:16010101T000000\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20300101T000000Z\r\n"
        "DTSTART;TZID=Customized Time Zone:20300610T120000\r\n"
        "DTEND;TZID=Customized Time Zone:20300610T130000\r\n"
        f"SUMMARY:{name}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def test_two_items_with_different_zones_under_one_tzid_keep_their_own() -> None:
    """ "Customized Time Zone" at +02:00 in one item and -05:00 in the other: 7 hours apart."""
    calendar = MemoryCalendar()
    calendar.create("helsinki.ics", _item("a@example.org", "+0200", "Helsingfors"))
    calendar.create("new-york.ics", _item("b@example.org", "-0500", "New York"))
    catalogue = pull(calendar)
    starts = {
        str(event.title): session.start.astimezone(UTC)
        for event in catalogue.events
        for session in event.sessions
    }
    assert starts == {
        "Helsingfors": datetime(2030, 6, 10, 10, tzinfo=UTC),
        "New York": datetime(2030, 6, 10, 17, tzinfo=UTC),
    }
