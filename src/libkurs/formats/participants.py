"""Participant lists out: per event, and per session as a sign-in sheet; CSV and JSON.

These lists are personal data for the organiser, not for the public. The CSV is safe to open
in a spreadsheet: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, which Excel and LibreOffice would run as a formula, is written with a leading
apostrophe (:func:`neutralize`), as OWASP advises against CSV injection. The first of these
is looked for past any leading whitespace (the no-break space and every other Unicode space),
invisible characters and quotes, and the fullwidth ``＝＋－＠`` count as their ASCII forms.

>>> print(neutralize("=SUM(A1:A9)"))
'=SUM(A1:A9)
>>> print(neutralize('\u00a0"＝HYPERLINK(1)'))
'\u00a0"＝HYPERLINK(1)
>>> neutralize("Anna")
'Anna'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from libkurs.enrolment import (
    Enrolment,
    EnrolmentError,
    EnrolmentStatus,
    ParticipationMode,
    Register,
    UnknownIdError,
    resolve_target,
    targets_of_event,
    targets_of_session,
)
from libkurs.model import Catalogue

__all__ = [
    "FORMAT_NAME",
    "neutralize",
    "participants_csv",
    "participants_json",
    "sign_in_sheet_csv",
]

#: The ``format`` header of a participant list in JSON.
FORMAT_NAME: Final = "libkurs.participants"
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_SIGNS: Final = frozenset("=+-@＝＋－＠")
# What a spreadsheet may skip before a formula: quotes and characters that show nothing. Not the
# apostrophe: a cell that begins with one is text already.
_SKIPPED: Final = frozenset('"‘’“”„‚«»‹›`´\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad')

_HEADERS: Final = {
    "sv": ("Namn", "E-post", "Organisation", "Kommun", "Språk", "Telefon", "Deltar",
           "Status", "Anmäld till", "Anmäld"),
    "fi": ("Nimi", "Sähköposti", "Organisaatio", "Kunta", "Kieli", "Puhelin", "Osallistuu",
           "Tila", "Ilmoittautunut", "Ilmoittautui"),
    "en": ("Name", "Email", "Organisation", "Municipality", "Language", "Phone", "Takes part",
           "Status", "Enrolled in", "Enrolled"),
}  # fmt: skip
_SIGN_IN: Final = {
    "sv": ("Namn", "Organisation", "Deltar", "Underskrift"),
    "fi": ("Nimi", "Organisaatio", "Osallistuu", "Allekirjoitus"),
    "en": ("Name", "Organisation", "Takes part", "Signature"),
}
_MODES: Final = {
    "sv": {ParticipationMode.ON_SITE: "på plats", ParticipationMode.REMOTE: "på distans"},
    "fi": {ParticipationMode.ON_SITE: "paikan päällä", ParticipationMode.REMOTE: "etänä"},
    "en": {ParticipationMode.ON_SITE: "on site", ParticipationMode.REMOTE: "remote"},
}


def neutralize(cell: str) -> str:
    """*cell* with a leading apostrophe if a spreadsheet would read it as a formula.

    That is: if it starts with a formula sign or a tab or carriage return, or has a formula
    sign (``=+-@`` or their fullwidth forms) after leading spaces, invisible characters and
    quotes. A cell that begins with an apostrophe is text already and stays as it is.
    """
    if cell.startswith(_FORMULA_STARTS):
        return f"'{cell}"
    if cell.startswith("'"):
        return cell
    for character in cell:
        if character in _FORMULA_SIGNS:
            return f"'{cell}"
        if not (character.isspace() or character in _SKIPPED or not character.isprintable()):
            break
    return cell


@attrs.frozen
class _Line:
    enrolment: Enrolment
    name: str
    email: str
    organisation: str
    municipality: str
    language: str
    phone: str
    enrolled_in: str


def _lines(
    register: Register,
    catalogue: Catalogue,
    target_ids: Iterable[str],
    *,
    statuses: frozenset[EnrolmentStatus],
    language: str,
    session: str | None = None,
) -> list[_Line]:
    lines = []
    for target_id in target_ids:
        try:
            target = resolve_target(catalogue, target_id)
        except (EnrolmentError, UnknownIdError):
            continue
        title = target.title.best(language)
        for enrolment in register.enrolments_in(target_id):
            if enrolment.status not in statuses:
                continue
            if session is not None:
                attends = enrolment.sessions or tuple(s.id for s in target.sessions)
                if session not in attends:
                    continue
            person = register.participant(enrolment.participant)
            lines.append(
                _Line(
                    enrolment=enrolment,
                    name=person.name,
                    email=person.email or "",
                    organisation=person.organisation or "",
                    municipality=person.municipality or "",
                    language=person.language,
                    phone=person.phone or "",
                    enrolled_in=title,
                )
            )
    return lines


def _write(rows: Iterable[Iterable[str]], delimiter: str) -> str:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([neutralize(cell) for cell in row] for row in rows)
    return text.getvalue()


def _words(table: Mapping[str, tuple[str, ...]], language: str) -> tuple[str, ...]:
    return table.get(language, table["en"])


def participants_csv(
    register: Register,
    catalogue: Catalogue,
    event: str,
    *,
    statuses: Iterable[EnrolmentStatus] = (EnrolmentStatus.CONFIRMED,),
    language: str = "sv",
    delimiter: str = ";",
) -> str:
    """The participants of *event* as CSV, with headers in *language* (``sv``, ``fi``, ``en``).

    *event* may also be a run or a programme id. The participants of an event are those
    enrolled in it, in its runs and in the programmes that have it as a module; by default only
    the confirmed ones. Semicolons separate cells, as Excel expects in Finland and Sweden.
    """
    modes = _MODES.get(language, _MODES["en"])
    lines = _lines(
        register,
        catalogue,
        targets_of_event(catalogue, event),
        statuses=frozenset(statuses),
        language=language,
    )
    rows: list[tuple[str, ...]] = [_words(_HEADERS, language)]
    rows.extend(
        (
            line.name, line.email, line.organisation, line.municipality, line.language,
            line.phone, modes[line.enrolment.mode], line.enrolment.status.value,
            line.enrolled_in, line.enrolment.requested.isoformat(),
        )
        for line in lines
    )  # fmt: skip
    return _write(rows, delimiter)


def sign_in_sheet_csv(
    register: Register,
    catalogue: Catalogue,
    session: str,
    *,
    language: str = "sv",
    delimiter: str = ";",
) -> str:
    """A sign-in sheet for one session: the confirmed participants attending it, by name."""
    _event, target_ids = targets_of_session(catalogue, session)  # or UnknownIdError
    modes = _MODES.get(language, _MODES["en"])
    lines = _lines(
        register,
        catalogue,
        target_ids,
        statuses=frozenset({EnrolmentStatus.CONFIRMED}),
        language=language,
        session=session,
    )
    lines.sort(key=lambda line: line.name.casefold())
    rows: list[tuple[str, ...]] = [_words(_SIGN_IN, language)]
    rows.extend((line.name, line.organisation, modes[line.enrolment.mode], "") for line in lines)
    return _write(rows, delimiter)


def participants_json(
    register: Register,
    catalogue: Catalogue,
    event: str,
    *,
    statuses: Iterable[EnrolmentStatus] = (EnrolmentStatus.CONFIRMED,),
    indent: int | None = 2,
) -> str:
    """The participants of *event* as JSON (``"format": "libkurs.participants"``)."""
    lines = _lines(
        register,
        catalogue,
        targets_of_event(catalogue, event),
        statuses=frozenset(statuses),
        language="en",
    )
    document = {
        "format": FORMAT_NAME,
        "version": 1,
        "event": event,
        "participants": [
            {
                "enrolment": line.enrolment.id,
                "participant": line.enrolment.participant,
                "name": line.name,
                "email": line.email or None,
                "organisation": line.organisation or None,
                "municipality": line.municipality or None,
                "language": line.language,
                "phone": line.phone or None,
                "mode": line.enrolment.mode.value,
                "status": line.enrolment.status.value,
                "target": line.enrolment.target,
                "enrolled": line.enrolment.requested.isoformat(),
            }
            for line in lines
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"
