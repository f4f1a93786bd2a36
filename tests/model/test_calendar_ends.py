"""Datetimes near the ends of the calendar: refused at validation, or written by every writer."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import libkurs
from libkurs import Catalogue, EnrolmentSettings, Event, LocalizedText, Session, Status
from libkurs.cli._listing import render_listing
from libkurs.errors import ValidationError
from libkurs.model._checks import EARLIEST, LATEST

ZONES = ["Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Helsinki", "UTC"]
WRITERS = ["json", "ics", "jsonld", "linkedevents", "announcement", "announcement-html"]


def catalogue_of(start, end, *, all_day=False):
    session = Session(
        id="s", start=start, end=end, all_day=all_day, status=Status.RESCHEDULED,
        previous_start=start,
    )  # fmt: skip
    event = Event(
        id="e",
        title=LocalizedText({"sv": "Kurs", "fi": "Kurssi", "en": "Course"}),
        sessions=[session],
        enrolment=EnrolmentSettings(opens=start, closes=end),
    )
    return Catalogue(events=[event])


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime(9999, 12, 31, 20, tzinfo=ZoneInfo("Asia/Tokyo")),
         datetime(9999, 12, 31, 23, tzinfo=ZoneInfo("Asia/Tokyo"))),
        (datetime(9999, 12, 30, 10, tzinfo=UTC), datetime(9999, 12, 30, 12, tzinfo=UTC)),
        (datetime(1, 1, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo")),
         datetime(1, 1, 1, 2, tzinfo=ZoneInfo("Asia/Tokyo"))),
        (datetime(1, 1, 2, 10, tzinfo=UTC), datetime(1, 1, 2, 12, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_a_session_at_the_ends_of_the_calendar_is_refused_with_its_field(start, end):
    """A session from Tokyo ending 9999-12-31 (or starting in the year 1) fails validation."""
    with pytest.raises(ValidationError, match="out of range") as caught:
        Session(id="s", start=start, end=end)
    assert caught.value.path in {"start", "end"}


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("edge", ["first", "last"])
@pytest.mark.parametrize("all_day", [False, True])
def test_what_validates_at_the_ends_is_written_by_every_writer(zone, edge, all_day):
    """The first and last moments allowed, in any zone, all day or not: no writer overflows."""
    tz = ZoneInfo(zone)
    moment = (EARLIEST if edge == "first" else LATEST).astimezone(tz)
    if all_day:
        day = moment.date() + timedelta(days=1 if edge == "first" else -1)
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        end = start + timedelta(days=1)
    else:
        start, end = (moment, moment + timedelta(hours=1)) if edge == "first" else (
            moment - timedelta(hours=1), moment)  # fmt: skip
    catalogue = catalogue_of(start, end, all_day=all_day)
    for writer in WRITERS:
        assert libkurs.dumps(catalogue, writer)
    for language in ("sv", "fi", "en"):
        assert render_listing(catalogue, language)
