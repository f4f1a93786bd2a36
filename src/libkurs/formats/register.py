"""libkurs' own JSON for a register: the participants and enrolments of one catalogue.

A document is a JSON object with two header keys and then the register's fields::

    {
      "format": "libkurs.register",
      "version": 1,
      "participants": [ … ],
      "enrolments": [ … ]
    }

It is written through the same converter as the native catalogue (see
``libkurs.formats._converter`` for the wire decisions), and errors name the field path
(``enrolments[3].history[1].at``). A register is personal data: keep its files private, and
anonymise it when it need no longer be kept (:func:`libkurs.enrolment.anonymize`).

>>> from libkurs.enrolment import Participant, Register
>>> register = Register(participants=[Participant(id="p1", name="Anna", email="anna@example.org")])
>>> loads(dumps(register)) == register
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from libkurs._files import replace_atomically
from libkurs.enrolment import Register
from libkurs.formats._converter import shared_converter, structure
from libkurs.formats._envelope import read_document, write_document

__all__ = ["FORMAT_NAME", "SCHEMA_VERSION", "dump", "dumps", "load", "loads"]

#: The value of the ``format`` header key.
FORMAT_NAME: Final = "libkurs.register"
#: The schema version this libkurs writes.
SCHEMA_VERSION: Final = 1
READABLE_VERSIONS: Final = (1,)

_converter = shared_converter()


def loads(data: str | bytes, /, *, source: str | None = None) -> Register:
    """Read a register from its JSON text.

    Raises:
        FormatError: not JSON, not a register document, an unknown key or a wrong type.
        SchemaVersionError: a version this libkurs does not read.
        ValidationError: the values break a rule (a duplicate id, an illegal history …).
    """
    body = read_document(
        data, format_name=FORMAT_NAME, what="register", versions=READABLE_VERSIONS, source=source
    )
    return structure(_converter, body, Register, source=source)


def dumps(register: Register, /, *, indent: int | None = 2) -> str:
    """Write *register* as JSON text, with a newline at the end."""
    if not isinstance(register, Register):
        raise TypeError(f"expected a Register, got {type(register).__name__}")
    return write_document(
        _converter.unstructure(register),
        format_name=FORMAT_NAME,
        version=SCHEMA_VERSION,
        indent=indent,
    )


def load(path: str | os.PathLike[str]) -> Register:
    """Read a register file (UTF-8 JSON)."""
    return loads(Path(path).read_bytes(), source=os.fspath(path))


def dump(register: Register, path: str | os.PathLike[str]) -> None:
    """Write *register* to a file, replacing it only once the whole text is written.

    The file is readable by its owner only (mode 0600): a register is personal data. An
    :class:`OSError` names *path*, not the temporary file written first.
    """
    try:
        replace_atomically(path, dumps(register).encode("utf-8"), private=True)
    except OSError as error:
        raise type(error)(error.errno, error.strerror, os.fspath(path)) from error
