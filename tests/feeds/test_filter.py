"""A feed's filter picks the right sessions and always leaves a valid catalogue."""

from datetime import date, datetime, timedelta

import pytest

from feeds.helpers import START, region_catalogue
from libkurs import HELSINKI, AttendanceMode, EventKind, Status
from libkurs.feeds import FeedFilter, select


def _sessions(rule: FeedFilter, **kw) -> list[str]:
    return [s.id for _, s in select(region_catalogue(), rule, **kw).sessions()]


ALL = ["ledare-1-a", "ledare-1-b", "webbinar-1", "abo-1", "abo-2", "inhibert-1", "kurssi-fi-1"]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (FeedFilter(), ALL),
        (FeedFilter(programmes=("ledarskap",)), ["ledare-1-a", "ledare-1-b", "webbinar-1"]),
        (FeedFilter(kinds=(EventKind.SEMINAR,)), ["abo-1", "abo-2"]),
        (FeedFilter(organisers=("ake",)), ["webbinar-1", "inhibert-1", "kurssi-fi-1"]),
        (FeedFilter(audiences=("BARNBIBLIOTEK",)), ["abo-1", "abo-2"]),
        (FeedFilter(languages=("fi",)), ["webbinar-1", "kurssi-fi-1"]),
        (FeedFilter(attendance=(AttendanceMode.ONLINE,)), ["webbinar-1"]),
        (FeedFilter(attendance=(AttendanceMode.MIXED,)), ["kurssi-fi-1"]),
        (FeedFilter(places=("Turku",)), ["abo-1", "abo-2"]),
        (FeedFilter(places=("nyland",)), ["ledare-1-a", "ledare-1-b", "inhibert-1", "kurssi-fi-1"]),
        (
            FeedFilter(statuses=(Status.SCHEDULED,)),
            ["ledare-1-a", "ledare-1-b", "webbinar-1", "abo-1", "kurssi-fi-1"],
        ),
        (FeedFilter(start=date(2030, 3, 14), end=date(2030, 4, 1)), ["abo-1", "abo-2"]),
        (FeedFilter(places=("helsinki",), organisers=("rfv",)), ["ledare-1-a", "ledare-1-b"]),
    ],
    ids=lambda value: "" if isinstance(value, list) else None,
)
def test_each_criterion_picks_its_sessions(rule, expected):
    """Every criterion of a filter picks the sessions it names, and criteria combine with and."""
    assert _sessions(rule) == expected


def test_a_cancelled_event_counts_as_cancelled_sessions():
    """A session of a cancelled event is cancelled for the statuses filter, whatever it says."""
    assert "inhibert-1" not in _sessions(FeedFilter(statuses=(Status.SCHEDULED,)))
    assert _sessions(FeedFilter(statuses=(Status.CANCELLED,))) == ["abo-2", "inhibert-1"]


def test_days_ahead_and_back_count_from_now():
    """days_ahead and days_back count from the moment given, so a feed can be a rolling window."""
    now = START + timedelta(days=5)
    assert _sessions(FeedFilter(days_ahead=7, days_back=0), now=now) == ["abo-1", "abo-2"]
    assert _sessions(FeedFilter(days_back=4, days_ahead=0), now=now) == [
        "ledare-1-b",
        "webbinar-1",
    ]


def test_the_slice_is_a_valid_catalogue_without_dangling_references():
    """Programmes keep only the modules left and runs only the sessions left; it validates."""
    shown = select(region_catalogue(), FeedFilter(kinds=(EventKind.WEBINAR,)))
    assert [e.id for e in shown.events] == ["webbinar"]
    assert [(p.id, p.modules) for p in shown.programmes] == [("ledarskap", ("webbinar",))]
    assert select(region_catalogue(), FeedFilter(kinds=(EventKind.SEMINAR,))).programmes == ()


def test_a_moment_in_the_window_keeps_its_zone():
    """A window given as an aware moment is compared as a moment: a session ending at it is in."""
    moment = datetime(2030, 3, 5, 12, tzinfo=HELSINKI)  # when ledare-1-b ends
    window = FeedFilter(start=moment, end=moment + timedelta(days=1))
    assert _sessions(window) == ["ledare-1-b", "webbinar-1"]
