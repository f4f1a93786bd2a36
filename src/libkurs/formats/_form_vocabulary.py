"""The vocabulary of registration forms: fields, the headers that name them, presets, answers.

Form exports name their columns in Swedish, Finnish or English, and each program adds columns
of its own (a response time, the responder's e-mail). A :class:`FormPreset` lists those; the
questions every form asks are shared by all presets. Answers to "how do you take part" and
"language of service" are read from words in the three languages.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import Final

import attrs

from libkurs.enrolment import ParticipationMode

__all__ = [
    "FormField",
    "FormPreset",
    "GOOGLE_FORMS",
    "LANGUAGES",
    "MICROSOFT_FORMS",
    "MODES",
    "PRESETS",
    "TEMPLATE",
    "TIMES",
    "WEBROPOL",
    "ZONE_ABBREVIATION",
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
TIMES: Final = (
    "%d.%m.%Y %H.%M.%S", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%y %H:%M:%S", "%m/%d/%y %H:%M",
)  # fmt: skip
ZONE_ABBREVIATION = re.compile(r"\s+(?:EET|EEST|GMT[+-]\d+|UTC)$")
