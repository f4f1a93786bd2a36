"""Linked Events: writing a catalogue as an API list response."""

from __future__ import annotations

import json
from collections.abc import Mapping

import attrs

from libkurs.formats._parts import named_with_part
from libkurs.formats.linkedevents._common import (
    API,
    ID_TAG,
    INTERNET,
    JSON,
    STATUS_NAMES,
    le_text,
    ref,
    to_le_id,
    utc,
)
from libkurs.model import (
    Address,
    Catalogue,
    EnrolmentSettings,
    Event,
    LocalizedText,
    Location,
    Programme,
    Publication,
    Session,
    public_view,
)

__all__ = ["write"]


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
            names = le_text(keyword)
            # Written expanded (as with ?include=keywords) when it has names, so they are kept.
            refs.append(
                {"id": keyword_id, "name": names, **ref("keyword", keyword_id)}
                if names
                else ref("keyword", keyword_id)
            )
        return refs

    def location(self, location: Location | None) -> JSON | None:
        if location is None:
            return None
        if location.venue is None:
            return ref("place", INTERNET)
        venue = self.catalogue.venue(location.venue)
        place_id = venue.name.get(ID_TAG) or self.le_id(venue.id)
        names = le_text(venue.name)
        if names is None:
            return ref("place", place_id)
        # Written expanded (as with ?include=location), so that names and address are kept.
        address = venue.address or Address()
        geo = venue.geo
        return {
            "id": place_id,
            "name": names,
            "street_address": _address_text(address.street),
            "postal_code": address.postal_code,
            "address_locality": _address_text(address.locality),
            "position": (
                {"type": "Point", "coordinates": [geo.longitude, geo.latitude]} if geo else None
            ),
            **ref("place", place_id),
        }

    def provider(self, offering: Event | Programme) -> JSON | None:
        organisations = [self.catalogue.organisation(o) for o in offering.organisers]
        tags = dict.fromkeys(t for o in organisations for t in o.name.texts)
        texts = {t: ", ".join(o.name.best(t) for o in organisations) for t in tags}
        return le_text(LocalizedText(texts)) if texts else None

    def common(self, offering: Event | Programme) -> JSON:
        le_id = self.le_id(offering.id)
        enrolment = offering.enrolment or EnrolmentSettings()
        url = offering.url
        offer = None
        if offering.free_of_charge is not None or offering.price is not None:
            offer = {
                "is_free": bool(offering.free_of_charge),
                "price": le_text(offering.price),
                "info_url": None,
                "description": None,
            }
        return {
            "id": le_id,
            "data_source": le_id.split(":", 1)[0],
            "name": le_text(offering.title),
            "short_description": le_text(offering.summary),
            "description": le_text(offering.description),
            "info_url": dict.fromkeys(offering.title.texts, url) if url else None,
            "provider": self.provider(offering),
            "event_status": STATUS_NAMES[offering.status],
            "publication_status": "draft" if offering.id in self.drafts else "public",
            "keywords": self.keywords(offering),
            "in_language": [ref("language", t.replace("-", "_")) for t in offering.languages],
            "offers": [offer] if offer else [],
            "enrolment_start_time": utc(enrolment.opens) if enrolment.opens else None,
            "enrolment_end_time": utc(enrolment.closes) if enrolment.closes else None,
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
            node["start_time"], node["end_time"] = utc(session.start), utc(session.end)

    def event(self, event: Event, umbrella: str | None) -> list[JSON]:
        node = self.common(event)
        node["location"] = self.location(event.location)
        node["super_event"] = ref("event", umbrella) if umbrella else None
        if len(event.sessions) == 1:
            self.times(node, event.sessions[0])
            return [node]
        if not event.sessions:
            return [node]
        node["super_event_type"] = "recurring"
        start, end = event.start, event.end
        assert start is not None
        assert end is not None
        node["start_time"], node["end_time"] = utc(start), utc(end)
        subs: list[JSON] = []
        for session in event.sessions:
            sub = self.common(event)
            sub_id = self.le_id(session.id)
            sub.update(
                {
                    "id": sub_id,
                    "@id": f"{API}/event/{sub_id}/",
                    "name": le_text(
                        named_with_part(session.title or event.title, session.part_of_day)
                    ),
                    "event_status": STATUS_NAMES[session.status],
                    "location": self.location(event.location_of(session)),
                    "super_event": ref("event", self.le_id(event.id)),
                }
            )
            self.times(sub, session)
            subs.append(sub)
        node["sub_events"] = [{"@id": sub["@id"]} for sub in subs]
        return [node, *subs]

    def programme(self, programme: Programme) -> JSON:
        node = self.common(programme)
        node["super_event_type"] = "umbrella"
        node["sub_events"] = [ref("event", self.le_id(m)) for m in programme.modules]
        return node


def write(
    catalogue: Catalogue,
    *,
    data_source: str,
    keyword_ids: Mapping[str, str] | None,
    include_drafts: bool,
    indent: int | None,
) -> str:
    """The Linked Events list response of *catalogue* (see :meth:`LinkedEvents.dumps`)."""
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
        o.id for o in (*catalogue.events, *catalogue.programmes) if o.publication.value == "draft"
    )
    writer = _Writer(visible, data_source, keyword_ids or {}, drafts)
    umbrella = {m: writer.le_id(p.id) for p in visible.programmes for m in p.modules}
    items: list[JSON] = []
    for event in visible.events:
        items += writer.event(event, umbrella.get(event.id))
    items += [writer.programme(p) for p in visible.programmes]
    document = {"meta": {"count": len(items), "next": None, "previous": None}, "data": items}
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def _address_text(value: LocalizedText | None) -> JSON | None:
    """An address part in its languages; text of no known language is written as Finnish."""
    if value is None:
        return None
    texts = {"fi" if tag == value.UNDETERMINED else tag: t for tag, t in value.texts.items()}
    return le_text(LocalizedText(texts))
