"""The seed catalogue says what the seed says, and no more (see examples/README.md)."""

from datetime import date
from pathlib import Path

import pytest

import libkurs
from libkurs import PartOfDay

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "catalogue.json"


@pytest.fixture(scope="module")
def seed():
    return libkurs.load(EXAMPLE)


def test_the_ake_group_that_invited_daniel_forsman_is_kept(seed):
    """Samarbetsgruppen ÅKE, which invited the speaker, co-organises the final seminar."""
    event = seed.event("slutseminarium-service-design")
    assert "samarbetsgruppen-ake" in event.organisers
    assert str(seed.organisation("samarbetsgruppen-ake").name) == "Samarbetsgruppen ÅKE"
    text = libkurs.dumps(seed, "announcement", event=event.id)
    assert "Arrangör: AKEpampas och Samarbetsgruppen ÅKE" in text


def test_no_venue_is_invented_for_the_study_visits(seed):
    """The study visits take place in Denmark: no made-up "ten Danish libraries" venue."""
    text = libkurs.dumps(seed, "announcement", language="en", event="studiebesok-danmark")
    assert "Ten Danish libraries" not in text
    assert "Tio danska bibliotek" not in libkurs.dumps(seed, "announcement")
    assert "Place: Denmark\n" in text
    assert [venue.id for venue in seed.venues] == ["danmark"]


def test_the_study_visits_show_their_months_not_to_be_announced(seed):
    """The visits took place in August and September: the time says so, without a guessed year."""
    event = seed.event("studiebesok-danmark")
    assert all(run.period is None for run in event.runs), "the seed gives no year"
    for language, line in (
        ("sv", "Tid: Augusti; September"),
        ("fi", "Aika: Elokuu; Syyskuu"),
        ("en", "Time: August; September"),
    ):
        text = libkurs.dumps(seed, "announcement", language=language, event=event.id)
        assert line in text
        assert "to be announced" not in text
        assert "meddelas senare" not in text


def test_the_one_year_programme_spans_twelve_months(seed):
    """'Tillsammans kan vi!' (2023–2024, one-year per the seed) lasts one school year."""
    period = seed.programme("tillsammans-kan-vi-2023-2024").period
    assert (period.first_day, period.last_day) == (date(2023, 8, 1), date(2024, 7, 31))
    text = libkurs.dumps(seed, "announcement", programme="tillsammans-kan-vi-2023-2024")
    assert "Tid: augusti 2023 – juli 2024" in text


def test_the_liboppi_day_has_a_morning_and_an_afternoon_without_clock_times(seed):
    """The Liboppi day's two parts are all-day sessions with their part of the day, in order."""
    event = seed.event("liboppi-dag-2023")
    morning, afternoon = sorted(event.sessions, key=lambda s: s.order_key)
    assert (morning.part_of_day, afternoon.part_of_day) == (
        PartOfDay.MORNING,
        PartOfDay.AFTERNOON,
    )
    assert morning.all_day
    assert afternoon.all_day
    text = libkurs.dumps(seed, "announcement", language="fi", event=event.id)
    assert "Aika: torstaina 12. tammikuuta 2023, aamupäivä ja iltapäivä" in text
    assert text.index("- Aamupäivä:") < text.index("- Iltapäivä:")


def test_the_json_format_page_gives_the_study_visit_no_year():
    """docs/explanation/json-format.md shows the study visit as the catalogue has it: no 2022."""
    page = (ROOT / "docs" / "explanation" / "json-format.md").read_text(encoding="utf-8")
    visit = page[page.index('"id": "studiebesok-danmark"') :]
    visit = visit[: visit.index("]\n    }")]
    assert "2022" not in visit


def test_every_assumption_is_recorded_in_the_examples_readme():
    """examples/README.md records each choice the seed does not make itself."""
    readme = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    for needle in (
        "Samarbetsgruppen ÅKE",
        "`danmark`",
        "no year",
        "school year",
        "part of the day",
    ):
        assert needle in readme
