"""Linked Events: the event API of the Helsinki region (``api.hel.fi/linkedevents/v1``).

Reads what the API answers (a list response ``{"meta": …, "data": [events]}``, a list of events,
or one event) and writes a list response of the same shape.

How the two models meet:

- An event of one session is one Linked Events event. An event of several sessions is a
  ``"recurring"`` super event whose sub events are its sessions. A programme is an
  ``"umbrella"`` super event whose sub events are its modules. Reading does the reverse.
- Ids: a Linked Events id ``helsinki:af7jcccbra`` is the libkurs id ``helsinki.af7jcccbra``
  (the first ``:`` becomes ``.``), and back; a libkurs id without a dot is written under the
  *data_source* option (``libkurs:<id>``).
- Multilingual fields (``name``, ``description``, ``short_description``, ``provider``,
  ``info_url``, offer texts) are :class:`~libkurs.LocalizedText`; ``zh_hans`` is ``zh-hans``.
- Keywords are ids in Linked Events. libkurs keeps a keyword's id as its text in the language
  tag ``zxx`` ("no linguistic content") beside its names, when the API expanded them
  (``?include=keywords``). Writing uses that id, or the *keyword_ids* option (keyword text to id);
  keywords without an id are not written. Places are kept the same way: an unexpanded place is a
  venue named only by its id; ``helsinki:internet`` is an online location.
- Registration: ``enrolment_start_time``, ``enrolment_end_time``, ``maximum_attendee_capacity``
  and ``minimum_attendee_capacity`` are the event's :class:`~libkurs.EnrolmentSettings`.
- Times are UTC in Linked Events and are read into the *tz* option's zone (Helsinki); a date
  without a time is a whole day (``end_time`` is the last day, inclusive).
- Not carried: runs (their sessions are written as sub events), a venue *and* an online room
  (the venue is written), speakers, agenda items, contacts, links, audience.
- Writing starts from :func:`libkurs.public_view`; the join link is never written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

import attrs

from libkurs.errors import DataError, FormatError
from libkurs.formats._envelope import decode
from libkurs.model import (
    HELSINKI,
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
    public_view,
)

__all__ = ["API", "FORMAT", "INTERNET", "LinkedEvents"]

#: The base of the public API's resource addresses.
API: Final = "https://api.hel.fi/linkedevents/v1"
#: The place Linked Events uses for events on the internet.
INTERNET: Final = "helsinki:internet"
#: The language tag under which libkurs keeps a Linked Events id.
ID_TAG: Final = "zxx"

_STATUS: Final = {
    "EventScheduled": Status.SCHEDULED,
    "EventCancelled": Status.CANCELLED,
    "EventPostponed": Status.POSTPONED,
    "EventRescheduled": Status.RESCHEDULED,
    "EventMovedOnline": Status.MOVED_ONLINE,
}
_STATUS_NAMES: Final = {status: name for name, status in _STATUS.items()}

JSON = dict[str, object]


def _fail(reason: str, path: str) -> FormatError:
    return FormatError(reason, path=path)


def _ref_id(value: object, path: str) -> str:
    """The Linked Events id of a ``{"@id": ".../event/helsinki:x/"}`` reference or object."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            return str(value["id"])
        if isinstance(value.get("@id"), str):
            return str(value["@id"]).rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    raise _fail("expected a reference with an @id", path)


def to_libkurs_id(le_id: str) -> str:
    """``helsinki:af7jcccbra`` → ``helsinki.af7jcccbra``.

    >>> to_libkurs_id("helsinki:af7jcccbra"), to_libkurs_id("tprek:8740")
    ('helsinki.af7jcccbra', 'tprek.8740')
    """
    local = re.sub(r"[^A-Za-z0-9._-]+", "-", le_id.replace(":", ".", 1))
    return re.sub(r"\.{2,}", ".", local).strip("-._")[:128].strip("-._") or "event"


def to_le_id(id: str, data_source: str) -> str:
    """``helsinki.af7jcccbra`` → ``helsinki:af7jcccbra``; ``seminar`` → ``libkurs:seminar``."""
    return id.replace(".", ":", 1) if "." in id else f"{data_source}:{id}"


def _text(value: object, path: str) -> LocalizedText | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _fail("expected an object of language to text", path)
    texts = {
        tag.replace("_", "-").lower(): text
        for tag, text in value.items()
        if isinstance(text, str) and text.strip()
    }
    return LocalizedText(texts) if texts else None


def _le_text(value: LocalizedText | None) -> JSON | None:
    if value is None:
        return None
    texts = {tag.replace("-", "_"): text for tag, text in value.texts.items() if tag != ID_TAG}
    return dict(texts) or None


def _moment(value: object, path: str, tz: tzinfo, *, end: bool = False) -> tuple[datetime, bool]:
    """An aware datetime in *tz*, and whether the value was a date only."""
    if not isinstance(value, str):
        raise _fail("expected a date or a date and time as a string", path)
    try:
        if len(value) == 10:
            day = date.fromisoformat(value) + timedelta(days=1 if end else 0)
            return datetime.combine(day, time(0), tzinfo=tz), True
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise _fail(f"invalid date {value!r}: {error}", path) from None
    if moment.tzinfo is None:
        raise _fail(f"{value!r} has no UTC offset", path)
    return moment.astimezone(tz), False


def _optional_moment(value: object, path: str, tz: tzinfo) -> datetime | None:
    return None if value is None else _moment(value, path, tz)[0]


def _count(value: object, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail("expected an integer", path)
    return value


@attrs.define
class _Reader:
    tz: tzinfo
    venues: dict[str, Venue] = attrs.Factory(dict)
    organisations: dict[str, Organisation] = attrs.Factory(dict)

    def location(self, value: object, path: str) -> Location | None:
        if value is None:
            return None
        place_id = _ref_id(value, path)
        if place_id == INTERNET:
            return Location(online=OnlineRoom())
        place = value if isinstance(value, dict) else {}
        venue_id = to_libkurs_id(place_id)
        name = _text(place.get("name"), f"{path}.name")
        names = dict(name.texts) if name else {}
        position = place.get("position")
        geo = None
        if isinstance(position, dict) and isinstance(position.get("coordinates"), list):
            longitude, latitude = position["coordinates"][:2]
            geo = Geo(latitude=latitude, longitude=longitude)
        street = _text(place.get("street_address"), f"{path}.street_address")
        locality = _text(place.get("address_locality"), f"{path}.address_locality")
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
        provider = _text(value, path)
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
        name = _text(item.get("name"), f"{path}.name")
        if name is None:
            raise _fail("an event needs a name", f"{path}.name")
        keywords = []
        for number, keyword in enumerate(_list(item.get("keywords"), f"{path}.keywords")):
            keyword_id = _ref_id(keyword, f"{path}.keywords[{number}]")
            assert isinstance(keyword, dict)
            names = _text(keyword.get("name"), f"{path}.keywords[{number}].name")
            keywords.append(LocalizedText({**(names.texts if names else {}), ID_TAG: keyword_id}))
        offers = _list(item.get("offers"), f"{path}.offers")
        offer = offers[0] if offers else {}
        if not isinstance(offer, dict):
            raise _fail("expected an offer object", f"{path}.offers[0]")
        url = _text(item.get("info_url"), f"{path}.info_url")
        status = item.get("event_status") or "EventScheduled"
        if status not in _STATUS:
            raise _fail(f"unknown event_status {status!r}", f"{path}.event_status")
        is_free = offer.get("is_free")
        return Event(
            id=to_libkurs_id(_ref_id(item, path)),
            title=name,
            description=_text(item.get("description"), f"{path}.description"),
            summary=_text(item.get("short_description"), f"{path}.short_description"),
            url=url.best("fi") if url else None,
            status=_STATUS[str(status)],
            publication=(
                Publication.DRAFT
                if item.get("publication_status") == "draft"
                else Publication.PUBLIC
            ),
            languages=[
                _ref_id(lang, f"{path}.in_language[{n}]").replace("_", "-")
                for n, lang in enumerate(_list(item.get("in_language"), f"{path}.in_language"))
            ],
            keywords=keywords,
            organisers=self.organisers(item.get("provider"), f"{path}.provider"),
            free_of_charge=is_free if isinstance(is_free, bool) else None,
            price=_text(offer.get("price"), f"{path}.offers[0].price"),
            enrolment=self.enrolment(item, path),
        )

    def session(self, item: Mapping[str, object], path: str, event: Event) -> Session:
        start, all_day = _moment(item.get("start_time"), f"{path}.start_time", self.tz)
        end_value = item.get("end_time")
        if end_value is None:
            raise _fail("a sub event needs an end_time to be a session", f"{path}.end_time")
        end, _ = _moment(end_value, f"{path}.end_time", self.tz, end=all_day)
        name = _text(item.get("name"), f"{path}.name")
        location = self.location(item.get("location"), f"{path}.location")
        return Session(
            id=to_libkurs_id(_ref_id(item, path)),
            start=start,
            end=end,
            all_day=all_day,
            title=name if name != event.title else None,
            status=_STATUS.get(str(item.get("event_status")), Status.SCHEDULED),
            location=location if location != event.location else None,
        )

    def event(self, item: Mapping[str, object], path: str, subs: list[tuple[str, JSON]]) -> Event:
        location = self.location(item.get("location"), f"{path}.location")
        event = attrs.evolve(self.common(item, path), location=location)
        if subs:
            sessions = [self.session(sub, sub_path, event) for sub_path, sub in subs]
        elif item.get("start_time") is not None and item.get("end_time") is not None:
            sessions = [self.session(item, path, event)]
            sessions[0] = attrs.evolve(sessions[0], id=f"{event.id}-1")
        else:
            sessions = []
        return attrs.evolve(event, sessions=sessions)


_SHARED: Final = tuple(a.name for a in attrs.fields(Programme) if a.name != "modules")


def _list(value: object, path: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail("expected an array", path)
    return value


def _events(document: object) -> list[JSON]:
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        items = document["data"]
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict):
        items = [document]
    else:
        raise _fail("expected a Linked Events response, a list of events or one event", "")
    events: list[JSON] = []
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail("expected an event object", f"data[{number}]")
        events.append(item)
    return events


def _read(document: object, tz: tzinfo) -> Catalogue:
    items = _events(document)
    by_id = {_ref_id(item, f"data[{n}]"): (f"data[{n}]", item) for n, item in enumerate(items)}
    kinds = {le_id: item.get("super_event_type") for le_id, (_, item) in by_id.items()}
    parent_of: dict[str, str] = {}
    for le_id, (path, item) in by_id.items():
        if item.get("super_event") is not None:
            parent = _ref_id(item["super_event"], f"{path}.super_event")
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


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _ref(kind: str, le_id: str) -> JSON:
    return {"@id": f"{API}/{kind}/{le_id}/"}


@attrs.frozen
class _Writer:
    catalogue: Catalogue
    data_source: str
    keyword_ids: Mapping[str, str]
    drafts: frozenset[str]

    def le_id(self, id: str) -> str:
        return to_le_id(id, self.data_source)

    def keywords(self, offering: Event | Programme) -> list[JSON]:
        refs: list[JSON] = []
        for keyword in offering.keywords:
            keyword_id = keyword.get(ID_TAG) or next(
                (self.keyword_ids[t] for t in keyword.texts.values() if t in self.keyword_ids),
                None,
            )
            if keyword_id is None:
                continue
            names = _le_text(keyword)
            # Written expanded (as with ?include=keywords) when it has names, so they are kept.
            refs.append(
                {"id": keyword_id, "name": names, **_ref("keyword", keyword_id)}
                if names
                else _ref("keyword", keyword_id)
            )
        return refs

    def location(self, location: Location | None) -> JSON | None:
        if location is None:
            return None
        if location.venue is None:
            return _ref("place", INTERNET)
        venue = self.catalogue.venue(location.venue)
        place_id = venue.name.get(ID_TAG) or self.le_id(venue.id)
        names = _le_text(venue.name)
        if names is None:
            return _ref("place", place_id)
        # Written expanded (as with ?include=location), so that names and address are kept.
        address = venue.address or Address()
        geo = venue.geo
        return {
            "id": place_id,
            "name": names,
            "street_address": {"fi": address.street} if address.street else None,
            "postal_code": address.postal_code,
            "address_locality": {"fi": address.locality} if address.locality else None,
            "position": (
                {"type": "Point", "coordinates": [geo.longitude, geo.latitude]} if geo else None
            ),
            **_ref("place", place_id),
        }

    def provider(self, offering: Event | Programme) -> JSON | None:
        organisations = [self.catalogue.organisation(o) for o in offering.organisers]
        tags = dict.fromkeys(t for o in organisations for t in o.name.texts)
        texts = {t: ", ".join(o.name.best(t) for o in organisations) for t in tags}
        return _le_text(LocalizedText(texts)) if texts else None

    def common(self, offering: Event | Programme) -> JSON:
        le_id = self.le_id(offering.id)
        enrolment = offering.enrolment or EnrolmentSettings()
        url = offering.url
        offer = None
        if offering.free_of_charge is not None or offering.price is not None:
            offer = {
                "is_free": bool(offering.free_of_charge),
                "price": _le_text(offering.price),
                "info_url": None,
                "description": None,
            }
        return {
            "id": le_id,
            "data_source": le_id.split(":", 1)[0],
            "name": _le_text(offering.title),
            "short_description": _le_text(offering.summary),
            "description": _le_text(offering.description),
            "info_url": dict.fromkeys(offering.title.texts, url) if url else None,
            "provider": self.provider(offering),
            "event_status": _STATUS_NAMES[offering.status],
            "publication_status": "draft" if offering.id in self.drafts else "public",
            "keywords": self.keywords(offering),
            "in_language": [_ref("language", t.replace("-", "_")) for t in offering.languages],
            "offers": [offer] if offer else [],
            "enrolment_start_time": _utc(enrolment.opens) if enrolment.opens else None,
            "enrolment_end_time": _utc(enrolment.closes) if enrolment.closes else None,
            "maximum_attendee_capacity": enrolment.capacity,
            "minimum_attendee_capacity": enrolment.minimum,
            "super_event": None,
            "super_event_type": None,
            "sub_events": [],
            "location": None,
            "start_time": None,
            "end_time": None,
            "@id": f"{API}/event/{le_id}/",
            "@context": "http://schema.org",
            "@type": "Event/LinkedEvent",
        }

    def times(self, node: JSON, session: Session) -> None:
        if session.all_day:
            first, last = session.days
            node["start_time"], node["end_time"] = first.isoformat(), last.isoformat()
        else:
            node["start_time"], node["end_time"] = _utc(session.start), _utc(session.end)

    def event(self, event: Event, umbrella: str | None) -> list[JSON]:
        node = self.common(event)
        node["location"] = self.location(event.location)
        node["super_event"] = _ref("event", umbrella) if umbrella else None
        if len(event.sessions) == 1:
            self.times(node, event.sessions[0])
            return [node]
        if not event.sessions:
            return [node]
        node["super_event_type"] = "recurring"
        start, end = event.start, event.end
        assert start is not None
        assert end is not None
        node["start_time"], node["end_time"] = _utc(start), _utc(end)
        subs: list[JSON] = []
        for session in event.sessions:
            sub = self.common(event)
            sub_id = self.le_id(session.id)
            sub.update(
                {
                    "id": sub_id,
                    "@id": f"{API}/event/{sub_id}/",
                    "name": _le_text(session.title or event.title),
                    "event_status": _STATUS_NAMES[session.status],
                    "location": self.location(event.location_of(session)),
                    "super_event": _ref("event", node["id"]),  # type: ignore[arg-type]
                }
            )
            self.times(sub, session)
            subs.append(sub)
        node["sub_events"] = [{"@id": sub["@id"]} for sub in subs]
        return [node, *subs]

    def programme(self, programme: Programme) -> JSON:
        node = self.common(programme)
        node["super_event_type"] = "umbrella"
        node["sub_events"] = [_ref("event", self.le_id(m)) for m in programme.modules]
        return node


@attrs.frozen
class LinkedEvents:
    """Linked Events JSON, registered as ``"linkedevents"`` for ``.linkedevents.json`` files."""

    name: str = "linkedevents"
    suffixes: tuple[str, ...] = (".linkedevents.json",)

    def loads(
        self, data: str | bytes, /, *, source: str | None = None, tz: tzinfo = HELSINKI
    ) -> Catalogue:
        """Read the events of a Linked Events response; times in *tz*.

        Raises:
            FormatError: not JSON, or not shaped like Linked Events; the path names the place.
            ValidationError: the values break a rule of the model.
        """
        document = decode(data, source=source)
        try:
            return _read(document, tz)
        except DataError as error:
            error.source = error.source or source
            raise

    def dumps(
        self,
        catalogue: Catalogue,
        /,
        *,
        data_source: str = "libkurs",
        keyword_ids: Mapping[str, str] | None = None,
        include_drafts: bool = False,
        indent: int | None = 2,
    ) -> str:
        """Write *catalogue* as a Linked Events list response.

        Args:
            catalogue: The catalogue.
            data_source: The Linked Events data source of ids that have none.
            keyword_ids: Linked Events keyword ids (``"yso:p2787"``) by keyword text.
            include_drafts: Also write drafts, with ``"publication_status": "draft"``.
            indent: JSON indentation; None for one line.
        """
        if not isinstance(catalogue, Catalogue):
            raise TypeError(f"expected a Catalogue, got {type(catalogue).__name__}")
        visible = public_view(
            attrs.evolve(
                catalogue,
                events=[attrs.evolve(e, publication=Publication.PUBLIC) for e in catalogue.events],
                programmes=[
                    attrs.evolve(p, publication=Publication.PUBLIC) for p in catalogue.programmes
                ],
            )
            if include_drafts
            else catalogue
        )
        drafts = frozenset(
            o.id
            for o in (*catalogue.events, *catalogue.programmes)
            if o.publication.value == "draft"
        )
        writer = _Writer(visible, data_source, keyword_ids or {}, drafts)
        umbrella = {m: writer.le_id(p.id) for p in visible.programmes for m in p.modules}
        items: list[JSON] = []
        for event in visible.events:
            items += writer.event(event, umbrella.get(event.id))
        items += [writer.programme(p) for p in visible.programmes]
        document = {"meta": {"count": len(items), "next": None, "previous": None}, "data": items}
        return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


FORMAT: Final = LinkedEvents()
