"""Linked Events: reading an API response into a catalogue."""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final

import attrs

from libkurs.errors import DataError
from libkurs.formats.linkedevents._common import (
    ID_TAG,
    INTERNET,
    JSON,
    STATUS,
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

__all__ = ["MissingEndWarning", "read"]


class MissingEndWarning(UserWarning):
    """An event or sub-event without end_time, read as ending at midnight after its start.

    Most events in published Linked Events data have no end_time; Linked Events itself shows
    them as lasting to the end of their day, and so does libkurs, with this warning.
    """


def _moment(value: object, path: str, tz: tzinfo, *, end: bool = False) -> tuple[datetime, bool]:
    """An aware datetime in *tz*, and whether the value was a date only."""
    if not isinstance(value, str):
        raise fail("expected a date or a date and time as a string", path)
    try:
        if len(value) == 10:
            day = date.fromisoformat(value) + timedelta(days=1 if end else 0)
            return datetime.combine(day, time(0), tzinfo=tz), True
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise fail(f"invalid date {value!r}: {error}", path) from None
    if moment.tzinfo is None:
        raise fail(f"{value!r} has no UTC offset", path)
    return moment.astimezone(tz), False


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
        position = place.get("position")
        geo = None
        if isinstance(position, dict) and isinstance(position.get("coordinates"), list):
            longitude, latitude = position["coordinates"][:2]
            geo = Geo(latitude=latitude, longitude=longitude)
        street = text(place.get("street_address"), f"{path}.street_address")
        locality = text(place.get("address_locality"), f"{path}.address_locality")
        code = place.get("postal_code")
        address = None
        if street or locality or code:
            address = Address(
                street=street.best("fi") if street else None,
                postal_code=code if isinstance(code, str) else None,
                locality=locality.best("fi") if locality else None,
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
        status = item.get("event_status") or "EventScheduled"
        if status not in STATUS:
            raise fail(f"unknown event_status {status!r}", f"{path}.event_status")
        is_free = offer.get("is_free")
        return Event(
            id=to_libkurs_id(ref_id(item, path)),
            title=name,
            description=text(item.get("description"), f"{path}.description"),
            summary=text(item.get("short_description"), f"{path}.short_description"),
            url=url.best("fi") if url else None,
            status=STATUS[str(status)],
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

    def session(self, item: Mapping[str, object], path: str, event: Event) -> Session:
        start, all_day = _moment(item.get("start_time"), f"{path}.start_time", self.tz)
        end_value = item.get("end_time")
        if end_value is None:
            # Linked Events keeps an event without end_time as ending with its start's day.
            day = start.astimezone(self.tz).date() + timedelta(days=1)
            end = datetime.combine(day, time(0), tzinfo=self.tz)
            warnings.warn(
                f"{path}.end_time is null: read as ending at midnight after its start",
                MissingEndWarning,
                stacklevel=2,
            )
        else:
            end, _ = _moment(end_value, f"{path}.end_time", self.tz, end=all_day)
        name = text(item.get("name"), f"{path}.name")
        location = self.location(item.get("location"), f"{path}.location")
        return Session(
            id=to_libkurs_id(ref_id(item, path)),
            start=start,
            end=end,
            all_day=all_day,
            title=name if name != event.title else None,
            status=STATUS.get(str(item.get("event_status")), Status.SCHEDULED),
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
    events: list[JSON] = []
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            raise fail("expected an event object", f"data[{number}]")
        events.append(item)
    return events


def read(document: object, tz: tzinfo) -> Catalogue:
    """The catalogue of a decoded Linked Events *document*, times in *tz*."""
    items = _events(document)
    by_id = {ref_id(item, f"data[{n}]"): (f"data[{n}]", item) for n, item in enumerate(items)}
    kinds = {le_id: item.get("super_event_type") for le_id, (_, item) in by_id.items()}
    parent_of: dict[str, str] = {}
    for le_id, (path, item) in by_id.items():
        if item.get("super_event") is not None:
            parent = ref_id(item["super_event"], f"{path}.super_event")
            if parent in by_id:
                parent_of[le_id] = parent
    reader = _Reader(tz)
    events: list[Event] = []
    programmes: list[Programme] = []
    for le_id, (path, item) in by_id.items():
        try:
            if parent_of.get(le_id) and kinds[parent_of[le_id]] == "recurring":
                continue  # a session of its super event
            if kinds[le_id] == "umbrella":
                modules = [to_libkurs_id(c) for c, p in parent_of.items() if p == le_id]
                common = reader.common(item, path)
                shared = {name: getattr(common, name) for name in _SHARED}
                programmes.append(Programme(**shared, modules=modules))
                continue
            subs = [(by_id[c][0], by_id[c][1]) for c, p in parent_of.items() if p == le_id]
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
