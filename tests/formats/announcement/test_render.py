r"""Announcements in Swedish, Finnish and English, as text, Markdown and HTML.

The golden files tests/data/announcements/catalogue.<language>.<txt|md|html> are the renderings of
examples/catalogue.json. After a reviewed change of the seed catalogue (or of the renderer),
regenerate them with

    LIBKURS_REGENERATE=1 .venv/bin/python -m pytest tests/formats/announcement/test_render.py \
        -p no:cacheprovider -k golden

then read the diff by eye before keeping it.
"""

import os
import re
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import libkurs
from libkurs import (
    HELSINKI,
    AgendaItem,
    Catalogue,
    EnrolmentSettings,
    Event,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    Person,
    Programme,
    Publication,
    Session,
    Status,
    Venue,
)
from libkurs.errors import UnresolvedReferenceError
from strategies import catalogues

ROOT = Path(__file__).parents[3]
EXAMPLE = ROOT / "examples" / "catalogue.json"
GOLDEN = ROOT / "tests" / "data" / "announcements"
FORMATS = {"announcement": "txt", "announcement-md": "md", "announcement-html": "html"}
JOIN_URL = "https://example.zoom.us/j/555"


@pytest.mark.parametrize("language", ["sv", "fi", "en"])
@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_the_seed_catalogue_matches_its_reviewed_golden_file(format_name, language):
    """Each rendering of the seed is the file reviewed by eye in tests/data/announcements."""
    written = libkurs.dumps(libkurs.load(EXAMPLE), format_name, language=language)
    golden = GOLDEN / f"catalogue.{language}.{FORMATS[format_name]}"
    if os.environ.get("LIBKURS_REGENERATE") == "1":
        golden.write_text(written, encoding="utf-8")
    assert written == golden.read_text(encoding="utf-8")


def test_the_swedish_rendering_states_the_seeds_facts():
    """Titles, dates, times, remote participation and the two languages are all said."""
    text = libkurs.dumps(libkurs.load(EXAMPLE), "announcement")
    for fact in (
        "Slutseminarium för AKEpampas pilotprojekt i service design",
        "Tid: onsdag 1 februari 2023 kl. 12.00–16.00",
        "Plats: på distans via Zoom",
        "Språk: svenska och finska",
        "Målgrupp: öppet för alla intresserade",
        "Tid: torsdag 12 januari 2023, förmiddag och eftermiddag",
        "Förmiddag: Olika inlärningsmetoder i Liboppi",
        "Tid: meddelas senare",
        "Tid: Augusti; September",
        "Plats: Danmark\n",
        "Arrangör: AKEpampas och Samarbetsgruppen ÅKE",
        "Tid: augusti 2023 – juli 2024",
        "Mer relevant än någonsin! – Daniel Forsman, stadsbibliotekarie, Stockholms stadsbibliotek",
        "Tillsammans kan vi!",
    ):
        assert fact in text


def seminar_catalogue(**event_changes):
    """A seminar with a programme of talks, a deadline, capacities and a private join link."""
    start = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    event = Event(
        id="seminar",
        title=LocalizedText({"sv": "Slutseminarium <live> & *mer*", "fi": "Loppuseminaari"}),
        languages=["sv", "fi"],
        organisers=["avi"],
        location=Location(venue="oodi", online=OnlineRoom(platform="Zoom", join_url=JOIN_URL)),
        free_of_charge=True,
        price=LocalizedText({"sv": "resor och lunch på egen bekostnad"}),
        recorded=False,
        enrolment=EnrolmentSettings(
            closes=datetime(2023, 1, 24, 16, tzinfo=HELSINKI),
            capacity=80,
            capacity_on_site=30,
            capacity_remote=50,
        ),
        sessions=[
            Session(
                id="seminar-1",
                start=start,
                end=start.replace(hour=16),
                agenda=[
                    AgendaItem(
                        title=LocalizedText({"sv": "Morgonkaffe"}),
                        start=start,
                        end=start.replace(minute=30),
                    ),
                    AgendaItem(
                        title=LocalizedText({"sv": "Bibliotek som främjare av demokrati"}),
                        start=start.replace(hour=13),
                        end=start.replace(hour=14),
                        speakers=["forsman"],
                    ),
                ],
            )
        ],
        internal_note="hemligt",
    )
    return Catalogue(
        organisations=[
            Organisation(
                id="avi",
                name=LocalizedText({"sv": "Regionförvaltningsverket", "fi": "Aluehallintovirasto"}),
            )
        ],
        people=[
            Person(
                id="forsman",
                name="Daniel Forsman",
                title=LocalizedText(
                    {"sv": "stadsbibliotekarie", "fi": "kaupunginkirjastonhoitaja"}
                ),
            )
        ],
        venues=[Venue(id="oodi", name=LocalizedText({"fi": "Oodi"}))],
        events=[attrs.evolve(event, **event_changes)],
        programmes=[
            Programme(
                id="programme",
                title=LocalizedText({"sv": "Tillsammans kan vi!"}),
                modules=["seminar"],
            )
        ],
    )


def test_programme_deadline_capacity_and_how_to_take_part_are_written():
    """The talks with speakers, the deadline, the places and on site/remote are in the text."""
    text = libkurs.dumps(seminar_catalogue(), "announcement", event="seminar")
    assert "Plats: på plats (Oodi) eller på distans via Zoom" in text
    assert "Anmälan: senast tisdag 24 januari 2023 kl. 16.00; 80 platser;" in text
    assert "30 platser på plats och 50 platser på distans" in text
    assert "- 12.00–12.30 Morgonkaffe" in text
    assert "- 13.00–14.00 Bibliotek som främjare av demokrati – Daniel Forsman" in text
    assert "Pris: avgiftsfritt; resor och lunch på egen bekostnad" in text
    assert "Inspelning: tillfället spelas inte in" in text


def test_finnish_dates_use_the_essive_weekday_and_klo():
    """Finnish writes 'tiistaina 24. tammikuuta 2023 klo 16.00'."""
    text = libkurs.dumps(seminar_catalogue(), "announcement", event="seminar", language="fi")
    assert "Aika: keskiviikkona 1. helmikuuta 2023 klo 12.00–16.00" in text
    assert "viimeistään tiistaina 24. tammikuuta 2023 klo 16.00" in text
    assert "Loppuseminaari" in text
    assert "Kieli: ruotsi ja suomi" in text


def test_english_dates_use_a_comma_and_a_colon():
    """English writes 'Wednesday 1 February 2023, 12:00–16:00'."""
    text = libkurs.dumps(seminar_catalogue(), "announcement-md", event="seminar", language="en")
    assert "Wednesday 1 February 2023, 12:00–16:00" in text
    assert "online via Zoom" in text


def test_the_join_link_internal_notes_and_drafts_are_never_written():
    """No format writes the join link or the internal note; drafts only when asked."""
    draft = seminar_catalogue(publication=Publication.DRAFT)
    for format_name in FORMATS:
        for catalogue in (seminar_catalogue(), draft):
            text = libkurs.dumps(catalogue, format_name, include_drafts=True)
            assert JOIN_URL not in text
            assert "hemligt" not in text
        assert "Slutseminarium" not in libkurs.dumps(draft, format_name)


def test_html_escapes_every_text():
    """'<live> & *mer*' is escaped in HTML and not read as markup."""
    html = libkurs.dumps(seminar_catalogue(), "announcement-html", event="seminar")
    assert "<h1>Slutseminarium &lt;live&gt; &amp; *mer*</h1>" in html
    assert "<live>" not in html
    assert html.startswith('<div class="libkurs-announcement" lang="sv">')


def test_markdown_escapes_its_special_characters():
    """'<live> & *mer*' is escaped in Markdown."""
    markdown = libkurs.dumps(seminar_catalogue(), "announcement-md", event="seminar")
    assert "# Slutseminarium \\<live\\> & \\*mer\\*" in markdown


def test_a_programme_lists_its_modules():
    """A programme's announcement lists its modules with their dates."""
    text = libkurs.dumps(seminar_catalogue(), "announcement", programme="programme")
    assert "- Slutseminarium <live> & *mer* (onsdag 1 februari 2023 kl. 12.00–16.00)" in text


def test_status_other_than_scheduled_is_said():
    """A rescheduled event says so, with its previous start."""
    catalogue = seminar_catalogue(
        status=Status.RESCHEDULED, previous_start=datetime(2023, 1, 25, 12, tzinfo=HELSINKI)
    )
    text = libkurs.dumps(catalogue, "announcement", event="seminar")
    assert "Obs! Flyttat till en ny tid; tidigare onsdag 25 januari 2023 kl. 12.00." in text


def test_an_unknown_event_is_an_unresolved_reference():
    """event= naming no public event raises UnresolvedReferenceError."""
    with pytest.raises(UnresolvedReferenceError, match="nothing"):
        libkurs.dumps(seminar_catalogue(), "announcement", event="nothing")


def test_an_unknown_language_is_refused():
    """language= other than sv, fi, en is a ValueError that names the choices."""
    with pytest.raises(ValueError, match="sv, fi, en"):
        libkurs.dumps(Catalogue(), "announcement", language="de")


def test_event_and_programme_together_are_refused():
    """Asking for one event and one programme at once is a TypeError."""
    with pytest.raises(TypeError):
        libkurs.dumps(seminar_catalogue(), "announcement", event="seminar", programme="programme")


@settings(max_examples=30, deadline=None)
@given(catalogue=catalogues(), language=st.sampled_from(["sv", "fi", "en"]))
def test_any_catalogue_renders_in_every_format_without_private_data(catalogue, language):
    """Every catalogue renders in sv, fi and en, and no join link reaches the text."""
    links = [
        loc.online.join_url
        for event in catalogue.events
        for loc in [event.location, *(s.location for s in event.sessions)]
        if loc is not None and loc.online is not None and loc.online.join_url
    ]
    # A generated join link may equal (or be part of) a public text or URL of the catalogue;
    # only the others must hide.
    elsewhere = re.sub(r'"join_url": "[^"]*"', "", libkurs.dumps(catalogue, "json"))
    secret = [link for link in links if link not in elsewhere]
    for format_name in FORMATS:
        text = libkurs.dumps(catalogue, format_name, language=language, include_drafts=True)
        assert all(link not in text for link in secret)


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("announcement", ".txt"),
        ("announcement-md", ".md"),
        ("announcement-html", ".html"),
        ("jsonld", ".jsonld"),
        ("linkedevents", ".linkedevents.json"),
    ],
)
def test_the_publishing_formats_are_registered_by_name_and_suffix(name, suffix):
    """Each publishing format satisfies the Format protocol and is found by its suffix."""
    from libkurs.formats import Format, get_format, infer_format

    fmt = get_format(name)
    assert isinstance(fmt, Format)
    assert fmt.name == name
    assert suffix in fmt.suffixes
    assert infer_format(f"katalog{suffix}") is fmt
