"""The domain model: frozen, keyword-only attrs classes and pure rules over them.

Nothing here does I/O or knows a wire format; :mod:`libkurs.formats` reads and writes these
values. Every class validates itself on construction and raises
:class:`~libkurs.errors.ValidationError` naming the field; edit with :func:`attrs.evolve`
or :func:`revise`.
"""

from libkurs.model._catalogue import Catalogue
from libkurs.model._checks import Strings
from libkurs.model._enums import AttendanceMode, EventKind, PartOfDay, Publication, Status
from libkurs.model._event import AgendaItem, EnrolmentSettings, Event, Programme, Run, Session
from libkurs.model._places import (
    Address,
    Geo,
    Link,
    Location,
    OnlineRoom,
    Organisation,
    Person,
    Venue,
)
from libkurs.model._public import public_view
from libkurs.model._revise import CALENDAR_FIELDS, bump_revisions, revise
from libkurs.model._text import DEFAULT_FALLBACK, LocalizedText
from libkurs.model._time import HELSINKI, PartialDate, Period

__all__ = [
    "Address",
    "AgendaItem",
    "AttendanceMode",
    "CALENDAR_FIELDS",
    "Catalogue",
    "DEFAULT_FALLBACK",
    "EnrolmentSettings",
    "Event",
    "EventKind",
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
    "Strings",
    "Venue",
    "bump_revisions",
    "public_view",
    "revise",
]
