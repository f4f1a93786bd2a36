"""Content lines (RFC 5545 §3.1): bytes to components on the way in, text to folded lines out.

libkurs reads and writes content lines itself rather than through ``icalendar``, for three
reasons: every error must carry its line number; folds are undone on *bytes* before decoding,
so a fold that splits a multi-byte UTF-8 character (as some producers write) joins up again
instead of turning into replacement characters; and input that is not UTF-8 is refused with
its line, or decoded with the encoding the caller names, never silently replaced.

Parameter values are written with RFC 6868 caret encoding (``^n``, ``^'``, ``^^``) and quoted
when they hold ``;``, ``:`` or ``,``, so no text can start a new property or parameter.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator

import attrs

from libkurs.errors import FormatError

__all__ = [
    "Component",
    "Property",
    "escape_text",
    "fold",
    "param_value",
    "parse",
    "unescape_text",
]


@attrs.define(slots=True)
class Property:
    """One unfolded content line: its name (upper case), parameters, raw value and line."""

    name: str
    params: dict[str, str]
    value: str
    line: int

    def param(self, name: str) -> str | None:
        """The value of parameter *name* (upper case), or None."""
        return self.params.get(name)


@attrs.define(slots=True)
class Component:
    """A ``BEGIN``/``END`` block: its properties in order and the components inside it."""

    name: str
    line: int
    properties: list[Property] = attrs.field(factory=list)
    children: list[Component] = attrs.field(factory=list)

    def first(self, name: str) -> Property | None:
        """The first property called *name*, or None."""
        for prop in self.properties:
            if prop.name == name:
                return prop
        return None

    def all(self, name: str) -> list[Property]:
        """Every property called *name*, in order."""
        return [prop for prop in self.properties if prop.name == name]


_NAME = re.compile(r"[A-Za-z0-9-]+")
_PARAM_VALUE = re.compile(r'"([^"]*)"|([^";:,]*)')
_CARET = re.compile(r"\^[n'^]")
_CARETS = {"^n": "\n", "^'": '"', "^^": "^"}


def _logical_lines(
    data: str | bytes, encoding: str | None, source: str | None
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
    data = data.removeprefix(codecs.BOM_UTF8)
    pending: list[bytes] = []
    start = 0
    for number, physical in enumerate(data.split(b"\n"), start=1):
        raw = physical.removesuffix(b"\r")
        if pending and raw[:1] in (b" ", b"\t"):
            pending.append(raw[1:])
            continue
        if pending:
            yield start, _decode(b"".join(pending), name, start, source)
        pending, start = [raw], number
    if pending:
        yield start, _decode(b"".join(pending), name, start, source)


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


def _decode(raw: bytes, encoding: str, number: int, source: str | None) -> str:
    if raw.isascii():
        return raw.decode("ascii")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise FormatError(
            f"not {encoding}: byte {raw[error.start]:#04x} cannot be decoded; "
            "pass encoding= to read another character set",
            line=number,
            source=source,
        ) from None


def _parse_line(text: str, number: int, source: str | None) -> Property:
    colon = text.find(":")
    semicolon = text.find(";")
    if colon > 0 and (semicolon < 0 or colon < semicolon) and _NAME.fullmatch(text, 0, colon):
        return Property(text[:colon].upper(), {}, text[colon + 1 :], number)
    match = _NAME.match(text)
    if match is None:
        raise FormatError(f"not a content line: {text[:40]!r}", line=number, source=source)
    name = match.group().upper()
    position = match.end()
    params: dict[str, str] = {}
    while position < len(text) and text[position] == ";":
        key = _NAME.match(text, position + 1)
        if key is None or key.end() >= len(text) or text[key.end()] != "=":
            raise FormatError(
                f"malformed parameter in {name}: {text[position : position + 30]!r}",
                line=number,
                source=source,
            )
        values: list[str] = []
        position = key.end()
        while True:
            value = _PARAM_VALUE.match(text, position + 1)
            assert value is not None  # the pattern matches the empty string
            values.append(value.group(1) if value.group(1) is not None else value.group(2))
            position = value.end()
            if position >= len(text) or text[position] != ",":
                break
        params[key.group().upper()] = _CARET.sub(lambda m: _CARETS[m.group()], ",".join(values))
    if position >= len(text) or text[position] != ":":
        raise FormatError(
            f"the {name} line has no ':' before its value", line=number, source=source
        )
    return Property(name, params, text[position + 1 :], number)


def parse(
    data: str | bytes, *, encoding: str | None = None, source: str | None = None
) -> list[Component]:
    """The top-level components (``VCALENDAR``) of *data*, each with its line numbers.

    Raises:
        FormatError: not iCalendar, a broken line, a ``BEGIN`` without its ``END``, or bytes
            that are not UTF-8 (or not in *encoding*).
    """
    tree = _Tree(source)
    for number, text in _logical_lines(data, encoding, source):
        if not text.strip():
            continue
        if not tree.started:
            tree.started = True
            if text.strip().upper() != "BEGIN:VCALENDAR":
                raise FormatError(
                    "not iCalendar: the data should start with BEGIN:VCALENDAR",
                    line=number,
                    source=source,
                )
        tree.add(_parse_line(text, number, source))
    return tree.finish()


class _Tree:
    """Components as BEGIN and END open and close them."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.started = False
        self.roots: list[Component] = []
        self.stack: list[Component] = []

    def fail(self, reason: str, line: int) -> FormatError:
        return FormatError(reason, line=line, source=self.source)

    def add(self, prop: Property) -> None:
        stack = self.stack
        if prop.name == "BEGIN":
            component = Component(prop.value.strip().upper(), prop.line)
            if stack:
                stack[-1].children.append(component)
            elif component.name == "VCALENDAR":
                self.roots.append(component)
            else:
                raise self.fail(f"BEGIN:{component.name} outside a VCALENDAR", prop.line)
            stack.append(component)
        elif prop.name == "END":
            ended = prop.value.strip().upper()
            if not stack:
                raise self.fail(f"END:{ended} without a BEGIN", prop.line)
            if stack[-1].name != ended:
                raise self.fail(
                    f"END:{ended} where END:{stack[-1].name} "
                    f"(begun on line {stack[-1].line}) was expected",
                    prop.line,
                )
            stack.pop()
        elif not stack:
            raise self.fail(f"{prop.name} outside a VCALENDAR", prop.line)
        else:
            stack[-1].properties.append(prop)

    def finish(self) -> list[Component]:
        if not self.started:
            raise self.fail("not iCalendar: the data is empty", 1)
        if self.stack:
            last = self.stack[-1]
            raise self.fail(
                f"truncated: BEGIN:{last.name} on line {last.line} has no END", last.line
            )
        return self.roots


# --- writing ----------------------------------------------------------------------------------

_TEXT_SPECIAL = re.compile(r"[\\;,\n\r]")
_TEXT_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""}
_UNESCAPE = re.compile(r"\\(.)")
_UNESCAPES = {"n": "\n", "N": "\n", "\\": "\\", ";": ";", ",": ",", ":": ":"}


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, ``;``, ``,`` and newlines escaped."""
    return _TEXT_SPECIAL.sub(lambda m: _TEXT_ESCAPES[m.group()], text)


def unescape_text(value: str) -> str:
    """The text of a TEXT value; an unknown escape keeps its character, as producers expect."""
    if "\\" not in value:
        return value
    return _UNESCAPE.sub(lambda m: _UNESCAPES.get(m.group(1), m.group(1)), value)


def split_text_list(value: str) -> list[str]:
    """The items of a comma-separated list of TEXT values (CATEGORIES)."""
    items: list[str] = []
    current: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            items.append(unescape_text("".join(current)))
            current = []
        else:
            current.append(char)
    items.append(unescape_text("".join(current)))
    return [item for item in items if item]


def param_value(value: str) -> str:
    """A parameter value that cannot break out of its parameter (RFC 6868 encoding, quoted)."""
    value = value.replace("^", "^^").replace('"', "^'").replace("\r\n", "^n").replace("\n", "^n")
    value = "".join(c for c in value if c == "\t" or c >= " ")
    if any(c in value for c in ";:,") or value != value.strip():
        return f'"{value}"'
    return value


def fold(line: str) -> str:
    """*line* folded at 75 octets, never inside a UTF-8 character, ending with CRLF.

    The line is encoded once and cut on bytes: a cut that would land on a UTF-8 continuation
    byte (``0b10xxxxxx``) moves back to the start of that character.
    """
    if line.isascii():
        if len(line) <= 75:
            return line + "\r\n"
        pieces = [line[:75]]
        pieces += [line[i : i + 74] for i in range(75, len(line), 74)]
        return "\r\n ".join(pieces) + "\r\n"
    data = line.encode(errors="surrogatepass")
    size = len(data)
    if size <= 75:
        return line + "\r\n"
    parts: list[bytes] = []
    start, limit = 0, 75
    while size - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode(errors="surrogatepass") + "\r\n"


def content_line(
    name: str, value: str, params: Iterable[tuple[str, str | tuple[str, ...]]] = ()
) -> str:
    """One folded content line; *value* must already be escaped for its type.

    A parameter given a tuple is written as a list (``FEATURE=AUDIO,VIDEO``).
    """
    head = name + "".join(
        f";{key}={param_value(text) if isinstance(text, str) else ','.join(map(param_value, text))}"
        for key, text in params
    )
    return fold(f"{head}:{value}")
