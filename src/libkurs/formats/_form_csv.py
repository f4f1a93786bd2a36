"""Reading the CSV of a form export: its encoding, its delimiter, its rows, and their limits."""

from __future__ import annotations

import codecs
import csv
import io
from typing import Final

from libkurs.errors import FormatError

__all__ = ["MAX_COLUMNS", "decode_csv", "read_rows"]

#: The most cells a line of a form export may have.
MAX_COLUMNS: Final = 1000


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
                "looks like UTF-16 without a byte-order mark: give the encoding utf-16-le "
                "(--encoding in the command line)",
                source=source,
            )
        else:
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                encoding = "cp1252"
    try:
        codec = codecs.lookup(encoding)
    except LookupError as error:
        raise FormatError(f"cannot read the file as {encoding}: {error}", source=source) from None
    if not codec._is_text_encoding:
        raise FormatError(f"cannot read the file as {encoding}: not a text encoding", source=source)
    try:
        return data.decode(encoding).removeprefix("\ufeff"), encoding
    except (UnicodeError, ValueError, TypeError) as error:
        # A decoder such as punycode fails with a bare UnicodeError that does not say where.
        raise FormatError(f"cannot read the file as {encoding}: {error}", source=source) from None


def read_rows(text: str, *, source: str | None = None) -> tuple[list[tuple[int, list[str]]], str]:
    """The rows of CSV *text* with their numbers, and the delimiter found.

    The header comes first, numbered 0; data rows are numbered from 1 as a spreadsheet shows
    them (blank rows are left out but counted). A syntax error names its line and row.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=lambda d: _cells_in(first, d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    number = -1  # the header is row 0
    try:
        for cells in reader:
            if len(cells) > MAX_COLUMNS:
                raise FormatError(
                    f"{len(cells)} cells; a form export has at most {MAX_COLUMNS} columns",
                    source=source,
                    line=reader.line_num,
                    row=number + 1 if number >= 0 else None,
                )
            blank = not any(cell.strip() for cell in cells)
            if number >= 0 or not blank:
                number += 1
            if not blank:
                rows.append((number, cells))
    except csv.Error as error:
        raise FormatError(
            f"not valid CSV: {error}{_too_long(text, reader.line_num, delimiter)}",
            source=source,
            line=reader.line_num,
            row=number + 1 if number >= 0 else None,
        ) from None
    return rows, delimiter


def _cells_in(line: str, delimiter: str) -> int:
    """How many cells *line* has when split at *delimiter* (counted roughly if not CSV)."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:  # a cell too long, say: reading the file says so, with the place
        return line.count(delimiter) + 1


def _too_long(text: str, line: int, delimiter: str) -> str:
    """Which cell of *line* (1-based) is longer than the csv module takes, as words to add."""
    limit = csv.field_size_limit()
    lines = io.StringIO(text, newline="").readlines()
    if not 0 < line <= len(lines):
        return ""
    for number, cell in enumerate(lines[line - 1].rstrip("\r\n").split(delimiter), start=1):
        if len(cell) > limit:
            return f" (cell {number} of that line is {len(cell)} characters long)"
    return ""
