"""Bytes to unfolded content lines (RFC 5545 §3.1), each with the line it starts on.

Folds are undone on *bytes* before decoding, so a fold that splits a multi-byte UTF-8
character (as some producers write) joins up again instead of turning into replacement
characters. Bytes are UTF-8 unless the caller names another character set; strictly read,
a line that is not UTF-8 is an error at its line; leniently read, it is decoded as
Windows-1252 (ISO 8859-1 for the five bytes that has no character for), with one warning.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator

import attrs

from libkurs.errors import FormatError
from libkurs.formats.ics._types import Action

__all__ = ["LEGACY_ENCODINGS", "Warn", "logical_lines"]

Warn = Callable[[str, "int | None", Action], None]
"""How the lenient parser reports what it read past: message, line, what it did."""

#: Tried, in order, for a line that is not UTF-8 when the caller names no encoding: the
#: Windows code page most legacy producers wrote in Western Europe, then ISO 8859-1 for the
#: five bytes that code page leaves undefined.
LEGACY_ENCODINGS = ("cp1252", "latin-1")


@attrs.define
class _Decoder:
    """Turns the bytes of one logical line into text, falling back to a legacy code page."""

    encoding: str
    source: str | None
    warn: Warn | None
    fallback_used: str | None = None

    def __call__(self, raw: bytes, number: int) -> str:
        if raw.isascii():
            return raw.decode("ascii")
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError as error:
            if self.warn is None:
                raise FormatError(
                    f"not {self.encoding}: byte {raw[error.start]:#04x} cannot be decoded; "
                    "pass encoding= to read another character set",
                    line=number,
                    source=self.source,
                ) from None
        for legacy in LEGACY_ENCODINGS:
            try:
                text = raw.decode(legacy)
            except UnicodeDecodeError:
                continue
            if self.fallback_used is None:
                self.fallback_used = legacy
                self.warn(
                    f"not UTF-8 and no charset given: read as {legacy} "
                    "(pass encoding= if that is wrong)",
                    number,
                    Action.REPAIRED,
                )
            return text
        raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def logical_lines(
    data: str | bytes, encoding: str | None, source: str | None, warn: Warn | None
) -> Iterator[tuple[int, str]]:
    """Unfolded lines with the number of the physical line each starts on.

    Bytes are unfolded before they are decoded, so a fold inside a UTF-8 character heals.
    """
    if isinstance(data, str):
        yield from _unfold_text(data.removeprefix("\ufeff"))
        return
    name = "utf-8"
    if encoding is not None:
        name = _text_codec(encoding, source)
        if not _ascii_compatible(name):
            yield from _unfold_text(_decode_whole(data, name, source).removeprefix("\ufeff"))
            return
    decode = _Decoder(name, source, warn if encoding is None else None)
    data = data.removeprefix(codecs.BOM_UTF8)
    pending: list[bytes] = []
    start = 0
    for number, physical in enumerate(data.split(b"\n"), start=1):
        raw = physical.removesuffix(b"\r")
        if pending and raw[:1] in (b" ", b"\t"):
            pending.append(raw[1:])
            continue
        if pending:
            yield start, decode(b"".join(pending), start)
        pending, start = [raw], number
    if pending:
        yield start, decode(b"".join(pending), start)


_ASCII_SAMPLE = 'BEGIN:VCALENDAR\r\n ;:,="\\^0123456789ABCXYZabcxyz-_./\t'


def _text_codec(encoding: str, source: str | None) -> str:
    """The normalised name of *encoding*, if it is a character set (not hex, zlib …)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise FormatError(f"unknown encoding {encoding!r}", source=source) from None
    if not getattr(info, "_is_text_encoding", True):
        raise FormatError(
            f"{encoding!r} is not a character set (it encodes bytes, not text)", source=source
        )
    return info.name


def _ascii_compatible(name: str) -> bool:
    """Whether *name* writes ASCII as ASCII, so lines can be split before decoding."""
    try:
        return _ASCII_SAMPLE.encode(name) == _ASCII_SAMPLE.encode("ascii")
    except (UnicodeError, LookupError, TypeError, ValueError):
        return False


def _decode_whole(data: bytes, name: str, source: str | None) -> str:
    """*data* decoded at once, for an encoding such as UTF-16 whose lines are not ASCII."""
    try:
        return data.decode(name)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(name, errors="replace").count("\n") + 1
        raise FormatError(
            f"not {name}: bytes at offset {error.start} cannot be decoded",
            line=line,
            source=source,
        ) from None
    except (LookupError, TypeError, ValueError) as error:
        raise FormatError(f"cannot decode as {name}: {error}", source=source) from None


def _unfold_text(data: str) -> Iterator[tuple[int, str]]:
    pending: list[str] = []
    start = 0
    for number, physical in enumerate(data.split("\n"), start=1):
        raw = physical.removesuffix("\r")
        if pending and raw[:1] in (" ", "\t"):
            pending.append(raw[1:])
            continue
        if pending:
            yield start, "".join(pending)
        pending, start = [raw], number
    if pending:
        yield start, "".join(pending)
