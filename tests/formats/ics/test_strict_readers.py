"""What libkurs writes (feed, sync items, invitations) is read by mainstream parsers without a word.

libical 3.0 is what Evolution, KDE's calendar and Cyrus IMAP read with. Its Python bindings are
seldom installable into a virtual environment, so it is called through :mod:`ctypes` from the
system's ``libical.so.3`` (Debian: ``apt-get install libical3``); the libical tests are skipped,
with that reason, when the library is not there. libical marks what it cannot parse with an
``X-LIC-ERROR`` property in the component it returns: there must be none. icalendar and vobject
read everything too.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Iterator

import attrs
import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings

import libkurs
from libkurs import Catalogue
from libkurs.formats.ics import Attendee, invitations
from libkurs.sync import MemoryCalendar, sync
from strategies import catalogues

EXAMPLE = "examples/catalogue.json"
ORGANISER = Attendee(email="kurser@example.org", name="Kurskansliet")
MAJA = Attendee(email="maja@example.org", name="Maja Mäkinen")


@functools.cache
def _libical() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("ical") or "libical.so.3"
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    library.icalparser_parse_string.restype = ctypes.c_void_p
    library.icalparser_parse_string.argtypes = [ctypes.c_char_p]
    library.icalcomponent_as_ical_string.restype = ctypes.c_char_p
    library.icalcomponent_as_ical_string.argtypes = [ctypes.c_void_p]
    library.icalcomponent_free.argtypes = [ctypes.c_void_p]
    return library


needs_libical = pytest.mark.skipif(
    _libical() is None,
    reason="libical 3 is not installed (Debian/Ubuntu: apt-get install libical3)",
)


def libical_errors(text: str) -> list[str]:
    """The X-LIC-ERROR lines libical puts into *text* as it parses it."""
    library = _libical()
    assert library is not None
    component = library.icalparser_parse_string(text.encode("utf-8"))
    assert component, "libical returned nothing"
    try:
        written = library.icalcomponent_as_ical_string(component).decode("utf-8")
    finally:
        library.icalcomponent_free(component)
    unfolded = written.replace("\r\n ", "").replace("\n ", "")
    return [line for line in unfolded.splitlines() if line.startswith("X-LIC-ERROR")]


def outputs(catalogue: Catalogue) -> Iterator[tuple[str, str]]:
    """(what, text) of every kind of iCalendar libkurs writes for *catalogue*."""
    yield "feed", libkurs.dumps(catalogue, "ics")
    yield "private feed", libkurs.dumps(catalogue, "ics", private=True)
    calendar = MemoryCalendar()
    sync(catalogue, calendar, key="kurser")
    items, _missing = calendar.get(sorted(calendar.list()))
    for item in items:
        yield f"sync item {item.href}", item.data.decode("utf-8")
    for event in libkurs.public_view(catalogue).events:
        if event.sessions:
            for message in invitations(catalogue, event.id, MAJA, organiser=ORGANISER):
                yield f"invitation {message.session}", message.text


def _to_the_millimetre(catalogue: Catalogue) -> Catalogue:
    """*catalogue* with coordinates to a millimetre.

    A GEO of a subnormal float (``2.2e-313``) needs some 300 digits, more than libical reads
    in one value; the exact round trip of floats keeps them, so the writer is left as it is.
    """
    venues = [
        attrs.evolve(
            v,
            geo=attrs.evolve(
                v.geo, latitude=round(v.geo.latitude, 8), longitude=round(v.geo.longitude, 8)
            ),
        )
        if v.geo is not None
        else v
        for v in catalogue.venues
    ]
    return attrs.evolve(catalogue, venues=venues)


@needs_libical
def test_libical_reports_no_parse_error_in_anything_written_for_the_example() -> None:
    """Feed, private feed, sync items and invitations of the example: no X-LIC-ERROR."""
    for what, text in outputs(libkurs.load(EXAMPLE)):
        assert libical_errors(text) == [], what


@needs_libical
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues())
def test_libical_reports_no_parse_error_in_any_feed(catalogue: Catalogue) -> None:
    """For any catalogue (links included), libical finds nothing to complain of."""
    text = libkurs.dumps(_to_the_millimetre(catalogue), "ics", private=True)
    assert libical_errors(text) == []


@needs_libical
def test_refid_and_link_are_opt_in_since_libical_reports_them() -> None:
    """REFID and LINK only with rfc9253=True; that output is what libical 3.0 would flag."""
    catalogue = libkurs.load(EXAMPLE)
    assert "REFID" not in libkurs.dumps(catalogue, "ics")
    flagged = libical_errors(libkurs.dumps(catalogue, "ics", rfc9253=True))
    assert flagged
    assert all("REFID" in line or "LINK" in line for line in flagged)


@needs_libical
def test_libical_accepts_an_event_with_links() -> None:
    """An event with links: no LINK by default, so nothing libical 3.0 flags; links travel."""
    catalogue = libkurs.load(EXAMPLE)
    events = list(catalogue.events)
    events[2] = attrs.evolve(events[2], links=[libkurs.Link(url="https://example.org/program")])
    linked = attrs.evolve(catalogue, events=events)
    text = libkurs.dumps(linked, "ics")
    assert "LINK;" not in text
    assert libical_errors(text) == []
    assert libkurs.loads(text, "ics").events[2].links == linked.events[2].links


def test_icalendar_and_vobject_read_everything_written_for_the_example() -> None:
    """icalendar (strictly) and vobject read every output, with every VEVENT's UID."""
    for what, text in outputs(libkurs.load(EXAMPLE)):
        parsed = icalendar.Calendar.from_ical(text)
        events = parsed.walk("VEVENT")
        assert events, what
        for event in events:
            assert not event.errors, (what, event.errors)
        read = vobject.readOne(text)
        assert [e.uid.value for e in read.vevent_list] == [str(e["UID"]) for e in events], what


def test_related_to_only_names_a_uid_the_same_output_holds() -> None:
    """No RELATED-TO points at a UID that no feed or calendar holds."""
    for what, text in outputs(libkurs.load(EXAMPLE)):
        parsed = icalendar.Calendar.from_ical(text)
        uids = {str(e["UID"]) for e in parsed.walk("VEVENT")}
        for event in parsed.walk("VEVENT"):
            related = event.get("RELATED-TO")
            for value in related if isinstance(related, list) else [related] if related else []:
                assert str(value) in uids, what
