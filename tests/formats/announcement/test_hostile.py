"""Hostile announcement text: dates at the ends of the calendar, and texts built to be slow."""

import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import libkurs
from libkurs.errors import FormatError
from libkurs.formats.announcement import find_dates
from libkurs.formats.announcement._read import MAX_LENGTH

SIZE = 351_000  # the size that took 207 s when the date finder was quadratic

SLOW_SHAPES = {
    "dates": "Onsdagen den 1.2.2023 kl. 12-16 ordnas. ",
    "lone-times": "kl. 13–15 och ",
    "parts-of-day": "1.2.2023 förmiddag ",
    "months-and-years": "augusti 2022 ",
    "month-lists": "i augusti och ",
    "year-spans": "åren 2021-2022 ",
    "deadlines": "anmälan senast 1.2.2023 ",
    "programme": "Program\n" + "kl. 9-10 Talk\n",
    "facts": "Språk: svenska\n",
    "digits": "1.2.",
}


@pytest.mark.parametrize(
    "text",
    ["31.12.9999", "1.1.0001 kl. 1", "31.12.9999 kl. 23-24", "1.1.0001", "31.12.9999 kl. 23-24.00"],
)
@pytest.mark.parametrize("reference", [None, date(9999, 12, 31), date(1, 1, 1)])
def test_dates_at_the_ends_of_the_calendar_are_ambiguous_not_overflowing(text, reference):
    """31.12.9999 or 1.1.0001 kl. 1 is found as ambiguous, and read into a note, never raised."""
    (found,) = find_dates(text, reference=reference)
    assert found.ambiguous
    assert "year 1 or 9999" in found.ambiguity
    catalogue = libkurs.loads(f"Kurs\n\nTid: {text}", "announcement", reference=reference)
    (event,) = catalogue.events
    assert event.sessions == ()
    assert "year 1 or 9999" in event.internal_note


def test_a_date_without_year_next_to_the_end_of_time_is_ambiguous():
    """31.12. with a reference date in 9999 cannot be given a year that the model takes."""
    (found,) = find_dates("31.12. kl. 23-24", reference=date(9999, 12, 31))
    assert found.ambiguous


@pytest.mark.parametrize("shape", list(SLOW_SHAPES))
def test_the_date_finder_and_the_reader_take_linear_time(shape):
    """351 KB of any repeated shape is read in seconds (it took 207 s when quadratic)."""
    piece = SLOW_SHAPES[shape]
    text = "Kurs\n\n" + piece * (SIZE // len(piece))
    began = time.perf_counter()
    find_dates(text, reference=date(2023, 1, 1))
    libkurs.loads(text, "announcement", reference=date(2023, 1, 1))
    elapsed = time.perf_counter() - began
    assert elapsed < 30, f"{shape}: {elapsed:.1f} s"


def test_a_text_over_the_limit_is_a_format_error():
    """An announcement longer than MAX_LENGTH characters is refused at once."""
    with pytest.raises(FormatError, match="characters"):
        libkurs.loads("Kurs\n\n" + "x" * MAX_LENGTH, "announcement")


def test_an_unknown_language_is_a_libkurs_error():
    """language="xx" is a ValidationError (still a ValueError) naming the choices."""
    from libkurs.errors import ValidationError

    with pytest.raises(ValidationError, match="sv, fi, en") as caught:
        libkurs.loads("Kurs\n\n1.2.2023", "announcement", language="xx")
    assert caught.value.path == "language"


@given(
    spans=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 20)), max_size=30),
    probe=st.tuples(st.integers(0, 220), st.integers(1, 20)),
)
def test_the_spans_index_answers_as_looking_at_every_span_would(spans, probe):
    """Spans.free agrees with the quadratic check it replaced, for spans added in any order."""
    from libkurs.formats.announcement._spans import Spans

    taken, naive = Spans(), []
    for start, length in spans:
        span = (start, start + length)
        if all(span[1] <= a or span[0] >= b for a, b in naive):  # kept non-overlapping
            taken.add(span)
            naive.append(span)
    span = (probe[0], probe[0] + probe[1])
    assert taken.free(span) == all(span[1] <= a or span[0] >= b for a, b in naive)
