"""Catalogue to iCalendar (RFC 5545, RFC 7986, RFC 9253): one VEVENT per session.

Decisions, each for a reason a calendar program cares about:

- **UID** is ``<session id>@<uid_domain>``: the session id never changes, so neither does the
  UID, and a new file updates the old one. Nothing that changes (times, titles) is in it.
- **DTSTAMP** is ``19700101T000000Z`` unless the caller passes ``now=``: the same catalogue
  gives byte-identical output. **LAST-MODIFIED** is written only from ``last_modified=``
  (session id to the time it last changed), since the model does not record it.
- **SEQUENCE** is the event's revision plus the session's: both only grow, and a change to
  either (a new event title, a moved session) must reach calendars.
- **STATUS**: a cancelled session (or a session of a cancelled event) stays, as CANCELLED;
  postponed is TENTATIVE; the rest CONFIRMED. The exact status is kept in ``X-LIBKURS-STATUS``.
- **Times**: DTSTART and DTEND (never DURATION) with a TZID and a VTIMEZONE for every zone
  used; UTC as ``Z``; a fixed offset as ``UTC+05:30``. iCalendar has whole seconds: a start is
  rounded down and an end up, so a session never shrinks. A wall-clock time that occurs twice
  (the hour when summer time ends) is written in UTC with an ``X-LIBKURS-TZID`` parameter,
  since a TZID time means the first of the two. All-day sessions are dates, DTEND exclusive.
- **Language**: one language per file, chosen by ``language`` (with the fallback chain of
  :meth:`libkurs.LocalizedText.best`); every text property says which language it holds in a
  LANGUAGE parameter. ``second_language`` adds it to the title: "Slutseminarium / Loppuseminaari".
- **An empty feed** (nothing public yet) is still a valid calendar: RFC 5545 §3.6 wants at
  least one component, so it holds the VTIMEZONE of Europe/Helsinki for the year of DTSTAMP.
- **Privacy**: the feed is written from :func:`libkurs.public_view` (no drafts, no join links,
  no access notes, no internal notes) unless ``private=True``.
- **What strict readers accept**: nothing that libical 3.0 (Evolution, KDE, Cyrus IMAP) reports as
  a parse error. LINK and REFID (RFC 9253) are such, so they are written only with
  ``rfc9253=True`` (the links still travel in the carried JSON below); RELATED-TO is
  written only to a UID the same output holds (a session's event is no VEVENT of its own, so
  by default there is none).
- **Ids survive** in ``X-LIBKURS-EVENT``, ``X-LIBKURS-SESSION`` and a few more ``X-LIBKURS-``
  properties that only libkurs reads (a venue's address part by part in
  ``X-LIBKURS-ADDRESS-*``; a link title's language in the LINK's LANGUAGE parameter);
  every other program ignores them, as RFC 5545 asks.
- **Everything else survives too**, in a file :func:`dumps` writes (not in an invitation,
  nor in :func:`calendar_object`): the catalogue without its events in the VCALENDAR's
  ``X-LIBKURS-CATALOGUE``, each session in its VEVENT's ``X-LIBKURS-SESSION-DATA`` and each
  event without its sessions in ``X-LIBKURS-EVENT-DATA`` of the VEVENT of its first
  session, as libkurs' native JSON (see :mod:`libkurs.formats._converter`), of the catalogue
  written: the public view for the public feed, where people's e-mail addresses and phone
  numbers are left out, as in JSON-LD. Reading such a file gives the catalogue back (see
  :mod:`libkurs.formats.ics._own`).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from libkurs._version import __version__
from libkurs.errors import ValidationError
from libkurs.formats._converter import shared_converter
from libkurs.formats.ics._common import ADDRESS_PROPERTIES, check_language, label, speaks
from libkurs.formats.ics._lines import content_line, escape_text
from libkurs.formats.ics._zones import date_text, date_time_text, vtimezone_lines, zone_id
from libkurs.model import (
    DEFAULT_FALLBACK,
    HELSINKI,
    Catalogue,
    Event,
    LocalizedText,
    Location,
    Session,
    Status,
    public_view,
)

__all__ = [
    "EPOCH",
    "Writer",
    "calendar_object",
    "dumps",
    "guard_overflow",
    "zone_name",
]

#: The DTSTAMP written when the caller passes no ``now``.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PRODID = f"-//libkurs//libkurs {__version__}//EN"
_EXTRA_NAME = re.compile(r"X-[A-Z0-9-]+", re.ASCII)

_ICAL_STATUS = {
    Status.SCHEDULED: "CONFIRMED",
    Status.RESCHEDULED: "CONFIRMED",
    Status.MOVED_ONLINE: "CONFIRMED",
    Status.POSTPONED: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
}


def zone_name(zone: tzinfo | None, moment: datetime) -> str | None:
    """How ``X-LIBKURS-TZID`` names *zone*: a TZID, ``Z`` for UTC, or None if it cannot."""
    name = zone_id(zone, moment)
    if name is None and isinstance(zone, timezone):
        return "Z"
    return name


def _ceil(moment: datetime) -> datetime:
    if not moment.microsecond:
        return moment
    step = timedelta(microseconds=1_000_000 - moment.microsecond)
    return (moment.astimezone(UTC) + step).astimezone(moment.tzinfo)


def _floor(moment: datetime) -> datetime:
    return moment.replace(microsecond=0) if moment.microsecond else moment


def _ambiguous(moment: datetime) -> bool:
    return bool(moment.fold) and moment.replace(fold=0).utcoffset() != moment.utcoffset()


def _float(value: float) -> str:
    """A GEO coordinate as RFC 5545 FLOAT: every digit Python's repr keeps, but no exponent.

    A coordinate under 1e-12 degrees (a few micrometres) is written as 0: written out in
    full, a subnormal float is a number of over 300 digits, which libical refuses.
    """
    text = repr(float(value))
    if "e" not in text and "E" not in text:
        return text
    if abs(value) < _SMALLEST_COORDINATE:
        return "0.0"
    return format(Decimal(text), "f")


_SMALLEST_COORDINATE = 1e-12


class Writer:
    """Writes the VEVENTs of one file, and remembers the zones and years they use."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        language: str | None,
        second_language: str | None,
        uid_domain: str,
        now: datetime | None,
        last_modified: Mapping[str, datetime] | None,
        rfc9253: bool = False,
        carry: bool = False,
        private: bool = False,
    ) -> None:
        check_language(language, "language")
        self.carry = carry
        self.private = private
        """Whether to write the native JSON that gives the catalogue back (dumps only)."""
        check_language(second_language, "second_language")
        self.catalogue = catalogue
        self.preferred = (language,) if language else ()
        self.language = language or DEFAULT_FALLBACK[0]
        self.second_language = second_language
        self.uid_domain = uid_domain
        self.now = now
        self.stamp = self.utc_text(now if now is not None else EPOCH)
        self.last_modified = last_modified or {}
        self.rfc9253 = rfc9253
        #: How often a subscriber should read the calendar again, in minutes (None: unsaid).
        self.refresh_minutes: int | None = None
        #: The UIDs the output holds: RELATED-TO names only these.
        self.uids: set[str] = set()
        self.zones: dict[str, tuple[tzinfo, set[int]]] = {}

    # --- values -------------------------------------------------------------------------

    @staticmethod
    def utc_text(moment: datetime) -> str:
        """*moment* as a UTC DATE-TIME value."""
        return date_time_text(_floor(moment).astimezone(UTC)) + "Z"

    def text(self, name: str, value: LocalizedText, *, bilingual: bool = False) -> str:
        """A TEXT property in the file's language, with its LANGUAGE parameter."""
        used = value.language_of_best(*self.preferred)
        text = value.texts[used]
        if bilingual and self.second_language and self.second_language != used:
            other = value.get(self.second_language)
            if other is not None and other != text:
                text = f"{text} / {other}"
        return content_line(name, escape_text(text), [("LANGUAGE", used)])

    def best(self, value: LocalizedText, language: str | None = None) -> str:
        """The text of *value* in *language* if it has it, else in the file's language."""
        return value.best(language, *self.preferred) if language else value.best(*self.preferred)

    def description_language(self, event: Event, session: Session) -> str:
        """The language the DESCRIPTION of *session* is written in: that of its main text."""
        for text in (session.description, event.summary, event.description, event.title):
            if text is not None:
                return text.language_of_best(*self.preferred)
        return self.language  # pragma: no cover - every event has a title

    def uid(self, id: str) -> str:
        """The stable UID of the thing with libkurs id *id*."""
        return f"{id}@{self.uid_domain}"

    def moment(self, name: str, moment: datetime, *, end: bool = False) -> str:
        """A DATE-TIME property in the zone of *moment*, exact to the second."""
        moment = _ceil(moment) if end else _floor(moment)
        zone = moment.tzinfo
        tzid = zone_id(zone, moment)
        if tzid is None or _ambiguous(moment):
            params = []
            keep = zone_name(zone, moment)
            if keep is not None and keep != "Z" and isinstance(zone, ZoneInfo | timezone):
                params.append(("X-LIBKURS-TZID", keep))
            return content_line(name, self.utc_text(moment), params)
        assert zone is not None
        self.zones.setdefault(tzid, (zone, set()))[1].add(moment.year)
        return content_line(name, date_time_text(moment), [("TZID", tzid)])

    @staticmethod
    def day(name: str, moment: datetime) -> str:
        """A DATE property (all-day), with the zone its midnight was in."""
        params = [("VALUE", "DATE")]
        keep = zone_name(moment.tzinfo, moment)
        if keep is not None:
            params.append(("X-LIBKURS-TZID", keep))
        return content_line(name, date_text(moment), params)

    # --- one session --------------------------------------------------------------------

    def location(self, location: Location | None) -> list[str]:
        """LOCATION and GEO, and the ``X-LIBKURS-`` properties that keep the venue's id."""
        if location is None:
            return []
        lines = []
        where: list[str] = []
        used = speaks(self.language)
        if location.venue is not None:
            venue = self.catalogue.venue(location.venue)
            used = venue.name.language_of_best(*self.preferred)
            where.append(venue.name.texts[used])
            if venue.address is not None:
                address = venue.address
                street, town = (
                    self.best(part, used) if part is not None else None
                    for part in (address.street, address.locality)
                )
                locality = " ".join(p for p in (address.postal_code, town) if p)
                where += [p for p in (street, locality, address.country) if p]
            lines.append(content_line("X-LIBKURS-VENUE", escape_text(venue.id)))
            lines.append(self.text("X-LIBKURS-VENUE-NAME", venue.name))
            if venue.address is not None:
                for part, prop in ADDRESS_PROPERTIES.items():
                    value = getattr(venue.address, part)
                    if isinstance(value, LocalizedText):
                        value = self.best(value, used)
                    if value is not None:
                        lines.append(content_line(prop, escape_text(value)))
            if venue.geo is not None:
                geo = f"{_float(venue.geo.latitude)};{_float(venue.geo.longitude)}"
                lines.append(content_line("GEO", geo))
        if location.online is not None:
            platform = location.online.platform
            where.append(platform or label("online", used))
            lines.append(content_line("X-LIBKURS-ONLINE", "TRUE"))
            if platform:
                lines.append(content_line("X-LIBKURS-PLATFORM", escape_text(platform)))
        lines.insert(
            0, content_line("LOCATION", escape_text(", ".join(where)), [("LANGUAGE", used)])
        )
        return lines

    def description(self, event: Event, session: Session) -> str | None:
        """The session's text, its programme of talks and speakers, as plain text."""
        language = self.description_language(event, session)
        parts: list[str] = []
        for text in (session.description, event.summary, event.description):
            if text is not None:
                parts.append(self.best(text, language))
        if session.agenda:
            programme = [f"{label('programme', language)}:"]
            zone = session.start.tzinfo
            for item in session.agenda:
                when = ""
                if item.start is not None:
                    when = f"{item.start.astimezone(zone):%H.%M}"
                    if item.end is not None:
                        when += f"–{item.end.astimezone(zone):%H.%M}"
                    when += " "
                entry = when + self.best(item.title, language)
                people = [self.person(p, language) for p in item.speakers]
                if people:
                    entry += " (" + "; ".join(people) + ")"
                programme.append(entry)
                if item.description is not None:
                    programme.append("  " + self.best(item.description, language))
            parts.append("\n".join(programme))
        if event.speakers:
            names = ", ".join(self.person(p, language) for p in event.speakers)
            parts.append(f"{label('speakers', language)}: {names}")
        if event.organisers:
            names = ", ".join(
                self.best(self.catalogue.organisation(o).name, language) for o in event.organisers
            )
            parts.append(f"{label('organisers', language)}: {names}")
        return "\n\n".join(parts) if parts else None

    def person(self, id: str, language: str) -> str:
        """A speaker as the programme shows them: name, title, organisation."""
        person = self.catalogue.person(id)
        bits = [person.name]
        if person.title is not None:
            bits.append(self.best(person.title, language))
        if person.organisation is not None:
            bits.append(self.best(self.catalogue.organisation(person.organisation).name, language))
        return ", ".join(bits)

    def times(self, session: Session) -> list[str]:
        """DTSTART and DTEND of *session*."""
        if session.all_day:
            return [self.day("DTSTART", session.start), self.day("DTEND", session.end)]
        return [self.moment("DTSTART", session.start), self.moment("DTEND", session.end, end=True)]

    def vevent(
        self,
        event: Event,
        session: Session,
        *,
        extra: list[str] | None = None,
        sequence: int | None = None,
        cancelled: bool = False,
        postscript: str | None = None,
        modified: datetime | None = None,
    ) -> str:
        """The VEVENT of *session*; *extra* lines go before its END.

        An invitation passes its own *sequence*, *cancelled* for a CANCEL, and a *postscript*
        for the DESCRIPTION (the join link and access note). *modified* is its LAST-MODIFIED
        (else the ``last_modified`` the writer was given for the session, else the time the
        model records for it).
        """
        status = Status.CANCELLED if event.status is Status.CANCELLED else session.status
        if status is Status.SCHEDULED and event.status is Status.POSTPONED:
            status = Status.POSTPONED
        if cancelled:
            status = Status.CANCELLED
        if sequence is None:
            sequence = event.revision + session.revision
        lines = [
            "BEGIN:VEVENT\r\n",
            content_line("UID", escape_text(self.uid(session.id))),
            content_line("DTSTAMP", self.stamp_of(event, session)),
            content_line("SEQUENCE", str(sequence)),
            content_line("STATUS", _ICAL_STATUS[status]),
            *self.times(session),
        ]
        if modified is None:
            modified = self.last_modified.get(session.id) or self.recorded(event, session)
        if modified is not None:
            lines.append(content_line("LAST-MODIFIED", self.utc_text(modified)))
        lines.append(self.text("SUMMARY", _summary(event, session), bilingual=True))
        description = self.description(event, session)
        if postscript is not None:
            description = f"{description}\n\n{postscript}" if description else postscript
        if description is not None:
            used = self.description_language(event, session)
            lines.append(
                content_line("DESCRIPTION", escape_text(description), [("LANGUAGE", used)])
            )
        lines += self.location(event.location_of(session))
        lines += [self.text("CATEGORIES", keyword) for keyword in event.keywords]
        if event.url is not None:
            lines.append(content_line("URL", event.url, [("VALUE", "URI")]))
        for link in event.links if self.rfc9253 else ():  # libical 3.0 reports LINK
            params = [("LINKREL", "related"), ("VALUE", "URI")]
            if link.title is not None:
                used = link.title.language_of_best(*self.preferred)
                params[1:1] = [("LABEL", link.title.texts[used]), ("LANGUAGE", used)]
            lines.append(content_line("LINK", link.url, params))
        lines += self.relations(event)
        lines += self.keep(event, session)
        lines += extra or []
        lines.append("END:VEVENT\r\n")
        return "".join(lines)

    def relations(self, event: Event) -> list[str]:
        """RELATED-TO (only to a UID this output holds) and, if asked for, REFID."""
        lines = []
        if self.uid(event.id) in self.uids:  # never a UID no feed or calendar holds
            parent = escape_text(self.uid(event.id))
            lines.append(content_line("RELATED-TO", parent, [("RELTYPE", "PARENT")]))
        if self.rfc9253:  # REFID (RFC 9253); libical 3.0 reports it as a parse error
            lines.append(content_line("REFID", escape_text(event.id)))
            for programme in self.catalogue.programmes_of(event):
                lines.append(content_line("REFID", escape_text(programme.id)))
        return lines

    @staticmethod
    def recorded(event: Event, session: Session) -> datetime | None:
        """When the model says *session* (or its event) last changed, if it says."""
        known = [t for t in (event.modified, session.modified) if t is not None]
        return max(known) if known else None

    def stamp_of(self, event: Event, session: Session) -> str:
        """DTSTAMP: ``now`` if given, else when the session last changed, else the epoch."""
        if self.now is None:
            changed = self.last_modified.get(session.id) or self.recorded(event, session)
            if changed is not None:
                return self.utc_text(changed)
        return self.stamp

    def keep(self, event: Event, session: Session) -> list[str]:
        """The ``X-LIBKURS-`` properties that carry libkurs' own facts through a round trip."""
        lines = [
            content_line("X-LIBKURS-EVENT", escape_text(event.id)),
            content_line("X-LIBKURS-SESSION", escape_text(session.id)),
            self.text("X-LIBKURS-EVENT-TITLE", event.title),
        ]
        if session.title is not None:
            lines.append(self.text("X-LIBKURS-SESSION-TITLE", session.title))
        if session.part_of_day is not None:
            lines.append(content_line("X-LIBKURS-PART-OF-DAY", session.part_of_day.value))
        for name, item in (("", session), ("EVENT-", event)):
            if item.status is not Status.SCHEDULED:
                lines.append(content_line(f"X-LIBKURS-{name}STATUS", item.status.value))
            if item.previous_start is not None:
                lines.append(self.moment(f"X-LIBKURS-{name}PREVIOUS-START", item.previous_start))
            if item.revision:
                lines.append(content_line(f"X-LIBKURS-{name}REVISION", str(item.revision)))
        if self.carry:
            lines.append(content_line("X-LIBKURS-SESSION-DATA", escape_text(native(session))))
            if event.sessions and session is event.sessions[0]:
                lines.append(content_line("X-LIBKURS-EVENT-DATA", escape_text(native(event))))
        return lines

    def calendar(
        self, vevents: list[str], *, method: str | None = None, timezones: bool = True
    ) -> str:
        """The whole VCALENDAR around *vevents*, with the VTIMEZONEs they need.

        Without *timezones*, VTIMEZONEs are left out where every TZID is an IANA zone name,
        which a reader resolves by name (a sync hashes such a calendar; nobody stores it).
        """
        carried = []
        if self.carry:
            dateless = [e for e in self.catalogue.events if not e.sessions]
            rest = native(self.catalogue, events=dateless, private=self.private)
            carried = [content_line("X-LIBKURS-CATALOGUE", escape_text(rest))]
        head = [
            "BEGIN:VCALENDAR\r\n",
            "VERSION:2.0\r\n",
            content_line("PRODID", PRODID),
            "CALSCALE:GREGORIAN\r\n",
        ]
        if method is not None:
            head.append(f"METHOD:{method}\r\n")
        if self.catalogue.name is not None:
            head.append(self.text("NAME", self.catalogue.name))
            head.append(self.text("X-WR-CALNAME", self.catalogue.name))
        if self.refresh_minutes is not None:
            head.append(f"REFRESH-INTERVAL;VALUE=DURATION:PT{self.refresh_minutes}M\r\n")
            head.append(f"X-PUBLISHED-TTL:PT{self.refresh_minutes}M\r\n")
        head += carried
        if not vevents and not self.zones:
            # RFC 5545 §3.6 asks for at least one component: an empty feed gets the zone of
            # Helsinki for the year of its DTSTAMP, a valid calendar with no events.
            self.zones[HELSINKI.key] = (HELSINKI, {int(self.stamp[:4])})
        by_name = all(
            isinstance(zone, ZoneInfo) and zone.key == tzid
            for tzid, (zone, _years) in self.zones.items()
        )
        zones = [
            vtimezone_lines(tzid, zone, years)
            for tzid, (zone, years) in sorted(self.zones.items())
            if timezones or not by_name
        ]
        return "".join([*head, *zones, *vevents, "END:VCALENDAR\r\n"])


def dumps(
    catalogue: Catalogue,
    *,
    language: str | None = None,
    second_language: str | None = None,
    uid_domain: str = "libkurs",
    now: datetime | None = None,
    last_modified: Mapping[str, datetime] | None = None,
    private: bool = False,
    rfc9253: bool = False,
    refresh_interval: timedelta | None = None,
) -> str:
    """The public calendar feed of *catalogue*: one VEVENT per session of its public events."""
    minutes = _refresh_minutes(refresh_interval)
    if not isinstance(catalogue, Catalogue):
        raise TypeError(f"expected a Catalogue, got {type(catalogue).__name__}")
    shown = catalogue if private else public_view(catalogue)
    writer = Writer(
        shown,
        language=language,
        second_language=second_language,
        uid_domain=uid_domain,
        now=now,
        last_modified=last_modified,
        rfc9253=rfc9253,
        carry=True,
        private=private,
    )
    writer.refresh_minutes = minutes
    with guard_overflow():
        return _write(writer, shown, private=private)


def _refresh_minutes(interval: timedelta | None) -> int | None:
    if interval is None:
        return None
    if interval < timedelta(minutes=1):
        raise ValidationError(
            f"must be a timedelta of at least one minute, not {interval!r}",
            path="refresh_interval",
        )
    return int(interval.total_seconds() // 60)


def calendar_object(
    catalogue: Catalogue,
    event: Event,
    session: Session,
    *,
    language: str | None = None,
    uid_domain: str = "libkurs",
    extra: Sequence[tuple[str, str]] = (),
    now: datetime | None = None,
    sequence: int | None = None,
    modified: datetime | None = None,
    rfc9253: bool = False,
    timezones: bool = True,
) -> str:
    """One session as one calendar object resource (RFC 4791): a VCALENDAR with its VEVENT.

    The VEVENT is the one :func:`libkurs.dumps` writes for *session*, with the VTIMEZONEs it uses;
    *extra* ``(name, text)`` properties are added to it, escaped and folded; each name must
    be an extension name (``X-`` and then ``A-Z``, ``0-9``, ``-``), so no text can add a
    property of its own. *catalogue* is written as given: pass :func:`libkurs.public_view`
    of it for a shared calendar.

    A sync passes what it decides itself: *now* (DTSTAMP, the time of writing), *sequence*
    (SEQUENCE, instead of the revisions) and *modified* (LAST-MODIFIED); ``timezones=False``
    leaves out VTIMEZONEs that a reader finds by their IANA name, for a copy only to hash.

    Raises:
        libkurs.errors.ValidationError: an *extra* name that is not an ``X-`` name.
    """
    writer = Writer(
        catalogue,
        language=language,
        second_language=None,
        uid_domain=uid_domain,
        now=now,
        last_modified=None,
        rfc9253=rfc9253,
    )
    lines = []
    for index, (name, text) in enumerate(extra):
        if not _EXTRA_NAME.fullmatch(name):
            raise ValidationError(
                f"an extra property needs an X- name of A-Z, 0-9 and '-', not {name!r}",
                path=f"extra[{index}]",
            )
        if not isinstance(text, str):
            raise ValidationError(
                f"an extra property's value must be text, not {type(text).__name__}",
                path=f"extra[{index}]",
            )
        lines.append(content_line(name, escape_text(text)))
    with guard_overflow():
        vevent = writer.vevent(event, session, extra=lines, sequence=sequence, modified=modified)
        return writer.calendar([vevent], timezones=timezones)


def native(
    value: Catalogue | Event | Session, *, events: Sequence[Event] = (), private: bool = True
) -> str:
    """*value* as compact native JSON, without what other properties carry.

    An event goes without its sessions (they have their own VEVENTs), a catalogue with only
    *events* (those that have no session to carry them), and unless *private* without its
    people's e-mail addresses and phone numbers (as JSON-LD leaves them out).
    """
    converter = shared_converter()
    data = converter.unstructure(value)
    data.pop("sessions", None)
    if isinstance(value, Catalogue):
        if not private:
            for person in data.get("people", []):
                person.pop("email", None)
                person.pop("phone", None)
        data["event_order"] = [event.id for event in value.events]
        data.pop("events", None)
        if events:
            data["events"] = converter.unstructure(list(events))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@contextlib.contextmanager
def guard_overflow() -> Iterator[None]:
    """Turn the OverflowError of a date near the year 1 or 9999 into a ValidationError."""
    try:
        yield
    except OverflowError:
        raise ValidationError(
            "a date is too close to the year 1 or 9999 for iCalendar to carry", path="events"
        ) from None


def _write(writer: Writer, shown: Catalogue, *, private: bool) -> str:
    vevents = []
    writer.uids.update(writer.uid(session.id) for _, session in shown.sessions())
    for event, session in shown.sessions():
        extra = None
        if private:
            room = event.location_of(session)
            if room is not None and room.online is not None and room.online.join_url:
                extra = [conference_line(room.online.join_url, room.online.platform)]
        vevents.append(writer.vevent(event, session, extra=extra))
    return writer.calendar(vevents)


def conference_line(url: str, platform: str | None) -> str:
    """The RFC 7986 CONFERENCE property for a join link."""
    params: list[tuple[str, str | tuple[str, ...]]] = [
        ("VALUE", "URI"),
        ("FEATURE", ("AUDIO", "VIDEO")),
    ]
    if platform:
        params.append(("LABEL", platform))
    return content_line("CONFERENCE", url, params)


def _summary(event: Event, session: Session) -> LocalizedText:
    """The title of a session's entry: the event's, then the part of the day, then the session's.

    A session known only as a part of its day is an all-day entry (no clock time is invented),
    so its title says which part: "Liboppi-dag (förmiddag): Inlärningsmetoder".
    """
    part = session.part_of_day
    if session.title is None and part is None:
        return event.title
    languages = session.title.languages if session.title is not None else event.title.languages
    texts = {}
    for language in languages:
        text = event.title.best(language)
        if part is not None:
            text += f" ({part.words.get(language, part.words['en'])})"
        if session.title is not None:
            text += f": {session.title.best(language)}"
        texts[language] = text
    return LocalizedText(texts)
