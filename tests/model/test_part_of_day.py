"""A part of a day named without a clock ("förmiddag") is modelled, not turned into times."""

from datetime import date, datetime, timedelta

import pytest

from libkurs import HELSINKI, PartOfDay, Session
from libkurs.errors import ValidationError

DAY = date(2023, 1, 12)
START, END = Session.all_day_span(DAY, DAY, HELSINKI)


def part(part_of_day, **changes):
    fields = {"id": "s", "start": START, "end": END, "all_day": True, "part_of_day": part_of_day}
    return Session(**{**fields, **changes})


def test_a_part_of_the_day_is_an_all_day_session_with_no_clock_time():
    """The morning of 12 January is the whole day in the calendar, with its part kept."""
    morning = part(PartOfDay.MORNING)
    assert morning.part_of_day is PartOfDay.MORNING
    assert morning.days == (DAY, DAY)
    assert morning.start.time() == morning.end.time() == datetime.min.time()


def test_parts_of_the_day_are_ordered_morning_afternoon_evening():
    """Sorted by order_key, the morning comes before the afternoon, then the evening."""
    sessions = [part(PartOfDay.EVENING), part(PartOfDay.AFTERNOON), part(PartOfDay.MORNING)]
    ordered = sorted(sessions, key=lambda s: s.order_key)
    assert [s.part_of_day for s in ordered] == list(PartOfDay)
    assert [p.rank for p in PartOfDay] == [0, 1, 2]


def test_every_part_has_a_name_in_swedish_finnish_and_english():
    """The words the seed and its translations use."""
    assert dict(PartOfDay.MORNING.words) == {"sv": "förmiddag", "fi": "aamupäivä", "en": "morning"}
    assert dict(PartOfDay.AFTERNOON.words) == {
        "sv": "eftermiddag",
        "fi": "iltapäivä",
        "en": "afternoon",
    }


def test_a_part_of_the_day_with_clock_times_is_refused():
    """A timed session says when it is by its times: a part of the day there is refused."""
    with pytest.raises(ValidationError) as caught:
        part(
            PartOfDay.MORNING,
            all_day=False,
            start=START.replace(hour=9),
            end=START.replace(hour=12),
        )
    assert caught.value.path == "part_of_day"


def test_a_part_of_the_day_over_several_days_is_refused():
    """ "The morning" of a three-day span means nothing."""
    with pytest.raises(ValidationError) as caught:
        part(PartOfDay.AFTERNOON, end=END + timedelta(days=2))
    assert caught.value.path == "part_of_day"


def test_a_part_of_the_day_must_be_a_part_of_day():
    """A string is not accepted in place of the enum."""
    with pytest.raises(ValidationError) as caught:
        part("morning")
    assert caught.value.path == "part_of_day"
