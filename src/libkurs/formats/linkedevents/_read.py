"""Linked Events: reading an API response into a catalogue."""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final

import attrs

from libkurs.errors import DataError
from libkurs.formats._parts import part_of_name
from libkurs.formats.linkedevents._common import (
    ID_TAG,
    INTERNET,
    JSON,
    STATUS,
    LinkedEventsWarning,
    fail,
    list_of,
    ref_id,
    text,
    to_libkurs_id,
)
from libkurs.model import (
    Address,
    Catalogue,
    EnrolmentSettings,
    Event,
    Geo,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    Programme,
    Publication,
    Session,
    Status,
    Venue,
)
from libkurs.model._checks import EARLIEST, LATEST

__all__ = ["MAX_EVENTS", "LinkedEventsWarning", "read"]


_UNKNOWN_PREVIOUS = (
    "Linked Events marks this event as moved (EventRescheduled or EventPostponed) without the "
    "start it had: read as scheduled at the time given; set status and previous_start by hand."
)


def _moment(value: object, path: str, tz: tzinfo, *, end: bool = False) -> tuple[datetime, bool]:
    """An aware datetime in *tz*, and whether the value was a date only."""
    if not isinstance(value, str):
        raise fail("expected a date or a date and time as a string", path)
    try:
        if len(value) == 10:
            day = date.fromisoformat(value) + timedelta(days=1 if end else 0)
            moment, all_day = datetime.combine(day, time(0), tzinfo=tz), True
        else:
            moment, all_day = datetime.fromisoformat(value.replace("Z", "+00:00")), False
            if moment.tzinfo is None:
                raise fail(f"{value!r} has no UTC offset", path)
            moment = moment.astimezone(tz)
        in_range = EARLIEST <= moment <= LATEST
    except ValueError as error:
        raise fail(f"invalid date {value!r}: {error}", path) from None
    except OverflowError:
        in_range = False
    if not in_range:
        raise fail(f"{value!r} is too near the year 1 or 9999", path)
    return moment, all_day


def _end_of_day(start: datetime, tz: tzinfo, path: str) -> datetime:
    """The midnight after *start*'s day in *tz*: where Linked Events ends an event without end."""
    try:
        end = datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=tz)
        if end <= LATEST:
            return end
    except OverflowError:
        pass
    raise fail("the start is too near the year 9999 to end at midnight", path)


def _status(value: object, path: str) -> Status:
    """The status of an ``event_status`` (none: scheduled)."""
    if value is None or value == "":
        return Status.SCHEDULED
    if not isinstance(value, str) or value not in STATUS:
        raise fail(f"unknown event_status {value!r}", path)
    return STATUS[value]


def _geo(position: object, path: str) -> Geo | None:
    """The point of a GeoJSON ``position``, longitude first; None when there is none."""
    if not isinstance(position, dict) or position.get("coordinates") is None:
        return None
    coordinates = position["coordinates"]
    if (
        not isinstance(coordinates, list)
        or len(coordinates) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2])
    ):
        raise fail("expected coordinates as [longitude, latitude]", f"{path}.coordinates")
    longitude, latitude = coordinates[:2]
    try:
        return Geo(latitude=latitude, longitude=longitude)
    except DataError as error:
        raise fail(error.reason, f"{path}.coordinates") from None


def _optional_moment(value: object, path: str, tz: tzinfo) -> datetime | None:
    return None if value is None else _moment(value, path, tz)[0]


def _count(value: object, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail("expected an integer", path)
    return value


@attrs.define
class _Reader:
    tz: tzinfo
    warn: Callable[[str], None]
    venues: dict[str, Venue] = attrs.Factory(dict)
    organisations: dict[str, Organisation] = attrs.Factory(dict)

    def location(self, value: object, path: str) -> Location | None:
        if value is None:
            return None
        place_id = ref_id(value, path)
        if place_id == INTERNET:
            return Location(online=OnlineRoom())
        place = value if isinstance(value, dict) else {}
        venue_id = to_libkurs_id(place_id)
        name = text(place.get("name"), f"{path}.name")
        names = dict(name.texts) if name else {}
        geo = _geo(place.get("position"), f"{path}.position")
        street = text(place.get("street_address"), f"{path}.street_address")
        locality = text(place.get("address_locality"), f"{path}.address_locality")
        code = place.get("postal_code")
        address = None
        if street or locality or code:
            address = Address(
                street=street,
                postal_code=code if isinstance(code, str) else None,
                locality=locality,
                country="FI",
            )
        self.venues[venue_id] = Venue(
            id=venue_id,
            name=LocalizedText({**names, ID_TAG: place_id}),
            address=address,
            geo=geo,
        )
        return Location(venue=venue_id)

    def organisers(self, value: object, path: str) -> list[str]:
        provider = text(value, path)
        if provider is None:
            return []
        ascii_name = unicodedata.normalize("NFKD", provider.best("fi")).encode("ascii", "ignore")
        id = to_libkurs_id(ascii_name.decode().lower())
        id = id if id != "event" else "provider"
        self.organisations.setdefault(id, Organisation(id=id, name=provider))
        return [id]

    def enrolment(self, item: Mapping[str, object], path: str) -> EnrolmentSettings | None:
        capacity = item.get("maximum_attendee_capacity")
        minimum = item.get("minimum_attendee_capacity")
        settings = EnrolmentSettings(
            opens=_optional_moment(
                item.get("enrolment_start_time"), f"{path}.enrolment_start_time", self.tz
            ),
            closes=_optional_moment(
                item.get("enrolment_end_time"), f"{path}.enrolment_end_time", self.tz
            ),
            capacity=_count(capacity, f"{path}.maximum_attendee_capacity"),
            minimum=_count(minimum, f"{path}.minimum_attendee_capacity"),
        )
        return None if settings == EnrolmentSettings() else settings

    def common(self, item: Mapping[str, object], path: str) -> Event:
        name = text(item.get("name"), f"{path}.name")
        if name is None:
            raise fail("an event needs a name", f"{path}.name")
        keywords = []
        for number, keyword in enumerate(list_of(item.get("keywords"), f"{path}.keywords")):
            keyword_id = ref_id(keyword, f"{path}.keywords[{number}]")
            assert isinstance(keyword, dict)
            names = text(keyword.get("name"), f"{path}.keywords[{number}].name")
            keywords.append(LocalizedText({**(names.texts if names else {}), ID_TAG: keyword_id}))
        offers = list_of(item.get("offers"), f"{path}.offers")
        offer = offers[0] if offers else {}
        if not isinstance(offer, dict):
            raise fail("expected an offer object", f"{path}.offers[0]")
        url = text(item.get("info_url"), f"{path}.info_url")
        is_free = offer.get("is_free")
        given = _status(item.get("event_status"), f"{path}.event_status")
        moved, previous = self.status(item, path)
        return Event(
            id=to_libkurs_id(ref_id(item, path)),
            title=name,
            description=text(item.get("description"), f"{path}.description"),
            summary=text(item.get("short_description"), f"{path}.short_description"),
            url=url.best("fi") if url else None,
            status=moved,
            previous_start=previous,
            internal_note=_UNKNOWN_PREVIOUS if given is not moved else None,
            publication=(
                Publication.DRAFT
                if item.get("publication_status") == "draft"
                else Publication.PUBLIC
            ),
            languages=[
                ref_id(lang, f"{path}.in_language[{n}]").replace("_", "-")
                for n, lang in enumerate(list_of(item.get("in_language"), f"{path}.in_language"))
            ],
            keywords=keywords,
            organisers=self.organisers(item.get("provider"), f"{path}.provider"),
            free_of_charge=is_free if isinstance(is_free, bool) else None,
            price=text(offer.get("price"), f"{path}.offers[0].price"),
            enrolment=self.enrolment(item, path),
        )

    def status(self, item: Mapping[str, object], path: str) -> tuple[Status, datetime | None]:
        """The status of *item*, and the start it had if it was moved.

        Linked Events keeps a postponed event's old ``start_time``, which is its previous
        start; it does not say where a rescheduled event was before, and libkurs invents no
        previous start: such an item is read as scheduled at its new time.
        """
        status = _status(item.get("event_status"), f"{path}.event_status")
        start = item.get("start_time")
        if status is Status.POSTPONED and start is not None:
            return status, _moment(start, f"{path}.start_time", self.tz)[0]
        if status in {Status.POSTPONED, Status.RESCHEDULED}:
            return Status.SCHEDULED, None
        return status, None

    def session(self, item: Mapping[str, object], path: str, event: Event) -> Session:
        start, all_day = _moment(item.get("start_time"), f"{path}.start_time", self.tz)
        end_value = item.get("end_time")
        if end_value is not None:
            end, _ = _moment(end_value, f"{path}.end_time", self.tz, end=all_day)
        else:  # as Linked Events does: the event ends at the midnight after its start
            end = _end_of_day(start, self.tz, f"{path}.start_time")
            self.warn(f"{path}.end_time is null: taken to end at midnight, {end.isoformat()}")
        name = text(item.get("name"), f"{path}.name")
        location = self.location(item.get("location"), f"{path}.location")
        status, previous = self.status(item, path)
        part = None
        if all_day and name is not None and start.date() + timedelta(days=1) == end.date():
            part, name = part_of_name(name)  # "Förmiddag: …": a part of the day, no clock
        return Session(
            id=to_libkurs_id(ref_id(item, path)),
            start=start,
            end=end,
            all_day=all_day,
            part_of_day=part,
            title=name if name != event.title else None,
            status=status,
            previous_start=previous,
            location=location if location != event.location else None,
        )

    def event(self, item: Mapping[str, object], path: str, subs: list[tuple[str, JSON]]) -> Event:
        location = self.location(item.get("location"), f"{path}.location")
        event = attrs.evolve(self.common(item, path), location=location)
        if subs:
            sessions = [self.session(sub, sub_path, event) for sub_path, sub in subs]
        elif item.get("start_time") is not None:
            sessions = [self.session(item, path, event)]
            sessions[0] = attrs.evolve(sessions[0], id=f"{event.id}-1")
        else:
            sessions = []
        return attrs.evolve(event, sessions=sessions)


#: The most events (super and sub events together) one document may hold.
MAX_EVENTS: Final = 100_000

_SHARED: Final = tuple(a.name for a in attrs.fields(Programme) if a.name != "modules")


def _events(document: object) -> list[JSON]:
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        items = document["data"]
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        items = [document]
    else:
        raise fail("expected a Linked Events response, a list of events or one event", "")
    if len(items) > MAX_EVENTS:
        raise fail(f"{len(items)} events; this reader takes at most {MAX_EVENTS} at once", "data")
    events: list[JSON] = []
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            raise fail("expected an event object", f"data[{number}]")
        events.append(item)
    return events


def read(document: object, tz: tzinfo, warn: Callable[[str], None] | None = None) -> Catalogue:
    """The catalogue of a decoded Linked Events *document*, times in *tz*.

    *warn* is told what was read by a rule rather than from the data (an event without an
    end_time); by default a :class:`LinkedEventsWarning`.
    """
    items = _events(document)
    by_id = {ref_id(item, f"data[{n}]"): (f"data[{n}]", item) for n, item in enumerate(items)}
    kinds = {le_id: item.get("super_event_type") for le_id, (_, item) in by_id.items()}
    parent_of: dict[str, str] = {}
    children: dict[str, list[str]] = {}  # in the order of the response
    for le_id, (path, item) in by_id.items():
        if item.get("super_event") is not None:
            parent = ref_id(item["super_event"], f"{path}.super_event")
            if parent in by_id:
                parent_of[le_id] = parent
                children.setdefault(parent, []).append(le_id)
    reader = _Reader(tz, warn or _warn)
    events: list[Event] = []
    programmes: list[Programme] = []
    for le_id, (path, item) in by_id.items():
        try:
            if le_id in parent_of and kinds[parent_of[le_id]] == "recurring":
                continue  # a session of its super event
            if kinds[le_id] == "umbrella":
                modules = [to_libkurs_id(c) for c in children.get(le_id, ())]
                common = reader.common(item, path)
                shared = {name: getattr(common, name) for name in _SHARED}
                programmes.append(Programme(**shared, modules=modules))
                continue
            subs = [by_id[c] for c in children.get(le_id, ())]
            events.append(reader.event(item, path, subs))
        except DataError as error:
            if not error.path or not error.path.startswith("data["):
                error.within(path)
            raise
    return Catalogue(
        events=events,
        programmes=programmes,
        venues=list(reader.venues.values()),
        organisations=list(reader.organisations.values()),
    )


def _warn(message: str) -> None:
    warnings.warn(message, LinkedEventsWarning, stacklevel=4)
