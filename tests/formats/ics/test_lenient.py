"""What real calendars hold is read, repaired or skipped with a warning that names the line."""

import contextlib
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import libkurs
from libkurs import Status
from libkurs.errors import FormatError
from libkurs.formats.ics import MAX_FILE_OCCURRENCES, Action, read_calendar

DATA = Path(__file__).parents[2] / "data" / "ics"
HELSINKI = ZoneInfo("Europe/Helsinki")


def read(name, **options):
    """Read a fixture leniently, through read_calendar."""
    return read_calendar((DATA / name).read_bytes(), source=name, **options)


def warned(imported):
    """The warnings as (line, uid, action) triples."""
    return [(w.line, w.uid, w.action) for w in imported.warnings]


def test_dtend_equal_to_dtstart_is_read_and_dtend_before_dtstart_skipped():
    """Google's instant is read as lasting default_duration; a backwards event is skipped."""
    imported = read("quirk-instant.ics")
    titles = [str(e.title) for e in imported.catalogue.events]
    assert titles == ["Påminnelse: anmälan stänger", "Bokcirkel"]
    instant = imported.catalogue.events[0].sessions[0]
    assert instant.start == datetime(2024, 3, 5, 8, tzinfo=UTC)
    assert instant.duration == timedelta(hours=1)
    assert warned(imported) == [
        (9, "instant@google.com", Action.REPAIRED),
        (16, "backwards@google.com", Action.SKIPPED),
    ]
    assert "DTEND equals DTSTART" in imported.warnings[0].message


def test_dtend_before_dtstart_is_still_refused_when_strict():
    """strict=True keeps the all-or-nothing refusal, with the line of the DTEND."""
    with pytest.raises(FormatError) as caught:
        read("quirk-instant.ics", strict=True)
    assert caught.value.line == 16


@pytest.mark.parametrize(
    ("uid", "zone"),
    [
        ("tijuana@outlook", "America/Los_Angeles"),
        ("kl@outlook", "Asia/Kuala_Lumpur"),
        ("weurope@outlook", "Europe/Berlin"),
        ("amsterdam@outlook", "Europe/Amsterdam"),
        ("custom@outlook", "Europe/Stockholm"),
    ],
)
def test_outlook_zone_names_map_through_cldr_or_fall_back_to_x_wr_timezone(uid, zone):
    """Display names and Windows names find their IANA zone; an unknown one X-WR-TIMEZONE."""
    imported = read("quirk-outlook-zones.ics")
    (event,) = [e for e in imported.catalogue.events if e.id.startswith(uid.split("@")[0])]
    start = event.sessions[0].start
    assert start.tzinfo == ZoneInfo(zone)
    assert (start.hour, start.minute) == (9, 0)


def test_guessed_and_unknown_zones_warn_once_each_with_line_and_uid():
    """A display name read by its cities, and the zone nothing knows: warned at DTSTART."""
    imported = read("quirk-outlook-zones.ics")
    assert warned(imported) == [
        (8, "tijuana@outlook", Action.REPAIRED),
        (15, "kl@outlook", Action.REPAIRED),
        (29, "amsterdam@outlook", Action.REPAIRED),
        (36, "custom@outlook", Action.REPAIRED),
    ]
    assert "read as Asia/Kuala_Lumpur" in imported.warnings[1].message
    assert "X-WR-TIMEZONE" in imported.warnings[-1].message


def test_unknown_zone_without_x_wr_timezone_is_read_in_the_callers_zone():
    """No VTIMEZONE, no IANA name, no X-WR-TIMEZONE: the zone= the caller gives."""
    new_york = ZoneInfo("America/New_York")
    imported = read("quirk-unknown-zone-no-wr.ics", zone=new_york)
    assert imported.catalogue.events[0].sessions[0].start == datetime(
        2024, 3, 5, 9, tzinfo=new_york
    )
    assert warned(imported) == [(7, "custom2@outlook", Action.REPAIRED)]


def test_windows_name_means_the_callers_zone_when_it_keeps_the_same_offsets():
    """CLDR maps FLE Standard Time to Kyiv; with Helsinki as the caller's zone, Helsinki."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:fle\r\n"
        "DTSTART;TZID=FLE Standard Time:20240305T090000\r\n"
        "DTEND;TZID=FLE Standard Time:20240305T100000\r\nSUMMARY:x\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert libkurs.loads(text, "ics").events[0].sessions[0].start.tzinfo == HELSINKI
    berlin = ZoneInfo("Europe/Berlin")
    start = libkurs.loads(text, "ics", zone=berlin).events[0].sessions[0].start
    assert start.tzinfo == ZoneInfo("Europe/Kiev")


def test_own_vtimezone_with_lower_summer_offset_reads_overlaps_as_the_first():
    """A zone whose winter is "daylight" −1 h: offsets right, 01:30 twice means the first."""
    imported = read("quirk-negative-dst.ics")
    starts = {
        e.id.split("-")[0]: e.sessions[0].start.astimezone(UTC) for e in imported.catalogue.events
    }
    assert starts == {
        "summer": datetime(2024, 7, 1, 9, tzinfo=UTC),
        "winter": datetime(2024, 1, 15, 10, tzinfo=UTC),
        "twice": datetime(2024, 10, 27, 0, 30, tzinfo=UTC),  # 01:30 at +01:00, the first
        "gap": datetime(2024, 3, 31, 1, 30, tzinfo=UTC),  # 01:30 with the offset before
    }
    assert imported.warnings == ()


def test_legacy_encoding_is_read_as_windows_1252_with_a_warning():
    """Not UTF-8 and no charset: Windows-1252 (so '€' and '–' come out right), warned once."""
    imported = read("quirk-cp1252.ics")
    assert str(imported.catalogue.events[0].title) == "Mervärde – 5 € per deltagare"
    assert warned(imported) == [(9, None, Action.REPAIRED)]
    assert "cp1252" in imported.warnings[0].message


def test_broken_lines_of_unused_properties_are_skipped_and_a_broken_dtstart_skips_its_vevent():
    """iPhone's broken parameter, Confluence's fold, a name with a space, no colon: skipped."""
    imported = read("quirk-broken-lines.ics")
    (event,) = imported.catalogue.events
    assert str(event.title) == "Studiebesök"
    assert str(event.description) == "Vi träffas vid ingången."
    assert [v.name.texts["und"] for v in imported.catalogue.venues] == ["Tölö bibliotek"]
    assert warned(imported) == [
        (10, None, Action.SKIPPED),
        (12, None, Action.SKIPPED),
        (13, None, Action.SKIPPED),
        (14, None, Action.SKIPPED),
        (20, "brokenstart@x", Action.SKIPPED),
    ]


def test_misspelt_and_missing_end_lines_keep_the_complete_components():
    """END:VEVNT ends its VEVENT; the VEVENT cut off at the end of the file is left out."""
    imported = read("quirk-end-lines.ics")
    assert [str(e.title) for e in imported.catalogue.events] == ["Första", "Andra"]
    assert [(w.line, w.action) for w in imported.warnings] == [
        (10, Action.REPAIRED),
        (18, Action.SKIPPED),
        (1, Action.REPAIRED),
    ]


@pytest.mark.parametrize(
    ("prefix", "days", "action"),
    [
        ("empty", [4], Action.SKIPPED),
        ("trailing", [4, 11, 18], Action.REPAIRED),
        ("count0", [4], Action.SKIPPED),
        ("spaces", [4, 6, 11, 13], Action.REPAIRED),
    ],
)
def test_rrule_quirks_are_repaired_or_read_as_no_rule(prefix, days, action):
    """RRULE:, a trailing ';', COUNT=0 and 'MO, WE': read as other readers do, warned."""
    imported = read("quirk-rrule.ics")
    (event,) = [e for e in imported.catalogue.events if e.id.startswith(prefix)]
    assert [s.start.day for s in event.sessions] == days
    (warning,) = [w for w in imported.warnings if w.uid == f"{prefix}@x"]
    assert warning.action is action
    assert warning.line is not None


def test_rdate_dates_in_a_timed_series_take_its_time_and_times_in_an_all_day_series_their_day():
    """RDATE;VALUE=DATE in a 10:00 series is 10:00 that day; a date-time in a day series a day."""
    events = {e.id.split("-")[0]: e for e in read("quirk-rrule.ics").catalogue.events}
    timed = [
        (s.start.astimezone(HELSINKI).date(), s.start.astimezone(HELSINKI).hour)
        for s in events["datesintimed"].sessions
    ]
    assert timed == [(date(2024, 3, 4), 10), (date(2024, 3, 20), 10), (date(2024, 3, 27), 10)]
    days = [(s.start.date(), s.all_day) for s in events["timesinallday"].sessions]
    assert days == [(date(2024, 3, 4), True), (date(2024, 3, 20), True)]


def test_rdate_period_keeps_its_own_end_or_duration():
    """RDATE;VALUE=PERIOD 13:00/17:00 lasts four hours, 09:00/PT30M half an hour."""
    events = {e.id.split("-")[0]: e for e in read("quirk-rrule.ics").catalogue.events}
    spans = [(s.start.hour, s.duration) for s in events["period"].sessions]
    assert spans == [(10, timedelta(hours=2)), (13, timedelta(hours=4)), (9, timedelta(minutes=30))]


def test_this_and_future_moves_every_later_instance():
    """RANGE=THISANDFUTURE at the third of six: the third to sixth at 14:00, 1.5 h, retitled."""
    (series,) = read("quirk-thisandfuture.ics").catalogue.events
    found = [
        (s.start.astimezone(HELSINKI).strftime("%m-%d %H:%M"), s.duration, s.title and str(s.title))
        for s in series.sessions
    ]
    later = (timedelta(minutes=90), "Läsecirkel (eftermiddag)")
    assert found == [
        ("03-04 10:00", timedelta(hours=1), None),
        ("03-11 10:00", timedelta(hours=1), None),
        ("03-18 14:00", *later),
        ("03-25 14:00", *later),
        ("04-01 14:00", *later),  # across the change to summer time: still 14:00
        ("04-08 14:00", *later),
    ]


def test_all_day_series_overridden_by_a_date_time_recurrence_id_has_no_phantom():
    """Exchange's RECURRENCE-ID 20240110T000000 replaces the all-day instance of Jan 10."""
    imported = read("quirk-allday-override.ics")
    (series,) = imported.catalogue.events
    assert [s.start.day for s in series.sessions] == [3, 11, 17, 24]
    assert str(series.sessions[1].title) == "Temadag (flyttad)"
    assert imported.warnings == ()


@pytest.mark.parametrize(
    ("name", "status", "partstat"),
    [
        ("quirk-itip-cancel.ics", Status.CANCELLED, "NEEDS-ACTION"),
        ("quirk-itip-reply.ics", Status.SCHEDULED, "ACCEPTED"),
    ],
)
def test_itip_message_without_dtstart_is_read_and_matched_by_uid(name, status, partstat):
    """A CANCEL or REPLY without DTSTART gives the event of its UID, without sessions."""
    imported = read(name)
    (event,) = imported.catalogue.events
    original = libkurs.loads(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:kurs-42@example.fi\r\n"
        "DTSTART:20240305T080000Z\r\nDTEND:20240305T090000Z\r\nSUMMARY:Kurs\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        "ics",
    )
    assert event.id == original.events[0].id
    assert event.sessions == ()
    assert event.status is status
    (attendee,) = imported.attendees
    assert (attendee.event, attendee.email, attendee.partstat) == (
        event.id,
        "anna@example.fi",
        partstat,
    )


def test_vevent_without_dtstart_outside_itip_is_skipped_with_its_uid():
    """Without METHOD a VEVENT needs its DTSTART: skipped, the others read."""
    text = (DATA / "quirk-itip-reply.ics").read_bytes().decode().replace("METHOD:REPLY\r\n", "")
    imported = read_calendar(text)
    assert imported.catalogue.events == ()
    assert warned(imported) == [(4, "kurs-42@example.fi", Action.SKIPPED)]


def test_bare_vevents_without_vcalendar_are_read_with_one_warning():
    """VEVENTs with no VCALENDAR around them, as many exports and tests write them."""
    imported = read("quirk-bare-vevents.ics")
    assert [str(e.title) for e in imported.catalogue.events] == [
        "Utan kalender 1",
        "Utan kalender 2",
    ]
    assert warned(imported) == [(1, None, Action.REPAIRED)]


def test_one_broken_vevent_among_good_ones_loses_only_itself():
    """An impossible date in one VEVENT: that one skipped, the others and their sessions kept."""
    good = (DATA / "quirk-bare-vevents.ics").read_text()
    broken = good.replace("DTSTART:20240306T080000Z", "DTSTART:20240230T080000Z")
    imported = read_calendar(broken)
    assert [str(e.title) for e in imported.catalogue.events] == ["Utan kalender 1"]
    assert (11, "bare-2@x", Action.SKIPPED) in warned(imported)
    assert "line 11 (UID bare-2@x): impossible date" in str(imported.warnings[-1])


def test_warnings_reach_the_caller_of_libkurs_loads():
    """libkurs.loads(..., warnings=[]) collects what read_calendar returns."""
    found = []
    libkurs.loads((DATA / "quirk-instant.ics").read_bytes(), "ics", warnings=found)
    assert [w.action for w in found] == [Action.REPAIRED, Action.SKIPPED]


# --- bounds on hostile input ---------------------------------------------------------------


def calendar(*vevents, head=""):
    """A VCALENDAR around *vevents* (strings), with *head* before them."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        + head
        + "".join(vevents)
        + "END:VCALENDAR\r\n"
    )


def vevent(uid, *lines):
    """A VEVENT with *lines*."""
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{uid}\r\n"
        + "".join(f"{x}\r\n" for x in lines)
        + "END:VEVENT\r\n"
    )


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_vtimezone_observance_with_a_sub_daily_rule_does_not_hang(freq):
    """RRULE:FREQ=SECONDLY in an observance: refused strictly, left out leniently, in a second."""
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Fast\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        f"TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ={freq}\r\nEND:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:16010101T000001\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        f"RRULE:FREQ={freq}\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    )
    text = calendar(
        *(
            vevent(f"e{n}", f"DTSTART;TZID=Fast:2024{n % 12 + 1:02d}05T100000", "DURATION:PT1H")
            for n in range(200)
        ),
        head=zone,
    )
    began = time.perf_counter()
    with pytest.raises(FormatError, match="not yearly") as caught:
        libkurs.loads(text, "ics", strict=True)
    assert caught.value.line == 10
    imported = read_calendar(text)
    assert time.perf_counter() - began < 5
    assert len(imported.catalogue.events) == 200
    assert {w.line for w in imported.warnings} == {10, 16}


def test_sub_daily_rule_with_many_by_parts_finishes_in_bounded_time():
    """FREQ=SECONDLY with every BYHOUR, BYMINUTE and BYSECOND: cut at the cap, in seconds."""
    every = lambda n: ",".join(str(i) for i in range(n))  # noqa: E731
    rule = (
        f"RRULE:FREQ=SECONDLY;BYHOUR={every(24)};BYMINUTE={every(60)};BYSECOND={every(60)}"
        ";BYDAY=MO,TU,WE,TH,FR,SA,SU;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12"
    )
    text = calendar(vevent("fast", "DTSTART:20240101T000000Z", "DURATION:PT1S", rule))
    began = time.perf_counter()
    imported = read_calendar(text)
    assert time.perf_counter() - began < 10
    assert len(imported.catalogue.events[0].sessions) == 2000
    assert [w.action for w in imported.warnings] == [Action.CUT]


def test_occurrence_cap_holds_for_the_whole_file():
    """Many never-ending daily series in a small file stop at MAX_FILE_OCCURRENCES in all."""
    series = [
        vevent(f"s{n}", "DTSTART:20240101T100000Z", "DURATION:PT1H", "RRULE:FREQ=HOURLY")
        for n in range(40)
    ]
    text = calendar(*series)
    assert len(text) < 10_000
    began = time.perf_counter()
    imported = read_calendar(text)
    took = time.perf_counter() - began
    sessions = sum(len(e.sessions) for e in imported.catalogue.events)
    assert MAX_FILE_OCCURRENCES <= sessions <= MAX_FILE_OCCURRENCES + 40
    assert any(f"more than {MAX_FILE_OCCURRENCES}" in w.message for w in imported.warnings)
    assert took < 60


@pytest.mark.parametrize(
    "duration", ["P" + "9" * 5000 + "D", "PT" + "1" * 3000 + "H", "P999999999W"]
)
def test_duration_with_thousands_of_digits_is_a_clean_error(duration):
    """A DURATION of thousands of digits: a FormatError at its line, or the VEVENT skipped."""
    text = calendar(vevent("long", "DTSTART:20240101T100000Z", f"DURATION:{duration}"))
    began = time.perf_counter()
    with pytest.raises(FormatError, match="DURATION") as caught:
        libkurs.loads(text, "ics", strict=True)
    assert caught.value.line == 8
    assert warned(read_calendar(text)) == [(8, "long", Action.SKIPPED)]
    assert time.perf_counter() - began < 5  # generous: the machine may be busy


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize(
    "line",
    [
        "X-MICROSOFT-SKYPETEAMSMEETINGURL:https://mee[t.jit.si/x",
        "URL:https://ex[ample.fi/kurs",
        "LINK;VALUE=URI:https://ex[ample.fi/kurs",
    ],
)
def test_url_that_urlsplit_refuses_gives_no_raw_value_error(line, strict):
    """A '[' that makes urllib raise ValueError: a libkurs error or a warning, never a crash."""
    text = calendar(vevent("url", "DTSTART:20240101T100000Z", "DURATION:PT1H", line))
    with contextlib.suppress(FormatError):
        imported = read_calendar(text, strict=strict)
        assert all(w.line is not None for w in imported.warnings)


def test_display_name_with_its_own_vtimezone_uses_the_definition_without_warning():
    """An Outlook display name that the file defines: its VTIMEZONE wins, nothing guessed."""
    name = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
    zone = (
        f"BEGIN:VTIMEZONE\r\nTZID:{name}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    text = calendar(
        vevent("own", f'DTSTART;TZID="{name}":20240305T090000', "DURATION:PT1H"), head=zone
    )
    imported = read_calendar(text)
    start = imported.catalogue.events[0].sessions[0].start
    assert start.astimezone(UTC) == datetime(2024, 3, 5, 6, tzinfo=UTC)  # +03:00, as defined
    assert imported.warnings == ()
