"""What real programs write: the golden corpus in tests/data/ics, one file per producer quirk."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import libkurs
from libkurs import HELSINKI, Status
from libkurs.errors import FormatError
from libkurs.formats.ics import read_calendar

DATA = Path(__file__).parents[2] / "data" / "ics"
GOOD = sorted(p.name for p in DATA.glob("*.ics") if p.name != "latin1.ics")


def utc(moment):
    """*moment* in UTC, as a naive value that compares by instant."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def read(name, **options):
    """Read a corpus file through the richer door."""
    return read_calendar((DATA / name).read_bytes(), source=name, **options)


def only_event(name, **options):
    """The one event of a corpus file."""
    (event,) = read(name, **options).catalogue.events
    return event


@pytest.mark.parametrize("name", GOOD)
def test_every_corpus_file_loads_through_the_public_door(name):
    """libkurs.load reads every well-formed file of the corpus by its .ics suffix."""
    catalogue = libkurs.load(DATA / name)
    assert catalogue.events


@pytest.mark.parametrize("name", GOOD)
def test_every_corpus_file_survives_a_second_trip(name):
    """What libkurs reads, it writes and reads again to the same sessions."""
    catalogue = libkurs.load(DATA / name)
    again = libkurs.loads(libkurs.dumps(catalogue, "ics", private=True), "ics")
    # As instants: an hour that occurs twice never equals a time of another zone (PEP 495).
    first = [(s.id, utc(s.start), utc(s.end), s.status) for _, s in catalogue.sessions()]
    assert [(s.id, utc(s.start), utc(s.end), s.status) for _, s in again.sessions()] == first


def test_google_utc_times_are_shown_in_x_wr_timezone():
    """Google writes UTC times and names the calendar's zone in X-WR-TIMEZONE."""
    events = read("google.ics").catalogue.events
    session = events[0].sessions[0]
    assert session.start == datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    assert session.start.tzinfo == ZoneInfo("Europe/Helsinki")
    assert session.revision == 2


def test_google_series_has_one_session_per_occurrence_with_overrides_and_cancellations():
    """RRULE with UNTIL, an EXDATE, a moved and a cancelled instance: seven sessions."""
    series = read("google.ics").catalogue.events[1]
    statuses = [(s.start.date(), s.status) for s in series.sessions]
    assert statuses == [
        (date(2023, 1, 9), Status.SCHEDULED),
        (date(2023, 1, 16), Status.SCHEDULED),
        (date(2023, 1, 23), Status.CANCELLED),  # EXDATE
        (date(2023, 1, 30), Status.SCHEDULED),
        (date(2023, 2, 7), Status.SCHEDULED),  # moved from Monday 6th to Tuesday
        (date(2023, 2, 13), Status.SCHEDULED),
        (date(2023, 2, 20), Status.CANCELLED),  # cancelled override
    ]
    assert series.sessions[4].title is not None
    assert str(series.sessions[4].title) == "Studiecirkel: Liboppi (flyttad)"


def test_google_meet_link_becomes_a_private_online_room():
    """X-GOOGLE-CONFERENCE gives the join link; the invitation text is the private note."""
    event = read("google.ics").catalogue.events[2]
    room = event.sessions[0].location.online
    assert room.platform == "Google Meet"
    assert room.join_url == "https://meet.google.com/abc-defg-hij"
    assert "Join with Google Meet" in room.access_note
    assert event.description is None
    assert "meet.google.com" not in libkurs.dumps(read("google.ics").catalogue, "ics")


def test_attendees_are_found_with_their_replies():
    """The richer import returns ATTENDEEs with e-mail, name, PARTSTAT and their line."""
    result = read("google.ics")
    found = [(a.email, a.name, a.partstat) for a in result.attendees]
    assert found == [
        ("anna.andersson@example.fi", "Anna Andersson", "ACCEPTED"),
        ("bo.berg@example.fi", None, "NEEDS-ACTION"),
    ]
    assert all(a.event == result.catalogue.events[2].id for a in result.attendees)


def test_outlook_windows_zone_name_is_mapped_to_helsinki():
    """TZID="FLE Standard Time" (quoted, with its own VTIMEZONE) is Europe/Helsinki."""
    event = read("outlook.ics").catalogue.events[0]
    session = event.sessions[0]
    assert session.start == datetime(2023, 3, 1, 13, tzinfo=HELSINKI)
    assert session.start.tzinfo == ZoneInfo("Europe/Helsinki")
    assert str(event.title) == "Mervärde med meröppet"
    assert event.title.languages == ("sv-fi",)


def test_outlook_multi_day_session_over_the_end_of_summer_time():
    """Friday 09:00 to Monday 11:00 across the autumn change lasts 74 + 1 hours."""
    session = read("outlook.ics").catalogue.events[1].sessions[0]
    assert session.duration == timedelta(hours=75)


def test_outlook_customized_time_zone_is_read_from_its_vtimezone():
    """An unnamed zone is built from the file's own rules: 14:00 in September is 11:00 UTC."""
    session = read("outlook-custom-zone.ics").catalogue.events[0].sessions[0]
    assert session.start.astimezone(UTC) == datetime(2023, 9, 6, 11, tzinfo=UTC)


def test_outlook_uid_that_is_not_an_id_becomes_a_stable_one():
    """A UID that is no valid libkurs id gets a slug plus a hash, the same on every import."""
    first = read("outlook.ics").catalogue.events[0].id
    assert first == read("outlook.ics").catalogue.events[0].id
    assert first.startswith("040000008200E00074C5B7101A82E008")


def test_teams_invitation_keeps_the_join_link_private():
    """Teams: METHOD:REQUEST, the link in DESCRIPTION and X-MICROSOFT-SKYPETEAMSMEETINGURL."""
    event = only_event("teams.ics")
    location = event.sessions[0].location
    assert location.venue is None
    assert location.online.platform == "Teams"
    assert location.online.join_url.startswith("https://teams.microsoft.com/l/meetup-join/")
    assert "Lösenord: AbC123" in location.online.access_note
    assert event.description is None
    public = libkurs.dumps(read("teams.ics").catalogue, "ics")
    assert "teams.microsoft.com" not in public
    assert "AbC123" not in public


def test_zoom_invitation_link_in_location_and_stray_tzid_property():
    """Zoom: the join link in LOCATION, a stray TZID property inside the VEVENT."""
    event = only_event("zoom.ics")
    session = event.sessions[0]
    assert session.start == datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    room = session.location.online
    assert room.platform == "Zoom"
    assert (
        room.join_url == "https://us02web.zoom.us/j/89012345678?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ12.1"
    )
    assert "Passcode: 482913" in room.access_note


def test_apple_duration_instead_of_dtend():
    """Apple writes DURATION: PT2H for a timed event, P4D for a four-day all-day one."""
    events = read("apple.ics").catalogue.events
    timed, trip = events[0].sessions[0], events[1].sessions[0]
    assert timed.duration == timedelta(hours=2)
    assert trip.all_day
    assert trip.days == (date(2022, 8, 22), date(2022, 8, 25))
    venue = read("apple.ics").catalogue.venue(timed.location.venue)
    assert str(venue.name).startswith("Stadsbiblioteket\nRunebergsgatan 1")


def test_thunderbird_all_day_categories_url_and_old_mozilla_tzid():
    """Thunderbird: a DATE event, CATEGORIES, URL, and a /mozilla.org/…/Europe/Helsinki TZID."""
    day, old = read("thunderbird.ics").catalogue.events
    assert day.sessions[0].all_day
    assert [str(k) for k in day.keywords] == ["Liboppi", "Studiekretsar"]
    assert day.url == "https://www.kirjastot.fi/liboppi"
    assert old.sessions[0].start.tzinfo == ZoneInfo("Europe/Helsinki")


def test_floating_times_are_read_in_the_callers_zone():
    """Times without a zone are in Europe/Helsinki by default, or the zone given."""
    default = read("floating-and-no-end.ics").catalogue.events[0].sessions[0]
    assert default.start == datetime(2023, 4, 12, 9, tzinfo=HELSINKI)
    stockholm = ZoneInfo("Europe/Stockholm")
    other = read("floating-and-no-end.ics", zone=stockholm).catalogue.events[0].sessions[0]
    assert other.start == datetime(2023, 4, 12, 9, tzinfo=stockholm)


def test_dtstart_without_an_end_lasts_an_hour_or_a_day_with_a_warning():
    """A timed DTSTART alone lasts default_duration (warned); a date alone is one day."""
    result = read("floating-and-no-end.ics")
    _, timed, day = result.catalogue.events
    assert timed.sessions[0].duration == timedelta(hours=1)
    assert day.sessions[0].all_day
    assert day.sessions[0].days == (date(2023, 4, 14), date(2023, 4, 14))
    assert [w.line for w in result.warnings] == [14]


def test_vtodo_and_vjournal_are_skipped_with_a_warning():
    """Only the VEVENT becomes an event; each skipped component is named with its line."""
    result = read("todo-and-journal.ics")
    assert len(result.catalogue.events) == 1
    assert [(w.line, "VTODO" in w.message or "VJOURNAL" in w.message) for w in result.warnings] == [
        (4, True),
        (18, True),
    ]


@pytest.mark.parametrize("name", ["bom.ics", "lf-line-endings.ics", "fold-splits-utf8.ics"])
def test_byte_order_mark_line_endings_and_split_characters(name):
    """A byte-order mark, LF without CR, and a fold inside 'ä' all read cleanly."""
    event = only_event(name)
    assert "\ufffd" not in str(event.title)
    assert event.sessions[0].start == datetime(2023, 2, 1, 12, tzinfo=HELSINKI)


def test_fold_inside_a_character_is_healed():
    """The two bytes of 'ä', split by a fold, join up again."""
    assert str(only_event("fold-splits-utf8.ics").title) == "Mervärde med meröppet"


def test_input_that_is_not_utf8_is_refused_with_its_line_or_read_with_the_named_encoding():
    """Latin-1 bytes: strict, a FormatError at line 9; the right text with encoding="latin-1"."""
    with pytest.raises(FormatError) as caught:
        libkurs.load(DATA / "latin1.ics", strict=True)
    assert caught.value.line == 9
    assert caught.value.source.endswith("latin1.ics")
    assert str(only_event("latin1.ics", encoding="latin-1").title) == "Mervärde med meröppet"


def test_recurrence_with_count_rdate_exdate_override_and_cancelled_instance():
    """COUNT=6 weekly, one RDATE, one EXDATE, one moved and one cancelled: seven sessions."""
    series = read("recurrence.ics").catalogue.events[0]
    found = [(s.start.strftime("%m-%d %H"), s.status) for s in series.sessions]
    assert found == [
        ("03-02 14", Status.SCHEDULED),
        ("03-09 14", Status.SCHEDULED),
        ("03-16 14", Status.CANCELLED),
        ("03-24 09", Status.SCHEDULED),
        ("03-30 14", Status.CANCELLED),
        ("04-06 14", Status.SCHEDULED),
        ("04-20 10", Status.SCHEDULED),
    ]
    assert len({s.id for s in series.sessions}) == 7


def test_unbounded_rule_stops_at_the_default_horizon_with_a_warning():
    """FREQ=MONTHLY without an end: a year of first Fridays, and a warning saying so."""
    result = read("recurrence.ics")
    monthly = result.catalogue.events[1]
    assert len(monthly.sessions) == 13
    assert any("never ends" in w.message and w.line == 39 for w in result.warnings)


def test_unbounded_rule_follows_the_callers_horizon():
    """horizon= cuts an endless rule where the caller says."""
    result = read("recurrence.ics", horizon=date(2023, 3, 31))
    assert len(result.catalogue.events[1].sessions) == 3


def test_all_day_daily_series_with_until_and_a_date_exdate():
    """Daily all-day sessions Monday to Friday, Wednesday excluded and kept as cancelled."""
    series = read("recurrence.ics").catalogue.events[2]
    assert [s.start.day for s in series.sessions] == [14, 15, 16, 17, 18]
    assert [s.status for s in series.sessions].count(Status.CANCELLED) == 1
    assert all(s.all_day for s in series.sessions)


def test_session_ids_of_a_series_are_stable_across_imports():
    """Occurrence ids come from the original start, not from the position in the list."""
    first = [s.id for s in read("recurrence.ics").catalogue.events[0].sessions]
    again = [s.id for s in read("recurrence.ics").catalogue.events[0].sessions]
    assert first == again
    assert first[0].endswith("-20230302T120000Z")
