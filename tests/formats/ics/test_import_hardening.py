"""Import refuses or contains what could leak, hang or crash: links, rules, zones, encodings."""

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

import libkurs
from libkurs.errors import FormatError
from libkurs.formats.ics import read_calendar

NEW_YORK = ZoneInfo("America/New_York")
ZOOM = "https://example.zoom.us/j/987654321?pwd=hemligt"


def calendar(body, head=""):
    """A calendar around one VEVENT with *body*, and *head* before it (a VTIMEZONE)."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        f"{head}BEGIN:VEVENT\r\nUID:serie-1\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:Serie\r\n"
        f"{body}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@pytest.mark.parametrize(
    "line",
    [f"URL:{ZOOM}", f"URL;VALUE=URI:{ZOOM}", f"LINK;LINKREL=related;VALUE=URI:{ZOOM}"],
)
def test_join_link_in_url_or_link_goes_to_the_private_room_not_the_public_url(line):
    """A join link in URL or LINK becomes the OnlineRoom's join_url, never event.url/links."""
    text = calendar(f"DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\n{line}\r\n")
    (event,) = libkurs.loads(text, "ics").events
    assert event.url is None
    assert event.links == ()
    assert event.sessions[0].location.online.join_url == ZOOM
    assert ZOOM not in libkurs.dumps(libkurs.loads(text, "ics"), "ics").replace("\r\n ", "")


def test_public_url_next_to_a_join_link_stays_public():
    """An ordinary URL stays the event's url while the LINK's join link becomes the room's."""
    text = calendar(
        "DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\nURL:https://avi.fi/kurs\r\n"
        f"LINK;VALUE=URI:{ZOOM}\r\n"
    )
    (event,) = libkurs.loads(text, "ics").events
    assert event.url == "https://avi.fi/kurs"
    assert event.sessions[0].location.online.join_url == ZOOM


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3",
        "FREQ=SECONDLY;BYMONTH=4;BYMONTHDAY=31;UNTIL=99991231T000000Z",
        "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2",
        "FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1",
        "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2;COUNT=2",
        "FREQ=DAILY;BYSETPOS=2;COUNT=4",
        "FREQ=SECONDLY",
    ],
)
def test_rule_that_never_or_rarely_matches_finishes_fast(rule):
    """A rule with no occurrence for ages is cut at its horizon in seconds, with a warning."""
    text = calendar(f"DTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\nRRULE:{rule}\r\n")
    began = time.perf_counter()
    result = read_calendar(text)
    assert time.perf_counter() - began < 5  # generous: the machine may be busy
    assert any(w.line == 10 for w in result.warnings)
    assert len(result.catalogue.events[0].sessions) <= 2000


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
        ("FREQ=DAILY;INTERVAL=-2", "INTERVAL"),
        ("FREQ=DAILY;COUNT=0", "COUNT"),
        ("FREQ=DAILY;COUNT=x", "COUNT"),
        ("FREQ=SECONDLY;BYSETPOS=2", "BYSETPOS"),
    ],
)
def test_interval_or_count_below_one_is_a_format_error_on_the_rrule_line(rule, words):
    """INTERVAL=0 or COUNT=0 (and BYSETPOS every second) are refused at once, at the RRULE."""
    text = calendar(f"DTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\nRRULE:{rule}\r\n")
    began = time.perf_counter()
    with pytest.raises(FormatError, match=words) as caught:
        libkurs.loads(text, "ics", strict=True)
    assert caught.value.line == 10
    assert time.perf_counter() - began < 5  # generous: the machine may be busy


NEW_YORK_SERIES = (
    "DTSTART;TZID=America/New_York:20240304T100000\r\n"
    "DTEND;TZID=America/New_York:20240304T110000\r\n"
    "RRULE:FREQ=WEEKLY;UNTIL=20240401T100000\r\n"
    "EXDATE:20240311T100000\r\n"
    "RDATE:20240410T100000\r\n"
)


def test_zoneless_until_exdate_rdate_and_recurrence_id_are_read_in_the_dtstart_zone():
    """Times without a zone in a New York series mean New York time, not Helsinki."""
    override = (
        "BEGIN:VEVENT\r\nUID:serie-1\r\nRECURRENCE-ID:20240318T100000\r\n"
        "DTSTART;TZID=America/New_York:20240318T120000\r\n"
        "DTEND;TZID=America/New_York:20240318T130000\r\nSUMMARY:Flyttad\r\nEND:VEVENT\r\n"
    )
    text = calendar(NEW_YORK_SERIES).replace("END:VCALENDAR", override + "END:VCALENDAR")
    result = read_calendar(text)
    sessions = result.catalogue.events[0].sessions
    starts = [(s.start.astimezone(NEW_YORK).replace(tzinfo=None), s.status.value) for s in sessions]
    assert starts == [
        (datetime(2024, 3, 4, 10), "scheduled"),
        (datetime(2024, 3, 11, 10), "cancelled"),  # the EXDATE, in New York time
        (datetime(2024, 3, 18, 12), "scheduled"),  # the override found its occurrence
        (datetime(2024, 3, 25, 10), "scheduled"),
        (datetime(2024, 4, 1, 10), "scheduled"),  # UNTIL 10:00 New York includes it
        (datetime(2024, 4, 10, 10), "scheduled"),  # the RDATE
    ]
    assert not result.warnings


def test_exdate_that_matches_nothing_is_reported():
    """An EXDATE off the series excludes nothing, and the warning says so at its line."""
    text = calendar(NEW_YORK_SERIES.replace("EXDATE:20240311T100000", "EXDATE:20240311T090000"))
    result = read_calendar(text)
    assert [w.line for w in result.warnings if "EXDATE" in w.message] == [11]
    assert all(s.status.value == "scheduled" for s in result.catalogue.events[0].sessions)


def vtimezone(offset):
    """A file's own VTIMEZONE "Custom" with the one offset *offset*."""
    return (
        "BEGIN:VTIMEZONE\r\nTZID:Custom\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
        f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )


CUSTOM = "DTSTART;TZID=Custom:20240101T100000\r\nDTEND;TZID=Custom:20240101T110000\r\n"


@pytest.mark.parametrize("offset", ["+2500", "-2400", "+0260", "garbage", "+02"])
def test_impossible_vtimezone_offset_is_a_format_error_at_its_line(offset):
    """TZOFFSETFROM:+2500 (or not an offset at all) is a FormatError naming the offset's line."""
    with pytest.raises(FormatError, match="offset") as caught:
        libkurs.loads(calendar(CUSTOM, vtimezone(offset)), "ics", strict=True)
    assert caught.value.line == 8
    imported = read_calendar(calendar(CUSTOM, vtimezone(offset)))
    assert imported.catalogue.events == ()
    assert [w.line for w in imported.warnings] == [8]


def test_possible_vtimezone_offset_is_read():
    """TZOFFSETTO:+0530 of the file's own VTIMEZONE gives that offset."""
    (event,) = libkurs.loads(calendar(CUSTOM, vtimezone("+0530")), "ics").events
    assert event.sessions[0].start.astimezone(UTC) == datetime(2024, 1, 1, 4, 30, tzinfo=UTC)


@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "/x/localtime"])
def test_host_dependent_zone_names_are_refused(name):
    """TZID=localtime would mean the host's zone: refused (strict) or the caller's zone."""
    text = calendar(f"DTSTART;TZID={name}:20240101T100000\r\nDTEND:20240101T110000Z\r\n")
    with pytest.raises(FormatError, match="unknown time zone") as caught:
        libkurs.loads(text, "ics", strict=True)
    assert caught.value.line == 8
    found = []
    lenient = text.replace("DTEND:20240101T110000Z", f"DTEND;TZID={name}:20240101T110000")
    (event,) = libkurs.loads(lenient, "ics", zone=NEW_YORK, warnings=found).events
    assert event.sessions[0].start == datetime(2024, 1, 1, 10, tzinfo=NEW_YORK)
    assert [w.line for w in found] == [8]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "cp1252"])
def test_any_text_encoding_the_caller_names_is_read(encoding):
    """UTF-16 and UTF-32 (not ASCII-compatible) are decoded whole, then unfolded."""
    text = calendar(
        "DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\nLOCATION:Tölö bibliotek\r\n"
    )
    (event,) = libkurs.loads(text.encode(encoding), "ics", encoding=encoding).events
    assert event.title.texts == {"und": "Serie"}
    venue = libkurs.loads(text.encode(encoding), "ics", encoding=encoding).venues[0]
    assert venue.name.texts == {"und": "Tölö bibliotek"}


def test_bad_utf16_names_its_line():
    """A broken UTF-16 file is a FormatError with a line, not a UnicodeDecodeError."""
    data = calendar("DTSTART:20240301T100000Z\r\n").encode("utf-16-le") + b"\x00\xd8"
    with pytest.raises(FormatError, match="utf-16") as caught:
        libkurs.loads(data, "ics", encoding="utf-16-le")
    assert caught.value.line is not None


@pytest.mark.parametrize("encoding", ["hex", "base64", "zlib", "rot13", "uu"])
def test_codec_that_is_not_a_character_set_is_a_format_error(encoding):
    """hex, base64, zlib: not text encodings, so a FormatError rather than a LookupError."""
    with pytest.raises(FormatError, match="not a character set"):
        libkurs.loads(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "ics", encoding=encoding)


@pytest.mark.parametrize("data", [None, 5, ["BEGIN:VCALENDAR"]])
def test_input_that_is_not_text_or_bytes_is_a_type_error(data):
    """read_calendar(None) or (5) is a TypeError that says what it wants."""
    with pytest.raises(TypeError, match="str or bytes"):
        read_calendar(data)
