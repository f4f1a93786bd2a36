"""Hypothesis strategies that build valid libkurs model values.

Every strategy here produces values the model accepts, so a test can take any of them as a
starting point. Sizes are kept modest (a catalogue has at most five events of at most four
sessions each) so that property tests stay fast on a small CI machine.

Datetimes are drawn as UTC instants and converted to a zone, which always yields a local time
that exists (never one in a summer-time gap) and, near a change back from summer time, the
second of two equal wall-clock times (``fold=1``) as often as the first.

:func:`catalogues` is the composite: ids are unique across the whole catalogue (one namespace
for organisations, people, venues, programmes, events, sessions and runs) and every reference
resolves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hypothesis import assume
from hypothesis import strategies as st

from libkurs import (
    Address,
    AgendaItem,
    Catalogue,
    EnrolmentSettings,
    Event,
    EventKind,
    Geo,
    Link,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    PartialDate,
    PartOfDay,
    Period,
    Person,
    Programme,
    Publication,
    Run,
    Session,
    Status,
    Venue,
)

__all__ = [
    "IdPool",
    "addresses",
    "agenda_items",
    "aware_datetimes",
    "catalogues",
    "emails",
    "enrolment_settings",
    "events",
    "exists",
    "geos",
    "identifiers",
    "language_tags",
    "links",
    "localized_texts",
    "locations",
    "online_rooms",
    "organisations",
    "partial_dates",
    "periods",
    "persons",
    "programmes",
    "runs",
    "sessions",
    "texts",
    "time_zones",
    "urls",
    "venues",
]

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

# --- text -------------------------------------------------------------------------------------

COMMON_LANGUAGES = ("sv", "fi", "en", "se", "ru", "sv-FI", "fi-FI", "smn", "de")

#: Any character the model allows in text: everything but control characters (tab and
#: newline excepted) and lone surrogates, which UTF-8 cannot carry.
_TEXT_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs"), include_characters="\t\n"
)

_SEED_TEXTS = (
    "Studiebesök i Danmark",
    "Riksomfattande Liboppi-dag",
    "Slutseminarium för AKEpampas pilotprojekt i service design",
    "Mervärde med meröppet",
    "Kirjastopedagogiikka – johdanto",
    "Loppuseminaari\nkaksikielinen",
    "Avgiftsfritt;\tresor och lunch på egen bekostnad",
    "Sámegiella ja čakčamánnu",
    "Обучение библиотекарей",
    "Tillsammans kan vi!",
)


@functools.cache
def language_tags() -> st.SearchStrategy[str]:
    """BCP 47 tags as the model accepts them: mostly common ones, sometimes any of that shape."""
    return st.one_of(
        st.sampled_from(COMMON_LANGUAGES),
        st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,2}", fullmatch=True),
    )


@functools.cache
def texts(*, max_size: int = 16) -> st.SearchStrategy[str]:
    """Non-blank text, non-ASCII, newlines and tabs included, no other control characters."""
    return st.one_of(
        st.sampled_from(_SEED_TEXTS),
        st.text(_TEXT_CHARACTERS, min_size=1, max_size=max_size).filter(str.strip),
    )


@functools.cache
def localized_texts() -> st.SearchStrategy[LocalizedText]:
    """Text in one to three languages."""
    return st.dictionaries(language_tags(), texts(), min_size=1, max_size=3).map(LocalizedText)


@functools.cache
def _optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


# --- ids, URLs, addresses ---------------------------------------------------------------------

_ID_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,14}[A-Za-z0-9_])?"


@functools.cache
def identifiers() -> st.SearchStrategy[str]:
    """One id as the model accepts it (ASCII letters, digits, ``.``, ``_``, ``-``)."""
    return st.one_of(
        st.sampled_from(("rfv", "ake-biblioteken", "liboppi-dag-2023", "s1", "Kurs_2023.v2")),
        st.from_regex(_ID_PATTERN, fullmatch=True).filter(lambda text: ".." not in text),
    )


class IdPool:
    """Hands out ids that are unique within one generated value: a drawn stem and a counter.

    The counter follows the last ``-``, and a counter has no ``-`` of its own, so two ids from
    one pool never coincide whatever their stems.
    """

    def __init__(self) -> None:
        self._count = 0

    def new(self, draw: Draw) -> str:
        """A fresh id."""
        self._count += 1
        return f"{draw(identifiers())}-{self._count}"


_HOSTS = st.one_of(
    st.sampled_from(
        ("avi.fi", "www.kirjastot.fi", "liboppi.fi", "example.zoom.us", "xn--bibliotk-e1a.fi")
    ),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z]{2,6}){1,2}", fullmatch=True),
)
_PATHS = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-_.~/%?=&+åäöÅÄÖ"), max_size=20
)


@functools.cache
def urls() -> st.SearchStrategy[str]:
    """Absolute http(s) URLs without whitespace."""
    return st.builds(
        lambda scheme, host, path: f"{scheme}://{host}/{path}",
        st.sampled_from(("http", "https")),
        _HOSTS,
        _PATHS,
    )


@functools.cache
def emails() -> st.SearchStrategy[str]:
    """E-mail addresses of the shape the model checks (local part, ``@``, a dotted domain)."""
    local = st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,10}", fullmatch=True)
    return st.builds(lambda name, host: f"{name}@{host}", local, _HOSTS)


@functools.cache
def addresses() -> st.SearchStrategy[Address]:
    """Postal addresses, any part of them known."""
    return st.builds(
        Address,
        street=_optional(texts()),
        postal_code=_optional(st.from_regex(r"[0-9]{5}", fullmatch=True)),
        locality=_optional(st.sampled_from(("Helsingfors", "Esbo", "Åbo", "København")) | texts()),
        region=_optional(texts()),
        country=_optional(st.sampled_from(("FI", "SE", "DK", "US"))),
    )


@functools.cache
def geos() -> st.SearchStrategy[Geo]:
    """Points on the earth, as floats (the annotated type).

    No coordinate between 0 and 1e-12 degrees: iCalendar writes those as 0 (see
    ``libkurs.formats.ics._export._float``).
    """

    def coordinate(limit: float) -> st.SearchStrategy[float]:
        return st.floats(-limit, limit, allow_nan=False).filter(lambda v: v == 0 or abs(v) >= 1e-12)

    return st.builds(Geo, latitude=coordinate(90), longitude=coordinate(180))


# --- time -------------------------------------------------------------------------------------

ZONES: tuple[ZoneInfo, ...] = (
    ZoneInfo("Europe/Helsinki"),
    ZoneInfo("Europe/Stockholm"),
    ZoneInfo("UTC"),
    ZoneInfo("America/New_York"),
)
FIXED_OFFSETS: tuple[timezone, ...] = (
    UTC,
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=3)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
)


@functools.cache
def time_zones() -> st.SearchStrategy[tzinfo]:
    """IANA zones (with summer time and without), and fixed offsets of whole minutes."""
    return st.one_of(
        st.sampled_from(ZONES),
        st.sampled_from(FIXED_OFFSETS),
        st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes))),
    )


def _transitions(zone: ZoneInfo, years: Sequence[int]) -> list[datetime]:
    """The UTC instants (to the hour) at which *zone* changes its offset in *years*."""
    found = []
    for year in years:
        day = datetime(year, 1, 1, tzinfo=UTC)
        offset = day.astimezone(zone).utcoffset()
        while day.year == year:
            following = day + timedelta(days=1)
            if following.astimezone(zone).utcoffset() != offset:
                hour = next(
                    day + timedelta(hours=h)
                    for h in range(1, 25)
                    if (day + timedelta(hours=h)).astimezone(zone).utcoffset() != offset
                )
                found.append(hour)
                offset = following.astimezone(zone).utcoffset()
            day = following
    return found


#: (zone, instant) for every summer-time change of the zones with one, in a few years.
_TRANSITIONS: tuple[tuple[ZoneInfo, datetime], ...] = tuple(
    (zone, moment) for zone in ZONES for moment in _transitions(zone, (1996, 2023, 2024, 2038))
)


@functools.cache
def _near_transitions() -> st.SearchStrategy[datetime]:
    """Moments within three hours of a summer-time change, in the zone that changes."""
    return st.builds(
        lambda pair, minutes, seconds: (
            pair[1] + timedelta(minutes=minutes, seconds=seconds)
        ).astimezone(pair[0]),
        st.sampled_from(_TRANSITIONS),
        st.integers(-180, 180),
        st.integers(0, 59),
    )


@functools.cache
def aware_datetimes(
    zones: st.SearchStrategy[tzinfo] | None = None,
    *,
    min_value: datetime = datetime(1900, 1, 1),
    max_value: datetime = datetime(2100, 12, 31),
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes that exist in their zone: UTC instants converted to a zone.

    Besides instants anywhere in the range, instants close to a summer-time change are drawn
    often, so ambiguous wall-clock times (``fold=1``) are common.
    """
    anywhere = st.builds(
        lambda moment, zone: moment.replace(tzinfo=UTC, fold=0).astimezone(zone),
        st.datetimes(min_value=min_value, max_value=max_value),
        zones if zones is not None else time_zones(),
    )
    if zones is not None:
        return anywhere
    return st.one_of(anywhere, _near_transitions())


def exists(moment: datetime) -> bool:
    """Whether the wall-clock time of *moment* exists in its zone (is not in a summer-time gap)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _later(draw: Draw, start: datetime, *, most: timedelta) -> datetime:
    """A moment strictly after *start*, at most *most* later, in *start*'s zone or another."""
    gap = draw(st.timedeltas(min_value=timedelta(microseconds=1), max_value=most))
    zone = draw(st.just(start.tzinfo) | time_zones())
    return (_utc(start) + gap).astimezone(zone)


@functools.cache
def partial_dates(*, min_year: int = 1, max_year: int = 9999) -> st.SearchStrategy[PartialDate]:
    """Dates known to the year, the month or the day."""
    return st.builds(
        _partial_of,
        st.dates(min_value=date(min_year, 1, 1), max_value=date(max_year, 12, 31)),
        st.sampled_from(("year", "month", "day")),
    )


def _partial_of(day: date, precision: str) -> PartialDate:
    if precision == "year":
        return PartialDate(year=day.year)
    if precision == "month":
        return PartialDate(year=day.year, month=day.month)
    return PartialDate(year=day.year, month=day.month, day=day.day)


@functools.cache
@st.composite
def periods(draw: Draw) -> Period:
    """A partial date, or an interval of two that does not end before it starts."""
    start = draw(partial_dates())
    end = draw(_optional(partial_dates()))
    if end is not None and end.first_day < start.first_day:
        start, end = end, start
    return Period(start=start, end=end)


@st.composite
def _period_around(draw: Draw, first: date, last: date) -> Period:
    """A period that holds every day from *first* to *last*."""
    before = first - timedelta(days=draw(st.integers(0, 60)))
    after = last + timedelta(days=draw(st.integers(0, 60)))
    start = _partial_of(before, draw(st.sampled_from(("year", "month", "day"))))
    if start.last_day >= after and draw(st.booleans()):
        return Period(start=start)
    end = _partial_of(after, draw(st.sampled_from(("year", "month", "day"))))
    if end.first_day < start.first_day:
        end = _partial_of(after, "day")
    return Period(start=start, end=end)


# --- enrolment --------------------------------------------------------------------------------


@functools.cache
@st.composite
def enrolment_settings(draw: Draw) -> EnrolmentSettings:
    """Enrolment windows and places that respect the model's rules.

    The minimum and the on-site and remote splits never exceed the capacity, and enrolment
    closes strictly after it opens.
    """
    capacity = draw(_optional(st.integers(0, 500)))
    most = 500 if capacity is None else capacity
    opens = draw(_optional(aware_datetimes()))
    closes = draw(_optional(aware_datetimes()))
    if opens is not None and closes is not None and _utc(closes) <= _utc(opens):
        closes = _later(draw, opens, most=timedelta(days=90))
    return EnrolmentSettings(
        required=draw(st.booleans()),
        opens=opens,
        closes=closes,
        capacity=capacity,
        minimum=draw(_optional(st.integers(0, most))),
        waiting_list=draw(_optional(st.integers(0, 100))),
        capacity_on_site=draw(_optional(st.integers(0, most))),
        capacity_remote=draw(_optional(st.integers(0, most))),
        url=draw(_optional(urls())),
        note=draw(_optional(localized_texts())),
    )


# --- places -----------------------------------------------------------------------------------


@functools.cache
def online_rooms() -> st.SearchStrategy[OnlineRoom]:
    """Online rooms, with or without their private join link and access note."""
    return st.builds(
        OnlineRoom,
        platform=_optional(st.sampled_from(("Zoom", "Teams", "Jitsi")) | texts()),
        join_url=_optional(urls()),
        access_note=_optional(texts()),
    )


@st.composite
def locations(draw: Draw, venue_ids: Sequence[str] = ()) -> Location:
    """A venue of *venue_ids*, an online room, or both; online only when there are no venues."""
    shapes = ["online", "venue", "both"] if venue_ids else ["online"]
    shape = draw(st.sampled_from(shapes))
    venue = draw(st.sampled_from(venue_ids)) if shape != "online" else None
    online = draw(online_rooms()) if shape != "venue" else None
    return Location(venue=venue, online=online)


@st.composite
def organisations(draw: Draw, ids: IdPool | None = None) -> Organisation:
    """An organisation with a fresh id."""
    return Organisation(
        id=(ids or IdPool()).new(draw),
        name=draw(localized_texts()),
        abbreviation=draw(_optional(localized_texts())),
        url=draw(_optional(urls())),
    )


@st.composite
def persons(draw: Draw, ids: IdPool | None = None, organisation_ids: Sequence[str] = ()) -> Person:
    """A person with a fresh id, perhaps of one of *organisation_ids*."""
    return Person(
        id=(ids or IdPool()).new(draw),
        name=draw(texts()),
        title=draw(_optional(localized_texts())),
        organisation=draw(_optional(st.sampled_from(organisation_ids)))
        if organisation_ids
        else None,
        email=draw(_optional(emails())),
        phone=draw(_optional(st.from_regex(r"\+358 [0-9]{2} [0-9]{3} [0-9]{4}", fullmatch=True))),
        url=draw(_optional(urls())),
    )


@st.composite
def venues(draw: Draw, ids: IdPool | None = None) -> Venue:
    """A venue with a fresh id."""
    return Venue(
        id=(ids or IdPool()).new(draw),
        name=draw(localized_texts()),
        address=draw(_optional(addresses())),
        geo=draw(_optional(geos())),
        url=draw(_optional(urls())),
    )


@functools.cache
def links() -> st.SearchStrategy[Link]:
    """Related web pages."""
    return st.builds(Link, url=urls(), title=_optional(localized_texts()))


# --- sessions and events ----------------------------------------------------------------------


def _some(draw: Draw, ids: Sequence[str], *, max_size: int) -> list[str]:
    """Distinct ids drawn from *ids* (none when there are none)."""
    if not ids:
        return []
    return draw(st.lists(st.sampled_from(ids), unique=True, max_size=max_size))


@st.composite
def agenda_items(
    draw: Draw, start: datetime, end: datetime, person_ids: Sequence[str] = ()
) -> AgendaItem:
    """An item of the programme of a session from *start* to *end*, its times (if any) inside."""
    total = (_utc(end) - _utc(start)) // timedelta(microseconds=1)
    zone = draw(st.just(start.tzinfo) | time_zones())
    points = sorted(draw(st.lists(st.integers(0, total), min_size=0, max_size=2, unique=True)))
    moments = [(_utc(start) + timedelta(microseconds=p)).astimezone(zone) for p in points]
    item_start: datetime | None = None
    item_end: datetime | None = None
    if len(moments) == 2:
        item_start, item_end = moments
    elif moments:
        if draw(st.booleans()):
            item_start = moments[0]
        else:
            item_end = moments[0]
    return AgendaItem(
        title=draw(localized_texts()),
        start=item_start,
        end=item_end,
        description=draw(_optional(localized_texts())),
        speakers=_some(draw, person_ids, max_size=2),
        languages=draw(st.lists(language_tags(), unique=True, max_size=2)),
    )


def _status_and_previous(draw: Draw) -> tuple[Status, datetime | None]:
    status = draw(st.sampled_from(Status))
    if status in {Status.RESCHEDULED, Status.POSTPONED}:
        return status, draw(aware_datetimes())
    return status, None


@st.composite
def sessions(
    draw: Draw,
    *,
    ids: IdPool | None = None,
    person_ids: Sequence[str] = (),
    venue_ids: Sequence[str] = (),
) -> Session:
    """A session: timed (end after start) or all-day, with agenda items inside its span."""
    all_day = draw(st.booleans())
    if all_day:
        first = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)))
        last = first + timedelta(days=draw(st.integers(0, 4)))
        start, end = Session.all_day_span(first, last, draw(time_zones()))
        assume(exists(start) and exists(end))
        part = draw(_optional(st.sampled_from(PartOfDay))) if first == last else None
    else:
        part = None
        start = draw(aware_datetimes())
        end = _later(draw, start, most=timedelta(days=3))
    status, previous_start = _status_and_previous(draw)
    return Session(
        id=(ids or IdPool()).new(draw),
        start=start,
        end=end,
        all_day=all_day,
        part_of_day=part,
        title=draw(_optional(localized_texts())),
        description=draw(_optional(localized_texts())),
        status=status,
        previous_start=previous_start,
        location=draw(_optional(locations(venue_ids))),
        agenda=draw(st.lists(agenda_items(start, end, person_ids), max_size=3)),
        revision=draw(st.integers(0, 1000)),
    )


@st.composite
def runs(
    draw: Draw, session_ids: Sequence[str], *, ids: IdPool | None = None, count: int = 1
) -> list[Run]:
    """*count* runs over *session_ids*; each session is in at most one run, others are common."""
    pool = ids or IdPool()
    chosen = [draw(st.integers(-1, count - 1)) for _ in session_ids]
    return [
        Run(
            id=pool.new(draw),
            sessions=[sid for sid, run in zip(session_ids, chosen, strict=True) if run == number],
            period=draw(_optional(periods())),
            title=draw(_optional(localized_texts())),
            enrolment=draw(_optional(enrolment_settings())),
        )
        for number in range(count)
    ]


def _offering_fields(
    draw: Draw, ids: IdPool, organisation_ids: Sequence[str], person_ids: Sequence[str]
) -> dict[str, Any]:
    """The fields that events and programmes share, except ``period``."""
    status, previous_start = _status_and_previous(draw)
    return {
        "id": ids.new(draw),
        "title": draw(localized_texts()),
        "summary": draw(_optional(localized_texts())),
        "description": draw(_optional(localized_texts())),
        "status": status,
        "previous_start": previous_start,
        "publication": draw(st.sampled_from(Publication)),
        "languages": draw(st.lists(language_tags(), unique=True, max_size=3)),
        "keywords": draw(st.lists(localized_texts(), max_size=3)),
        "audience": draw(_optional(localized_texts())),
        "open_to_all": draw(st.booleans()),
        "organisers": _some(draw, organisation_ids, max_size=2),
        "contacts": _some(draw, person_ids, max_size=2),
        "links": draw(st.lists(links(), max_size=2)),
        "url": draw(_optional(urls())),
        "price": draw(_optional(localized_texts())),
        "free_of_charge": draw(_optional(st.booleans())),
        "enrolment": draw(_optional(enrolment_settings())),
        "revision": draw(st.integers(0, 1000)),
        "internal_note": draw(_optional(texts())),
    }


@st.composite
def events(
    draw: Draw,
    *,
    ids: IdPool | None = None,
    organisation_ids: Sequence[str] = (),
    person_ids: Sequence[str] = (),
    venue_ids: Sequence[str] = (),
    max_sessions: int = 4,
) -> Event:
    """An event with up to *max_sessions* sessions and up to two runs over them.

    A period, when it has one, holds every session.
    """
    pool = ids or IdPool()
    fields = _offering_fields(draw, pool, organisation_ids, person_ids)
    event_sessions = draw(
        st.lists(
            sessions(ids=pool, person_ids=person_ids, venue_ids=venue_ids), max_size=max_sessions
        )
    )
    if event_sessions:
        days = [session.days for session in event_sessions]
        first, last = min(d[0] for d in days), max(d[1] for d in days)
        period = draw(_optional(_period_around(first, last)))
    else:
        period = draw(_optional(periods()))
    run_count = draw(st.integers(0, 2))
    event_runs = (
        draw(runs([s.id for s in event_sessions], ids=pool, count=run_count)) if run_count else []
    )
    return Event(
        **fields,
        period=period,
        kind=draw(st.sampled_from(EventKind)),
        sessions=event_sessions,
        runs=event_runs,
        location=draw(_optional(locations(venue_ids))),
        speakers=_some(draw, person_ids, max_size=2),
        recorded=draw(_optional(st.booleans())),
    )


@st.composite
def programmes(
    draw: Draw,
    *,
    ids: IdPool | None = None,
    event_ids: Sequence[str] = (),
    organisation_ids: Sequence[str] = (),
    person_ids: Sequence[str] = (),
) -> Programme:
    """A programme whose modules are some of *event_ids*, in any order."""
    fields = _offering_fields(draw, ids or IdPool(), organisation_ids, person_ids)
    return Programme(
        **fields, period=draw(_optional(periods())), modules=_some(draw, event_ids, max_size=4)
    )


@st.composite
def catalogues(draw: Draw, *, min_events: int = 0, max_events: int = 5) -> Catalogue:
    """A catalogue whose ids are unique across it and whose every reference resolves."""
    pool = IdPool()
    catalogue_organisations = draw(st.lists(organisations(pool), max_size=3))
    organisation_ids = [o.id for o in catalogue_organisations]
    catalogue_people = draw(st.lists(persons(pool, organisation_ids), max_size=4))
    person_ids = [p.id for p in catalogue_people]
    catalogue_venues = draw(st.lists(venues(pool), max_size=3))
    venue_ids = [v.id for v in catalogue_venues]
    catalogue_events = draw(
        st.lists(
            events(
                ids=pool,
                organisation_ids=organisation_ids,
                person_ids=person_ids,
                venue_ids=venue_ids,
            ),
            min_size=min_events,
            max_size=max_events,
        )
    )
    event_ids = [e.id for e in catalogue_events]
    catalogue_programmes = draw(
        st.lists(
            programmes(
                ids=pool,
                event_ids=event_ids,
                organisation_ids=organisation_ids,
                person_ids=person_ids,
            ),
            max_size=2,
        )
    )
    return Catalogue(
        name=draw(_optional(localized_texts())),
        publisher=draw(_optional(st.sampled_from(organisation_ids))) if organisation_ids else None,
        events=catalogue_events,
        programmes=catalogue_programmes,
        organisations=catalogue_organisations,
        people=catalogue_people,
        venues=catalogue_venues,
    )
