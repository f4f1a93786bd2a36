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
decisions (datetimes, enums, text) are listed in ``libkurs.formats._converter``.
This is the catalogue's store, not a publishing format: it keeps private data (join links,
internal notes). Publish through a public format, or pass the catalogue through
:func:`libkurs.public_view` first.
"""

from __future__ import annotations

import contextlib
from typing import Final

import attrs

from libkurs.formats._collector import paused
from libkurs.formats._converter import shared_converter, structure
from libkurs.formats._envelope import read_document, write_document
from libkurs.formats._native_writer import document_writer
from libkurs.formats._trusted import trusted_catalogue
from libkurs.model import Catalogue

__all__ = ["FORMAT", "FORMAT_NAME", "SCHEMA_VERSION", "NativeJSON"]

#: The value of the ``format`` header key.
FORMAT_NAME: Final = "libkurs.catalogue"
#: The schema version this libkurs writes; it reads the versions in ``READABLE_VERSIONS``.
SCHEMA_VERSION: Final = 1
READABLE_VERSIONS: Final = (1,)

_converter = shared_converter()


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
        with paused():  # the load makes objects, no garbage: see libkurs.formats._collector
            body = read_document(
                data,
                format_name=FORMAT_NAME,
                what="catalogue",
                versions=READABLE_VERSIONS,
                source=source,
            )
            # One round on the trusted path; on any refusal, the checked path reads the body
            # again and names the problem as it always has (see libkurs.formats._trusted).
            with contextlib.suppress(Exception):
                return trusted_catalogue(body)
            return structure(_converter, body, Catalogue, source=source)

    def dumps(self, catalogue: Catalogue, /, *, indent: int | None = 2) -> str:
        """Write *catalogue* as native JSON text: characters as they are, a newline at the end."""
        if not isinstance(catalogue, Catalogue):
            raise TypeError(f"expected a Catalogue, got {type(catalogue).__name__}")
        if type(indent) is int:
            # The indented text written straight from the model, the same bytes as below
            # (see libkurs.formats._native_writer); json.dumps is fast only without an indent.
            kind: type = type(catalogue)
            write = document_writer(kind, FORMAT_NAME, SCHEMA_VERSION, indent)
            return write(catalogue)
        return write_document(
            _converter.unstructure(catalogue),
            format_name=FORMAT_NAME,
            version=SCHEMA_VERSION,
            indent=indent,
        )


FORMAT: Final = NativeJSON()
