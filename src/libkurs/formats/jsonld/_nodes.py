"""schema.org JSON-LD: the nodes of one catalogue's graph (see :mod:`libkurs.formats.jsonld`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Final

import attrs

from libkurs.formats._parts import named_with_part
from libkurs.model import (
    AgendaItem,
    AttendanceMode,
    Catalogue,
    EnrolmentSettings,
    Event,
    EventKind,
    LocalizedText,
    Location,
    Period,
    Programme,
    Run,
    Session,
    Status,
)

__all__ = ["JSON", "SCHEMA", "Writer", "event_type"]

JSON = dict[str, object]

SCHEMA: Final = "https://schema.org/"

_STATUS: Final = {
    Status.SCHEDULED: "EventScheduled",
    Status.CANCELLED: "EventCancelled",
    Status.POSTPONED: "EventPostponed",
    Status.RESCHEDULED: "EventRescheduled",
    Status.MOVED_ONLINE: "EventMovedOnline",
}
_ATTENDANCE: Final = {
    AttendanceMode.ON_SITE: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "MixedEventAttendanceMode",
}
_COURSE_MODE: Final = {
    AttendanceMode.ON_SITE: "onsite",
    AttendanceMode.ONLINE: "online",
    AttendanceMode.MIXED: "blended",
}
_PLAIN_EVENTS: Final = frozenset({EventKind.MEETING, EventKind.OTHER})


def event_type(kind: EventKind) -> str:
    """The schema.org type of an event of this kind.

    >>> event_type(EventKind.SEMINAR), event_type(EventKind.COURSE), event_type(EventKind.OTHER)
    ('EducationEvent', 'CourseInstance', 'Event')
    """
    if kind is EventKind.COURSE:
        return "CourseInstance"
    return "Event" if kind in _PLAIN_EVENTS else "EducationEvent"


def _date(moment: datetime) -> str:
    return moment.isoformat()


def _compact(node: Mapping[str, object]) -> JSON:
    """Leave out what is unknown: None, empty lists and empty objects."""
    return {k: v for k, v in node.items() if v is not None and v not in ([], {})}


def _one_or_many(values: list[object]) -> object:
    if not values:
        return None
    return values[0] if len(values) == 1 else values


@attrs.frozen
class Writer:
    """Writes the nodes of one (public) catalogue."""

    catalogue: Catalogue
    base: str
    language: str | None

    def id(self, local: str) -> str:
        return f"{self.base}{local}"

    def ref(self, local: str) -> JSON:
        return {"@id": self.id(local)}

    def text(self, value: LocalizedText | None) -> object:
        if value is None:
            return None
        if self.language is not None:
            return value.best(self.language)
        texts: list[object] = [
            text if tag == value.UNDETERMINED else {"@language": tag, "@value": text}
            for tag, text in value.texts.items()
        ]
        return _one_or_many(texts)

    # People, organisations, places -------------------------------------------------------------

    def organisation(self, id: str) -> JSON:
        org = self.catalogue.organisation(id)
        return _compact(
            {
                "@type": "Organization",
                "@id": self.id(org.id),
                "name": self.text(org.name),
                "alternateName": self.text(org.abbreviation),
                "url": org.url,
            }
        )

    def person(self, id: str) -> JSON:
        person = self.catalogue.person(id)
        return _compact(
            {
                "@type": "Person",
                "@id": self.id(person.id),
                "name": person.name,
                "jobTitle": self.text(person.title),
                "affiliation": (
                    self.organisation(person.organisation) if person.organisation else None
                ),
                "url": person.url,
            }
        )

    def location(self, location: Location | None, page: str | None = None) -> object:
        """The Place and/or VirtualLocation of *location*; *page* is the event's public page."""
        return _one_or_many(self.places(location, page))

    def locations(self, locations: Iterable[Location | None], page: str | None) -> object:
        """The places of several locations, each written once, in order."""
        places: list[object] = []
        for location in locations:
            places += [p for p in self.places(location, page) if p not in places]
        return _one_or_many(places)

    def places(self, location: Location | None, page: str | None) -> list[object]:
        if location is None:
            return []
        places: list[object] = []
        if location.venue is not None:
            venue = self.catalogue.venue(location.venue)
            address = venue.address
            postal = (
                _compact(
                    {
                        "@type": "PostalAddress",
                        "streetAddress": self.text(address.street),
                        "postalCode": address.postal_code,
                        "addressLocality": self.text(address.locality),
                        "addressRegion": self.text(address.region),
                        "addressCountry": address.country,
                    }
                )
                if address is not None
                else None
            )
            geo = (
                {
                    "@type": "GeoCoordinates",
                    "latitude": venue.geo.latitude,
                    "longitude": venue.geo.longitude,
                }
                if venue.geo is not None
                else None
            )
            places.append(
                _compact(
                    {
                        "@type": "Place",
                        "@id": self.id(venue.id),
                        "name": self.text(venue.name),
                        "address": postal,
                        "geo": geo,
                        "url": venue.url,
                    }
                )
            )
        if location.online is not None:
            # The join link is private: only the platform and the public page are written.
            virtual = {"@type": "VirtualLocation", "name": location.online.platform, "url": page}
            places.append(_compact(virtual))
        return places

    # Offerings ----------------------------------------------------------------------------------

    def common(self, offering: Event | Programme) -> JSON:
        keywords = [
            keyword.best(self.language) if self.language else self.text(keyword)
            for keyword in offering.keywords
        ]
        return {
            "@id": self.id(offering.id),
            "name": self.text(offering.title),
            "description": self.text(offering.description or offering.summary),
            "url": offering.url,
            "eventStatus": SCHEMA + _STATUS[offering.status],
            "previousStartDate": (
                _date(offering.previous_start) if offering.previous_start else None
            ),
            "inLanguage": _one_or_many(list(offering.languages)),
            "keywords": keywords,
            "audience": (
                {"@type": "Audience", "audienceType": self.text(offering.audience)}
                if offering.audience is not None
                else None
            ),
            "organizer": _one_or_many([self.organisation(o) for o in offering.organisers]),
            "isAccessibleForFree": offering.free_of_charge,
            "offers": self.offer(offering),
            "subjectOf": [
                _compact({"@type": "WebPage", "url": link.url, "name": self.text(link.title)})
                for link in offering.links
            ],
            **self.capacity(offering.enrolment),
        }

    def offer(self, offering: Event | Programme) -> JSON | None:
        enrolment = offering.enrolment
        if offering.price is None and offering.free_of_charge is None and enrolment is None:
            return None
        offer: JSON = {
            "@type": "Offer",
            "description": self.text(offering.price),
            "price": "0" if offering.free_of_charge else None,
            "priceCurrency": "EUR" if offering.free_of_charge else None,
        }
        if enrolment is not None:
            offer["url"] = enrolment.url
            offer["availabilityStarts"] = _date(enrolment.opens) if enrolment.opens else None
            offer["availabilityEnds"] = _deadline(enrolment)
        return _compact(offer)

    @staticmethod
    def capacity(enrolment: EnrolmentSettings | None) -> JSON:
        if enrolment is None:
            return {}
        return _compact(
            {
                "maximumAttendeeCapacity": enrolment.capacity,
                "maximumPhysicalAttendeeCapacity": enrolment.capacity_on_site,
                "maximumVirtualAttendeeCapacity": enrolment.capacity_remote,
            }
        )

    def event(self, event: Event) -> JSON:
        node: JSON = {"@type": event_type(event.kind), **self.common(event)}
        all_day = bool(event.sessions) and all(s.all_day for s in event.sessions)
        node.update(_dates(event.start, event.end, event.period, all_day=all_day))
        if "startDate" not in node and event.status is Status.SCHEDULED:
            del node["eventStatus"]  # "scheduled" is no claim to make without a date
        mode = _mode(event)
        node["eventAttendanceMode"] = SCHEMA + _ATTENDANCE[mode] if mode else None
        if event.kind is EventKind.COURSE and mode is not None:
            node["courseMode"] = _COURSE_MODE[mode]
        if event.location is not None:
            node["location"] = self.location(event.location, event.url)
        else:
            node["location"] = self.locations((s.location for s in event.sessions), event.url)
        node["performer"] = _one_or_many([self.person(p) for p in event.speakers])
        node["superEvent"] = [self.ref(p.id) for p in self.catalogue.programmes_of(event)] or None
        subs: list[object] = [self.run(event, run) for run in event.runs]
        if len(event.sessions) > 1 or event.runs:
            subs += [self.session(event, s) for s in event.sessions]
        elif event.sessions:
            # One session: the event is the session; its talks are the event's own sub-events,
            # and a status of the session's own (moved, cancelled) is the event's.
            (only,) = event.sessions
            if event.status is Status.SCHEDULED and only.status is not Status.SCHEDULED:
                node["eventStatus"] = SCHEMA + _STATUS[only.status]
                node["previousStartDate"] = (
                    _date(only.previous_start) if only.previous_start else None
                )
            node["performer"] = node["performer"] or self.agenda_performers(only)
            subs += [self.agenda_item(event.id, only, n) for n in range(len(only.agenda))]
        node["subEvent"] = subs
        return _compact(node)

    def run(self, event: Event, run: Run) -> JSON:
        sessions = event.sessions_of(run) if run.sessions else ()
        start = min((s.start for s in sessions), key=utc, default=None)
        end = max((s.end for s in sessions), key=utc, default=None)
        all_day = bool(sessions) and all(s.all_day for s in sessions)
        return _compact(
            {
                "@type": "Event",
                "@id": self.id(run.id),
                "name": self.text(run.title),
                **_dates(start, end, run.period, all_day=all_day),
                "superEvent": self.ref(event.id),
                "location": self.location(event.location, event.url),
                **self.capacity(run.enrolment),
            }
        )

    def session(self, event: Event, session: Session) -> JSON:
        location = event.location_of(session)
        return _compact(
            {
                "@type": "Event",
                "@id": self.id(session.id),
                "name": self.text(
                    named_with_part(
                        session.title or event.title, session.part_of_day, self.language
                    )
                ),
                "description": self.text(session.description),
                **_span(session.start, session.end, all_day=session.all_day),
                "eventStatus": SCHEMA + _STATUS[session.status],
                "previousStartDate": (
                    _date(session.previous_start) if session.previous_start else None
                ),
                "eventAttendanceMode": (
                    SCHEMA + _ATTENDANCE[location.attendance_mode] if location else None
                ),
                "location": self.location(location, event.url),
                "performer": self.agenda_performers(session),
                "superEvent": self.ref(event.id),
                "subEvent": [
                    self.agenda_item(session.id, session, i) for i in range(len(session.agenda))
                ],
            }
        )

    def agenda_performers(self, session: Session) -> object:
        ids = dict.fromkeys(p for item in session.agenda for p in item.speakers)
        return _one_or_many([self.person(p) for p in ids])

    def agenda_item(self, parent: str, session: Session, number: int) -> JSON:
        item: AgendaItem = session.agenda[number]
        return _compact(
            {
                "@type": "Event",
                "@id": self.id(f"{session.id}-agenda-{number + 1}"),
                "name": self.text(item.title),
                "description": self.text(item.description),
                "startDate": _date(item.start) if item.start else None,
                "endDate": _date(item.end) if item.end else None,
                "inLanguage": _one_or_many(list(item.languages)),
                "performer": _one_or_many([self.person(p) for p in item.speakers]),
                "superEvent": self.ref(parent),
            }
        )

    def programme(self, programme: Programme, written: Collection[str]) -> JSON:
        """The series of *programme*, with those of its modules whose ids are in *written*."""
        node: JSON = {"@type": "EventSeries", **self.common(programme)}
        modules = [self.catalogue.event(m) for m in programme.modules if m in written]
        sessions = [s for module in modules for s in module.sessions]
        start = min((s.start for s in sessions), key=utc, default=None)
        end = max((s.end for s in sessions), key=utc, default=None)
        all_day = bool(sessions) and all(s.all_day for s in sessions)
        if programme.period is not None and programme.period.start.day is not None:
            start = end = None  # a period known to the day says it all
        node.update(_dates(start, end, programme.period, all_day=all_day))
        if "startDate" not in node and programme.status is Status.SCHEDULED:
            del node["eventStatus"]
        modes = {mode for m in modules if (mode := _mode(m)) is not None}
        if modes:
            mode = modes.pop() if len(modes) == 1 else AttendanceMode.MIXED
            node["eventAttendanceMode"] = SCHEMA + _ATTENDANCE[mode]
        node["location"] = self.locations(
            (loc for m in modules for loc in (m.location, *(s.location for s in m.sessions))),
            programme.url,
        )
        node["subEvent"] = [self.ref(module.id) for module in modules]
        return _compact(node)


def _deadline(enrolment: EnrolmentSettings) -> str | None:
    """When enrolment closes: a moment, or the last day when only the day is known."""
    if enrolment.closes is None:
        return None
    if enrolment.closes_whole_day and enrolment.last_day is not None:
        return enrolment.last_day.isoformat()
    return _date(enrolment.closes)


def _mode(event: Event) -> AttendanceMode | None:
    """How people attend the event; sessions of different modes make it mixed."""
    locations = [event.location_of(s) for s in event.sessions] or [event.location]
    modes = {loc.attendance_mode for loc in locations if loc is not None}
    if not modes:
        return None
    return modes.pop() if len(modes) == 1 else AttendanceMode.MIXED


def utc(moment: datetime) -> datetime:
    """*moment* in UTC, to compare instants across zones."""
    return moment.astimezone(UTC)


def _span(start: datetime, end: datetime, *, all_day: bool) -> JSON:
    if all_day:
        # An all-day span ends at midnight after its last day: write the days, inclusive.
        last = end.astimezone(start.tzinfo) - timedelta(microseconds=1)
        return {"startDate": start.date().isoformat(), "endDate": last.date().isoformat()}
    return {"startDate": _date(start), "endDate": _date(end)}


def _dates(
    start: datetime | None, end: datetime | None, period: Period | None, *, all_day: bool = False
) -> JSON:
    if start is not None and end is not None:
        return _span(start, end, all_day=all_day)
    if period is not None and period.start.day is not None:
        # Only a full date is a date to search engines: a month or a year is left unsaid.
        last = period.end or period.start
        node: JSON = {"startDate": str(period.start)}
        if last.day is not None:
            node["endDate"] = str(last)
        return node
    return {}
