"""schema.org JSON-LD: the events of a catalogue as search engines read them.

A web page embeds the output in ``<script type="application/ld+json">``. The document is one
object with ``"@context": "https://schema.org"`` and a ``"@graph"`` of the catalogue's events and
programmes, in catalogue order (events first), so the same catalogue always gives the same text.

Wire decisions:

- **Types.** A course is a ``CourseInstance``; seminars, lectures, workshops, study visits and the
  other kinds of continuing education are ``EducationEvent``; a meeting or an event of another
  kind is an ``Event``; a programme is an ``EventSeries`` whose ``subEvent`` are its modules.
  An event of several sessions, or of several runs, lists them as ``subEvent`` (of type ``Event``,
  pointing back with ``superEvent``); the timed talks of a session are its own ``subEvent``.
- **Ids.** Every node has an ``@id``: the *base* option (default ``"#"``, a fragment of the page
  the document is embedded in) followed by the libkurs id.
- **Languages.** With ``language=None`` (the default) every text carries every language it has,
  as JSON-LD value objects ``{"@language": "sv", "@value": "…"}`` (an array when there are
  several). Value objects need no context of their own, so the plain schema.org context stays.
  With ``language="fi"`` every text is a plain string in that language (or along the fallback
  chain), which is what a page in one language embeds.
- **Dates.** Aware ISO 8601 datetimes; an undated event with a :class:`~libkurs.Period` gets
  ``startDate``/``endDate`` as ISO 8601 calendar months or years (``"2022-08"``): what is known, no
  invented day. An event with neither has no ``startDate``.
- **Privacy.** The output starts from :func:`libkurs.public_view`: no drafts, no internal notes,
  and a ``VirtualLocation`` never has the join link (not even with ``include_drafts=True``).
  Contact people's e-mail addresses and phone numbers are not written.
- **Reading.** JSON-LD is a publishing format: :meth:`JSONLD.loads` raises
  :class:`~libkurs.errors.FormatError`. Keep catalogues in the native JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Final

import attrs

from libkurs.errors import FormatError
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
    Publication,
    Run,
    Session,
    Status,
    public_view,
)

__all__ = ["FORMAT", "JSONLD"]

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
class _Writer:
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
            {"@language": tag, "@value": text} for tag, text in value.texts.items()
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

    def location(self, location: Location | None) -> object:
        if location is None:
            return None
        places: list[object] = []
        if location.venue is not None:
            venue = self.catalogue.venue(location.venue)
            address = venue.address
            postal = (
                _compact(
                    {
                        "@type": "PostalAddress",
                        "streetAddress": address.street,
                        "postalCode": address.postal_code,
                        "addressLocality": address.locality,
                        "addressRegion": address.region,
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
            # The join link is private: only the platform is public.
            places.append(_compact({"@type": "VirtualLocation", "name": location.online.platform}))
        return _one_or_many(places)

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
            offer["availabilityEnds"] = _date(enrolment.closes) if enrolment.closes else None
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
        mode = _mode(event)
        node["eventAttendanceMode"] = SCHEMA + _ATTENDANCE[mode] if mode else None
        if event.kind is EventKind.COURSE and mode is not None:
            node["courseMode"] = _COURSE_MODE[mode]
        node["location"] = self.location(event.location)
        node["performer"] = _one_or_many([self.person(p) for p in event.speakers])
        node["superEvent"] = [self.ref(p.id) for p in self.catalogue.programmes_of(event)] or None
        subs: list[object] = [self.run(event, run) for run in event.runs]
        if len(event.sessions) > 1 or event.runs:
            subs += [self.session(event, s) for s in event.sessions]
        elif event.sessions:
            # One session: the event is the session; its talks are the event's own sub-events.
            (only,) = event.sessions
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
                "location": self.location(event.location),
                **self.capacity(run.enrolment),
            }
        )

    def session(self, event: Event, session: Session) -> JSON:
        location = event.location_of(session)
        return _compact(
            {
                "@type": "Event",
                "@id": self.id(session.id),
                "name": self.text(session.title or event.title),
                "description": self.text(session.description),
                **_span(session.start, session.end, all_day=session.all_day),
                "eventStatus": SCHEMA + _STATUS[session.status],
                "previousStartDate": (
                    _date(session.previous_start) if session.previous_start else None
                ),
                "eventAttendanceMode": (
                    SCHEMA + _ATTENDANCE[location.attendance_mode] if location else None
                ),
                "location": self.location(location),
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

    def programme(self, programme: Programme) -> JSON:
        node: JSON = {"@type": "EventSeries", **self.common(programme)}
        node.update(_dates(None, None, programme.period))
        node["subEvent"] = [self.ref(module) for module in programme.modules]
        return _compact(node)


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
    if period is not None:
        last = period.end or period.start
        return {"startDate": str(period.start), "endDate": str(last)}
    return {}


@attrs.frozen
class JSONLD:
    """schema.org JSON-LD, registered as ``"jsonld"`` for ``.jsonld`` files; write-only."""

    name: str = "jsonld"
    suffixes: tuple[str, ...] = (".jsonld",)

    def loads(self, _data: str | bytes, /, **_options: object) -> Catalogue:
        """Refuse: JSON-LD is written for search engines, not read back.

        Raises:
            FormatError: always.
        """
        raise FormatError(
            "libkurs writes JSON-LD but does not read it: keep the catalogue in native JSON "
            "(format 'json') and publish JSON-LD from it"
        )

    def dumps(
        self,
        catalogue: Catalogue,
        /,
        *,
        language: str | None = None,
        base: str = "#",
        include_drafts: bool = False,
        indent: int | None = 2,
    ) -> str:
        """Write the public part of *catalogue* as one JSON-LD document.

        Args:
            catalogue: The catalogue.
            language: Write every text as a plain string in this language; None writes every
                language as ``@language`` value objects.
            base: Put before every libkurs id to make the node's ``@id``.
            include_drafts: Also write draft events and programmes (for a preview page).
                Join links and internal notes are left out all the same.
            indent: JSON indentation; None for one line.
        """
        if not isinstance(catalogue, Catalogue):
            raise TypeError(f"expected a Catalogue, got {type(catalogue).__name__}")
        visible = public_view(_all_public(catalogue) if include_drafts else catalogue)
        writer = _Writer(visible, base, language)
        graph = [writer.event(e) for e in visible.events]
        graph += [writer.programme(p) for p in visible.programmes]
        document = {"@context": "https://schema.org", "@graph": graph}
        return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def _all_public(catalogue: Catalogue) -> Catalogue:
    return attrs.evolve(
        catalogue,
        events=[attrs.evolve(e, publication=Publication.PUBLIC) for e in catalogue.events],
        programmes=[attrs.evolve(p, publication=Publication.PUBLIC) for p in catalogue.programmes],
    )


FORMAT: Final = JSONLD()
