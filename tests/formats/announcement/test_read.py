"""Reading a plain-text announcement into a draft catalogue for a person to check."""

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import libkurs
from libkurs import HELSINKI, AttendanceMode, EventKind, PartOfDay, Publication
from libkurs.errors import DataError, FormatError

ROOT = Path(__file__).parents[3]
EXAMPLE = ROOT / "examples" / "catalogue.json"
SEED = Path("/work/shared/seed/000_22133dfbd3f8e9af.txt")

SEMINAR_SV = """\
Slutseminarium för AKEpampas pilotprojekt i service design

Onsdagen den 1.2.2023 kl. 12-16 ordnas projektets slutseminarium där biblioteken presenterar
sina resultat. Seminariet är tvåspråkigt, öppet för alla intresserade och hålls på distans via Zoom.

Anmäl dig senast 24.1. på https://example.org/anmalan.

Program:
12.00–12.30 Välkommen
12.30–14.00 Biblioteken presenterar sina resultat
Frågor och diskussion
"""

LIBOPPI_SV = """\
Riksomfattande Liboppi-dag – Studiekretsar och gruppinlärning i Liboppi

AKE-biblioteken ordnar den 12 januari 2023 en riksomfattande Liboppi-dag. Dagen ordnas på distans
via Zoom och är indelad i två delar: på förmiddagen ser vi närmare på olika inlärningsmetoder,
på eftermiddagen loggar vi in i Liboppi.
"""

WORKSHOP_FI = """\
Palvelumuotoilun työpaja

Työpaja pidetään 12.1.2023 klo 9–15 Oodissa.
Tilaisuus on maksuton ja avoin kaikille kiinnostuneille.

Kieli: suomi ja ruotsi
Järjestäjä: Aluehallintovirasto
"""

LECTURE_EN = """\
More relevant than ever! A lecture

Wednesday 1 February 2023, 12:00–16:00, online via Teams.
Enrol by 25 January 2023.
"""


def read(text, **options):
    catalogue = libkurs.loads(text, "announcement", reference=date(2023, 1, 10), **options)
    (event,) = catalogue.events
    return catalogue, event


def test_a_swedish_announcement_becomes_a_draft_event_with_its_session():
    """Title, session time, online room, languages and openness are read; the event is a draft."""
    _, event = read(SEMINAR_SV)
    assert event.publication is Publication.DRAFT
    assert str(event.title) == "Slutseminarium för AKEpampas pilotprojekt i service design"
    assert event.kind is EventKind.SEMINAR
    (session,) = event.sessions
    assert session.start == datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    assert session.end == datetime(2023, 2, 1, 16, tzinfo=HELSINKI)
    assert event.location.attendance_mode is AttendanceMode.ONLINE
    assert event.location.online.platform == "Zoom"
    assert event.languages == ("sv", "fi")
    assert event.open_to_all


def test_the_deadline_becomes_the_enrolment_closing_time():
    """'senast 24.1.' closes enrolment at the end of 24 January, and is not a session."""
    _, event = read(SEMINAR_SV)
    assert event.enrolment.closes == datetime(2023, 1, 25, tzinfo=HELSINKI)
    assert len(event.sessions) == 1
    assert event.links[0].url == "https://example.org/anmalan"


def test_the_programme_becomes_the_agenda_with_times():
    """Lines under 'Program:' are agenda items, timed when they start with a time range."""
    _, event = read(SEMINAR_SV)
    first, second, third = event.sessions[0].agenda
    assert str(first.title) == "Välkommen"
    assert first.start == datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    assert second.end == datetime(2023, 2, 1, 14, tzinfo=HELSINKI)
    assert str(third.title) == "Frågor och diskussion"
    assert third.start is None


def test_parts_of_the_day_become_all_day_sessions_with_their_part_of_day():
    """The Liboppi day's morning and afternoon are two all-day sessions with no clock invented."""
    _, event = read(LIBOPPI_SV)
    morning, afternoon = event.sessions
    assert morning.all_day
    assert afternoon.all_day
    assert morning.start == datetime(2023, 1, 12, tzinfo=HELSINKI)
    assert (morning.part_of_day, afternoon.part_of_day) == (
        PartOfDay.MORNING,
        PartOfDay.AFTERNOON,
    )


def test_a_finnish_announcement_is_read():
    """Finnish dates, facts (language, organiser) and words (maksuton) are understood."""
    catalogue, event = read(WORKSHOP_FI)
    assert event.title.get("fi") == "Palvelumuotoilun työpaja"
    assert event.kind is EventKind.WORKSHOP
    assert event.sessions[0].start == datetime(2023, 1, 12, 9, tzinfo=HELSINKI)
    assert event.languages == ("fi", "sv")
    assert event.free_of_charge is True
    assert catalogue.organisations[0].name.get("fi") == "Aluehallintovirasto"


def test_an_english_announcement_is_read():
    """English dates and 'Enrol by' are understood."""
    _, event = read(LECTURE_EN)
    assert event.title.get("en") == "More relevant than ever! A lecture"
    assert event.sessions[0].end == datetime(2023, 2, 1, 16, tzinfo=HELSINKI)
    assert event.enrolment.closes == datetime(2023, 1, 26, tzinfo=HELSINKI)
    assert event.location.online.platform == "Teams"


def test_ambiguous_dates_are_listed_for_a_person_and_not_scheduled():
    """An ambiguous date makes no session; the internal note says what to check."""
    _, event = read("Kurs i bibliotekspedagogik\n\nKursen hålls 1/2/2023 kl. 10–12.\n")
    assert event.sessions == ()
    assert "day/month or month/day" in event.internal_note


def test_a_rendered_announcement_reads_back_to_the_same_facts():
    """The Swedish text of the seed seminar reads back with its title, time and languages."""
    seed = libkurs.load(EXAMPLE)
    text = libkurs.dumps(seed, "announcement", event="slutseminarium-service-design")
    _, event = read(text)
    original = seed.event("slutseminarium-service-design")
    assert event.title == original.title
    assert [(s.start, s.end) for s in event.sessions] == [
        (s.start, s.end) for s in original.sessions
    ]
    assert event.languages == original.languages
    assert event.organisers == original.organisers
    assert event.location == original.location


@pytest.mark.skipif(not SEED.exists(), reason="the seed text lives outside the repository")
def test_the_seed_liboppi_paragraph_is_read():
    """The seed's own Liboppi paragraph gives the 12 January 2023 sessions."""
    seed = SEED.read_text(encoding="utf-8")
    part = seed[seed.index("Riksomafattande") : seed.index("Biblioteksfortbildning")]
    _, event = read(part)
    assert {s.start for s in event.sessions} == {datetime(2023, 1, 12, tzinfo=HELSINKI)}


def test_an_empty_text_is_a_format_error():
    """A text without a title raises FormatError naming line 1."""
    with pytest.raises(FormatError, match="line 1"):
        libkurs.loads("\n \n", "announcement")


def test_bytes_that_are_not_utf8_are_a_format_error():
    """Undecodable bytes raise FormatError with the offset."""
    with pytest.raises(FormatError, match="not UTF-8"):
        libkurs.loads(b"Kurs\n\xff", "announcement")


@pytest.mark.parametrize("format_name", ["announcement-md", "announcement-html"])
def test_markdown_and_html_are_not_read(format_name):
    """Markdown and HTML announcements are write-only: FormatError points to plain text."""
    with pytest.raises(FormatError, match="plain-text"):
        libkurs.loads("# Kurs", format_name)


def test_the_txt_suffix_means_a_plain_text_announcement(tmp_path):
    """libkurs.load reads a .txt file as an announcement, with options."""
    path = tmp_path / "seminar.txt"
    path.write_text(SEMINAR_SV, encoding="utf-8")
    catalogue = libkurs.load(path, reference=date(2023, 1, 10))
    assert catalogue.events[0].sessions[0].start == datetime(2023, 2, 1, 12, tzinfo=HELSINKI)


PIECES = [
    "Tid:", "kl.", "klo", "1.2.", "12.1.2023", "den 12 januari", "9–15", "12-16", "förmiddagen",
    "Program:", "- ", "\n", "\n\n", " ", "senast", "Språk: svenska och finska", "Arrangör: AVI",
    "på distans", "Zoom", "13.00–14.30", "Seminarium", "29.10.2023 kl. 3.30", "https://x.fi/a",
    "onsdag", "1/2/2023", "February 1", "am", "pm", "24", "00",
]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(
    text=st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    reference=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
)
def test_any_text_reads_into_a_draft_or_a_data_error(text, reference):
    """Whatever the text, reading gives a draft catalogue or a DataError, nothing else."""
    try:
        catalogue = libkurs.loads(text, "announcement", reference=reference)
    except DataError:
        return
    assert all(e.publication is Publication.DRAFT for e in catalogue.events)


def test_months_without_days_become_the_events_period_and_a_note():
    """'augusti 2022 – september 2022' gives Period 2022-08/2022-09, no session, and a note."""
    text = (
        "Studiebesök i Danmark\n\nTid: augusti 2022 – september 2022\nVi besöker tio bibliotek.\n"
    )
    _, event = read(text)
    assert event.sessions == ()
    assert str(event.period) == "2022-08/2022-09"
    assert "the day is unknown" in event.internal_note


def test_the_seeds_month_only_sentence_is_noted_not_scheduled():
    """'I augusti och september' names no year: no period is guessed, and a person is told."""
    text = "Studiebesök i Danmark\n\nI augusti och september anordnade RFV två studiebesök.\n"
    _, event = read(text)
    assert event.sessions == ()
    assert event.period is None
    assert "'I augusti och september'" in event.internal_note
