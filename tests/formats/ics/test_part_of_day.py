"""A part of the day is written to calendars as an all-day entry with the part in its title."""

from datetime import date

import libkurs
from libkurs import HELSINKI, Catalogue, Event, LocalizedText, PartOfDay, Session


def liboppi():
    start, end = Session.all_day_span(date(2023, 1, 12), date(2023, 1, 12), HELSINKI)
    sessions = [
        Session(
            id="liboppi-formiddag",
            start=start,
            end=end,
            all_day=True,
            part_of_day=PartOfDay.MORNING,
            title=LocalizedText({"sv": "Inlärningsmetoder", "fi": "Oppimismenetelmät"}),
        ),
        Session(
            id="liboppi-eftermiddag",
            start=start,
            end=end,
            all_day=True,
            part_of_day=PartOfDay.AFTERNOON,
        ),
    ]
    title = LocalizedText({"sv": "Liboppi-dag", "fi": "Liboppi-päivä"})
    return Catalogue(events=[Event(id="liboppi", title=title, sessions=sessions)])


def unfolded(text):
    return text.replace("\r\n ", "").split("\r\n")


def test_a_part_of_the_day_is_an_all_day_entry_with_the_part_in_its_title():
    """DTSTART and DTEND are dates (no invented clock) and SUMMARY names the part."""
    lines = unfolded(libkurs.dumps(liboppi(), "ics"))
    assert "DTSTART;VALUE=DATE;X-LIBKURS-TZID=Europe/Helsinki:20230112" in lines
    assert "DTEND;VALUE=DATE;X-LIBKURS-TZID=Europe/Helsinki:20230113" in lines
    assert "SUMMARY;LANGUAGE=sv:Liboppi-dag (förmiddag): Inlärningsmetoder" in lines
    assert "SUMMARY;LANGUAGE=sv:Liboppi-dag (eftermiddag)" in lines
    assert not any(line.startswith("DTSTART") and "T" in line.split(":")[-1] for line in lines)


def test_the_title_names_the_part_in_the_calendars_language():
    """A Finnish calendar says "aamupäivä" and "iltapäivä"."""
    lines = unfolded(libkurs.dumps(liboppi(), "ics", language="fi"))
    assert "SUMMARY;LANGUAGE=fi:Liboppi-päivä (aamupäivä): Oppimismenetelmät" in lines
    assert "SUMMARY;LANGUAGE=fi:Liboppi-päivä (iltapäivä)" in lines


def test_the_part_of_the_day_survives_a_round_trip_through_icalendar():
    """Reading libkurs' own calendar gives the parts of the day back."""
    catalogue = liboppi()
    again = libkurs.loads(libkurs.dumps(catalogue, "ics"), "ics")
    parts = {s.id: s.part_of_day for s in again.events[0].sessions}
    assert parts == {
        "liboppi-formiddag": PartOfDay.MORNING,
        "liboppi-eftermiddag": PartOfDay.AFTERNOON,
    }
