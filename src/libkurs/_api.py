"""load, loads, dump, dumps: the four doors to every format."""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from libkurs._files import replace_atomically
from libkurs.errors import DataError
from libkurs.formats import get_format, infer_format
from libkurs.model import Catalogue

__all__ = ["dump", "dumps", "load", "loads"]


def loads(data: str | bytes, format: str, **options: object) -> Catalogue:
    """Read a catalogue from *data* in the format named *format* (``"json"`` …).

    >>> catalogue = loads('{"format": "libkurs.catalogue", "version": 1}', "json")
    >>> catalogue.events
    ()

    Raises:
        libkurs.errors.UnknownFormatError: no format has that name.
        libkurs.errors.DataError: the data is wrong; the error says where.
    """
    return get_format(format).loads(data, **options)


def dumps(catalogue: Catalogue, format: str, **options: object) -> str:
    """Write *catalogue* as text in the format named *format*."""
    return get_format(format).dumps(catalogue, **options)


def load(path: str | os.PathLike[str], format: str | None = None, **options: object) -> Catalogue:
    """Read a catalogue from the file at *path*; the format comes from its suffix unless given.

    Errors about the data name the file as their ``source``.

    Raises:
        libkurs.errors.UnknownFormatError: no format for that name or suffix.
        libkurs.errors.DataError: the data is wrong; the error says where.
        OSError: the file cannot be read.
    """
    fmt = get_format(format) if format is not None else infer_format(PurePath(os.fspath(path)))
    data = Path(path).read_bytes()
    try:
        return fmt.loads(data, **options)
    except DataError as error:
        error.source = error.source or os.fspath(path)
        raise


def dump(
    catalogue: Catalogue,
    path: str | os.PathLike[str],
    format: str | None = None,
    **options: object,
) -> None:
    """Write *catalogue* to the file at *path*; the format comes from its suffix unless given.

    The file is replaced atomically: if writing fails, the previous file is left as it was.
    """
    fmt = get_format(format) if format is not None else infer_format(PurePath(os.fspath(path)))
    data = fmt.dumps(catalogue, **options).encode("utf-8")
    replace_atomically(path, data)
