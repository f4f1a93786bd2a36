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
- response times with a zone (``UTC``, ``GMT+2``, ``+02:00``) or without one (then in
  ``zone``); dates with slashes in the order the caller or the preset gives, or that the file's
  own unambiguous dates show (``13/01/2023``): an ambiguous one is a bad row, not a guess;
- respondents who answered twice, or who were enrolled in the target before (whether still
  or not: someone who withdrew is not signed up again): reported as duplicates, not errors.

Limits: a line has at most :data:`MAX_COLUMNS` cells and a cell at most 131,072 characters
(the :mod:`csv` module's limit); past them the file is a :class:`~libkurs.errors.FormatError`
naming the line and row. Reading takes time in proportion to the number of rows.

A bad cell is a :class:`~libkurs.errors.FormatError` with ``row`` (the data row as a
spreadsheet shows it: 1-based, the header not counted, blank rows counted) and ``column`` (the
header as written). A file with a bad row imports nothing, unless ``skip_bad_rows=True``: then
the good rows are imported and the bad ones listed in :attr:`FormImport.skipped`. A response
time later than ``now`` is a bad row: it would jump the queue.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo

import attrs

from libkurs.enrolment import (
    ACTIVE,
    EnrolmentError,
    Notification,
    Participant,
    ParticipationMode,
    Register,
    UnknownIdError,
    add_participants,
    new_participant_id,
    resolve_target,
)
from libkurs.enrolment._batch import Request, enrol_in_turn
from libkurs.errors import FormatError, UnknownFormatError, ValidationError
from libkurs.formats._form_csv import MAX_COLUMNS, decode_csv, read_rows
from libkurs.formats._form_vocabulary import (
    GOOGLE_FORMS,
    LANGUAGES,
    MICROSOFT_FORMS,
    MODES,
    PRESETS,
    TEMPLATE,
    WEBROPOL,
    DateOrder,
    FormField,
    FormPreset,
    date_orders,
    map_columns,
    parse_time,
    target_names,
)
from libkurs.model import HELSINKI, Catalogue
from libkurs.model._checks import check_aware

__all__ = [
    "MAX_COLUMNS",
    "DateOrder",
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


@attrs.frozen(kw_only=True, repr=False)
class FormImport:
    """What :func:`import_form` did. Its ``repr`` only counts, naming nobody."""

    register: Register
    notifications: tuple[Notification, ...] = ()
    warnings: tuple[str, ...] = ()
    enrolled: tuple[str, ...] = ()
    """The ids of the new enrolments, in the order made."""
    duplicates: tuple[int, ...] = ()
    """Rows of people enrolled in their target (or another run of its event) before, whatever
    that enrolment's status now (a second answer, a re-import, someone who withdrew), unless
    ``reenrol=True`` and that enrolment is over."""
    skipped: tuple[SkippedRow, ...] = ()
    encoding: str = "utf-8"
    delimiter: str = ","

    def __repr__(self) -> str:
        return (
            f"FormImport({len(self.enrolled)} enrolled, {len(self.duplicates)} duplicates, "
            f"{len(self.skipped)} skipped, register={self.register!r})"
        )


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


def _parse_time(text: str, zone: tzinfo, order: DateOrder | None, now: datetime) -> datetime:
    try:
        moment = parse_time(text, zone, order)
    except ValidationError as error:
        raise _RowError(error.reason, None) from error
    if moment.astimezone(UTC) > now.astimezone(UTC):
        raise _RowError(
            f"the response time {moment.isoformat()} is later than now ({now.isoformat()})", None
        )
    return moment


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
    order: DateOrder | None,
    now: datetime,
) -> _Answer:
    if any(cell.strip() for cell in cells[len(header) :]):
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
        submitted = _parse_time(submitted_text, zone, order, now) if submitted_text else now
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
        reason = (
            reason
            or "no target: give the target (--target in the command line) or add a column for it"
        )
        raise _RowError(reason, target_column)
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
    date_order: DateOrder | str | None = None,
    encoding: str | None = None,
    skip_bad_rows: bool = False,
    reenrol: bool = False,
    source: str | None = None,
) -> FormImport:
    """Enrol everyone who answered a registration form.

    Args:
        data: The exported file's bytes (or its text).
        register: The register to add to; it is not changed (the result holds the new one).
        catalogue: Where *target* and the form's choices of target are looked up.
        now: The moment of import: the enrolment time of rows without a response time; a
            response time later than this is a bad row.
        target: The programme, event or run enrolled in, unless a column says.
        preset: The form program, as a :class:`FormPreset` or its name.
        mapping: More header names and their fields (``{"Kommun/stad": "municipality"}``);
            a field that does not exist is a :class:`~libkurs.errors.ValidationError` with
            the path ``mapping['Kommun/stad']``.
        mode: The mode for rows that do not choose one.
        language: The language of service for rows that do not give one.
        zone: The zone of response times written without one.
        date_order: How dates with slashes are written (a :class:`DateOrder` or its value).
            By default the preset's, else what the file's unambiguous dates show; a date that
            reads both ways is then a bad row.
        encoding: The file's encoding, when it cannot be found from the bytes.
        skip_bad_rows: Import the good rows and list the bad ones, instead of importing nothing.
        reenrol: Enrol again those whose earlier enrolments in the target are all over
            (withdrawn, declined, cancelled, rejected), dated no earlier than they ended;
            by default they are duplicates.
        source: The file name, for error messages.

    Raises:
        FormatError: the file cannot be read, a needed column is missing, its dates mix day
            first and month first, or (unless *skip_bad_rows*) a row is bad; ``row`` and
            ``column`` say where.
        ValidationError: *mapping* names a field that does not exist.
    """
    check_aware(now, "now")
    order = DateOrder(date_order) if date_order is not None else None
    if isinstance(preset, str):
        if preset not in PRESETS:
            raise UnknownFormatError(preset, known=tuple(PRESETS))
        preset = PRESETS[preset]
    text, used_encoding = decode_csv(data, encoding=encoding, source=source)
    rows, delimiter = read_rows(text, source=source)
    if not rows:
        raise FormatError("the file has no header row", source=source)
    header, body = rows[0][1], rows[1:]
    columns = map_columns(header, preset, mapping)
    if F.EMAIL not in columns:
        raise FormatError("no column for the e-mail address", source=source, line=1)
    if F.NAME not in columns and F.FIRST_NAME not in columns:
        raise FormatError("no column for the name", source=source, line=1)
    order = order or preset.date_order or _date_order(body, header, columns, source)
    targets = target_names(catalogue)
    answers: list[_Answer] = []
    problems: list[SkippedRow] = []
    for number, cells in body:
        try:
            answers.append(
                _parse_row(
                    number, cells, header, columns, target=target, targets=targets,
                    mode=mode, language=language, zone=zone, order=order, now=now,
                )
            )  # fmt: skip
        except _RowError as error:
            problems.append(SkippedRow(row=number, column=error.column, reason=error.reason))
    if problems and not skip_bad_rows:
        _raise_first(problems, source)
    answers.sort(key=lambda answer: (answer.submitted, answer.row))
    result = _apply(
        answers,
        register,
        catalogue,
        reenrol=reenrol,
        problems=problems,
        skip_bad_rows=skip_bad_rows,
        source=source,
    )
    return attrs.evolve(
        result,
        skipped=tuple(sorted(problems, key=lambda p: p.row)),
        encoding=used_encoding,
        delimiter=delimiter,
    )


def _date_order(
    body: list[tuple[int, list[str]]],
    header: list[str],
    columns: dict[FormField, int],
    source: str | None,
) -> DateOrder | None:
    """The order that the file's unambiguous slash dates show, if they show one."""
    index = columns.get(F.SUBMITTED)
    if index is None:
        return None
    texts = [cells[index] if index < len(cells) else "" for _, cells in body]
    found = date_orders(texts)
    if len(found) > 1:
        day, month = (body[found[o]][0] for o in (DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST))
        raise FormatError(
            f"the response times mix day-first (row {day}) and month-first (row {month}) dates",
            source=source,
            column=header[index],
        )
    return next(iter(found), None)


def _raise_first(problems: list[SkippedRow], source: str | None) -> None:
    first = min(problems, key=lambda p: p.row)
    reason = first.reason
    if len(problems) > 1:
        more = len(problems) - 1
        reason += f" (and {more} more bad row{'s' if more > 1 else ''}; nothing was imported)"
    else:
        reason += " (nothing was imported)"
    raise FormatError(reason, source=source, row=first.row, column=first.column)


def _siblings(catalogue: Catalogue, target: str) -> frozenset[str]:
    """*target* and the other runs of its event: an earlier enrolment in any is a duplicate."""
    try:
        found = resolve_target(catalogue, target)
    except (EnrolmentError, UnknownIdError):  # enrol() says what is wrong with it
        return frozenset({target})
    runs = found.event.runs if found.event is not None else ()
    return frozenset({target, *(run.id for run in runs)})


def _people(answers: list[_Answer], register: Register) -> tuple[list[Participant], list[str]]:
    """Each answer's participant: one of *register* with the same e-mail address, or a new one.

    Returns them, and the new participants' ids (in the order of the answers).
    """
    by_email: dict[str, Participant] = {}
    for participant in register.participants:
        if participant.email is not None:
            by_email.setdefault(participant.email.casefold(), participant)
    taken: set[str] = set()
    people = []
    for answer in answers:
        key = (answer.participant.email or "").casefold()
        person = by_email.get(key)
        if person is None:
            person = attrs.evolve(answer.participant, id=new_participant_id(register, taken))
            taken.add(person.id)
            by_email[key] = person
        people.append(person)
    return people, [person.id for person in people if person.id in taken]


def _when(
    answer: _Answer, person: Participant, register: Register, siblings: frozenset[str], *,
    reenrol: bool,
) -> datetime | None:  # fmt: skip
    """When to enrol the person who gave *answer*, or None for a duplicate.

    Anyone enrolled in the target (or another run of its event) before is a duplicate, unless
    *reenrol* and every such enrolment is over: then the new one is dated no earlier than the
    last of them ended, so that leaving and coming back never moves anyone up the queue.
    """
    earlier = [e for e in register.enrolments_of(person.id) if e.target in siblings]
    if not earlier:
        return answer.submitted
    if not reenrol or any(e.status in ACTIVE for e in earlier):
        return None
    return max([answer.submitted, *(e.changed for e in earlier)], key=lambda t: t.astimezone(UTC))


def _apply(
    answers: list[_Answer],
    register: Register,
    catalogue: Catalogue,
    *,
    reenrol: bool,
    problems: list[SkippedRow],
    skip_bad_rows: bool,
    source: str | None,
) -> FormImport:
    notifications: list[Notification] = []
    warnings: dict[str, None] = {}
    enrolled: list[str] = []
    duplicates: list[int] = []
    people, new_ids = _people(answers, register)
    fresh = set(new_ids)
    new = {person.id: person for person in people if person.id in fresh}
    siblings = {t: _siblings(catalogue, t) for t in dict.fromkeys(a.target for a in answers)}
    queue: list[tuple[datetime, _Answer, Participant]] = []
    for answer, person in zip(answers, people, strict=True):
        when = _when(answer, person, register, siblings[answer.target], reenrol=reenrol)
        if when is None:
            duplicates.append(answer.row)
        else:
            queue.append((when, answer, person))
    queue.sort(key=lambda item: (item[0].astimezone(UTC), item[1].row))
    register = add_participants(register, new.values())
    requests = [
        Request(
            participant=person.id,
            target=answer.target,
            now=when,
            mode=answer.mode,
            skip_if_made_in=siblings[answer.target],  # answered twice
        )
        for when, answer, person in queue
    ]
    register, results = enrol_in_turn(register, catalogue, requests)
    made: set[str] = set()  # the participants this import enrolled
    for (_, answer, person), result in zip(queue, results, strict=True):
        if result is None:
            duplicates.append(answer.row)
        elif isinstance(result, EnrolmentError | UnknownIdError):
            problem = SkippedRow(row=answer.row, column=answer.target_column, reason=result.reason)
            if not skip_bad_rows:
                raise FormatError(
                    f"{problem.reason} (nothing was imported)",
                    source=source,
                    row=problem.row,
                    column=problem.column,
                ) from result
            problems.append(problem)
        else:
            made.add(person.id)
            enrolled.append(result.enrolment.id)
            notifications.extend(result.notifications)
            warnings.update(dict.fromkeys(result.warnings))
    unused = {id for id in new if id not in made}
    if unused:  # new people whose every row was skipped: not added after all
        register = Register(
            participants=[p for p in register.participants if p.id not in unused],
            enrolments=register.enrolments,
        )
    return FormImport(
        register=register,
        notifications=tuple(notifications),
        warnings=tuple(warnings),
        enrolled=tuple(enrolled),
        duplicates=tuple(sorted(duplicates)),
    )
