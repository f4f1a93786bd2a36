"""What announcements say about deadlines, statuses, addresses and parts of the day."""

from datetime import date, datetime, timedelta

import pytest

import libkurs
from libkurs import (
    HELSINKI,
    Address,
    Catalogue,
    EnrolmentSettings,
    Event,
    LocalizedText,
    Location,
    PartOfDay,
    Session,
    Status,
    Venue,
)

COURSE_SV = """\
Kurs i service design

Tid: 14.3.2023 kl. 9-12
Sista anmälningsdag 7.3.2023.
"""
COURSE_FI = """\
Palvelumuotoilun kurssi

Aika: 14.3.2023 klo 9-12
Viimeinen ilmoittautumispäivä 7.3.2023.
"""
COURSE_EN = """\
Service design course

Time: 14 March 2023, 9:00-12:00
Enrolment deadline 7 March 2023.
"""
DEADLINES = {
    "sv": "senast tisdag 7 mars 2023",
    "fi": "viimeistään tiistaina 7. maaliskuuta 2023",
    "en": "by Tuesday 7 March 2023",
}
START = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)


def one_event(venues=(), **changes):
    fields = {
        "id": "seminar",
        "title": LocalizedText({"sv": "Slutseminarium", "fi": "Loppuseminaari", "en": "Seminar"}),
        "sessions": [Session(id="s1", start=START, end=START + timedelta(hours=4))],
    }
    return Catalogue(events=[Event(**{**fields, **changes})], venues=venues)


@pytest.mark.parametrize("text", [COURSE_SV, COURSE_FI, COURSE_EN], ids=["sv", "fi", "en"])
def test_a_deadline_known_only_to_the_day_stays_that_whole_day(text):
    """ "Sista anmälningsdag 7.3.2023" is open all of 7 March, in every language and in JSON."""
    catalogue = libkurs.loads(text, "announcement")
    enrolment = catalogue.events[0].enrolment
    assert enrolment.closes_whole_day
    assert enrolment.closes == datetime(2023, 3, 8, tzinfo=HELSINKI)
    assert enrolment.last_day == date(2023, 3, 7)
    for language, deadline in DEADLINES.items():
        written = libkurs.dumps(catalogue, "announcement", language=language, include_drafts=True)
        assert deadline in written
        assert "8 mars" not in written
        assert "0.00" not in written
        assert "00:00" not in written
    again = libkurs.loads(libkurs.dumps(catalogue, "json"), "json")
    assert again == catalogue
    assert '"closes_whole_day": true' in libkurs.dumps(catalogue, "json")


def test_a_deadline_with_a_clock_time_is_written_with_it():
    """A deadline at 16.00 keeps its clock: "senast tisdag 7 mars 2023 kl. 16.00"."""
    enrolment = EnrolmentSettings(closes=datetime(2023, 3, 7, 16, tzinfo=HELSINKI))
    text = libkurs.dumps(one_event(enrolment=enrolment), "announcement")
    assert "senast tisdag 7 mars 2023 kl. 16.00" in text


@pytest.mark.parametrize(
    ("language", "line"),
    [("sv", "Obs! Inställt."), ("fi", "Huom! Peruttu."), ("en", "Note: Cancelled.")],
)
def test_a_status_note_reads_as_a_sentence_in_every_language(language, line):
    """English has its colon: "Note: Cancelled.", not "Note Cancelled."."""
    text = libkurs.dumps(one_event(status=Status.CANCELLED), "announcement", language=language)
    assert line in text


def test_a_rescheduled_session_says_when_it_was_before():
    """A moved session's line names its previous start."""
    later = START + timedelta(days=7)
    sessions = [
        Session(id="s1", start=START, end=START + timedelta(hours=2)),
        Session(
            id="s2",
            start=later,
            end=later + timedelta(hours=2),
            status=Status.RESCHEDULED,
            previous_start=START + timedelta(days=1),
        ),
    ]
    text = libkurs.dumps(one_event(sessions=sessions), "announcement", language="en")
    assert "moved to a new time; previously Thursday 2 February 2023, 12:00" in text


def test_the_finnish_announcement_prints_finnish_street_and_town_names():
    """A localized address is written in the announcement's language."""
    venue = Venue(
        id="kansallisbiblioteket",
        name=LocalizedText({"sv": "Nationalbiblioteket", "fi": "Kansalliskirjasto"}),
        address=Address(
            street=LocalizedText({"sv": "Unionsgatan 36", "fi": "Unioninkatu 36"}),
            postal_code="00170",
            locality=LocalizedText({"sv": "Helsingfors", "fi": "Helsinki"}),
            country="FI",
        ),
    )
    catalogue = one_event(venues=[venue], location=Location(venue=venue.id))
    finnish = libkurs.dumps(catalogue, "announcement", language="fi")
    swedish = libkurs.dumps(catalogue, "announcement", language="sv")
    assert "Paikka: Kansalliskirjasto, Unioninkatu 36, 00170, Helsinki" in finnish
    assert "Plats: Nationalbiblioteket, Unionsgatan 36, 00170, Helsingfors" in swedish


def liboppi():
    start, end = Session.all_day_span(date(2023, 1, 12), date(2023, 1, 12), HELSINKI)
    parts = [
        Session(
            id=f"liboppi-{part.value}",
            start=start,
            end=end,
            all_day=True,
            part_of_day=part,
            title=LocalizedText({"sv": title}),
        )
        # Listed afternoon first: the announcement orders them as the day does.
        for part, title in ((PartOfDay.AFTERNOON, "Studiekretsar"), (PartOfDay.MORNING, "Metoder"))
    ]
    return one_event(title=LocalizedText({"sv": "Liboppi-dag"}), sessions=parts)


@pytest.mark.parametrize(
    ("language", "time", "first", "second"),
    [
        (
            "sv",
            "Tid: torsdag 12 januari 2023, förmiddag och eftermiddag",
            "- Förmiddag: Metoder",
            "- Eftermiddag: Studiekretsar",
        ),
        (
            "fi",
            "Aika: torstaina 12. tammikuuta 2023, aamupäivä ja iltapäivä",
            "- Aamupäivä: Metoder",
            "- Iltapäivä: Studiekretsar",
        ),
        (
            "en",
            "Time: Thursday 12 January 2023, morning and afternoon",
            "- Morning: Metoder",
            "- Afternoon: Studiekretsar",
        ),
    ],
)
def test_parts_of_the_day_are_shown_in_words_in_their_order(language, time, first, second):
    """Morning and afternoon are named in each language, morning first, with no clock time."""
    text = libkurs.dumps(liboppi(), "announcement", language=language)
    assert time in text
    assert text.index(first) < text.index(second)
    assert "0.00" not in text
    assert "00:00" not in text


def test_an_announcement_with_parts_of_the_day_reads_back_with_them():
    """The written Liboppi day, read back, has a morning and an afternoon session, titled."""
    for language in ("sv", "fi", "en"):
        text = libkurs.dumps(liboppi(), "announcement", language=language)
        (event,) = libkurs.loads(text, "announcement", language=language).events
        parts = [s.part_of_day for s in event.sessions]
        assert parts == [PartOfDay.MORNING, PartOfDay.AFTERNOON], language
        assert all(s.all_day for s in event.sessions)
        assert [str(s.title) for s in event.sessions] == ["Metoder", "Studiekretsar"]
        assert all(not s.agenda for s in event.sessions)


def test_a_deadline_at_midnight_is_written_as_the_day_before_it():
    """From a source that cannot say "the whole day", 8 March 00:00 is "by 7 March"."""
    enrolment = EnrolmentSettings(closes=datetime(2023, 3, 8, tzinfo=HELSINKI))
    for language, deadline in DEADLINES.items():
        text = libkurs.dumps(one_event(enrolment=enrolment), "announcement", language=language)
        assert deadline in text
