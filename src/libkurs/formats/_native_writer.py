"""The indented text of a native document, written straight from the model.

``json.dumps(document, indent=2)`` cannot use the standard library's C encoder: with an indent,
the ``json`` module falls back to its pure-Python encoder, a chain of generators that costs more
than the converter's unstructuring before it. This module writes the same text without either:
one writer per attrs class, generated from its fields as cattrs generates its unstructure
function, joins the text of each field, with strings escaped by the C function the ``json``
module itself uses (``json.encoder.encode_basestring``).

The text is byte for byte what the converter (``libkurs.formats._converter``) and
``json.dumps(..., ensure_ascii=False, indent=indent)`` write, and tests hold it to that: fields
in attrs order, those at their default value left out (compared with ``!=``, as cattrs'
``omit_if_default`` does), the converter's wire forms (RFC 9557 datetimes, enums by value,
partial dates and periods as strings, an address part of no known language as a plain string),
and ``json``'s number, ``true``/``false``, ``null`` and empty ``[]``/``{}`` forms.
"""

from __future__ import annotations

import enum
import functools
import json
import math
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any, Final

import attrs

from libkurs.formats._converter import format_datetime
from libkurs.model import Address, LocalizedText, PartialDate, Period

__all__ = ["document_writer"]

#: How deep the indentation tables go: the model nests about ten levels; deeper is computed.
_DEPTHS: Final = 32
_float_repr = float.__repr__
_int_repr = int.__repr__


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return json.dumps(value)  # NaN, Infinity, -Infinity, as json writes them
    return _float_repr(value)


class _Layout:
    """The whitespace of one indent width: the line break before an item at each depth."""

    def __init__(self, indent: int) -> None:
        self.indent = indent
        self.breaks = tuple("\n" + " " * (indent * depth) for depth in range(_DEPTHS))

    def at(self, depth: int) -> str:
        """The line break and indentation before an item at *depth*."""
        if depth < _DEPTHS:
            return self.breaks[depth]
        return "\n" + " " * (self.indent * depth)


Writer = Callable[[Any, int], str]


def _localized_writer(layout: _Layout) -> Writer:
    at = layout.at

    def write(text: LocalizedText, depth: int) -> str:
        inner = at(depth + 1)
        items = [
            inner + encode_basestring(tag) + ": " + encode_basestring(value)
            for tag, value in text.texts.items()
        ]
        return "{" + ",".join(items) + at(depth) + "}"

    return write


def _address_part_writer(layout: _Layout) -> Writer:
    localized = _localized_writer(layout)

    def write(text: LocalizedText, depth: int) -> str:
        # The converter writes text of no known language back as the plain string it was.
        if text.languages == (LocalizedText.UNDETERMINED,):
            return encode_basestring(text.texts[LocalizedText.UNDETERMINED])
        return localized(text, depth)

    return write


def _list_writer(layout: _Layout, item: Writer) -> Writer:
    at = layout.at

    def write(items: tuple[Any, ...], depth: int) -> str:
        if not items:
            return "[]"
        inner = at(depth + 1)
        return "[" + ",".join([inner + item(value, depth + 1) for value in items]) + at(depth) + "]"

    return write


def _string_list_writer(layout: _Layout) -> Writer:
    at = layout.at

    def write(items: tuple[str, ...], depth: int) -> str:
        if not items:
            return "[]"
        inner = at(depth + 1)
        return "[" + inner + ("," + inner).join(map(encode_basestring, items)) + at(depth) + "]"

    return write


def _scalar(write: Callable[[Any], str]) -> Writer:
    def write_scalar(value: Any, _depth: int) -> str:
        return write(value)

    return write_scalar


def _optional(write: Writer) -> Writer:
    def write_optional(value: Any, depth: int) -> str:
        return "null" if value is None else write(value, depth)

    return write_optional


def _enum_text(member: enum.Enum) -> str:
    return encode_basestring(member.value)


#: The wire form of each scalar type, as the converter unstructures it and json writes it.
_SCALARS: Final[dict[object, Callable[[Any], str]]] = {
    bool: lambda value: "true" if value else "false",
    str: encode_basestring,
    int: _int_repr,
    float: _float_text,
    datetime: lambda moment: encode_basestring(format_datetime(moment)),
    PartialDate: lambda value: encode_basestring(str(value)),
    Period: lambda value: encode_basestring(str(value)),
}


class _Writers:
    """The writers of one indent width, made on first use of each type."""

    def __init__(self, indent: int) -> None:
        self.layout = _Layout(indent)
        self.classes: dict[type, Writer] = {}

    def of(self, kind: Any) -> Writer:
        """The writer of a value of type *kind*."""
        args = typing.get_args(kind)
        origin = typing.get_origin(kind)
        if origin in (typing.Union, types.UnionType):
            others = [arg for arg in args if arg is not type(None)]
            if len(others) != 1:
                raise TypeError(f"no native writer for {kind}")
            return _optional(self.of(others[0]))
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            if args[0] is str:
                return _string_list_writer(self.layout)
            return _list_writer(self.layout, self.of(args[0]))
        scalar = _SCALARS.get(kind)
        if scalar is None and isinstance(kind, type) and issubclass(kind, enum.Enum):
            scalar = _enum_text
        if scalar is not None:
            return _scalar(scalar)
        if kind is LocalizedText:
            return _localized_writer(self.layout)
        if isinstance(kind, type) and attrs.has(kind):
            return self.of_class(kind)
        raise TypeError(f"no native writer for {kind}")

    def of_class(self, kind: type, header: Mapping[str, object] | None = None) -> Writer:
        """The writer of an attrs class: its fields in order, those at their default left out.

        *header* is written first, as the native document's ``format`` and ``version``.
        """
        if header is None and kind in self.classes:
            return self.classes[kind]
        hints = typing.get_type_hints(kind)
        fields = [field for field in attrs.fields(kind) if field.init]
        at = self.layout.at
        keys = {field.name: encode_basestring(field.name) + ": " for field in fields}
        namespace: dict[str, Any] = {"at": at}
        lines = [
            "def write(instance, depth):",
            "    inner = at(depth + 1)",
            "    child = depth + 1",
        ]
        head = [f"{encode_basestring(k)}: {json.dumps(v)}" for k, v in (header or {}).items()]
        namespace["head"] = head
        lines.append("    parts = [inner + item for item in head]" if head else "    parts = []")
        for number, field in enumerate(fields):
            name = field.name
            if kind is Address and name in ("street", "locality", "region"):
                writer = _optional(_address_part_writer(self.layout))
            else:
                writer = self.of(hints[name])
            namespace[f"write_{number}"] = writer
            namespace[f"key_{number}"] = keys[name]
            append = f"parts.append(inner + key_{number} + write_{number}(value, child))"
            lines.append(f"    value = instance.{name}")
            if field.default is attrs.NOTHING:
                lines.append(f"    {append}")
            else:
                if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type] # a class at run time, a function in attrs' stubs
                    raise TypeError(f"{kind.__name__}.{name} has a default factory")
                namespace[f"default_{number}"] = field.default
                lines.append(f"    if value != default_{number}:")
                lines.append(f"        {append}")
        lines.append("    if not parts:")
        lines.append("        return '{}'")
        lines.append("    return '{' + ','.join(parts) + at(depth) + '}'")
        source = "\n".join(lines)
        exec(compile(source, f"<native writer of {kind.__name__}>", "exec"), namespace)  # noqa: S102 - our own text, as attrs and cattrs do
        write: Writer = namespace["write"]
        if header is None:
            self.classes[kind] = write
        return write


@functools.cache
def document_writer(
    kind: type, format_name: str, version: int, indent: int
) -> Callable[[Any], str]:
    """A function that writes a native document of *kind*: the header, then the value's fields.

    Its text is ``json.dumps(document, ensure_ascii=False, indent=indent)`` of the document
    the converter unstructures, byte for byte, and a newline.
    """
    write = _Writers(indent).of_class(kind, header={"format": format_name, "version": version})

    def write_document(value: Any) -> str:
        return write(value, 0) + "\n"

    return write_document
