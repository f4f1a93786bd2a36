"""How much libkurs' native JSON format costs over the standard json module.

The script builds one large catalogue deterministically (10,000 events by default, no random
numbers: every value follows from the event's number), writes it with ``libkurs.dumps(c, "json")``
and reads it back with ``libkurs.loads(text, "json")``. It compares each with the standard library
doing only the JSON part of the same work:

- dump: ``libkurs.dumps`` (unstructure the model with the cattrs converter, then ``json.dumps``)
  against ``json.dumps`` of the very same unstructured document, with the same options;
- load: ``libkurs.loads`` (``json.loads``, then structure and validate every value) against
  ``json.loads`` of the same text;
- load, typed: the same text read by pydantic v2 (``model_validate_json``) and by msgspec (a typed
  ``Decoder``) into models of the same catalogue defined below, with the same fields, nesting
  and every check each can express (the RFC 9557 datetimes through a parser written here);
- peak memory of each load, measured with :mod:`tracemalloc` in a separate pass (tracing slows
  Python down, so it never overlaps the timings).

Times are the best of ``--repeat`` runs measured with :func:`time.perf_counter`, with the garbage
collector on, as users run it; the ratio says how many times slower (or bigger) libkurs is.
Run it as::

    python bench/bench_json.py                      # 10,000 events, best of 3
    python bench/bench_json.py --events 50 --repeat 1
    python bench/bench_json.py --profile            # also: where the load spends its time
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

import msgspec
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, model_validator

import libkurs
from libkurs import (
    HELSINKI,
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

THEMES = (
    ("Bibliotekspedagogik", "Kirjastopedagogiikka"),
    ("Service design", "Palvelumuotoilu"),
    ("Meröppet bibliotek", "Omatoimikirjasto"),
    ("Läsfrämjande för barn och unga", "Lukemisen edistäminen lapsille ja nuorille"),
    ("Aktivt medborgarskap och demokrati", "Aktiivinen kansalaisuus ja demokratia"),
    ("Studiecirklar i Liboppi", "Opintopiirit Liboppissa"),
    ("Tillgänglighet och delaktighet", "Saavutettavuus ja osallisuus"),
    ("Evenemang på biblioteket", "Tapahtumat kirjastossa"),
)
TOWNS = ("Helsingfors", "Esbo", "Vanda", "Borgå", "Lovisa", "Raseborg", "Hangö", "Kyrkslätt")
KINDS = tuple(EventKind)
FIRST_DAY = date(2023, 1, 9)


def _text(sv: str, fi: str | None = None) -> LocalizedText:
    return LocalizedText({"sv": sv, "fi": fi} if fi is not None else {"sv": sv})


def build_catalogue(events: int) -> Catalogue:
    """A catalogue of *events* events, the same every time for the same number."""
    organisations = [
        Organisation(
            id="rfv",
            name=_text("Regionförvaltningsverket", "Aluehallintovirasto"),
            abbreviation=_text("RFV", "AVI"),
            url="https://avi.fi/",
        ),
        *(
            Organisation(
                id=f"bibliotek-{n}",
                name=_text(f"{town} stadsbibliotek", f"{town} kaupunginkirjasto"),
                url=f"https://bibliotek.example.fi/{n}",
            )
            for n, town in enumerate(TOWNS)
        ),
    ]
    organisation_ids = [o.id for o in organisations]
    venues = [
        Venue(
            id=f"venue-{n}",
            name=_text(f"Huvudbiblioteket i {town}", f"{town} pääkirjasto"),
            address=Address(
                street=f"Biblioteksgatan {n + 1}",
                postal_code=f"0{n}100",
                locality=town,
                country="FI",
            ),
            geo=Geo(latitude=60.0 + n / 10, longitude=24.0 + n / 7),
        )
        for n, town in enumerate(TOWNS)
    ]
    people = [
        Person(
            id=f"person-{n}",
            name=f"Förnamn{n} Efternamn{n}",
            title=_text("bibliotekarie", "kirjastonhoitaja") if n % 2 else _text("utvecklare"),
            organisation=organisation_ids[n % len(organisation_ids)],
            email=f"person{n}@bibliotek.example.fi",
        )
        for n in range(100)
    ]
    catalogue_events = [_event(i, organisation_ids, people, venues) for i in range(events)]
    programmes = [
        Programme(
            id=f"programme-{p}",
            title=_text(
                f"Biblioteksfortbildning {p}: Tillsammans kan vi!", f"Kirjastokoulutus {p}"
            ),
            period=Period(start=PartialDate(year=2023), end=PartialDate(year=2024)),
            organisers=["rfv"],
            modules=[e.id for e in catalogue_events[p * 40 : p * 40 + 6]],
            enrolment=EnrolmentSettings(
                capacity=30, closes=datetime(2023, 3, 1, 16, tzinfo=HELSINKI)
            ),
        )
        for p in range(max(1, events // 500))
    ]
    return Catalogue(
        name=_text("Fortbildning för biblioteksanställda", "Kirjastohenkilöstön täydennyskoulutus"),
        publisher="rfv",
        events=catalogue_events,
        programmes=programmes,
        organisations=organisations,
        people=people,
        venues=venues,
    )


def _event(i: int, organisation_ids: list[str], people: list[Person], venues: list[Venue]) -> Event:
    theme_sv, theme_fi = THEMES[i % len(THEMES)]
    day = FIRST_DAY + timedelta(days=(i * 3) % 700)
    event_id = f"event-{i:05d}"
    online = OnlineRoom(platform="Zoom", join_url=f"https://example.zoom.us/j/{900000 + i}")
    venue = venues[i % len(venues)].id
    location = (
        Location(venue=venue),
        Location(online=online),
        Location(venue=venue, online=online),
    )[i % 3]
    sessions = _sessions(i, event_id, day, people)
    runs = []
    if i % 11 == 0 and len(sessions) > 1:
        runs = [
            Run(
                id=f"{event_id}-run-{n}",
                sessions=[s.id],
                title=_text(f"Alternativ {n + 1}", f"Vaihtoehto {n + 1}"),
            )
            for n, s in enumerate(sessions)
        ]
    return Event(
        id=event_id,
        title=_text(f"{theme_sv} ({i})", f"{theme_fi} ({i})"),
        summary=_text(f"En introduktion till {theme_sv.lower()} för biblioteksanställda.")
        if i % 2
        else None,
        description=(
            _text(
                f"Under dagen bekantar vi oss med {theme_sv.lower()}."
                "\nTvåspråkigt, öppet för alla.",
                f"Päivän aikana tutustumme aiheeseen {theme_fi.lower()}.",
            )
            if i % 4 == 0
            else None
        ),
        status=Status.CANCELLED if i % 37 == 0 else Status.SCHEDULED,
        kind=KINDS[i % len(KINDS)],
        languages=("sv", "fi") if i % 3 else ("sv",),
        keywords=[
            _text(word) for word in ("fortbildning", theme_sv.lower(), "bibliotek")[: 1 + i % 3]
        ],
        open_to_all=i % 5 == 0,
        organisers=[organisation_ids[0], organisation_ids[1 + i % (len(organisation_ids) - 1)]][
            : 1 + i % 2
        ],
        contacts=[people[i % len(people)].id] if i % 2 == 0 else [],
        links=[Link(url=f"https://avi.fi/kurs/{i}", title=_text("Mer information"))]
        if i % 6 == 0
        else [],
        price=_text("Avgiftsfritt; resor och lunch på egen bekostnad") if i % 8 == 0 else None,
        free_of_charge=True if i % 8 == 0 else None,
        enrolment=(
            EnrolmentSettings(
                opens=datetime(day.year, day.month, 1, 9, tzinfo=HELSINKI) - timedelta(days=60),
                closes=datetime(day.year, day.month, day.day, 16, tzinfo=HELSINKI)
                - timedelta(days=7),
                capacity=20 + i % 40,
                minimum=5,
                url=f"https://avi.fi/anmalan/{i}",
            )
            if i % 2 == 0
            else None
        ),
        location=location,
        sessions=sessions,
        runs=runs,
        revision=i % 4,
    )


def _sessions(i: int, event_id: str, day: date, people: list[Person]) -> list[Session]:
    count = 1 + i % 3
    if i % 7 == 0:
        start, end = Session.all_day_span(day, day + timedelta(days=count - 1), HELSINKI)
        return [Session(id=f"{event_id}-s0", start=start, end=end, all_day=True)]
    sessions = []
    for n in range(count):
        start = datetime(
            day.year, day.month, day.day, 9 + 4 * (n % 2), tzinfo=HELSINKI
        ) + timedelta(days=n // 2 * 7)
        end = start + timedelta(hours=3)
        agenda = []
        if (i + n) % 3 == 0:
            agenda = [
                AgendaItem(
                    title=_text(title_sv, title_fi),
                    start=start + timedelta(minutes=45 * k),
                    end=start + timedelta(minutes=45 * (k + 1)),
                    speakers=[people[(i + k) % len(people)].id] if k else [],
                )
                for k, (title_sv, title_fi) in enumerate(
                    (
                        ("Morgonkaffe", "Aamukahvi"),
                        ("Föredrag", "Esitelmä"),
                        ("Diskussion", "Keskustelu"),
                    )
                )
            ]
        sessions.append(
            Session(
                id=f"{event_id}-s{n}",
                start=start,
                end=end,
                title=_text(("Förmiddag", "Eftermiddag")[n % 2], ("Aamupäivä", "Iltapäivä")[n % 2]),
                agenda=agenda,
            )
        )
    return sessions


# ---------------------------------------------------------------------------------------------
# The same catalogue as typed models of pydantic v2 and msgspec
# ---------------------------------------------------------------------------------------------
# Both parse the very JSON text libkurs writes into typed objects with the same fields, the
# same nesting and the checks each can express: strict JSON types, no unknown keys, enums by
# value, ids, language tags and URLs by pattern, non-empty text without control characters,
# counts of at least zero, coordinates in range, and the RFC 9557 datetimes ("…+02:00[Europe/
# Helsinki]"), which neither reads natively, through one small parser written for them below.
# Sessions, agenda items and enrolment settings check that they end after they start, as
# libkurs does; the catalogue-wide checks (unique ids, references) are libkurs' own.

_ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9_])?$"
_LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
_TEXT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f]*[^\s\x00-\x08\x0b-\x1f\x7f][^\x00-\x08\x0b-\x1f\x7f]*$"
_URL_PATTERN = r"^https?://[^\s/?#]+[^\s]*$"
_EMAIL_PATTERN = r"^[^\s@]+@[^\s@]*\.[^\s]*$"
_PARTIAL_DATE = r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?"
_PERIOD_PATTERN = rf"^{_PARTIAL_DATE}(?:/{_PARTIAL_DATE})?$"
_ZONES: dict[str, ZoneInfo] = {}


def parse_rfc9557(value: object, kind: type[datetime] = datetime) -> datetime:
    """An aware *kind* from ``2023-02-01T12:00:00+02:00[Europe/Helsinki]`` (the zone optional)."""
    if not isinstance(value, str):
        raise TypeError("expected a date and time as a string")
    moment_text, bracket, zone_text = value.partition("[")
    moment = kind.fromisoformat(moment_text)
    if moment.tzinfo is None:
        raise ValueError(f"naive date and time {value!r}")
    if not bracket:
        return moment
    if not zone_text.endswith("]"):
        raise ValueError(f"invalid date and time {value!r}")
    name = zone_text[:-1].removeprefix("!")
    zone = _ZONES.get(name)
    if zone is None:
        zone = _ZONES[name] = ZoneInfo(name)
    local = moment.astimezone(zone)
    if local.utcoffset() != moment.utcoffset():
        raise ValueError(f"offset and zone disagree in {value!r}")
    return local


def _ends_after_start(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ValueError("ends before or when it starts")


# pydantic v2
PId = Annotated[str, Field(pattern=_ID_PATTERN)]
PLanguage = Annotated[str, Field(pattern=_LANGUAGE_PATTERN)]
PText = Annotated[str, Field(pattern=_TEXT_PATTERN)]
PUrl = Annotated[str, Field(pattern=_URL_PATTERN)]
PCount = Annotated[int, Field(ge=0)]
PLocalized = Annotated[dict[PLanguage, PText], Field(min_length=1)]
PMoment = Annotated[datetime, PlainValidator(parse_rfc9557)]
PPeriod = Annotated[str, Field(pattern=_PERIOD_PATTERN)]


class PModel(BaseModel):
    """The options every pydantic model of the benchmark shares."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class PLink(PModel):
    url: PUrl
    title: PLocalized | None = None


class POnlineRoom(PModel):
    platform: PText | None = None
    join_url: PUrl | None = None
    access_note: PText | None = None


class PLocation(PModel):
    venue: PId | None = None
    online: POnlineRoom | None = None

    @model_validator(mode="after")
    def somewhere(self) -> PLocation:
        if self.venue is None and self.online is None:
            raise ValueError("a location needs a venue, an online room, or both")
        return self


class PAgendaItem(PModel):
    title: PLocalized
    start: PMoment | None = None
    end: PMoment | None = None
    description: PLocalized | None = None
    speakers: tuple[PId, ...] = ()
    languages: tuple[PLanguage, ...] = ()

    @model_validator(mode="after")
    def span(self) -> PAgendaItem:
        _ends_after_start(self.start, self.end)
        return self


class PSession(PModel):
    id: PId
    start: PMoment
    end: PMoment
    all_day: bool = False
    part_of_day: PartOfDay | None = None
    title: PLocalized | None = None
    description: PLocalized | None = None
    status: Status = Status.SCHEDULED
    previous_start: PMoment | None = None
    location: PLocation | None = None
    agenda: tuple[PAgendaItem, ...] = ()
    revision: PCount = 0
    modified: PMoment | None = None

    @model_validator(mode="after")
    def span(self) -> PSession:
        _ends_after_start(self.start, self.end)
        return self


class PEnrolmentSettings(PModel):
    required: bool = True
    approval: bool = False
    session_choice: bool = False
    opens: PMoment | None = None
    closes: PMoment | None = None
    closes_whole_day: bool = False
    capacity: PCount | None = None
    minimum: PCount | None = None
    waiting_list: PCount | None = None
    capacity_on_site: PCount | None = None
    capacity_remote: PCount | None = None
    url: PUrl | None = None
    note: PLocalized | None = None

    @model_validator(mode="after")
    def window(self) -> PEnrolmentSettings:
        _ends_after_start(self.opens, self.closes)
        if self.capacity is not None and self.minimum is not None and self.minimum > self.capacity:
            raise ValueError("minimum is larger than capacity")
        return self


class PRun(PModel):
    id: PId
    sessions: tuple[PId, ...] = ()
    period: PPeriod | None = None
    title: PLocalized | None = None
    enrolment: PEnrolmentSettings | None = None


class POffering(PModel):
    id: PId
    title: PLocalized
    summary: PLocalized | None = None
    description: PLocalized | None = None
    status: Status = Status.SCHEDULED
    previous_start: PMoment | None = None
    publication: Publication = Publication.PUBLIC
    period: PPeriod | None = None
    languages: tuple[PLanguage, ...] = ()
    keywords: tuple[PLocalized, ...] = ()
    audience: PLocalized | None = None
    open_to_all: bool = False
    organisers: tuple[PId, ...] = ()
    contacts: tuple[PId, ...] = ()
    links: tuple[PLink, ...] = ()
    url: PUrl | None = None
    price: PLocalized | None = None
    free_of_charge: bool | None = None
    enrolment: PEnrolmentSettings | None = None
    revision: PCount = 0
    modified: PMoment | None = None
    internal_note: PText | None = None


class PEvent(POffering):
    kind: EventKind = EventKind.OTHER
    sessions: tuple[PSession, ...] = ()
    runs: tuple[PRun, ...] = ()
    location: PLocation | None = None
    speakers: tuple[PId, ...] = ()
    recorded: bool | None = None


class PProgramme(POffering):
    modules: tuple[PId, ...] = ()


class POrganisation(PModel):
    id: PId
    name: PLocalized
    abbreviation: PLocalized | None = None
    url: PUrl | None = None


class PPerson(PModel):
    id: PId
    name: PText
    title: PLocalized | None = None
    organisation: PId | None = None
    email: Annotated[str, Field(pattern=_EMAIL_PATTERN)] | None = None
    phone: PText | None = None
    url: PUrl | None = None


class PAddress(PModel):
    street: PLocalized | PText | None = None
    postal_code: PText | None = None
    locality: PLocalized | PText | None = None
    region: PLocalized | PText | None = None
    country: PText | None = None


class PGeo(PModel):
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]


class PVenue(PModel):
    id: PId
    name: PLocalized
    address: PAddress | None = None
    geo: PGeo | None = None
    url: PUrl | None = None


class PCatalogue(PModel):
    format: Literal["libkurs.catalogue"]
    version: Literal[1]
    name: PLocalized | None = None
    id: PId | None = None
    publisher: PId | None = None
    events: tuple[PEvent, ...] = ()
    programmes: tuple[PProgramme, ...] = ()
    organisations: tuple[POrganisation, ...] = ()
    people: tuple[PPerson, ...] = ()
    venues: tuple[PVenue, ...] = ()


# msgspec


class Moment(datetime):
    """The msgspec field type of an RFC 9557 datetime, which :func:`_msgspec_hook` reads.

    msgspec checks that a hook returns the declared type; a datetime's own methods
    (``fromisoformat``, ``astimezone``) make instances of the subclass they are called on.
    """


def _msgspec_hook(kind: type, value: object) -> object:
    if kind is Moment:
        return parse_rfc9557(value, Moment)
    raise NotImplementedError(kind)


MId = Annotated[str, msgspec.Meta(pattern=_ID_PATTERN)]
MLanguage = Annotated[str, msgspec.Meta(pattern=_LANGUAGE_PATTERN)]
MText = Annotated[str, msgspec.Meta(pattern=_TEXT_PATTERN)]
MUrl = Annotated[str, msgspec.Meta(pattern=_URL_PATTERN)]
MCount = Annotated[int, msgspec.Meta(ge=0)]
MLocalized = Annotated[dict[MLanguage, MText], msgspec.Meta(min_length=1)]
MPeriod = Annotated[str, msgspec.Meta(pattern=_PERIOD_PATTERN)]


class MStruct(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """The options every msgspec model of the benchmark shares."""


class MLink(MStruct):
    url: MUrl
    title: MLocalized | None = None


class MOnlineRoom(MStruct):
    platform: MText | None = None
    join_url: MUrl | None = None
    access_note: MText | None = None


class MLocation(MStruct):
    venue: MId | None = None
    online: MOnlineRoom | None = None

    def __post_init__(self) -> None:
        if self.venue is None and self.online is None:
            raise ValueError("a location needs a venue, an online room, or both")


class MAgendaItem(MStruct):
    title: MLocalized
    start: Moment | None = None
    end: Moment | None = None
    description: MLocalized | None = None
    speakers: tuple[MId, ...] = ()
    languages: tuple[MLanguage, ...] = ()

    def __post_init__(self) -> None:
        _ends_after_start(self.start, self.end)  # type: ignore[arg-type]


class MSession(MStruct):
    id: MId
    start: Moment
    end: Moment
    all_day: bool = False
    part_of_day: PartOfDay | None = None
    title: MLocalized | None = None
    description: MLocalized | None = None
    status: Status = Status.SCHEDULED
    previous_start: Moment | None = None
    location: MLocation | None = None
    agenda: tuple[MAgendaItem, ...] = ()
    revision: MCount = 0
    modified: Moment | None = None

    def __post_init__(self) -> None:
        _ends_after_start(self.start, self.end)  # type: ignore[arg-type]


class MEnrolmentSettings(MStruct):
    required: bool = True
    approval: bool = False
    session_choice: bool = False
    opens: Moment | None = None
    closes: Moment | None = None
    closes_whole_day: bool = False
    capacity: MCount | None = None
    minimum: MCount | None = None
    waiting_list: MCount | None = None
    capacity_on_site: MCount | None = None
    capacity_remote: MCount | None = None
    url: MUrl | None = None
    note: MLocalized | None = None

    def __post_init__(self) -> None:
        _ends_after_start(self.opens, self.closes)  # type: ignore[arg-type]
        if self.capacity is not None and self.minimum is not None and self.minimum > self.capacity:
            raise ValueError("minimum is larger than capacity")


class MRun(MStruct):
    id: MId
    sessions: tuple[MId, ...] = ()
    period: MPeriod | None = None
    title: MLocalized | None = None
    enrolment: MEnrolmentSettings | None = None


class MOffering(MStruct):
    id: MId
    title: MLocalized
    summary: MLocalized | None = None
    description: MLocalized | None = None
    status: Status = Status.SCHEDULED
    previous_start: Moment | None = None
    publication: Publication = Publication.PUBLIC
    period: MPeriod | None = None
    languages: tuple[MLanguage, ...] = ()
    keywords: tuple[MLocalized, ...] = ()
    audience: MLocalized | None = None
    open_to_all: bool = False
    organisers: tuple[MId, ...] = ()
    contacts: tuple[MId, ...] = ()
    links: tuple[MLink, ...] = ()
    url: MUrl | None = None
    price: MLocalized | None = None
    free_of_charge: bool | None = None
    enrolment: MEnrolmentSettings | None = None
    revision: MCount = 0
    modified: Moment | None = None
    internal_note: MText | None = None


class MEvent(MOffering):
    kind: EventKind = EventKind.OTHER
    sessions: tuple[MSession, ...] = ()
    runs: tuple[MRun, ...] = ()
    location: MLocation | None = None
    speakers: tuple[MId, ...] = ()
    recorded: bool | None = None


class MProgramme(MOffering):
    modules: tuple[MId, ...] = ()


class MOrganisation(MStruct):
    id: MId
    name: MLocalized
    abbreviation: MLocalized | None = None
    url: MUrl | None = None


class MPerson(MStruct):
    id: MId
    name: MText
    title: MLocalized | None = None
    organisation: MId | None = None
    email: Annotated[str, msgspec.Meta(pattern=_EMAIL_PATTERN)] | None = None
    phone: MText | None = None
    url: MUrl | None = None


class MAddress(MStruct):
    street: MLocalized | MText | None = None
    postal_code: MText | None = None
    locality: MLocalized | MText | None = None
    region: MLocalized | MText | None = None
    country: MText | None = None


class MGeo(MStruct):
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)]
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)]


class MVenue(MStruct):
    id: MId
    name: MLocalized
    address: MAddress | None = None
    geo: MGeo | None = None
    url: MUrl | None = None


class MCatalogue(MStruct):
    format: Literal["libkurs.catalogue"]
    version: Literal[1]
    name: MLocalized | None = None
    id: MId | None = None
    publisher: MId | None = None
    events: tuple[MEvent, ...] = ()
    programmes: tuple[MProgramme, ...] = ()
    organisations: tuple[MOrganisation, ...] = ()
    people: tuple[MPerson, ...] = ()
    venues: tuple[MVenue, ...] = ()


MSGSPEC_DECODER = msgspec.json.Decoder(MCatalogue, dec_hook=_msgspec_hook)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The shortest of *repeat* wall-clock times of *run*, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(run: Callable[[], object]) -> int:
    """The most memory *run* holds at once while it runs, in bytes, as tracemalloc sees it."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def _line(label: str, ours: float, theirs: float, name: str, unit: str = "s") -> str:
    if unit == "MB":
        return (
            f"{label}: libkurs {ours / 1e6:.1f} MB, {name} {theirs / 1e6:.1f} MB, "
            f"ratio {ours / theirs:.1f}x"
        )
    return f"{label}: libkurs {ours:.3f} s, {name} {theirs:.3f} s, ratio {ours / theirs:.1f}x"


def _profile(text: str, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(libkurs.loads, text, "json")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def _moments(event: object) -> list[object]:
    """Every datetime of an event's sessions and agenda, of any of the three models, in order."""
    found: list[object] = []
    for session in event.sessions:  # type: ignore[attr-defined]
        found += [session.start, session.end]
        for item in session.agenda:
            found += [item.start, item.end]
    return found


def _typed_models_differ(catalogue: Catalogue, text: str) -> str | None:
    """What the typed models read differently from libkurs in *text*, or None: a fair race."""
    for name, typed in (
        ("pydantic", PCatalogue.model_validate_json(text)),
        ("msgspec", MSGSPEC_DECODER.decode(text)),
    ):
        if len(typed.events) != len(catalogue.events):
            return f"{name}: {len(typed.events)} events"
        for ours, theirs in zip(catalogue.events, typed.events, strict=True):
            mine, other = _moments(ours), _moments(theirs)
            if mine != other or [getattr(m, "tzinfo", None) for m in mine] != [
                getattr(m, "tzinfo", None) for m in other
            ]:
                return f"{name}: the datetimes of {ours.id} differ"
            if dict(ours.title.texts) != theirs.title or ours.kind != theirs.kind:
                return f"{name}: the title or kind of {ours.id} differ"
    return None


def main(argv: list[str] | None = None) -> int:
    """Build the catalogue, run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events", type=int, default=10_000, help="events in the catalogue (10,000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each step; the best counts (3)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also profile one load with cProfile"
    )
    args = parser.parse_args(argv)
    if args.events < 1 or args.repeat < 1:
        parser.error("--events and --repeat must be at least 1")

    started = time.perf_counter()
    catalogue = build_catalogue(args.events)
    built = time.perf_counter() - started
    text = libkurs.dumps(catalogue, "json")
    document = json.loads(text)
    if json.dumps(document, ensure_ascii=False, indent=2) + "\n" != text:
        print("json.dumps does not write what libkurs.dumps writes: the comparison is unfair")
        return 1
    if libkurs.loads(text, "json") != catalogue:
        print("the catalogue does not survive a round trip")
        return 1
    problem = _typed_models_differ(catalogue, text)
    if problem:
        print(f"the typed models do not read what libkurs reads: {problem}")
        return 1

    sessions = sum(len(event.sessions) for event in catalogue.events)
    print(f"python {sys.version.split()[0]}, libkurs {libkurs.__version__}")
    print(
        f"catalogue: {len(catalogue.events):,} events, {sessions:,} sessions, "
        f"{len(catalogue.programmes)} programmes; built in {built:.3f} s"
    )
    print(f"native JSON: {len(text):,} characters, {len(text.encode()):,} bytes (indent=2)")
    print(f"best of {args.repeat}")

    dump_ours = best_of(args.repeat, lambda: libkurs.dumps(catalogue, "json"))
    dump_json = best_of(args.repeat, lambda: json.dumps(document, ensure_ascii=False, indent=2))
    print(_line("dump", dump_ours, dump_json, "json.dumps"))
    load_ours = best_of(args.repeat, lambda: libkurs.loads(text, "json"))
    load_json = best_of(args.repeat, lambda: json.loads(text))
    print(_line("load", load_ours, load_json, "json.loads"))
    load_pydantic = best_of(args.repeat, lambda: PCatalogue.model_validate_json(text))
    load_msgspec = best_of(args.repeat, lambda: MSGSPEC_DECODER.decode(text))
    print(
        f"load, typed models: pydantic v2 {load_pydantic:.3f} s, "
        f"libkurs/pydantic {load_ours / load_pydantic:.2f}x; "
        f"msgspec typed {load_msgspec:.3f} s, libkurs/msgspec {load_ours / load_msgspec:.2f}x; "
        f"json.loads {load_json:.3f} s, libkurs/json.loads {load_ours / load_json:.2f}x"
    )

    peak_ours = peak_memory(lambda: libkurs.loads(text, "json"))
    peak_json = peak_memory(lambda: json.loads(text))
    print(_line("load peak memory", peak_ours, peak_json, "json.loads", unit="MB"))

    if args.profile:
        print(_profile(text, top=25))
    return 0


if __name__ == "__main__":
    sys.exit(main())
