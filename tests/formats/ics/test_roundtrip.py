"""Import of libkurs' own export gives back every calendar-relevant field (Hypothesis)."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

import libkurs
from formats.ics.vobject_helper import vobject_read
from libkurs import Address, Catalogue, LocalizedText, Publication, public_view
from libkurs.formats._converter import shared_converter
from libkurs.formats.ics._lines import escape_text
from strategies import catalogues

EXAMPLE = Path(__file__).parents[3] / "examples" / "catalogue.json"
LANGUAGES = st.sampled_from([None, "sv", "fi", "en"])


def zone_of(moment):
    """What identifies a zone for the calendar: an IANA name, or a fixed offset."""
    zone = moment.tzinfo
    if isinstance(zone, ZoneInfo):
        return zone.key
    if isinstance(zone, timezone):
        return zone.utcoffset(None)
    return "other"


def instant(moment, *, end=False):
    """The instant to the second (an end rounded up), and its zone."""
    if moment is None:
        return None
    exact = moment.astimezone(UTC)
    whole = exact.replace(microsecond=0)
    if end and exact.microsecond:
        whole += timedelta(seconds=1)
    return whole, zone_of(moment)


def text_in(value, language):
    """The language and text a file in *language* holds of *value*."""
    if value is None:
        return None
    preferred = (language,) if language else ()
    used = value.language_of_best(*preferred)
    return used, value.texts[used]


def single(value):
    """The one language and text of an imported text."""
    if value is None:
        return None
    assert isinstance(value, LocalizedText)
    ((used, text),) = value.texts.items()
    return used, text


def place(catalogue, location, language, *, imported):
    """The venue (id, name, point, address) and whether there is an online room (and on what)."""
    if location is None:
        return None
    venue = None
    if location.venue is not None:
        found = catalogue.venue(location.venue)
        name = single(found.name) if imported else text_in(found.name, language)
        address = found.address if found.address != Address() else None  # no part: none
        venue = (found.id, name, found.geo, address)
    online = None if location.online is None else (location.online.platform,)
    return venue, online


def view(catalogue: Catalogue, language, *, imported=False):
    """Every calendar-relevant field of the sessions a feed shows, in order."""
    title = single if imported else (lambda value: text_in(value, language))
    rows = []
    for event in catalogue.events:
        if not event.sessions:
            continue
        sessions = []
        for session in event.sessions:
            if session.all_day:
                span = (session.start, zone_of(session.start), session.end, zone_of(session.end))
            else:
                span = (instant(session.start), instant(session.end, end=True))
            sessions.append(
                (
                    session.id,
                    session.all_day,
                    span,
                    title(session.title),
                    session.status,
                    instant(session.previous_start),
                    session.revision,
                    place(catalogue, event.location_of(session), language, imported=imported),
                )
            )
        rows.append(
            (
                event.id,
                title(event.title),
                event.status,
                instant(event.previous_start),
                event.revision,
                [title(k) for k in event.keywords],
                event.url,
                [(link.url, title(link.title)) for link in event.links],
                sessions,
            )
        )
    return rows


def mostly_public(catalogue):
    """*catalogue* with most events public, so that feeds have sessions to show."""
    events = [
        attrs.evolve(event, publication=Publication.PUBLIC) if number % 3 else event
        for number, event in enumerate(catalogue.events)
    ]
    return attrs.evolve(catalogue, events=events)


FEEDS = catalogues().map(mostly_public).filter(lambda c: any(e.sessions for e in c.events))


CARRIERS = ("X-LIBKURS-SESSION-DATA", "X-LIBKURS-EVENT-DATA", "X-LIBKURS-CATALOGUE")


def without_native_data(text):
    """*text* without the native JSON libkurs carries: what calendar properties alone give."""
    lines = text.replace("\r\n ", "").split("\r\n")
    return "\r\n".join(line for line in lines if not line.startswith(CARRIERS))


@settings(max_examples=50, deadline=None)
@given(catalogues())
def test_private_export_reads_back_as_the_same_catalogue(catalogue):
    """loads(dumps(c, "ics", private=True), "ics") == c, every field of every part."""
    text = libkurs.dumps(catalogue, "ics", private=True)
    assert libkurs.loads(text, "ics", strict=True) == catalogue


@settings(max_examples=30, deadline=None)
@given(FEEDS, LANGUAGES)
def test_public_feed_reads_back_as_the_public_view(catalogue, language):
    """loads(dumps(c, "ics")) is public_view(c), without people's e-mail and phone numbers."""
    text = libkurs.dumps(catalogue, "ics", language=language)
    assert libkurs.loads(text, "ics", strict=True) == unreachable(public_view(catalogue))
    for person in catalogue.people:
        for contact in (person.email, person.phone):
            assert contact is None or escape_text(contact) not in text.replace("\r\n ", "")


def unreachable(catalogue):
    """*catalogue* with no way to reach its people: what a public output may say of them."""
    people = [attrs.evolve(p, email=None, phone=None) for p in catalogue.people]
    return attrs.evolve(catalogue, people=people)


def test_private_export_of_the_example_reads_back_as_the_same_catalogue():
    """The example catalogue, descriptions, programmes, runs and dateless events included."""
    catalogue = libkurs.load(EXAMPLE)
    assert libkurs.loads(libkurs.dumps(catalogue, "ics", private=True), "ics") == catalogue
    assert libkurs.loads(libkurs.dumps(catalogue, "ics"), "ics") == unreachable(
        public_view(catalogue)
    )


@settings(max_examples=50, deadline=None)
@given(FEEDS, LANGUAGES)
def test_calendar_properties_alone_keep_every_calendar_field(catalogue, language):
    """Without the native JSON (a calendar object a sync stores), every field a calendar shows.

    Links are among them as RFC 9253 LINK, which is written only when asked for.
    """
    text = without_native_data(libkurs.dumps(catalogue, "ics", language=language, rfc9253=True))
    back = libkurs.loads(text, "ics")
    assert view(back, language, imported=True) == view(public_view(catalogue), language)


def test_a_time_changed_in_a_calendar_program_wins_over_the_native_json():
    """Someone moved a session in their calendar: its DTSTART and DTEND are read, not the JSON."""
    catalogue = libkurs.load(EXAMPLE)
    text = libkurs.dumps(catalogue, "ics", private=True)
    moved = text.replace(
        "DTSTART;TZID=Europe/Helsinki:20230201T120000",
        "DTSTART;TZID=Europe/Helsinki:20230201T130000",
    )
    assert moved != text
    back = libkurs.loads(moved, "ics")
    (session,) = [s for _, s in back.sessions() if s.start.hour == 13]
    assert session.start == datetime(2023, 2, 1, 13, tzinfo=ZoneInfo("Europe/Helsinki"))


@settings(max_examples=15, deadline=None)
@given(FEEDS)
def test_export_is_byte_identical_for_the_same_catalogue(catalogue):
    """Writing the same catalogue twice gives the same bytes, and a second trip changes nothing."""
    first = libkurs.dumps(catalogue, "ics")
    assert libkurs.dumps(catalogue, "ics") == first
    again = libkurs.dumps(libkurs.loads(first, "ics"), "ics")
    assert libkurs.loads(again, "ics") == libkurs.loads(first, "ics")


def test_now_sets_dtstamp_and_nothing_else():
    """Passing now= changes DTSTAMP only."""
    catalogue = libkurs.load(EXAMPLE)
    fixed = libkurs.dumps(catalogue, "ics")
    stamped = libkurs.dumps(catalogue, "ics", now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert "DTSTAMP:19700101T000000Z" in fixed
    assert stamped == fixed.replace("DTSTAMP:19700101T000000Z", "DTSTAMP:20260102T030405Z")


def public_urls(catalogue):
    """Every URL the public may see anyway: a join link may equal one of them by chance."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            found.add(value)

    walk(shared_converter().unstructure(public_view(catalogue)))
    return found


@settings(max_examples=50, deadline=None)
@given(FEEDS, LANGUAGES)
def test_public_feed_never_carries_a_join_link(catalogue, language):
    """No join link of any room reaches the feed, folded, escaped or not."""
    text = libkurs.dumps(catalogue, "ics", language=language).replace("\r\n ", "")
    text = text.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    links = {
        location.online.join_url
        for event in catalogue.events
        for location in [event.location, *(s.location for s in event.sessions)]
        if location is not None and location.online is not None and location.online.join_url
    }
    public = public_urls(catalogue) - {None}
    for link in links - public:
        if not any(url.startswith(link) for url in public):  # a prefix of a public URL
            assert link not in text
    assert "CONFERENCE" not in text


def test_private_export_survives_other_programs_rewriting_it():
    """icalendar and vobject re-serialise the file (refold, reorder): the catalogue survives."""
    catalogue = libkurs.load(EXAMPLE)
    text = libkurs.dumps(catalogue, "ics", private=True)
    assert libkurs.loads(icalendar.Calendar.from_ical(text).to_ical(), "ics") == catalogue
    assert libkurs.loads(vobject_read(text).serialize(), "ics") == catalogue
