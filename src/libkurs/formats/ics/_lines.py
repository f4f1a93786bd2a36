"""Content lines (RFC 5545 §3.1): bytes to components on the way in, text to folded lines out.

libkurs reads and writes content lines itself rather than through ``icalendar``, for three
reasons: every error must carry its line number; folds are undone on *bytes* before decoding,
so a fold that splits a multi-byte UTF-8 character (as some producers write) joins up again
instead of turning into replacement characters; and input that is not UTF-8 is refused with
its line (strict), decoded with the encoding the caller names, or read as Windows-1252 with a
warning (lenient), never silently replaced.

Parameter values are written with RFC 6868 caret encoding (``^n``, ``^'``, ``^^``) and quoted
when they hold ``;``, ``:`` or ``,``, so no text can start a new property or parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from libkurs.errors import FormatError
from libkurs.formats.ics._types import Action
from libkurs.formats.ics._unfold import Warn, logical_lines

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
    broken: list[tuple[str, int]] = attrs.field(factory=list)
    """Names and lines of the lines a lenient parse skipped inside this component."""

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


_ONE_VALUE = r'(?:"[^"]*"|[^";:,]*)'
_HEAD = re.compile(
    rf"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+={_ONE_VALUE}(?:,{_ONE_VALUE})*)*):", re.ASCII
)
_PARAM = re.compile(rf";([A-Za-z0-9-]+)=({_ONE_VALUE}(?:,{_ONE_VALUE})*)", re.ASCII)


def _parse_line(text: str, number: int, source: str | None) -> Property:
    colon = text.find(":")
    semicolon = text.find(";", 0, colon) if colon > 0 else -1
    if colon > 0 and semicolon < 0 and _NAME.fullmatch(text, 0, colon):
        return Property(text[:colon].upper(), {}, text[colon + 1 :], number)
    head = _HEAD.match(text)
    if head is not None:  # the common case, in one match; the loop below names what is wrong
        params: dict[str, str] = {}
        for key, found in _PARAM.findall(head.group(2)):
            raw = found
            if '"' in raw or "," in raw:
                raw = _split_values(raw)
            if "^" in raw:
                raw = _CARET.sub(lambda m: _CARETS[m.group()], raw)
            params[key.upper()] = raw
        return Property(head.group(1).upper(), params, text[head.end() :], number)
    return _parse_slowly(text, number, source)


def _split_values(raw: str) -> str:
    """The values of a parameter, unquoted, joined by commas (as the slow path reads them)."""
    values: list[str] = []
    position = -1
    while True:
        value = _PARAM_VALUE.match(raw, position + 1)
        assert value is not None  # the pattern matches the empty string
        values.append(value.group(1) if value.group(1) is not None else value.group(2))
        position = value.end()
        if position >= len(raw) or raw[position] != ",":
            return ",".join(values)


def _parse_slowly(text: str, number: int, source: str | None) -> Property:
    """A line the one-match path did not read: the same rules, and the error if it breaks one."""
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


_BEGIN_OR_END = re.compile(r"\s*(BEGIN|END)\s*:\s*([A-Za-z0-9-]*)\s*$", re.IGNORECASE)
_SOME_NAME = re.compile(r"\s*([A-Za-z0-9-]+)")
_BOUND_STARTS = frozenset("BbEe \t")


def parse(
    data: str | bytes,
    *,
    encoding: str | None = None,
    source: str | None = None,
    warn: Warn | None = None,
) -> list[Component]:
    """The top-level components (``VCALENDAR``) of *data*, each with its line numbers.

    Without *warn* the parse is strict: the first broken line is an error. With *warn* it is
    lenient, and each repair is reported through it: a line that is not a content line (no
    colon, a broken parameter, a space in its name) is skipped and its name, if it has one,
    noted on its component (:attr:`Component.broken`); bytes that are not UTF-8 are read as
    Windows-1252 (ISO 8859-1 where that has no character); VEVENTs without a VCALENDAR
    around them get one; a misspelt END ends the innermost open component; an END that
    skips open components ends them too; at the end of the data the VCALENDAR is closed
    and a component still open inside it, which may be cut short, is left out.

    Raises:
        FormatError: not iCalendar, a broken line, a ``BEGIN`` without its ``END``, or bytes
            that are not UTF-8 (or not in *encoding*); when lenient, only data with no
            ``BEGIN`` line at all, or bytes not in the *encoding* the caller named.
    """
    tree = _Tree(source, warn)
    for number, text in logical_lines(data, encoding, source, warn):
        if not text.strip():
            continue
        if warn is not None and text[:1] in _BOUND_STARTS:
            bounds = _BEGIN_OR_END.match(text)
            if bounds is not None:
                tree.add(Property(bounds.group(1).upper(), {}, bounds.group(2), number))
                continue
        if not tree.started:
            if warn is None:
                tree.started = True
                if text.strip().upper() != "BEGIN:VCALENDAR":
                    raise FormatError(
                        "not iCalendar: the data should start with BEGIN:VCALENDAR",
                        line=number,
                        source=source,
                    )
            else:
                tree.skipped_before += 1
                continue
        try:
            prop = _parse_line(text, number, source)
        except FormatError as error:
            if warn is None:
                raise
            tree.broken(text, number, error.reason)
            continue
        tree.add(prop)
    return tree.finish()


class _Tree:
    """Components as BEGIN and END open and close them."""

    def __init__(self, source: str | None, warn: Warn | None) -> None:
        self.source = source
        self.warn = warn
        self.started = False
        self.skipped_before = 0
        self.roots: list[Component] = []
        self.stack: list[Component] = []
        self.wrapper: Component | None = None
        """The VCALENDAR a lenient parse puts around components found outside one."""

    def fail(self, reason: str, line: int) -> FormatError:
        return FormatError(reason, line=line, source=self.source)

    def note(self, message: str, line: int | None, action: Action) -> None:
        assert self.warn is not None
        self.warn(message, line, action)

    def broken(self, text: str, number: int, reason: str) -> None:
        """A line that does not parse, in a lenient parse: skipped, its name noted."""
        name = _SOME_NAME.match(text)
        self.note(f"{reason}: line skipped", number, Action.SKIPPED)
        if self.stack and name is not None:
            self.stack[-1].broken.append((name.group(1).upper(), number))

    def add(self, prop: Property) -> None:
        stack = self.stack
        if prop.name == "BEGIN":
            component = Component(prop.value.strip().upper(), prop.line)
            if self.warn is not None and not self.started:
                self.started = True
                if self.skipped_before:
                    self.note(
                        f"{self.skipped_before} lines before the first BEGIN: skipped",
                        prop.line,
                        Action.SKIPPED,
                    )
            if stack:
                stack[-1].children.append(component)
            elif component.name == "VCALENDAR":
                self.roots.append(component)
            elif self.warn is not None:
                if self.wrapper is None:
                    self.note(
                        f"BEGIN:{component.name} outside a VCALENDAR: read as if inside one",
                        prop.line,
                        Action.REPAIRED,
                    )
                    self.wrapper = Component("VCALENDAR", prop.line)
                    self.roots.append(self.wrapper)
                self.wrapper.children.append(component)
                stack.append(self.wrapper)
            else:
                raise self.fail(f"BEGIN:{component.name} outside a VCALENDAR", prop.line)
            stack.append(component)
        elif prop.name == "END":
            self.end(prop)
        elif not stack:
            if self.warn is None:
                raise self.fail(f"{prop.name} outside a VCALENDAR", prop.line)
            self.note(f"{prop.name} outside a VCALENDAR: skipped", prop.line, Action.SKIPPED)
        else:
            stack[-1].properties.append(prop)

    def end(self, prop: Property) -> None:
        stack = self.stack
        ended = prop.value.strip().upper()
        if not stack:
            if self.warn is None:
                raise self.fail(f"END:{ended} without a BEGIN", prop.line)
            self.note(f"END:{ended} without a BEGIN: skipped", prop.line, Action.SKIPPED)
            return
        if stack[-1].name == ended:
            stack.pop()
            self.close_wrapper()
            return
        if self.warn is None:
            raise self.fail(
                f"END:{ended} where END:{stack[-1].name} "
                f"(begun on line {stack[-1].line}) was expected",
                prop.line,
            )
        if any(open_.name == ended for open_ in stack):
            while stack[-1].name != ended:
                inner = stack.pop()
                self.note(
                    f"BEGIN:{inner.name} on line {inner.line} has no END: "
                    f"read as ending before END:{ended}",
                    prop.line,
                    Action.REPAIRED,
                )
            stack.pop()
        else:
            inner = stack.pop()
            self.note(
                f"END:{ended or '(nothing)'} where END:{inner.name} was expected: "
                f"read as END:{inner.name}",
                prop.line,
                Action.REPAIRED,
            )
        self.close_wrapper()

    def close_wrapper(self) -> None:
        """Close a VCALENDAR the lenient parse put around a bare component."""
        stack = self.stack
        if len(stack) == 1 and stack[0] is self.wrapper:
            stack.pop()

    def finish(self) -> list[Component]:
        if not self.started:
            if self.skipped_before:
                raise self.fail("not iCalendar: there is no BEGIN line", 1)
            raise self.fail("not iCalendar: the data is empty", 1)
        if self.stack and self.warn is None:
            last = self.stack[-1]
            raise self.fail(
                f"truncated: BEGIN:{last.name} on line {last.line} has no END", last.line
            )
        while len(self.stack) > 1:
            inner = self.stack.pop()
            self.stack[-1].children.remove(inner)
            self.note(
                f"truncated: BEGIN:{inner.name} on line {inner.line} has no END: "
                "left out, it may be cut short",
                inner.line,
                Action.SKIPPED,
            )
        if self.stack:
            root = self.stack.pop()
            if root is not self.wrapper:
                self.note(
                    f"BEGIN:{root.name} on line {root.line} has no END: read to the end",
                    root.line,
                    Action.REPAIRED,
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
