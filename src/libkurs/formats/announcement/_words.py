"""The words and date patterns of announcements in Swedish, Finnish and English.

Month and weekday names, language and country names and list joining come from Babel (CLDR);
the domain's own words ("på distans", "etänä", "online") are in the small table below.
Dates are written the way each language writes them in Finland:

- Swedish: ``onsdag 1 februari 2023 kl. 12.00–16.00``
- Finnish: ``keskiviikkona 1. helmikuuta 2023 klo 12.00–16.00`` (CLDR's formatting weekday,
  in the essive case, as Finnish writes a date in running text)
- English: ``Wednesday 1 February 2023, 12:00–16:00``

A session known only as a part of its day is that day and the part's name, with no clock:
``torsdag 12 januari 2023, förmiddag``. A deadline known only to the day is that day:
``senast tisdag 7 mars 2023``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list

from libkurs.model import PartialDate, PartOfDay, Period, Status

__all__ = ["LANGUAGES", "Words", "words"]

#: The languages announcements are written in.
LANGUAGES: Final = ("sv", "fi", "en")

_DAY_PATTERNS: Final = {"sv": "EEEE d MMMM y", "fi": "EEEE d. MMMM y", "en": "EEEE d MMMM y"}
_MONTH_PATTERNS: Final = {"sv": "LLLL y", "fi": "LLLL y", "en": "LLLL y"}
_CLOCK_PATTERNS: Final = {"sv": "H.mm", "fi": "H.mm", "en": "HH:mm"}
_CLOCK_WORDS: Final = {"sv": " kl. ", "fi": " klo ", "en": ", "}

_TABLE: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "time": "Tid",
        "place": "Plats",
        "language": "Språk",
        "organiser": "Arrangör",
        "speakers": "Talare",
        "audience": "Målgrupp",
        "open_to_all": "öppet för alla intresserade",
        "price": "Pris",
        "free": "avgiftsfritt",
        "enrolment": "Anmälan",
        "deadline": "senast",
        "no_enrolment": "ingen anmälan behövs",
        "places": "platser",
        "on_site": "på plats",
        "online": "på distans",
        "online_via": "på distans via {platform}",
        "or": "eller",
        "recording": "Inspelning",
        "recorded": "tillfället spelas in",
        "not_recorded": "tillfället spelas inte in",
        "keywords": "Teman",
        "links": "Länkar",
        "programme": "Program",
        "modules": "Moduler",
        "dates": "Datum",
        "to_be_announced": "meddelas senare",
        "status": "Obs!",
        "cancelled": "inställt",
        "postponed": "uppskjutet, ny tid meddelas senare",
        "rescheduled": "flyttat till en ny tid; tidigare",
        "moved_online": "flyttat till distans",
    },
    "fi": {
        "time": "Aika",
        "place": "Paikka",
        "language": "Kieli",
        "organiser": "Järjestäjä",
        "speakers": "Puhujat",
        "audience": "Kohderyhmä",
        "open_to_all": "avoin kaikille kiinnostuneille",
        "price": "Hinta",
        "free": "maksuton",
        "enrolment": "Ilmoittautuminen",
        "deadline": "viimeistään",
        "no_enrolment": "ilmoittautumista ei tarvita",
        "places": "paikkaa",
        "on_site": "paikan päällä",
        "online": "etänä",
        "online_via": "etänä ({platform})",
        "or": "tai",
        "recording": "Tallenne",
        "recorded": "tilaisuus tallennetaan",
        "not_recorded": "tilaisuutta ei tallenneta",
        "keywords": "Teemat",
        "links": "Linkit",
        "programme": "Ohjelma",
        "modules": "Moduulit",
        "dates": "Ajankohdat",
        "to_be_announced": "ilmoitetaan myöhemmin",
        "status": "Huom!",
        "cancelled": "peruttu",
        "postponed": "siirretty, uusi ajankohta ilmoitetaan myöhemmin",
        "rescheduled": "siirretty uuteen ajankohtaan; aiemmin",
        "moved_online": "siirretty etätilaisuudeksi",
    },
    "en": {
        "time": "Time",
        "place": "Place",
        "language": "Language",
        "organiser": "Organiser",
        "speakers": "Speakers",
        "audience": "Audience",
        "open_to_all": "open to everyone interested",
        "price": "Price",
        "free": "free of charge",
        "enrolment": "Enrolment",
        "deadline": "by",
        "no_enrolment": "no enrolment needed",
        "places": "places",
        "on_site": "on site",
        "online": "online",
        "online_via": "online via {platform}",
        "or": "or",
        "recording": "Recording",
        "recorded": "the session is recorded",
        "not_recorded": "the session is not recorded",
        "keywords": "Themes",
        "links": "Links",
        "programme": "Programme",
        "modules": "Modules",
        "dates": "Dates",
        "to_be_announced": "to be announced",
        "status": "Note:",
        "cancelled": "cancelled",
        "postponed": "postponed, new time to be announced",
        "rescheduled": "moved to a new time; previously",
        "moved_online": "moved online",
    },
}


class Words:
    """The words and date formats of one language."""

    def __init__(self, language: str) -> None:
        if language not in _TABLE:
            raise ValueError(
                f"announcements are written in {', '.join(LANGUAGES)}, not {language!r}"
            )
        self.language = language
        self.locale = Locale.parse(language)
        self._table = _TABLE[language]

    def __getitem__(self, key: str) -> str:
        return self._table[key]

    def status(self, status: Status) -> str:
        """The word for a status other than scheduled."""
        return self._table[status.value]

    def part(self, part: PartOfDay) -> str:
        """The name of a part of the day: ``förmiddag``, ``aamupäivä``, ``morning``."""
        return part.words[self.language]

    def day(self, day: date) -> str:
        """A calendar day with its weekday, as the language writes it in running text."""
        return format_date(day, _DAY_PATTERNS[self.language], locale=self.locale)

    def clock(self, moment: datetime) -> str:
        """A time of day."""
        return format_time(moment, _CLOCK_PATTERNS[self.language], locale=self.locale)

    def moment(self, moment: datetime) -> str:
        """A day and a time of day."""
        return f"{self.day(moment.date())}{_CLOCK_WORDS[self.language]}{self.clock(moment)}"

    def span(self, start: datetime, end: datetime, *, all_day: bool) -> str:
        """When a session takes place: one day or several, with or without times."""
        end = end.astimezone(start.tzinfo)
        if all_day:
            last = (end - timedelta(microseconds=1)).date()
            if last == start.date():
                return self.day(start.date())
            return f"{self.day(start.date())} – {self.day(last)}"
        if end.date() == start.date() or (end.time() == datetime.min.time() and end > start):
            clock_end = self.clock(end)
            if end.date() != start.date():
                clock_end = "24.00" if self.language != "en" else "24:00"
            return f"{self.moment(start)}–{clock_end}"
        return f"{self.moment(start)} – {self.moment(end)}"

    def partial(self, partial: PartialDate) -> str:
        """A date known to the year, the month or the day."""
        if partial.day is not None:
            return self.day(partial.first_day)
        if partial.month is not None:
            return format_date(partial.first_day, _MONTH_PATTERNS[self.language], self.locale)
        return str(partial.year)

    def period(self, period: Period) -> str:
        """A period such as ``augusti 2022 – september 2022`` or ``2023–2024``."""
        if period.end is None or period.end == period.start:
            return self.partial(period.start)
        if period.start.month is None and period.end.month is None:
            return f"{period.start.year}–{period.end.year}"
        return f"{self.partial(period.start)} – {self.partial(period.end)}"

    def language_name(self, tag: str) -> str:
        """The name of a language in this language (``fi`` is ``finska`` in Swedish)."""
        name = self.locale.languages.get(tag.partition("-")[0])
        return name if isinstance(name, str) else tag

    def country_name(self, code: str) -> str:
        """The name of a country from its ISO 3166 code (``DK`` is ``Danmark`` in Swedish)."""
        name = self.locale.territories.get(code.upper())
        return name if isinstance(name, str) else code

    def join(self, items: list[str]) -> str:
        """``a, b och c`` as the language joins a list."""
        return format_list(items, locale=self.locale) if items else ""


def words(language: str) -> Words:
    """The words of *language* (``"sv"``, ``"fi"`` or ``"en"``)."""
    return Words(language)
