"""The format registry: every wire format libkurs reads or writes, by name and file suffix."""

from __future__ import annotations

import importlib
from pathlib import PurePath
from typing import Any, Protocol, runtime_checkable

from libkurs.errors import UnknownFormatError
from libkurs.model import Catalogue

__all__ = ["Format", "formats", "get_format", "infer_format", "register_format"]


@runtime_checkable
class Format(Protocol):
    """A wire format: its name, the file suffixes that mean it, and text both ways.

    ``loads`` accepts ``bytes`` too and decodes them as the format prescribes. Options are the
    format's own keyword arguments; a format rejects options it does not know with ``TypeError``.
    """

    @property
    def name(self) -> str:
        """The name given to :func:`libkurs.loads` and :func:`libkurs.dumps`, such as ``"json"``."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File suffixes that mean this format, with their dot, such as ``(".json",)``."""

    def loads(self, data: str | bytes, /, **options: Any) -> Catalogue:
        """Read a catalogue."""

    def dumps(self, catalogue: Catalogue, /, **options: Any) -> str:
        """Write a catalogue."""


# Built-in formats are imported on first use, so that `import libkurs` stays cheap:
# name -> ("module:attribute" of the Format object, suffixes).
_BUILTIN: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": ("libkurs.formats.native:FORMAT", (".json",)),
    "ics": ("libkurs.formats.ics:FORMAT", (".ics", ".ical")),
    "jsonld": ("libkurs.formats.jsonld:FORMAT", (".jsonld",)),
    "linkedevents": ("libkurs.formats.linkedevents:FORMAT", (".linkedevents.json",)),
    "announcement": ("libkurs.formats.announcement:TEXT", (".txt",)),
    "announcement-md": ("libkurs.formats.announcement:MARKDOWN", (".md",)),
    "announcement-html": ("libkurs.formats.announcement:HTML", (".html", ".htm")),
}
_registered: dict[str, Format] = {}


def register_format(fmt: Format, *, replace: bool = False) -> None:
    """Make *fmt* available to :func:`libkurs.load`, :func:`libkurs.dumps` and the rest.

    Raises:
        ValueError: a format of that name exists and *replace* is false.
    """
    if not replace and (fmt.name in _registered or fmt.name in _BUILTIN):
        raise ValueError(f"a format named {fmt.name!r} is already registered")
    _BUILTIN.pop(fmt.name, None)
    _registered[fmt.name] = fmt


def formats() -> tuple[str, ...]:
    """The names of every available format, sorted."""
    return tuple(sorted({*_BUILTIN, *_registered}))


def get_format(name: str) -> Format:
    """The format called *name*.

    Raises:
        UnknownFormatError: there is none.
    """
    if name not in _registered and name in _BUILTIN:
        module_name, _, attribute = _BUILTIN[name][0].partition(":")
        _registered[name] = getattr(importlib.import_module(module_name), attribute)
    try:
        return _registered[name]
    except KeyError:
        raise UnknownFormatError(name, known=formats()) from None


def infer_format(path: str | PurePath) -> Format:
    """The format a file's suffix means; the longest matching suffix wins (``.ld.json``).

    Raises:
        UnknownFormatError: no format claims the suffix.
    """
    name = PurePath(path).name.lower()
    candidates = [(suffix, fmt_name) for fmt_name, (_, sfx) in _BUILTIN.items() for suffix in sfx]
    candidates += [(suffix, fmt.name) for fmt in _registered.values() for suffix in fmt.suffixes]
    matches = sorted(
        (s for s in candidates if name.endswith(s[0].lower())), key=lambda s: -len(s[0])
    )
    if not matches:
        suffix = "".join(PurePath(path).suffixes)
        raise UnknownFormatError(suffix, known=formats(), path=str(path))
    return get_format(matches[0][1])
