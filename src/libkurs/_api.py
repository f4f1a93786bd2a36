"""load, loads, dump, dumps: the four doors to every format.

The options of a built-in format are typed per format name (the overloads below), so that a type
checker reports a misspelt option (``indnt=2``) or an option the format does not take. By file
suffix (no ``format``), :func:`load` and :func:`dump` accept the options of any built-in format.
Options of a format registered with :func:`libkurs.register_format` are passed to its own
methods: ``libkurs.formats.get_format("name").loads(data, option=…)``.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Any, Literal, Unpack, overload

from libkurs._files import replace_atomically
from libkurs.errors import DataError
from libkurs.formats import get_format, infer_format
from libkurs.formats._options import (
    AnnouncementDumpOptions,
    AnnouncementLoadOptions,
    DumpOptions,
    ICSDumpOptions,
    ICSLoadOptions,
    JSONDumpOptions,
    JSONLDDumpOptions,
    JSONLoadOptions,
    LinkedEventsDumpOptions,
    LinkedEventsLoadOptions,
    LoadOptions,
)
from libkurs.model import Catalogue

__all__ = ["dump", "dumps", "load", "loads"]

_Announcement = Literal["announcement", "announcement-md", "announcement-html"]
_Path = str | os.PathLike[str]


@overload
def loads(
    data: str | bytes, format: Literal["json"], **options: Unpack[JSONLoadOptions]
) -> Catalogue: ...
@overload
def loads(
    data: str | bytes, format: Literal["ics"], **options: Unpack[ICSLoadOptions]
) -> Catalogue: ...
@overload
def loads(data: str | bytes, format: Literal["jsonld"]) -> Catalogue: ...
@overload
def loads(
    data: str | bytes, format: Literal["linkedevents"], **options: Unpack[LinkedEventsLoadOptions]
) -> Catalogue: ...
@overload
def loads(
    data: str | bytes, format: _Announcement, **options: Unpack[AnnouncementLoadOptions]
) -> Catalogue: ...
@overload
def loads(data: str | bytes, format: str) -> Catalogue: ...
def loads(data: str | bytes, format: str, **options: Any) -> Catalogue:
    """Read a catalogue from *data* in the format named *format* (``"json"`` …).

    *options* are the format's own (see :mod:`libkurs.formats`), such as ``zone=`` for
    ``"ics"``.

    >>> catalogue = loads('{"format": "libkurs.catalogue", "version": 1}', "json")
    >>> catalogue.events
    ()

    Raises:
        libkurs.errors.UnknownFormatError: no format has that name.
        libkurs.errors.DataError: the data is wrong; the error says where.
        TypeError: an option the format does not take.
    """
    return get_format(format).loads(data, **options)


@overload
def dumps(
    catalogue: Catalogue, format: Literal["json"], **options: Unpack[JSONDumpOptions]
) -> str: ...
@overload
def dumps(
    catalogue: Catalogue, format: Literal["ics"], **options: Unpack[ICSDumpOptions]
) -> str: ...
@overload
def dumps(
    catalogue: Catalogue, format: Literal["jsonld"], **options: Unpack[JSONLDDumpOptions]
) -> str: ...
@overload
def dumps(
    catalogue: Catalogue,
    format: Literal["linkedevents"],
    **options: Unpack[LinkedEventsDumpOptions],
) -> str: ...
@overload
def dumps(
    catalogue: Catalogue, format: _Announcement, **options: Unpack[AnnouncementDumpOptions]
) -> str: ...
@overload
def dumps(catalogue: Catalogue, format: str) -> str: ...
def dumps(catalogue: Catalogue, format: str, **options: Any) -> str:
    """Write *catalogue* as text in the format named *format*, with that format's *options*.

    Raises:
        libkurs.errors.UnknownFormatError: no format has that name.
        TypeError: an option the format does not take.
    """
    return get_format(format).dumps(catalogue, **options)


@overload
def load(path: _Path, format: None = None, **options: Unpack[LoadOptions]) -> Catalogue: ...
@overload
def load(path: _Path, format: Literal["json"], **options: Unpack[JSONLoadOptions]) -> Catalogue: ...
@overload
def load(path: _Path, format: Literal["ics"], **options: Unpack[ICSLoadOptions]) -> Catalogue: ...
@overload
def load(path: _Path, format: Literal["jsonld"]) -> Catalogue: ...
@overload
def load(
    path: _Path, format: Literal["linkedevents"], **options: Unpack[LinkedEventsLoadOptions]
) -> Catalogue: ...
@overload
def load(
    path: _Path, format: _Announcement, **options: Unpack[AnnouncementLoadOptions]
) -> Catalogue: ...
@overload
def load(path: _Path, format: str | None) -> Catalogue: ...
def load(path: _Path, format: str | None = None, **options: Any) -> Catalogue:
    """Read a catalogue from the file at *path*; the format comes from its suffix unless given.

    Errors about the data name the file as their ``source``.

    Raises:
        libkurs.errors.UnknownFormatError: no format for that name or suffix.
        libkurs.errors.DataError: the data is wrong; the error says where.
        OSError: the file cannot be read.
        TypeError: an option the format does not take.
    """
    fmt = get_format(format) if format is not None else infer_format(PurePath(os.fspath(path)))
    data = Path(path).read_bytes()
    try:
        return fmt.loads(data, **options)
    except DataError as error:
        error.source = error.source or os.fspath(path)
        raise


@overload
def dump(
    catalogue: Catalogue, path: _Path, format: None = None, **options: Unpack[DumpOptions]
) -> None: ...
@overload
def dump(
    catalogue: Catalogue, path: _Path, format: Literal["json"], **options: Unpack[JSONDumpOptions]
) -> None: ...
@overload
def dump(
    catalogue: Catalogue, path: _Path, format: Literal["ics"], **options: Unpack[ICSDumpOptions]
) -> None: ...
@overload
def dump(
    catalogue: Catalogue,
    path: _Path,
    format: Literal["jsonld"],
    **options: Unpack[JSONLDDumpOptions],
) -> None: ...
@overload
def dump(
    catalogue: Catalogue,
    path: _Path,
    format: Literal["linkedevents"],
    **options: Unpack[LinkedEventsDumpOptions],
) -> None: ...
@overload
def dump(
    catalogue: Catalogue,
    path: _Path,
    format: _Announcement,
    **options: Unpack[AnnouncementDumpOptions],
) -> None: ...
@overload
def dump(catalogue: Catalogue, path: _Path, format: str | None) -> None: ...
def dump(catalogue: Catalogue, path: _Path, format: str | None = None, **options: Any) -> None:
    """Write *catalogue* to the file at *path*; the format comes from its suffix unless given.

    The file is replaced atomically: if writing fails, the previous file is left as it was.

    Raises:
        libkurs.errors.UnknownFormatError: no format for that name or suffix.
        OSError: the file cannot be written.
        TypeError: an option the format does not take.
    """
    fmt = get_format(format) if format is not None else infer_format(PurePath(os.fspath(path)))
    data = fmt.dumps(catalogue, **options).encode("utf-8")
    replace_atomically(path, data)
