"""A readable, plain-text listing of a catalogue in one language, for the terminal."""

from __future__ import annotations

from datetime import datetime

from libkurs.model import Catalogue, Event, LocalizedText, Programme, Session, Status

__all__ = ["render_listing"]

# The few words the listing needs, per language; unknown languages get English.
_WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "undated": "datum inte fastställt",
        "online": "på distans",
        "languages": "språk",
        "open_to_all": "öppet för alla",
        "programme": "Program",
        "modules": "moduler",
        "run": "omgång",
        "speaker": "talare",
        "organisers": "arrangör",
        "all_day": "hela dagen",
        "events": "Evenemang",
        "programmes": "Utbildningsprogram",
    },
    "fi": {
        "undated": "päivämäärä ei vielä tiedossa",
        "online": "etänä",
        "languages": "kieli",
        "open_to_all": "avoin kaikille",
        "programme": "Ohjelma",
        "modules": "moduulit",
        "run": "toteutus",
        "speaker": "puhuja",
        "organisers": "järjestäjä",
        "all_day": "koko päivän",
        "events": "Tapahtumat",
        "programmes": "Koulutusohjelmat",
    },
    "en": {
        "undated": "date not yet set",
        "online": "online",
        "languages": "languages",
        "open_to_all": "open to all",
        "programme": "Programme",
        "modules": "modules",
        "run": "run",
        "speaker": "speaker",
        "organisers": "organiser",
        "all_day": "all day",
        "events": "Events",
        "programmes": "Programmes",
    },
}
_STATUS: dict[str, dict[Status, str]] = {
    "sv": {
        Status.CANCELLED: "INSTÄLLT",
        Status.POSTPONED: "UPPSKJUTET",
        Status.RESCHEDULED: "NYTT DATUM",
        Status.MOVED_ONLINE: "FLYTTAT TILL NÄTET",
    },
    "fi": {
        Status.CANCELLED: "PERUTTU",
        Status.POSTPONED: "SIIRRETTY",
        Status.RESCHEDULED: "UUSI AJANKOHTA",
        Status.MOVED_ONLINE: "SIIRRETTY VERKKOON",
    },
    "en": {
        Status.CANCELLED: "CANCELLED",
        Status.POSTPONED: "POSTPONED",
        Status.RESCHEDULED: "RESCHEDULED",
        Status.MOVED_ONLINE: "MOVED ONLINE",
    },
}


class _Renderer:
    def __init__(self, catalogue: Catalogue, language: str) -> None:
        self.catalogue = catalogue
        self.language = language
        self.words = _WORDS.get(language, _WORDS["en"])
        self.statuses = _STATUS.get(language, _STATUS["en"])
        self.lines: list[str] = []

    def text(self, value: LocalizedText) -> str:
        return value.best(self.language)

    def status(self, status: Status) -> str:
        label = self.statuses.get(status)
        return f" [{label}]" if label else ""

    def when(self, session: Session) -> str:
        first, last = session.days
        if session.all_day:
            span = f"{first}" if first == last else f"{first} – {last}"
            part = session.part_of_day
            named = part.words.get(self.language, part.words["en"]) if part else None
            return f"{span} ({named or self.words['all_day']})"
        end: datetime = session.end.astimezone(session.start.tzinfo)
        if first == last:
            return f"{first} {session.start:%H.%M}–{end:%H.%M} ({session.start.tzinfo})"
        return f"{session.start:%Y-%m-%d %H.%M} – {end:%Y-%m-%d %H.%M} ({session.start.tzinfo})"

    def where(self, event: Event, session: Session | None) -> str | None:
        location = event.location_of(session) if session is not None else event.location
        if location is None:
            return None
        parts = []
        if location.venue is not None:
            parts.append(self.text(self.catalogue.venue(location.venue).name))
        if location.online is not None:
            platform = location.online.platform
            parts.append(
                f"{self.words['online']} ({platform})" if platform else self.words["online"]
            )
        return " + ".join(parts)

    def event(self, event: Event) -> None:
        self.lines.append(f"* {self.text(event.title)}{self.status(event.status)}")
        facts = []
        if event.organisers:
            names = ", ".join(
                self.text(self.catalogue.organisation(o).name) for o in event.organisers
            )
            facts.append(f"{self.words['organisers']}: {names}")
        if event.languages:
            facts.append(f"{self.words['languages']}: {', '.join(event.languages)}")
        if event.open_to_all:
            facts.append(self.words["open_to_all"])
        where = self.where(event, None)
        if where:
            facts.append(where)
        if facts:
            self.lines.append(f"    {' · '.join(facts)}")
        if not event.sessions and not event.runs:  # runs say when, as far as known
            period = f" ({event.period})" if event.period else ""
            self.lines.append(f"    {self.words['undated']}{period}")
        for run in event.runs:
            label = self.text(run.title) if run.title else run.id
            period = f" ({run.period})" if run.period else ""
            self.lines.append(f"    {self.words['run']}: {label}{period}")
        for session in sorted(event.sessions, key=lambda s: s.order_key):
            title = f" {self.text(session.title)}" if session.title else ""
            self.lines.append(f"    - {self.when(session)}{title}{self.status(session.status)}")
            for item in session.agenda:
                speakers = ", ".join(self.catalogue.person(p).name for p in item.speakers)
                self.lines.append(
                    f"        · {self.text(item.title)}{f' ({speakers})' if speakers else ''}"
                )
        for speaker in event.speakers:
            self.lines.append(f"    {self.words['speaker']}: {self.catalogue.person(speaker).name}")

    def programme(self, programme: Programme) -> None:
        period = f" ({programme.period})" if programme.period else ""
        self.lines.append(f"* {self.text(programme.title)}{period}{self.status(programme.status)}")
        if programme.modules:
            titles = ", ".join(self.text(self.catalogue.event(m).title) for m in programme.modules)
            self.lines.append(f"    {self.words['modules']}: {titles}")

    def render(self) -> str:
        if self.catalogue.name is not None:
            self.lines += [self.text(self.catalogue.name), ""]
        if self.catalogue.programmes:
            self.lines.append(f"{self.words['programmes']}:")
            for programme in self.catalogue.programmes:
                self.programme(programme)
            self.lines.append("")
        self.lines.append(f"{self.words['events']}:")
        for event in self.catalogue.events:
            self.event(event)
        return "\n".join(self.lines)


def render_listing(catalogue: Catalogue, language: str) -> str:
    """The catalogue as plain text in *language* (falling back along sv, fi, en)."""
    return _Renderer(catalogue, language).render()
