"""The example catalogue and sample calendars that ship with libkurs, to try it out on.

They are package data, read through :mod:`importlib.resources`, so they are there wherever
libkurs is installed, without a checkout of its repository:

- ``catalogue.json``: the seed announcements (a Liboppi day, a final seminar, study visits to
  Denmark in two runs, a year-long programme …) as a native catalogue;
- ``calendars/*.ics``: calendars as Google, Outlook, Apple, Thunderbird, Zoom and Teams export
  them, a recurring series, a Latin-1 file, and the quirks the how-to on calendars reads
  (``quirk-instant.ics``, ``quirk-outlook-zones.ics``, ``todo-and-journal.ics``,
  ``meet-google-block.ics``);
- ``seminar.linkedevents.json``: an event as the Linked Events API answers it.

>>> import libkurs.examples
>>> seed = libkurs.examples.catalogue()
>>> str(seed.event("slutseminarium-service-design").title)
'Slutseminarium för AKEpampas pilotprojekt i service design'
>>> libkurs.examples.read_bytes("calendars/outlook.ics")[:15]
b'BEGIN:VCALENDAR'
"""

from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from libkurs.errors import UnknownIdError
from libkurs.model import Catalogue

__all__ = ["CATALOGUE", "catalogue", "files", "names", "path", "read_bytes"]

#: The name of the example catalogue.
CATALOGUE = "catalogue.json"
_DATA_SUFFIXES = (".json", ".ics")
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def files() -> Traversable:
    """The folder of the examples, as :func:`importlib.resources.files` gives it."""
    return resources.files(__name__)


def names() -> tuple[str, ...]:
    """The name of every example file, sorted (``"catalogue.json"``, ``"calendars/google.ics"``).

    >>> "calendars/google.ics" in names()
    True
    """
    found: list[str] = []

    def walk(folder: Traversable, prefix: str) -> None:
        for item in folder.iterdir():
            if item.is_dir() and not item.name.startswith(("_", ".")):
                walk(item, f"{prefix}{item.name}/")
            elif item.is_file() and item.name.endswith(_DATA_SUFFIXES):
                found.append(prefix + item.name)

    walk(files(), "")
    return tuple(sorted(found))


def _file(name: str) -> Traversable:
    if name not in names():  # also refuses "../x", absolute paths and the module itself
        raise UnknownIdError(
            name,
            expected="example file",
            reason=f"no example file {name!r}; there are {', '.join(names())}",
        )
    item = files()
    for part in name.split("/"):
        item = item / part
    return item


def read_bytes(name: str) -> bytes:
    """The content of the example file *name* (one of :func:`names`).

    Raises:
        libkurs.errors.UnknownIdError: no example file of that name.
    """
    return _file(name).read_bytes()


def path(name: str = CATALOGUE) -> Path:
    """A file system path of the example file *name*, for APIs and commands that want a file.

    Where libkurs is installed as plain files (as pip installs it), this is the file itself;
    from a zip archive it is a temporary copy, removed when Python exits. Do not write to it.

    Raises:
        libkurs.errors.UnknownIdError: no example file of that name.
    """
    item = _file(name)
    if isinstance(item, Path):
        return item
    return _extracted.enter_context(resources.as_file(item))


def catalogue() -> Catalogue:
    """The example catalogue: the seed announcements, ready to use.

    >>> len(catalogue().events)
    5
    """
    from libkurs._api import loads

    return loads(read_bytes(CATALOGUE), "json", source=f"{__name__}:{CATALOGUE}")
