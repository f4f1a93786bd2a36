"""What an announcement says: a catalogue, an event or a programme as headings, facts and lists.

The result is plain text in blocks; :mod:`._writers` turns it into Markdown, HTML or text,
each escaping as its syntax needs. Facts come from :func:`libkurs.public_view`: the join link
of an online room is never written, drafts only when asked for.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from libkurs.errors import UnresolvedReferenceError
from libkurs.formats.announcement._words import Words
from libkurs.model import (
    AgendaItem,
    Catalogue,
    EnrolmentSettings,
    Event,
    LocalizedText,
    Location,
    Programme,
    Publication,
    Run,
    Session,
    Status,
    public_view,
)

__all__ = ["Block", "Document", "Facts", "Heading", "Items", "Paragraph", "render"]

#: The language tag of keyword ids kept by the Linked Events format ("no linguistic content").
_NO_LANGUAGE = "zxx"


@attrs.frozen
class Heading:
    """A heading; level 1 is the document's title."""

    level: int
    text: str


@attrs.frozen
class Paragraph:
    """A paragraph of running text."""

    text: str


@attrs.frozen
class Facts:
    """Labelled facts: time, place, language, enrolment and the like."""

    items: tuple[tuple[str, str], ...]


@attrs.frozen
class Items:
    """A bulleted list, such as a programme of talks."""

    items: tuple[str, ...]


Block = Heading | Paragraph | Facts | Items


@attrs.frozen
class Document:
    """An announcement: its language, an optional title, and one section per offering."""

    language: str
    title: str | None
    sections: tuple[tuple[Block, ...], ...]


@attrs.frozen
class _Renderer:
    catalogue: Catalogue
    words: Words
    level: int

    def text(self, value: LocalizedText) -> str:
        return value.best(self.words.language)

    def person(self, id: str) -> str:
        person = self.catalogue.person(id)
        parts = [person.name]
        if person.title is not None:
            parts.append(self.text(person.title))
        if person.organisation is not None:
            parts.append(self.text(self.catalogue.organisation(person.organisation).name))
        return ", ".join(parts)

    def place(self, location: Location) -> str:
        w = self.words
        online = None
        if location.online is not None:
            platform = location.online.platform
            online = w["online_via"].format(platform=platform) if platform else w["online"]
        if location.venue is None:
            assert online is not None
            return online
        venue = self.catalogue.venue(location.venue)
        where = [self.text(venue.name)]
        address = venue.address
        if address is not None:
            street, town = (
                self.text(part) if part is not None else None
                for part in (address.street, address.locality)
            )
            where += [p for p in (street, address.postal_code, town) if p]
            if address.country and address.country.upper() != "FI":
                country = w.country_name(address.country)
                if country != where[0]:  # a venue that is the country: "Danmark", not twice
                    where.append(country)
        if online is None:
            return ", ".join(where)
        return f"{w['on_site']} ({', '.join(where)}) {w['or']} {online}"

    def enrolment(self, enrolment: EnrolmentSettings) -> str:
        w = self.words
        if not enrolment.required:
            return w["no_enrolment"]
        parts: list[str] = []
        closes = enrolment.closes
        if closes is not None and (
            enrolment.closes_whole_day or closes.time() == datetime.min.time()
        ):
            # A deadline known only to the day, or one at midnight (from a source that cannot
            # say "the whole day"): the day before that midnight, never "8 March at 0.00".
            last = (closes - timedelta(microseconds=1)).date()
            parts.append(f"{w['deadline']} {w.day(last)}")
        elif closes is not None:
            parts.append(f"{w['deadline']} {w.moment(closes)}")
        if enrolment.capacity is not None:
            parts.append(f"{enrolment.capacity} {w['places']}")
        splits = [
            f"{count} {w['places']} {w[mode]}"
            for count, mode in (
                (enrolment.capacity_on_site, "on_site"),
                (enrolment.capacity_remote, "online"),
            )
            if count is not None
        ]
        if splits:
            parts.append(w.join(splits))
        if enrolment.note is not None:
            parts.append(self.text(enrolment.note))
        if enrolment.url is not None:
            parts.append(enrolment.url)
        return "; ".join(parts)

    def common(self, offering: Event | Programme) -> list[Block]:
        w = self.words
        blocks: list[Block] = [Heading(self.level, self.text(offering.title))]
        if offering.status is not Status.SCHEDULED:
            note = w.status(offering.status)
            if offering.previous_start is not None:
                note += f" {w.moment(offering.previous_start)}"
            blocks.append(Paragraph(f"{w['status']} {note[0].upper()}{note[1:]}."))
        body = offering.description or offering.summary
        if body is not None:
            blocks += [Paragraph(p.strip()) for p in self.text(body).split("\n\n") if p.strip()]
        return blocks

    def facts(self, offering: Event | Programme, time: str | None) -> list[tuple[str, str]]:
        w = self.words
        facts: list[tuple[str, str]] = []
        if time is not None:
            facts.append((w["time"], time))
        if isinstance(offering, Event):
            places = {self.place(loc) for loc in _locations(offering)}
            if places:
                facts.append((w["place"], "; ".join(sorted(places))))
        if offering.languages:
            facts.append((w["language"], w.join([w.language_name(t) for t in offering.languages])))
        if offering.organisers:
            names = [self.text(self.catalogue.organisation(o).name) for o in offering.organisers]
            facts.append((w["organiser"], w.join(names)))
        if isinstance(offering, Event) and offering.speakers:
            facts.append((w["speakers"], "; ".join(self.person(p) for p in offering.speakers)))
        return facts + self.practical(offering)

    def practical(self, offering: Event | Programme) -> list[tuple[str, str]]:
        w = self.words
        facts: list[tuple[str, str]] = []
        audience = [self.text(offering.audience)] if offering.audience else []
        if offering.open_to_all:
            audience.append(w["open_to_all"])
        if audience:
            facts.append((w["audience"], "; ".join(audience)))
        price = [w["free"]] if offering.free_of_charge else []
        if offering.price is not None:
            price.append(self.text(offering.price))
        if price:
            facts.append((w["price"], "; ".join(price)))
        if offering.enrolment is not None:
            facts.append((w["enrolment"], self.enrolment(offering.enrolment)))
        if isinstance(offering, Event) and offering.recorded is not None:
            facts.append((w["recording"], w["recorded" if offering.recorded else "not_recorded"]))
        keywords = [self.text(k) for k in offering.keywords if k.languages != (_NO_LANGUAGE,)]
        if keywords:
            facts.append((w["keywords"], ", ".join(keywords)))
        for link in offering.links:
            title = f"{self.text(link.title)}: " if link.title is not None else ""
            facts.append((w["links"], f"{title}{link.url}"))
        return facts

    def event(self, event: Event) -> tuple[Block, ...]:
        w = self.words
        blocks = self.common(event)
        blocks.append(Facts(tuple(self.facts(event, self.when(event)))))
        if event.runs:
            runs = [self.run_line(run) for run in event.runs]
            blocks += [Heading(self.level + 1, w["dates"]), Items(tuple(runs))]
        programme: list[str] = []
        several = len(event.sessions) > 1
        for session in sorted(event.sessions, key=lambda s: s.order_key):
            if several:
                programme.append(self.session_line(event, session))
            programme += [self.agenda_line(item) for item in session.agenda]
        if programme:
            blocks += [Heading(self.level + 1, w["programme"]), Items(tuple(programme))]
        return tuple(blocks)

    def when(self, event: Event) -> str:
        w = self.words
        sessions = sorted(event.sessions, key=lambda s: s.order_key)
        parts = [s.part_of_day for s in sessions if s.part_of_day is not None]
        named = f", {w.join([w.part(p) for p in dict.fromkeys(parts)])}" if parts else ""
        if len(sessions) == 1:
            (session,) = sessions
            return w.span(session.start, session.end, all_day=session.all_day) + named
        if sessions:
            days = sorted({d for s in sessions for d in s.days})
            start, end = event.start, event.end
            assert start is not None
            assert end is not None
            if all(s.all_day for s in sessions) or len(days) > 1:
                if days[0] == days[-1]:
                    # Parts of one day without clock times: the day and the parts' names.
                    return w.day(days[0]) + (named if len(parts) == len(sessions) else "")
                return f"{w.day(days[0])} – {w.day(days[-1])}"
            return w.span(start, end, all_day=False)
        return self.undated(event)

    def undated(self, event: Event) -> str:
        """When an event without sessions is: its period, its runs, or "to be announced"."""
        if event.period is not None:
            return self.words.period(event.period)
        if event.runs:
            # Alternative dates known only roughly (by a period, or a title such as "August").
            return "; ".join(self.run_line(run) for run in event.runs)
        return self.words["to_be_announced"]

    def run_line(self, run: Run) -> str:
        title = self.text(run.title) if run.title is not None else None
        period = self.words.period(run.period) if run.period is not None else None
        if title and period and title.lower() not in period.lower():
            return f"{title}: {period}"
        return period or title or run.id

    def session_line(self, event: Event, session: Session) -> str:
        w = self.words
        first = min(s.days[0] for s in event.sessions)
        last = max(s.days[1] for s in event.sessions)
        part = w.part(session.part_of_day) if session.part_of_day is not None else None
        if first != last:
            line = w.span(session.start, session.end, all_day=session.all_day)
            line += f", {part}" if part else ""
        elif session.all_day:
            line = f"{part[0].upper()}{part[1:]}" if part else ""
        else:
            end = session.end.astimezone(session.start.tzinfo)
            line = f"{w.clock(session.start)}–{w.clock(end)}"
        if session.title is not None:
            line += f": {self.text(session.title)}" if line else self.text(session.title)
        if session.status is not Status.SCHEDULED:
            note = w.status(session.status)
            if session.status is Status.RESCHEDULED and session.previous_start is not None:
                note += f" {w.moment(session.previous_start)}"
            line += f" ({note})"
        location = session.location
        if location is not None and location != event.location:
            line += f" ({self.place(location)})"
        return line

    def agenda_line(self, item: AgendaItem) -> str:
        w = self.words
        parts: list[str] = []
        if item.start is not None:
            clock = w.clock(item.start)
            parts.append(f"{clock}–{w.clock(item.end)}" if item.end is not None else clock)
        title = self.text(item.title)
        if item.speakers:
            title += " – " + "; ".join(self.person(p) for p in item.speakers)
        parts.append(title)
        line = " ".join(parts)
        if item.description is not None:
            description = self.text(item.description)
            line += ("" if line.endswith((".", "!", "?")) else ".") + f" {description}"
        return line

    def programme(self, programme: Programme) -> tuple[Block, ...]:
        w = self.words
        blocks = self.common(programme)
        period = w.period(programme.period) if programme.period else w["to_be_announced"]
        blocks.append(Facts(tuple(self.facts(programme, period))))
        modules = [self.catalogue.event(m) for m in programme.modules]
        if modules:
            lines = [f"{self.text(m.title)} ({self.when(m)})" for m in modules]
            blocks += [Heading(self.level + 1, w["modules"]), Items(tuple(lines))]
        return tuple(blocks)


def _locations(event: Event) -> list[Location]:
    locations = [event.location_of(s) for s in event.sessions] or [event.location]
    return [loc for loc in locations if loc is not None]


def render(
    catalogue: Catalogue,
    words: Words,
    *,
    event: str | None = None,
    programme: str | None = None,
    include_drafts: bool = False,
) -> Document:
    """The announcement of the whole catalogue, or of one event or programme."""
    if include_drafts:
        catalogue = attrs.evolve(
            catalogue,
            events=[attrs.evolve(e, publication=Publication.PUBLIC) for e in catalogue.events],
            programmes=[
                attrs.evolve(p, publication=Publication.PUBLIC) for p in catalogue.programmes
            ],
        )
    visible = public_view(catalogue)
    if event is not None or programme is not None:
        renderer = _Renderer(visible, words, 1)
        try:
            if event is not None:
                section = renderer.event(visible.event(event))
            else:
                assert programme is not None
                section = renderer.programme(visible.programme(programme))
        except KeyError:
            kind, id = ("event", event) if event is not None else ("programme", programme)
            assert id is not None
            raise UnresolvedReferenceError(id, expected=f"public {kind}", path=kind) from None
        return Document(language=words.language, title=None, sections=(section,))
    title = visible.name.best(words.language) if visible.name is not None else None
    renderer = _Renderer(visible, words, 2 if title is not None else 1)
    sections = [renderer.event(e) for e in visible.events]
    sections += [renderer.programme(p) for p in visible.programmes]
    return Document(language=words.language, title=title, sections=tuple(sections))
