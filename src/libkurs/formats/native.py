"""libkurs' own JSON: the full, exact record of a catalogue.

A document is a JSON object with two header keys and then the catalogue's fields::

    {
      "format": "libkurs.catalogue",
      "version": 1,
      "name": {"sv": "…"},
      "events": [ … ],
      …
    }

Field paths in errors are paths in this object (``events[2].sessions[0].end``). The wire
decisions (datetimes, enums, text) are listed in :mod:`libkurs.formats._converter`.
This is the catalogue's store, not a publishing format: it keeps private data (join links,
internal notes). Publish through a public format, or pass the catalogue through
:func:`libkurs.public_view` first.
"""

from __future__ import annotations

import json
from typing import Any, Final

import attrs

from libkurs.errors import FormatError, SchemaVersionError
from libkurs.formats._converter import json_type, make_converter, structure
from libkurs.model import Catalogue

__all__ = ["FORMAT", "FORMAT_NAME", "SCHEMA_VERSION", "NativeJSON"]

#: The value of the ``format`` header key.
FORMAT_NAME: Final = "libkurs.catalogue"
#: The schema version this libkurs writes; it reads the versions in ``READABLE_VERSIONS``.
SCHEMA_VERSION: Final = 1
READABLE_VERSIONS: Final = (1,)

_converter = make_converter()


def decode(data: str | bytes, *, source: str | None = None) -> Any:
    """Parse JSON text (bytes as UTF-8, with or without a byte-order mark)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FormatError(
                f"not UTF-8: byte {data[error.start]:#04x} at offset {error.start}", source=source
            ) from None
    data = data.removeprefix("\ufeff")
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise FormatError(
            f"not valid JSON: {error.msg} (column {error.colno})", source=source, line=error.lineno
        ) from None
    except RecursionError:
        raise FormatError("not valid JSON: nested too deeply", source=source) from None
    except ValueError as error:  # an integer beyond Python's conversion limit, for one
        raise FormatError(f"not valid JSON: {error}", source=source) from None


@attrs.frozen
class NativeJSON:
    """The native JSON format, registered as ``"json"`` for ``.json`` files."""

    name: str = "json"
    suffixes: tuple[str, ...] = (".json",)

    def loads(self, data: str | bytes, /, *, source: str | None = None) -> Catalogue:
        """Read a catalogue from native JSON text.

        Raises:
            FormatError: not JSON, not a libkurs document, an unknown key or a wrong type.
            SchemaVersionError: a version this libkurs does not read.
            ValidationError: the values break a rule of the model.
        """
        document = decode(data, source=source)
        if not isinstance(document, dict):
            raise FormatError(f"expected a JSON object, got {json_type(document)}", source=source)
        header = document.get("format")
        if header != FORMAT_NAME:
            raise FormatError(
                f'not a libkurs catalogue: the "format" key should be {FORMAT_NAME!r}, '
                f"found {header!r}",
                path="format",
                source=source,
            )
        version = document.get("version")
        if isinstance(version, bool) or version not in READABLE_VERSIONS:
            raise SchemaVersionError(version, supported=READABLE_VERSIONS, source=source)
        body = {key: value for key, value in document.items() if key not in {"format", "version"}}
        return structure(_converter, body, Catalogue, source=source)

    def dumps(self, catalogue: Catalogue, /, *, indent: int | None = 2) -> str:
        """Write *catalogue* as native JSON text: characters as they are, a newline at the end."""
        if not isinstance(catalogue, Catalogue):
            raise TypeError(f"expected a Catalogue, got {type(catalogue).__name__}")
        document = {
            "format": FORMAT_NAME,
            "version": SCHEMA_VERSION,
            **_converter.unstructure(catalogue),
        }
        return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


FORMAT: Final = NativeJSON()
