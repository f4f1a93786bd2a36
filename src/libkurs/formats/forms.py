"""Registration forms in: the CSV that Webropol, Microsoft Forms, Google Forms or a template give.

:func:`import_form` reads a form export and enrols every respondent, first come first served by
the time each answered. It tolerates what these programs and Excel write:

- UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode text") and
  Windows-1252 (Excel's "CSV" on Finnish and Swedish Windows);
- ``;``, ``,`` or tab between cells, found from the header line;
- headers in Swedish, Finnish or English, the program's own columns (response time, e-mail)
  as each :class:`FormPreset` knows them, and any other names through a custom mapping. When
  several columns match one field, the last is used: the form's own questions come after the
  program's columns;
- respondents who answered twice: the second answer is reported as a duplicate, not an error.

A bad cell is a :class:`~libkurs.errors.FormatError` with ``row`` (1-based, the header not
counted) and ``column`` (the header as written). A file with a bad row imports nothing, unless
``skip_bad_rows=True``: then the good rows are imported and the bad ones listed in
:attr:`FormImport.skipped`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from datetime import datetime, tzinfo

import attrs

from libkurs.enrolment import (
    EnrolmentError,
    Notification,
    Participant,
    ParticipationMode,
    Register,
    add_participant,
    enrol,
)
from libkurs.enrolment._lifecycle import ACTIVE
from libkurs.errors import FormatError, UnknownFormatError, ValidationError
from libkurs.formats._form_vocabulary import (
    GOOGLE_FORMS,
    LANGUAGES,
    MICROSOFT_FORMS,
    MODES,
    PRESETS,
    TEMPLATE,
    TIMES,
    WEBROPOL,
    ZONE_ABBREVIATION,
    FormField,
    FormPreset,
)
from libkurs.model import HELSINKI, Catalogue
from libkurs.model._checks import check_aware

__all__ = [
    "FormField",
    "FormImport",
    "FormPreset",
    "GOOGLE_FORMS",
    "MICROSOFT_FORMS",
    "PRESETS",
    "SkippedRow",
    "TEMPLATE",
    "WEBROPOL",
    "decode_csv",
    "import_form",
    "read_rows",
]

F = FormField


@attrs.frozen(kw_only=True)
class SkippedRow:
    """A row left out by ``skip_bad_rows=True``, and why."""

    row: int
    column: str | None
    reason: str


@attrs.frozen(kw_only=True)
class FormImport:
    """What :func:`import_form` did."""

    register: Register
    notifications: tuple[Notification, ...] = ()
    warnings: tuple[str, ...] = ()
    enrolled: tuple[str, ...] = ()
    """The ids of the new enrolments, in the order made."""
    duplicates: tuple[int, ...] = ()
    """Rows of people already enrolled in their target (a second answer, a re-import)."""
    skipped: tuple[SkippedRow, ...] = ()
    encoding: str = "utf-8"
    delimiter: str = ","


def decode_csv(
    data: bytes | str, *, encoding: str | None = None, source: str | None = None
) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in (found unless given)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), "str"
    if encoding is None:
        if data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif b"\x00" in data[:200]:
            raise FormatError(
                "looks like UTF-16 without a byte-order mark: pass encoding='utf-16-le'",
                source=source,
            )
        else:
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                encoding = "cp1252"
    try:
        return data.decode(encoding).removeprefix("\ufeff"), encoding
    except (UnicodeDecodeError, LookupError) as error:
        raise FormatError(f"cannot read the file as {encoding}: {error}", source=source) from error


def read_rows(text: str, *, source: str | None = None) -> tuple[list[list[str]], str]:
    """The rows of CSV *text* (header first, empty rows left out) and the delimiter found."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise FormatError(f"not valid CSV: {error}", source=source, line=reader.line_num) from error
    return [row for row in rows if any(cell.strip() for cell in row)], delimiter


@attrs.frozen
class _Answer:
    row: int
    submitted: datetime
    participant: Participant
    mode: ParticipationMode
    target: str
    target_column: str | None


class _RowError(Exception):
    def __init__(self, reason: str, column: str | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.column = column


def _normalise(header: str) -> str:
    return header.strip().rstrip("*:?").strip().casefold()


def _map_columns(
    header: list[str], preset: FormPreset, mapping: Mapping[str, FormField | str] | None
) -> dict[FormField, int]:
    aliases = preset.aliases()
    custom = {_normalise(k): FormField(v) for k, v in (mapping or {}).items()}
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


def _parse_time(text: str, zone: tzinfo) -> datetime:
    text = ZONE_ABBREVIATION.sub("", text.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for pattern in TIMES:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise _RowError(f"unrecognised date and time {text!r}", None) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        check_aware(moment, "")
    except ValidationError as error:
        raise _RowError(error.reason, None) from error
    return moment


def _target_names(catalogue: Catalogue) -> dict[str, str]:
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


def _parse_row(
    number: int,
    cells: list[str],
    header: list[str],
    columns: dict[FormField, int],
    *,
    target: str | None,
    targets: dict[str, str],
    mode: ParticipationMode,
    language: str,
    zone: tzinfo,
    now: datetime,
) -> _Answer:
    if len(cells) > len(header):
        raise _RowError(f"{len(cells)} cells, but the header has {len(header)} columns", None)

    def cell(field: FormField) -> tuple[str, str | None]:
        index = columns.get(field)
        if index is None:
            return "", None
        return (cells[index].strip() if index < len(cells) else ""), header[index]

    name, name_column = cell(F.NAME)
    if not name:
        first, first_column = cell(F.FIRST_NAME)
        last, _ = cell(F.LAST_NAME)
        name, name_column = f"{first} {last}".strip(), name_column or first_column
    if not name:
        raise _RowError("the name is missing", name_column)
    submitted_text, submitted_column = cell(F.SUBMITTED)
    try:
        submitted = _parse_time(submitted_text, zone) if submitted_text else now
    except _RowError as error:
        raise _RowError(error.reason, submitted_column) from None
    mode_text, mode_column = cell(F.MODE)
    chosen_mode = mode
    if mode_text:
        folded = mode_text.casefold()
        found = [m for m, words in MODES if any(w in folded for w in words)]
        if not found:
            raise _RowError(f"not on site or remote: {mode_text!r}", mode_column)
        chosen_mode = found[0]
    language_text, language_column = cell(F.LANGUAGE)
    chosen_language = LANGUAGES.get(language_text.casefold(), language_text) or language
    target_text, target_column = cell(F.TARGET)
    chosen_target = targets.get(target_text.casefold()) if target_text else target
    if chosen_target is None:
        reason = f"no programme, event or run called {target_text!r}" if target_text else ""
        raise _RowError(reason or "no target: pass target= or add a column for it", target_column)
    (email, email_column), (organisation, organisation_column) = cell(F.EMAIL), cell(F.ORGANISATION)
    (municipality, municipality_column), (phone, phone_column) = cell(F.MUNICIPALITY), cell(F.PHONE)
    try:
        participant = Participant(
            id="p0",
            name=name,
            email=email or None,
            organisation=organisation or None,
            municipality=municipality or None,
            phone=phone or None,
            language=chosen_language,
        )
    except ValidationError as error:
        place = {
            "name": name_column,
            "email": email_column,
            "organisation": organisation_column,
            "municipality": municipality_column,
            "phone": phone_column,
            "language": language_column,
        }
        raise _RowError(error.reason, place.get(error.path or "")) from error
    return _Answer(
        row=number,
        submitted=submitted,
        participant=participant,
        mode=chosen_mode,
        target=chosen_target,
        target_column=target_column,
    )


def _fresh_id(register: Register, taken: set[str]) -> str:
    number = len(register.participants) + 1
    existing = {p.id for p in register.participants}
    while f"p{number}" in existing or f"p{number}" in taken:
        number += 1
    return f"p{number}"


def import_form(
    data: bytes | str,
    register: Register,
    catalogue: Catalogue,
    *,
    now: datetime,
    target: str | None = None,
    preset: FormPreset | str = TEMPLATE,
    mapping: Mapping[str, FormField | str] | None = None,
    mode: ParticipationMode = ParticipationMode.ON_SITE,
    language: str = "sv",
    zone: tzinfo = HELSINKI,
    encoding: str | None = None,
    skip_bad_rows: bool = False,
    source: str | None = None,
) -> FormImport:
    """Enrol everyone who answered a registration form.

    Args:
        data: The exported file's bytes (or its text).
        register: The register to add to; it is not changed (the result holds the new one).
        catalogue: Where *target* and the form's choices of target are looked up.
        now: The moment of import: the enrolment time of rows without a response time.
        target: The programme, event or run enrolled in, unless a column says.
        preset: The form program, as a :class:`FormPreset` or its name.
        mapping: More header names and their fields (``{"Kommun/stad": "municipality"}``).
        mode: The mode for rows that do not choose one.
        language: The language of service for rows that do not give one.
        zone: The zone of response times written without one.
        encoding: The file's encoding, when it cannot be found from the bytes.
        skip_bad_rows: Import the good rows and list the bad ones, instead of importing nothing.
        source: The file name, for error messages.

    Raises:
        FormatError: the file cannot be read, a needed column is missing, or (unless
            *skip_bad_rows*) a row is bad; ``row`` and ``column`` say where.
    """
    check_aware(now, "now")
    if isinstance(preset, str):
        if preset not in PRESETS:
            raise UnknownFormatError(preset, known=tuple(PRESETS))
        preset = PRESETS[preset]
    text, used_encoding = decode_csv(data, encoding=encoding, source=source)
    rows, delimiter = read_rows(text, source=source)
    if not rows:
        raise FormatError("the file has no header row", source=source)
    header, body = rows[0], rows[1:]
    columns = _map_columns(header, preset, mapping)
    if F.EMAIL not in columns:
        raise FormatError("no column for the e-mail address", source=source, line=1)
    if F.NAME not in columns and F.FIRST_NAME not in columns:
        raise FormatError("no column for the name", source=source, line=1)
    targets = _target_names(catalogue)
    answers: list[_Answer] = []
    problems: list[SkippedRow] = []
    for number, cells in enumerate(body, start=1):
        try:
            answers.append(
                _parse_row(
                    number, cells, header, columns, target=target, targets=targets,
                    mode=mode, language=language, zone=zone, now=now,
                )
            )  # fmt: skip
        except _RowError as error:
            problems.append(SkippedRow(row=number, column=error.column, reason=error.reason))
    if problems and not skip_bad_rows:
        _raise_first(problems, source)
    answers.sort(key=lambda answer: (answer.submitted, answer.row))
    result = _apply(
        answers, register, catalogue, problems=problems, skip_bad_rows=skip_bad_rows, source=source
    )
    return attrs.evolve(
        result,
        skipped=tuple(sorted(problems, key=lambda p: p.row)),
        encoding=used_encoding,
        delimiter=delimiter,
    )


def _raise_first(problems: list[SkippedRow], source: str | None) -> None:
    first = min(problems, key=lambda p: p.row)
    reason = first.reason
    if len(problems) > 1:
        more = len(problems) - 1
        reason += f" (and {more} more bad row{'s' if more > 1 else ''}; nothing was imported)"
    else:
        reason += " (nothing was imported)"
    raise FormatError(reason, source=source, row=first.row, column=first.column)


def _apply(
    answers: list[_Answer],
    register: Register,
    catalogue: Catalogue,
    *,
    problems: list[SkippedRow],
    skip_bad_rows: bool,
    source: str | None,
) -> FormImport:
    notifications: list[Notification] = []
    warnings: dict[str, None] = {}
    enrolled: list[str] = []
    duplicates: list[int] = []
    for answer in answers:
        email = answer.participant.email or ""
        known = register.participant_by_email(email)
        current = register
        if known is None:
            known = attrs.evolve(answer.participant, id=_fresh_id(register, set()))
            current = add_participant(register, known)
        elif any(
            e.participant == known.id and e.status in ACTIVE
            for e in register.enrolments_in(answer.target)
        ):
            duplicates.append(answer.row)
            continue
        try:
            outcome = enrol(
                current, catalogue, known.id, answer.target, now=answer.submitted, mode=answer.mode
            )
        except EnrolmentError as error:
            problem = SkippedRow(row=answer.row, column=answer.target_column, reason=error.reason)
            if not skip_bad_rows:
                raise FormatError(
                    f"{problem.reason} (nothing was imported)",
                    source=source,
                    row=problem.row,
                    column=problem.column,
                ) from error
            problems.append(problem)
            continue
        register = outcome.register
        enrolled.append(register.enrolments[-1].id)
        notifications.extend(outcome.notifications)
        warnings.update(dict.fromkeys(outcome.warnings))
    return FormImport(
        register=register,
        notifications=tuple(notifications),
        warnings=tuple(warnings),
        enrolled=tuple(enrolled),
        duplicates=tuple(duplicates),
    )
