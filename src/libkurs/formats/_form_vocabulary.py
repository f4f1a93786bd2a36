"""The vocabulary of registration forms: fields, the headers that name them, presets, answers.

Form exports name their columns in Swedish, Finnish or English, and each program adds columns
of its own (a response time, the responder's e-mail). A :class:`FormPreset` lists those; the
questions every form asks are shared by all presets. Answers to "how do you take part" and
"language of service" are read from words in the three languages, and response times in the
ways these programs write them (:func:`parse_time`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Final

import attrs

from libkurs.enrolment import ParticipationMode
from libkurs.errors import ValidationError
from libkurs.model import Catalogue
from libkurs.model._checks import check_aware

__all__ = [
    "DateOrder",
    "FormField",
    "FormPreset",
    "GOOGLE_FORMS",
    "LANGUAGES",
    "MICROSOFT_FORMS",
    "MODES",
    "PRESETS",
    "TEMPLATE",
    "WEBROPOL",
    "date_orders",
    "map_columns",
    "parse_time",
    "target_names",
]


class FormField(enum.StrEnum):
    """What a column of a form export holds."""

    SUBMITTED = "submitted"
    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    EMAIL = "email"
    ORGANISATION = "organisation"
    MUNICIPALITY = "municipality"
    LANGUAGE = "language"
    PHONE = "phone"
    MODE = "mode"
    TARGET = "target"
    """Which programme, event or run (its id, title or period), when the form offers a choice."""


F = FormField


class DateOrder(enum.StrEnum):
    """Which comes first in a date written with slashes: ``12/01/2023`` is 12 January day first.

    Google Forms and Microsoft Forms write dates as the form owner's locale does: month first
    in the United States, day first in Britain. Dates with dots (``12.1.2023``, day first) and
    dates that begin with the year are never ambiguous.
    """

    DAY_FIRST = "day-first"
    MONTH_FIRST = "month-first"


# The questions forms ask, in Swedish, Finnish and English (compared without case).
_QUESTIONS: dict[FormField, tuple[str, ...]] = {
    F.NAME: ("name", "full name", "namn", "för- och efternamn", "nimi", "etu- ja sukunimi"),
    F.FIRST_NAME: ("first name", "förnamn", "etunimi"),
    F.LAST_NAME: ("last name", "surname", "efternamn", "sukunimi"),
    F.EMAIL: (
        "email", "e-mail", "email address", "e-post", "e-postadress", "sähköposti",
        "sähköpostiosoite",
    ),
    F.ORGANISATION: (
        "organisation", "organization", "library", "workplace", "organisation/library",
        "bibliotek", "arbetsplats", "organisation/bibliotek", "organisaatio", "kirjasto",
        "työpaikka", "organisaatio/kirjasto",
    ),
    F.MUNICIPALITY: ("municipality", "kommun", "kunta"),
    F.LANGUAGE: (
        "language", "language of service", "service language", "språk", "betjäningsspråk",
        "kieli", "asiointikieli",
    ),
    F.PHONE: ("phone", "telephone", "phone number", "telefon", "telefonnummer", "puhelin",
              "puhelinnumero"),
    F.MODE: (
        "participation", "i will take part", "attendance", "deltar", "jag deltar", "deltagande",
        "osallistun", "osallistumistapa",
    ),
    F.TARGET: ("run", "date", "omgång", "datum", "tillfälle", "toteutus", "ajankohta"),
}  # fmt: skip


@attrs.frozen(kw_only=True)
class FormPreset:
    """The columns one form program adds of its own, on top of the questions every form asks."""

    name: str
    columns: Mapping[FormField, tuple[str, ...]] = attrs.field(factory=dict)
    """Header names (any case) of the program's own columns, per field."""
    date_order: DateOrder | None = None
    """How the program writes dates with slashes, when it always writes them one way."""

    def aliases(self) -> dict[str, FormField]:
        """Every header this preset recognises (case-folded), and its field."""
        known = {alias.casefold(): field for field, names in _QUESTIONS.items() for alias in names}
        for field, names in self.columns.items():
            known.update({alias.casefold(): field for alias in names})
        return known


WEBROPOL: Final = FormPreset(
    name="webropol",
    columns={F.SUBMITTED: ("vastausaika", "vastattu", "svarstid", "response time", "answered")},
)
MICROSOFT_FORMS: Final = FormPreset(
    name="microsoft-forms",
    columns={
        F.SUBMITTED: ("completion time", "slutföringstid", "valmistumisaika"),
        F.EMAIL: ("email", "e-post", "sähköposti"),
        F.NAME: ("name", "namn", "nimi"),
    },
)
GOOGLE_FORMS: Final = FormPreset(
    name="google-forms",
    columns={
        F.SUBMITTED: ("timestamp", "tidstämpel", "tidsstämpel", "aikaleima"),
        F.EMAIL: ("email address", "e-postadress", "sähköpostiosoite"),
    },
)
TEMPLATE: Final = FormPreset(
    name="template",
    columns={field: (field.value,) for field in FormField}
    | {F.SUBMITTED: ("submitted", "inskickad", "lähetetty")},
)
#: The presets by name.
PRESETS: Final = {p.name: p for p in (WEBROPOL, MICROSOFT_FORMS, GOOGLE_FORMS, TEMPLATE)}

MODES: tuple[tuple[ParticipationMode, tuple[str, ...]], ...] = (
    (ParticipationMode.REMOTE, ("remote", "online", "distans", "etä", "zoom", "teams", "verkossa")),
    (ParticipationMode.ON_SITE, ("on site", "on-site", "in person", "på plats", "paikan päällä",
                                 "paikalla", "lähi")),
)  # fmt: skip
LANGUAGES: dict[str, str] = {
    "svenska": "sv", "ruotsi": "sv", "swedish": "sv", "på svenska": "sv", "ruotsiksi": "sv",
    "finska": "fi", "suomi": "fi", "finnish": "fi", "på finska": "fi", "suomeksi": "fi",
    "engelska": "en", "englanti": "en", "english": "en", "in english": "en", "englanniksi": "en",
}  # fmt: skip
_TIMES: Final = (
    "%d.%m.%Y %H.%M.%S", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
)  # fmt: skip
_SLASH_TIMES: Final = {
    DateOrder.DAY_FIRST: (
        "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M %p",
        "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M",
    ),
    DateOrder.MONTH_FIRST: (
        "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
        "%m/%d/%y %H:%M:%S", "%m/%d/%y %H:%M",
    ),
}  # fmt: skip
_SLASH_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/\d{2,4}\b")
# What every pattern above begins with: a text without it is refused before trying each one
# (strptime is slow, and a file of bad rows would try every pattern on every row).
_TIME_SHAPE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s+\d{1,2}[.:]\d{1,2}")
_ZONE = re.compile(
    r"\s+(?:(?P<utc>UTC|GMT)(?:\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?"
    r"|(?P<eastern>EEST|EET))$",
    re.IGNORECASE,
)
_EASTERN = {"eet": timedelta(hours=2), "eest": timedelta(hours=3)}


def _slash_order(text: str) -> DateOrder | None:
    """The only order a slash date can be read in, or None if both (or neither) fit."""
    match = _SLASH_DATE.match(text)
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    if first > 12 >= second:
        return DateOrder.DAY_FIRST
    if second > 12 >= first:
        return DateOrder.MONTH_FIRST
    return None


def date_orders(texts: Iterable[str]) -> dict[DateOrder, int]:
    """The orders that slash dates among *texts* can only be read in, each with its first index.

    ``13/01/2023`` can only be day first, ``01/13/2023`` only month first; ``12/01/2023`` says
    nothing. A file that gives both mixes its dates.
    """
    found: dict[DateOrder, int] = {}
    for index, text in enumerate(texts):
        order = _slash_order(text)
        if order is not None:
            found.setdefault(order, index)
    return found


def _zone(text: str) -> tuple[str, tzinfo | None]:
    """*text* without a trailing zone (``UTC``, ``GMT+2``, ``GMT-05:00``, ``EET``), and the zone."""
    match = _ZONE.search(text)
    if match is None:
        return text, None
    if match["eastern"]:
        return text[: match.start()], timezone(_EASTERN[match["eastern"].casefold()])
    hours, minutes = int(match["hours"] or 0), int(match["minutes"] or 0)
    if hours > 14 or minutes > 59:
        raise ValidationError(f"not a time zone: {match.group().strip()!r}")
    offset = timedelta(hours=hours, minutes=minutes)
    offset = -offset if match["sign"] == "-" else offset
    return text[: match.start()], timezone(offset) if offset else UTC


def parse_time(text: str, zone: tzinfo, order: DateOrder | None = None) -> datetime:
    """A response time as form programs write it, aware.

    A trailing ``UTC``, ``GMT``, ``GMT+2`` or ``GMT-5`` (and ``EET``/``EEST``) is the offset it
    says; a time without a zone is in *zone*. A date with slashes is read in *order*; without
    one, a date such as ``12/01/2023`` that reads both ways is refused.

    >>> from libkurs import HELSINKI
    >>> parse_time("2023-01-10 10:00:00 GMT-5", HELSINKI).isoformat()
    '2023-01-10T10:00:00-05:00'
    >>> parse_time("13/01/2023 10:15:30", HELSINKI).isoformat()
    '2023-01-13T10:15:30+02:00'

    Raises:
        ValidationError: not a date and time, an ambiguous date, or a time that does not exist
            in *zone* (in the gap when summer time begins).
    """
    text, given = _zone(text.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        if not _TIME_SHAPE.match(text):
            raise ValidationError(f"unrecognised date and time {text!r}") from None
        patterns: tuple[str, ...] = _TIMES
        if _SLASH_DATE.match(text):
            order = order or _slash_order(text)
            if order is None:
                raise ValidationError(
                    f"ambiguous date {text!r}: give the date order (day-first or month-first)"
                ) from None
            patterns = _SLASH_TIMES[order]
        for pattern in patterns:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise ValidationError(f"unrecognised date and time {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=given or zone)
    elif given is not None and moment.utcoffset() != given.utcoffset(None):
        raise ValidationError(f"two different time zones in {text!r}")
    check_aware(moment, "")
    return moment


def _normalise(header: str) -> str:
    return header.strip().rstrip("*:?").strip().casefold()


def map_columns(
    header: list[str], preset: FormPreset, mapping: Mapping[str, FormField | str] | None
) -> dict[FormField, int]:
    """Which column holds each field: by the preset's aliases and the custom *mapping*.

    A header may also give several names separated by `` / `` (``Kommun / Kunta``).

    Raises:
        ValidationError: *mapping* names a field that does not exist (``path`` names it).
    """
    aliases = preset.aliases()
    custom: dict[str, FormField] = {}
    for header_name, field_name in (mapping or {}).items():
        try:
            custom[_normalise(header_name)] = FormField(field_name)
        except ValueError:
            known = ", ".join(field.value for field in FormField)
            raise ValidationError(
                f"no form field {field_name!r}; the fields are {known}",
                path=f"mapping[{header_name!r}]",
            ) from None
    columns: dict[FormField, int] = {}
    for index, name in enumerate(header):
        key = _normalise(name)
        candidates = [key, *(_normalise(part) for part in re.split(r"\s+/\s+", name))]
        for candidate in candidates:
            field = custom.get(candidate) or aliases.get(candidate)
            if field is not None:
                columns[field] = index  # the last matching column wins
                break
    return columns


def target_names(catalogue: Catalogue) -> dict[str, str]:
    """The ids of the catalogue's programmes, events and runs by every name a form may use.

    Its id, its titles in every language and a run's period, all without case.
    """
    names: dict[str, str] = {}
    offerings = [*catalogue.programmes, *catalogue.events]
    for offering in offerings:
        names[offering.id.casefold()] = offering.id
        names.update({text.casefold(): offering.id for text in offering.title.texts.values()})
    for event in catalogue.events:
        for run in event.runs:
            names[run.id.casefold()] = run.id
            if run.title is not None:
                names.update({text.casefold(): run.id for text in run.title.texts.values()})
            if run.period is not None:
                names[str(run.period)] = run.id
    return names
