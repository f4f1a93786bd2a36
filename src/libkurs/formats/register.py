"""libkurs' own JSON for a register: the participants and enrolments of one catalogue.

A document is a JSON object with two header keys and then the register's fields::

    {
      "format": "libkurs.register",
      "version": 1,
      "participants": [ … ],
      "enrolments": [ … ]
    }

It is written through the same converter as the native catalogue (see
:mod:`libkurs.formats._converter` for the wire decisions), and errors name the field path
(``enrolments[3].history[1].at``). A register is personal data: keep its files private, and
anonymise it when it need no longer be kept (:func:`libkurs.enrolment.anonymize`).

>>> from libkurs.enrolment import Participant, Register
>>> register = Register(participants=[Participant(id="p1", name="Anna", email="anna@example.org")])
>>> loads(dumps(register)) == register
True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Final

from libkurs.enrolment import Register
from libkurs.errors import FormatError, SchemaVersionError
from libkurs.formats._converter import json_type, make_converter, structure
from libkurs.formats.native import decode

__all__ = ["FORMAT_NAME", "SCHEMA_VERSION", "dump", "dumps", "load", "loads"]

#: The value of the ``format`` header key.
FORMAT_NAME: Final = "libkurs.register"
#: The schema version this libkurs writes.
SCHEMA_VERSION: Final = 1
READABLE_VERSIONS: Final = (1,)

_converter = make_converter()


def loads(data: str | bytes, /, *, source: str | None = None) -> Register:
    """Read a register from its JSON text.

    Raises:
        FormatError: not JSON, not a register document, an unknown key or a wrong type.
        SchemaVersionError: a version this libkurs does not read.
        ValidationError: the values break a rule (a duplicate id, an illegal history …).
    """
    document = decode(data, source=source)
    if not isinstance(document, dict):
        raise FormatError(f"expected a JSON object, got {json_type(document)}", source=source)
    header = document.get("format")
    if header != FORMAT_NAME:
        raise FormatError(
            f'not a libkurs register: the "format" key should be {FORMAT_NAME!r}, found {header!r}',
            path="format",
            source=source,
        )
    version = document.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise SchemaVersionError(version, supported=READABLE_VERSIONS, source=source)
    body = {key: value for key, value in document.items() if key not in {"format", "version"}}
    return structure(_converter, body, Register, source=source)


def dumps(register: Register, /, *, indent: int | None = 2) -> str:
    """Write *register* as JSON text, with a newline at the end."""
    if not isinstance(register, Register):
        raise TypeError(f"expected a Register, got {type(register).__name__}")
    document = {
        "format": FORMAT_NAME,
        "version": SCHEMA_VERSION,
        **_converter.unstructure(register),
    }
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def load(path: str | os.PathLike[str]) -> Register:
    """Read a register file (UTF-8 JSON)."""
    return loads(Path(path).read_bytes(), source=os.fspath(path))


def dump(register: Register, path: str | os.PathLike[str]) -> None:
    """Write *register* to a file, replacing it only once the whole text is written."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(dumps(register), encoding="utf-8")
    temporary.replace(target)
