"""Sign-in sheets back in: who signed for a session, as attendance to record.

A sign-in sheet is what :func:`libkurs.formats.participants.sign_in_sheet_csv` writes (and
``libkurs participants --session S --output F`` saves): one row per confirmed participant of the
session, by name, with an empty signature column to sign on paper or in a spreadsheet. Read back,
a row whose signature cell holds anything (a name, an ``x``) is *present*, one that says
``partial`` (``delvis``, ``osittain``) is *partial*, and an empty one is *absent*.

Rows are matched to the session's confirmed participants by name, as the sheet shows no ids. A
name that matches nobody, or more than one person, is an error that names its row: nothing is
recorded from a sheet that cannot be read whole.
"""

from __future__ import annotations

import csv
import io

import attrs

from libkurs.enrolment import (
    EnrolmentStatus,
    Presence,
    Register,
    resolve_target,
    targets_of_session,
)
from libkurs.errors import EnrolmentError, FormatError
from libkurs.model import Catalogue

__all__ = ["SignedRow", "read_sign_in_sheet"]

_PARTIAL = frozenset({"partial", "partly", "delvis", "osittain", "osittainen"})
_NAME = frozenset({"name", "namn", "nimi"})
_SIGNATURE = frozenset({"signature", "underskrift", "allekirjoitus"})
_FORMULA_GUARD = "'"


@attrs.frozen(kw_only=True)
class SignedRow:
    """One row of a sign-in sheet, matched to an enrolment."""

    row: int
    """The 1-based data row (the header is row 0)."""
    enrolment: str
    participant: str
    presence: Presence


def _decode(data: str | bytes, source: str | None) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FormatError("not UTF-8 or UTF-16 text", source=source)


def _cell(text: str) -> str:
    """The text of a cell as written, without the apostrophe that guards a formula."""
    text = text.strip()
    if text.startswith(_FORMULA_GUARD) and text[1:2] in {"=", "+", "-", "@"}:
        return text[1:]
    return text


def _candidates(
    register: Register, catalogue: Catalogue, session: str
) -> dict[str, list[tuple[str, str]]]:
    """The confirmed participants of *session* by folded name: (enrolment id, participant id)."""
    _event, target_ids = targets_of_session(catalogue, session)
    candidates: dict[str, list[tuple[str, str]]] = {}
    for target_id in target_ids:
        try:
            target = resolve_target(catalogue, target_id)
        except EnrolmentError:  # an event with runs is attended through its runs
            continue
        for enrolment in register.enrolments_in(target_id):
            attends = enrolment.sessions or tuple(s.id for s in target.sessions)
            if enrolment.status is EnrolmentStatus.CONFIRMED and session in attends:
                name = register.participant(enrolment.participant).name.casefold()
                candidates.setdefault(name, []).append((enrolment.id, enrolment.participant))
    return candidates


def _presence(signature: str) -> Presence:
    if not signature:
        return Presence.ABSENT
    if signature.casefold() in _PARTIAL:
        return Presence.PARTIAL
    return Presence.PRESENT


def read_sign_in_sheet(
    data: str | bytes,
    register: Register,
    catalogue: Catalogue,
    session: str,
    *,
    source: str | None = None,
) -> tuple[SignedRow, ...]:
    """Read a signed sheet of *session* into one :class:`SignedRow` per participant on it.

    Raises:
        UnknownIdError: the catalogue has no session of that id.
        FormatError: no name or signature column, or a name that matches no confirmed
            participant of the session or more than one; the row is named.
    """
    candidates = _candidates(register, catalogue, session)
    text = _decode(data, source)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise FormatError("the sign-in sheet is empty", source=source)
    header = [cell.strip().casefold() for cell in rows[0]]
    try:
        name_at = next(i for i, h in enumerate(header) if h in _NAME)
        signed_at = next(i for i, h in enumerate(header) if h in _SIGNATURE)
    except StopIteration:
        raise FormatError(
            "a sign-in sheet needs a name and a signature column "
            "(Namn/Nimi/Name and Underskrift/Allekirjoitus/Signature)",
            source=source,
            row=0,
        ) from None
    signed: list[SignedRow] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        name = _cell(row[name_at]) if name_at < len(row) else ""
        signature = _cell(row[signed_at]) if signed_at < len(row) else ""
        found = candidates.get(name.casefold(), [])
        column = rows[0][name_at]
        if not found:
            raise FormatError(
                f"{name!r} is not a confirmed participant of session {session!r}",
                source=source,
                row=number,
                column=column,
            )
        if len(found) > 1:
            raise FormatError(
                f"{len(found)} confirmed participants of {session!r} are called {name!r}: "
                "record their attendance by participant id instead",
                source=source,
                row=number,
                column=column,
            )
        enrolment_id, participant = found[0]
        if enrolment_id in seen:
            raise FormatError(
                f"{name!r} is on the sheet twice", source=source, row=number, column=column
            )
        seen.add(enrolment_id)
        signed.append(
            SignedRow(
                row=number,
                enrolment=enrolment_id,
                participant=participant,
                presence=_presence(signature),
            )
        )
    return tuple(signed)
