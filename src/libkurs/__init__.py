"""libkurs: typed data, formats and calendar sync for continuing-education events.

>>> import libkurs.examples
>>> catalogue = libkurs.load(libkurs.examples.path("catalogue.json"))
>>> str(catalogue.event("slutseminarium-service-design").title)
'Slutseminarium för AKEpampas pilotprojekt i service design'
"""

from libkurs import errors
from libkurs._api import dump, dumps, load, loads
from libkurs.formats import Format, register_format
from libkurs.model import (
    DEFAULT_FALLBACK,
    HELSINKI,
    Address,
    AgendaItem,
    AttendanceMode,
    Catalogue,
    EnrolmentSettings,
    Event,
    EventKind,
    Geo,
    Link,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    PartialDate,
    PartOfDay,
    Period,
    Person,
    Programme,
    Publication,
    Run,
    Session,
    Status,
    Venue,
    bump_revisions,
    public_view,
    revise,
)

__all__ = [
    "Address",
    "AgendaItem",
    "AttendanceMode",
    "Catalogue",
    "DEFAULT_FALLBACK",
    "EnrolmentSettings",
    "Event",
    "EventKind",
    "Format",
    "Geo",
    "HELSINKI",
    "Link",
    "LocalizedText",
    "Location",
    "OnlineRoom",
    "Organisation",
    "PartOfDay",
    "PartialDate",
    "Period",
    "Person",
    "Programme",
    "Publication",
    "Run",
    "Session",
    "Status",
    "Venue",
    "bump_revisions",
    "dump",
    "dumps",
    "errors",
    "load",
    "loads",
    "public_view",
    "register_format",
    "revise",
]


def __getattr__(name: str) -> str:
    # Read lazily, as attrs does: importing libkurs should not read package metadata.
    if name == "__version__":
        from importlib.metadata import version

        return version("libkurs")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
