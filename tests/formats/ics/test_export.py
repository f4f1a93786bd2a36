"""The public feed: exact to RFC 5545/7986/9253, checked by vobject, an independent parser."""

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import libkurs
from formats.ics.vobject_helper import vobject_read
from libkurs import (
    HELSINKI,
    Address,
    AgendaItem,
    Catalogue,
    Event,
    Geo,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    Person,
    Publication,
    Session,
    Status,
    Venue,
    revise,
)
from libkurs.errors import ValidationError
from libkurs.formats.ics import calendar_object
from libkurs.formats.ics._export import PRODID
from strategies import catalogues

EXAMPLE = Path(__file__).parents[3] / "examples" / "catalogue.json"
ZOOM = "https://example.zoom.us/j/123456789?pwd=hemligt"


def seminar(**changes):
    """A bilingual hybrid seminar with a venue, a private Zoom room and a programme of talks."""
    start = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    event = Event(
        id="slutseminarium",
        title=LocalizedText({"sv": "Slutseminarium", "fi": "Loppuseminaari"}),
        summary=LocalizedText({"sv": "Biblioteken presenterar sina resultat."}),
        organisers=["akepampas"],
        keywords=[LocalizedText({"sv": "service design", "fi": "palvelumuotoilu"})],
        url="https://example.fi/slutseminarium",
        location=Location(
            venue="stadsbiblioteket",
            online=OnlineRoom(platform="Zoom", join_url=ZOOM, access_note="Lösenord 2023"),
        ),
        sessions=[
            Session(
                id="slutseminarium-1",
                start=start,
                end=start + timedelta(hours=4),
                agenda=[
                    AgendaItem(
                        title=LocalizedText({"sv": "Mer relevant än någonsin!"}),
                        start=start,
                        end=start + timedelta(minutes=45),
                        speakers=["forsman"],
                    )
                ],
            )
        ],
        internal_note="Zoom-länken skickas dagen före.",
    )
    event = attrs.evolve(event, **changes)
    return Catalogue(
        name=LocalizedText({"sv": "Fortbildning", "fi": "Koulutus"}),
        events=[event],
        organisations=[Organisation(id="akepampas", name=LocalizedText({"sv": "AKEpampas"}))],
        people=[
            Person(
                id="forsman",
                name="Daniel Forsman",
                title=LocalizedText({"sv": "stadsbibliotekarie"}),
            )
        ],
        venues=[
            Venue(
                id="stadsbiblioteket",
                name=LocalizedText({"sv": "Stadsbiblioteket", "fi": "Kaupunginkirjasto"}),
                address=Address(street="Tölögatan 1", postal_code="00100", locality="Helsingfors"),
                geo=Geo(latitude=60.1699, longitude=24.9384),
            )
        ],
    )


def test_example_catalogue_parses_in_vobject_with_right_events_zones_and_instants():
    """The export of examples/catalogue.json: 3 VEVENTs, 1 VTIMEZONE, the right UTC instants."""
    calendar = vobject_read(libkurs.dumps(libkurs.load(EXAMPLE), "ics"))
    events = calendar.vevent_list
    assert len(events) == 3
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/Helsinki"]
    seminar_event = next(e for e in events if e.uid.value.startswith("slutseminarium"))
    assert seminar_event.dtstart.value.astimezone(UTC) == datetime(2023, 2, 1, 10, tzinfo=UTC)
    assert seminar_event.dtend.value.astimezone(UTC) == datetime(2023, 2, 1, 14, tzinfo=UTC)
    all_day = [e for e in events if e.uid.value.startswith("liboppi")]
    assert [e.dtstart.value for e in all_day] == [date(2023, 1, 12)] * 2
    assert [e.dtend.value for e in all_day] == [date(2023, 1, 13)] * 2


def test_every_vevent_has_the_required_properties_and_never_duration():
    """UID, DTSTAMP, SEQUENCE, STATUS, DTSTART and DTEND on every VEVENT; no DURATION."""
    text = libkurs.dumps(libkurs.load(EXAMPLE), "ics")
    for event in vobject_read(text).vevent_list:
        for name in ("uid", "dtstamp", "sequence", "status", "dtstart", "dtend", "summary"):
            assert name in event.contents, name
        assert "duration" not in event.contents
    assert "\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_same_catalogue_gives_byte_identical_output():
    """Two exports of one catalogue are the same bytes: no clock, no random."""
    catalogue = libkurs.load(EXAMPLE)
    assert libkurs.dumps(catalogue, "ics") == libkurs.dumps(catalogue, "ics")


def test_uid_is_the_session_id_and_domain_and_survives_changes():
    """A moved, renamed, cancelled session keeps its UID; SEQUENCE grows."""
    catalogue = seminar()
    event = catalogue.events[0]
    moved = revise(
        event.sessions[0],
        start=event.sessions[0].start + timedelta(days=1),
        end=event.sessions[0].end + timedelta(days=1),
        status=Status.CANCELLED,
        agenda=[],
    )
    changed = attrs.evolve(catalogue, events=[revise(event, sessions=[moved])])
    before = vobject_read(libkurs.dumps(catalogue, "ics", uid_domain="avi.fi")).vevent
    after = vobject_read(libkurs.dumps(changed, "ics", uid_domain="avi.fi")).vevent
    assert before.uid.value == after.uid.value == "slutseminarium-1@avi.fi"
    assert int(after.sequence.value) > int(before.sequence.value)
    assert after.status.value == "CANCELLED"


def test_public_feed_keeps_out_join_links_access_notes_internal_notes_and_drafts():
    """No join link, passcode, internal note or draft event reaches the public feed."""
    catalogue = seminar()
    draft = Event(
        id="utkast",
        title=LocalizedText({"sv": "Hemligt utkast"}),
        publication=Publication.DRAFT,
        sessions=[
            Session(
                id="utkast-1",
                start=datetime(2023, 3, 1, 9, tzinfo=HELSINKI),
                end=datetime(2023, 3, 1, 10, tzinfo=HELSINKI),
            )
        ],
    )
    catalogue = attrs.evolve(catalogue, events=[*catalogue.events, draft])
    text = libkurs.dumps(catalogue, "ics")
    for secret in ("example.zoom.us", "hemligt", "Lösenord", "Zoom-länken", "Hemligt utkast"):
        assert secret not in text
    assert "CONFERENCE" not in text
    private = libkurs.dumps(catalogue, "ics", private=True)
    assert "CONFERENCE;VALUE=URI" in private
    assert "Hemligt utkast" in private


def test_location_geo_categories_url_and_grouping():
    """LOCATION with venue and address, GEO, CATEGORIES, URL; REFID only when asked for."""
    event = vobject_read(libkurs.dumps(seminar(), "ics")).vevent
    assert event.location.value == "Stadsbiblioteket, Tölögatan 1, 00100 Helsingfors, Zoom"
    assert event.geo.value == "60.1699;24.9384"
    assert event.categories.value == ["service design"]
    assert event.url.value == "https://example.fi/slutseminarium"
    assert "refid" not in event.contents
    assert "related-to" not in event.contents  # the event's UID is in no output
    assert vobject_read(libkurs.dumps(seminar(), "ics", rfc9253=True)).vevent.refid.value == (
        "slutseminarium"
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "written"),
    [
        (5e-324, -2.2250738585072014e-308, "0.0;0.0"),  # subnormal and tiny: 0, not 300 digits
        (1.5e-05, -1.23456789012e-05, "0.000015;-0.0000123456789012"),  # no exponent, exact
        (-90.0, 180.0, "-90.0;180.0"),
    ],
)
def test_geo_is_a_float_without_exponent_and_of_bounded_length(latitude, longitude, written):
    """GEO never carries an exponent (RFC 5545 FLOAT) nor hundreds of digits (libical)."""
    venue = attrs.evolve(seminar().venues[0], geo=Geo(latitude=latitude, longitude=longitude))
    catalogue = attrs.evolve(seminar(), venues=[venue])
    assert vobject_read(libkurs.dumps(catalogue, "ics")).vevent.geo.value == written


def test_programme_of_talks_and_speakers_is_readable_in_description():
    """DESCRIPTION lists the talks with times and speakers, then the organiser."""
    description = vobject_read(libkurs.dumps(seminar(), "ics")).vevent.description.value
    assert (
        "Program:\n12.00–12.45 Mer relevant än någonsin! (Daniel Forsman, stadsbibliotekarie)"
        in (description)
    )
    assert description.endswith("Arrangör: AKEpampas")


def test_language_parameter_and_fallback():
    """The caller's language is used where there is text in it, and LANGUAGE says which."""
    finnish = vobject_read(libkurs.dumps(seminar(), "ics", language="fi")).vevent
    assert finnish.summary.value == "Loppuseminaari"
    assert finnish.summary.params["LANGUAGE"] == ["fi"]
    english = vobject_read(libkurs.dumps(seminar(), "ics", language="en")).vevent
    assert english.summary.value == "Slutseminarium"
    assert english.summary.params["LANGUAGE"] == ["sv"]


def test_second_language_joins_both_titles():
    """second_language gives "Slutseminarium / Loppuseminaari"."""
    event = vobject_read(
        libkurs.dumps(seminar(), "ics", language="sv", second_language="fi")
    ).vevent
    assert event.summary.value == "Slutseminarium / Loppuseminaari"


def test_cancelled_event_stays_in_the_feed_as_cancelled():
    """A cancelled event's sessions are written, with STATUS:CANCELLED."""
    event = vobject_read(libkurs.dumps(seminar(status=Status.CANCELLED), "ics")).vevent
    assert event.status.value == "CANCELLED"


def test_vtimezone_covers_only_the_years_used():
    """A session in 2023 gets observances of 2023 only: three of them for Helsinki."""
    text = libkurs.dumps(seminar(), "ics")
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    starts = [line for line in block.split("\r\n") if line.startswith("DTSTART:")]
    assert starts == [
        "DTSTART:20230101T000000",
        "DTSTART:20230326T030000",
        "DTSTART:20231029T040000",
    ]
    assert text.count("BEGIN:DAYLIGHT") == 1
    assert text.count("BEGIN:STANDARD") == 2


def test_every_zone_used_gets_a_vtimezone_and_utc_is_written_with_z():
    """Sessions in Stockholm, New York, a fixed offset and UTC: three VTIMEZONEs and a Z."""
    base = seminar()
    zones = [ZoneInfo("Europe/Stockholm"), ZoneInfo("America/New_York"), UTC]
    sessions = [
        Session(
            id=f"s{number}",
            start=datetime(2024, 5, 2, 9, tzinfo=zone),
            end=datetime(2024, 5, 2, 10, tzinfo=zone),
        )
        for number, zone in enumerate(zones)
    ]
    india = timezone(timedelta(hours=5, minutes=30))
    sessions.append(
        Session(
            id="s-fixed",
            start=datetime(2024, 5, 2, 9, tzinfo=india),
            end=datetime(2024, 5, 2, 10, tzinfo=india),
        )
    )
    catalogue = attrs.evolve(base, events=[attrs.evolve(base.events[0], sessions=sessions)])
    text = libkurs.dumps(catalogue, "ics")
    calendar = vobject_read(text)
    assert sorted(tz.tzid.value for tz in calendar.vtimezone_list) == [
        "America/New_York",
        "Europe/Stockholm",
        "UTC+05:30",
    ]
    assert "DTSTART:20240502T090000Z" in text
    instants = [e.dtstart.value.astimezone(UTC) for e in calendar.vevent_list]
    assert instants == [s.start.astimezone(UTC) for s in sessions]


def test_text_cannot_inject_properties_or_parameters():
    """Newlines, quotes, colons and semicolons in text and parameters stay inside their value."""
    nasty = 'Kurs\nEND:VEVENT\nBEGIN:VEVENT;x"y:z,w'
    catalogue = seminar(title=LocalizedText({"sv": nasty}), links=[])
    catalogue = attrs.evolve(
        catalogue,
        venues=[attrs.evolve(catalogue.venues[0], name=LocalizedText({"sv": nasty}))],
    )
    text = libkurs.dumps(catalogue, "ics")
    calendar = vobject_read(text)
    assert len(calendar.vevent_list) == 1
    assert calendar.vevent.x_libkurs_event_title.value == nasty
    assert text.count("\r\nBEGIN:VEVENT\r\n") == 1
    assert "\r\nBEGIN:VEVENT;" not in text


def test_folds_never_split_a_utf8_character():
    """Every folded line decodes as UTF-8 on its own: folds fall between characters."""
    catalogue = seminar(title=LocalizedText({"sv": "åäö" * 60}))
    for line in libkurs.dumps(catalogue, "ics").encode().split(b"\r\n"):
        line.decode("utf-8")
        assert len(line) <= 75


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_fold_cuts_at_the_last_character_boundary_within_75_octets(line):
    """Each folded piece is the longest whole-character prefix that fits 75 (then 74) octets."""
    from libkurs.formats.ics._lines import fold

    folded = fold(line).encode()
    assert folded.endswith(b"\r\n")
    pieces = folded[:-2].split(b"\r\n ")
    assert b"".join(pieces).decode() == line
    rest = line
    for number, piece in enumerate(pieces):
        limit = 75 if number == 0 else 74
        text = piece.decode()
        assert len(piece) <= limit
        assert text == rest[: len(text)]
        rest = rest[len(text) :]
        if rest:
            assert len(piece) + len(rest[0].encode()) > limit


def test_export_of_the_example_matches_the_golden_file():
    """The feed of examples/catalogue.json is exactly tests/data/ics/libkurs-feed.ics."""
    golden = (Path(__file__).parents[2] / "data" / "ics" / "libkurs-feed.ics").read_bytes()
    written = libkurs.dumps(libkurs.load(EXAMPLE), "ics").encode()
    prodid = f"PRODID:{PRODID}".encode()
    assert written == golden.replace(b"PRODID:-//libkurs//libkurs 0.1.0.dev0//EN", prodid)


@settings(max_examples=50, deadline=None)
@given(catalogues().filter(lambda c: any(True for _ in libkurs.public_view(c).sessions())))
def test_vobject_reads_the_same_instants_from_any_feed(catalogue):
    """For any catalogue, vobject finds one VEVENT per public session at the same instants."""
    sessions = [session for _, session in libkurs.public_view(catalogue).sessions()]
    events = vobject_read(libkurs.dumps(catalogue, "ics")).vevent_list
    assert len(events) == len(sessions)
    for event, session in zip(events, sessions, strict=True):
        if session.all_day:
            assert event.dtstart.value == session.start.date()
        else:
            start = session.start.astimezone(UTC).replace(microsecond=0)
            assert event.dtstart.value.astimezone(UTC) == start


@pytest.mark.parametrize("year", [1, 2, 999, 9999])
def test_years_far_from_now_are_written_with_four_digits_and_read_back(year):
    """Dates before 1000 and in 9999 keep four year digits and survive the round trip."""
    start = datetime(year, 6, 1, 12, tzinfo=HELSINKI)
    session = Session(id="s", start=start, end=start + timedelta(hours=1))
    catalogue = Catalogue(
        events=[Event(id="e", title=LocalizedText({"sv": "Kurs"}), sessions=[session])]
    )
    text = libkurs.dumps(catalogue, "ics")
    assert f"DTSTART;TZID=Europe/Helsinki:{year:04d}0601T120000" in text
    assert libkurs.loads(text, "ics").events[0].sessions[0].start == start


def test_description_is_tagged_and_labelled_in_the_language_it_is_written_in():
    """language="fi" with only Swedish texts: DESCRIPTION;LANGUAGE=sv with Swedish labels."""
    event = vobject_read(libkurs.dumps(seminar(), "ics", language="fi")).vevent
    assert event.summary.params["LANGUAGE"] == ["fi"]  # the title has Finnish
    assert event.description.params["LANGUAGE"] == ["sv"]  # the texts are Swedish only
    assert "Biblioteken presenterar" in event.description.value
    assert "Program:" in event.description.value
    assert "Arrangör: AKEpampas" in event.description.value
    assert "Ohjelma" not in event.description.value
    assert "Järjestäjä" not in event.description.value


def test_description_in_the_requested_language_uses_its_labels():
    """A Finnish summary with language="fi": DESCRIPTION;LANGUAGE=fi and Finnish labels."""
    finnish = seminar(summary=LocalizedText({"sv": "Resultat.", "fi": "Tulokset."}))
    event = vobject_read(libkurs.dumps(finnish, "ics", language="fi")).vevent
    assert event.description.params["LANGUAGE"] == ["fi"]
    assert event.description.value.startswith("Tulokset.")
    assert "Ohjelma:" in event.description.value


@pytest.mark.parametrize(
    ("option", "value"),
    [("language", "../x"), ("language", "FI FI"), ("second_language", "x\r\ny"), ("language", "")],
)
def test_language_option_that_is_no_language_tag_is_refused(option, value):
    """language="../x" (or second_language) is a ValidationError, not written into the file."""
    with pytest.raises(ValidationError, match="language tag"):
        libkurs.dumps(seminar(), "ics", **{option: value})


def test_language_option_of_the_import_is_checked_too():
    """loads(..., language="../x") is refused as well."""
    with pytest.raises(ValidationError, match="language tag"):
        libkurs.loads(libkurs.dumps(seminar(), "ics"), "ics", language="../x")


@pytest.mark.parametrize(
    "name",
    ["X-A\r\nATTENDEE;CN=evil:mailto", "X-A:B", "X-A;CN=x", "ATTENDEE", "x-lower", "X-", "X-Ä"],
)
def test_calendar_object_extra_names_cannot_inject_properties(name):
    """An extra property name must be an X- name of A-Z, 0-9 and '-': nothing else is written."""
    catalogue = seminar()
    event = catalogue.events[0]
    with pytest.raises(ValidationError, match="X- name"):
        calendar_object(catalogue, event, event.sessions[0], extra=[(name, "x@y")])


def test_calendar_object_extra_value_is_escaped():
    """A value with a line break stays in its property: one ATTENDEE-free VEVENT."""
    catalogue = seminar()
    event = catalogue.events[0]
    text = calendar_object(
        catalogue, event, event.sessions[0], extra=[("X-LIBKURS-CATALOGUE", "a\r\nATTENDEE:x")]
    )
    assert "\r\nATTENDEE" not in text
    assert vobject_read(text).vevent.x_libkurs_catalogue.value == "a\nATTENDEE:x"


def test_vtimezone_describes_each_year_used_and_not_the_years_between():
    """Sessions in 1900 and 2100: the VTIMEZONE starts a block in each, not 201 years."""
    base = seminar()
    sessions = [
        Session(
            id=f"s{year}",
            start=datetime(year, 5, 2, 9, tzinfo=HELSINKI),
            end=datetime(year, 5, 2, 10, tzinfo=HELSINKI),
        )
        for year in (1900, 2100)
    ]
    catalogue = attrs.evolve(base, events=[attrs.evolve(base.events[0], sessions=sessions)])
    text = libkurs.dumps(catalogue, "ics")
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    starts = [line[8:12] for line in block.split("\r\n") if line.startswith("DTSTART:")]
    assert set(starts) == {"1900", "2100"}
    assert len(starts) <= 4
    calendar = vobject_read(text)
    instants = [e.dtstart.value.astimezone(UTC) for e in calendar.vevent_list]
    assert instants == [s.start.astimezone(UTC) for s in sessions]


def test_empty_catalogue_gives_a_valid_calendar_with_one_component():
    """RFC 5545 §3.6 wants a component: an empty feed holds the Helsinki VTIMEZONE, no VEVENT."""
    text = libkurs.dumps(Catalogue(), "ics")
    calendar = vobject_read(text)
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/Helsinki"]
    assert "BEGIN:VEVENT" not in text
    assert libkurs.loads(text, "ics") == Catalogue()
    stamped = libkurs.dumps(Catalogue(), "ics", now=datetime(2026, 3, 1, tzinfo=UTC))
    assert "DTSTART:20260101T000000" in stamped
