"""Time: aware datetimes, summer time, and dates known only roughly."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from libkurs import HELSINKI, PartialDate, Period, Session
from libkurs.errors import ValidationError


def test_helsinki_is_the_domain_default_zone():
    """HELSINKI is the IANA zone Europe/Helsinki."""
    assert ZoneInfo("Europe/Helsinki") == HELSINKI


def test_naive_datetimes_are_refused():
    """A session with a naive start raises ValidationError naming the field."""
    with pytest.raises(ValidationError) as caught:
        Session(
            id="s", start=datetime(2023, 2, 1, 12), end=datetime(2023, 2, 1, 16, tzinfo=HELSINKI)
        )
    assert caught.value.path == "start"
    assert "naive" in str(caught.value)


def test_times_skipped_by_summer_time_are_refused():
    """03:30 on the last Sunday of March does not exist in Helsinki."""
    with pytest.raises(ValidationError, match="does not exist"):
        Session(
            id="s",
            start=datetime(2023, 3, 26, 3, 30, tzinfo=HELSINKI),
            end=datetime(2023, 3, 26, 6, tzinfo=HELSINKI),
        )


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (datetime(2023, 3, 26, 1, tzinfo=HELSINKI), datetime(2023, 3, 26, 6, tzinfo=HELSINKI), 4),
        (datetime(2023, 10, 29, 1, tzinfo=HELSINKI), datetime(2023, 10, 29, 6, tzinfo=HELSINKI), 6),
    ],
)
def test_duration_across_summer_time_is_exact(start, end, hours):
    """A session across the start or end of summer time lasts its real, not wall-clock, hours."""
    assert Session(id="s", start=start, end=end).duration == timedelta(hours=hours)


def test_end_before_start_in_another_zone_is_caught():
    """Start and end are compared as instants, whatever their zones."""
    start = datetime(2023, 2, 1, 12, tzinfo=HELSINKI)
    with pytest.raises(ValidationError, match="before or when it starts"):
        Session(id="s", start=start, end=datetime(2023, 2, 1, 9, 30, tzinfo=UTC))


def test_all_day_span_is_midnight_to_midnight():
    """all_day_span ends at the midnight after the last day, and days reports the inclusive span."""
    start, end = Session.all_day_span(date(2022, 8, 22), date(2022, 8, 25), HELSINKI)
    session = Session(id="s", start=start, end=end, all_day=True)
    assert session.days == (date(2022, 8, 22), date(2022, 8, 25))


def test_all_day_sessions_must_start_at_midnight():
    """An all-day session at noon is refused."""
    with pytest.raises(ValidationError, match="midnight") as caught:
        Session(
            id="s",
            start=datetime(2023, 1, 12, 12, tzinfo=HELSINKI),
            end=datetime(2023, 1, 13, tzinfo=HELSINKI),
            all_day=True,
        )
    assert caught.value.path == "start"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02-01", date(2023, 2, 1), date(2023, 2, 1)),
    ],
)
def test_partial_dates_cover_their_days(text, first, last):
    """A partial date means every day of its year or month."""
    partial = PartialDate.parse(text)
    assert (partial.first_day, partial.last_day) == (first, last)
    assert str(partial) == text


@pytest.mark.parametrize("text", ["23", "2023-13", "2023-02-30", "2023/", "next year"])
def test_bad_partial_dates_are_refused(text):
    """Malformed or impossible partial dates raise ValidationError."""
    with pytest.raises(ValidationError):
        Period.parse(text)


def test_period_interval_contains_its_days():
    """2023/2024 runs from the first of January 2023 to the last of December 2024."""
    period = Period.parse("2023/2024")
    assert date(2024, 6, 1) in period
    assert date(2025, 1, 1) not in period
    assert str(period) == "2023/2024"


def test_period_ending_before_it_starts_is_refused():
    """An interval whose end precedes its start is refused."""
    with pytest.raises(ValidationError, match="before it starts"):
        Period.parse("2024/2023")


def test_datetimes_at_the_end_of_time_are_refused_cleanly():
    """A datetime that cannot be converted to UTC raises ValidationError, not OverflowError."""
    from zoneinfo import ZoneInfo

    new_york = ZoneInfo("America/New_York")
    with pytest.raises(ValidationError, match="out of range"):
        Session(
            id="s",
            start=datetime(9999, 12, 31, 20, tzinfo=new_york),
            end=datetime(9999, 12, 31, 21, tzinfo=new_york),
        )
