"""The header that every native libkurs JSON document opens with: its kind and its version."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from libkurs.errors import FormatError, SchemaVersionError
from libkurs.formats._converter import json_type

__all__ = ["decode", "read_document", "write_document"]


class _DuplicateKeyError(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateKeyError(key)
        document[key] = value
    return document


def decode(data: str | bytes, *, source: str | None = None) -> Any:
    """Parse JSON text (bytes as UTF-8, with or without a byte-order mark).

    A key given twice in one object is an error: JSON parsers disagree on which one wins.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FormatError(
                f"not UTF-8: byte {data[error.start]:#04x} at offset {error.start}", source=source
            ) from None
    data = data.removeprefix("\ufeff")
    try:
        return json.loads(data, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as error:
        raise FormatError(
            f"not valid here: the key {error.args[0]!r} appears twice in one object", source=source
        ) from None
    except json.JSONDecodeError as error:
        raise FormatError(
            f"not valid JSON: {error.msg} (column {error.colno})", source=source, line=error.lineno
        ) from None
    except RecursionError:
        raise FormatError("not valid JSON: nested too deeply", source=source) from None
    except ValueError as error:  # an integer beyond Python's conversion limit, for one
        raise FormatError(f"not valid JSON: {error}", source=source) from None


def read_document(
    data: str | bytes,
    *,
    format_name: str,
    what: str,
    versions: tuple[int, ...],
    source: str | None,
) -> dict[str, Any]:
    """Parse a native document, check its header, and return the body without it.

    Raises:
        FormatError: not JSON, not an object, or not a document of *format_name*.
        SchemaVersionError: a version not in *versions*.
    """
    document = decode(data, source=source)
    if not isinstance(document, dict):
        raise FormatError(f"expected a JSON object, got {json_type(document)}", source=source)
    header = document.get("format")
    if header != format_name:
        raise FormatError(
            f'not a libkurs {what}: the "format" key should be {format_name!r}, found {header!r}',
            path="format",
            source=source,
        )
    version = document.get("version")
    if isinstance(version, bool) or version not in versions:
        raise SchemaVersionError(version, supported=versions, source=source)
    return {key: value for key, value in document.items() if key not in {"format", "version"}}


def write_document(
    body: Mapping[str, Any], *, format_name: str, version: int, indent: int | None
) -> str:
    """The JSON text of a native document: the header, then *body*, then a newline."""
    document = {"format": format_name, "version": version, **body}
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"
