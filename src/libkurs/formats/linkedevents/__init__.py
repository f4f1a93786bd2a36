"""Linked Events: the event API of the Helsinki region (``api.hel.fi/linkedevents/v1``).

Reads what the API answers (a list response ``{"meta": …, "data": [events]}``, a list of events,
or one event) and writes a list response of the same shape.

How the two models meet:

- An event of one session is one Linked Events event. An event of several sessions is a
  ``"recurring"`` super event whose sub events are its sessions. A programme is an
  ``"umbrella"`` super event whose sub events are its modules. Reading does the reverse.
- Ids: a Linked Events id ``helsinki:af7jcccbra`` is the libkurs id ``helsinki.af7jcccbra``
  (the first ``:`` becomes ``.``), and back; a libkurs id without a dot is written under the
  *data_source* option (``libkurs:<id>``).
- Multilingual fields (``name``, ``description``, ``short_description``, ``provider``,
  ``info_url``, offer texts) are :class:`~libkurs.LocalizedText`; ``zh_hans`` is ``zh-hans``.
- Keywords are ids in Linked Events. libkurs keeps a keyword's id as its text in the language
  tag ``zxx`` ("no linguistic content") beside its names, when the API expanded them
  (``?include=keywords``). Writing uses that id, or the *keyword_ids* option (keyword text to id);
  keywords without an id are not written. Places are kept the same way: an unexpanded place is a
  venue named only by its id; ``helsinki:internet`` is an online location.
- Registration: ``enrolment_start_time``, ``enrolment_end_time``, ``maximum_attendee_capacity``
  and ``minimum_attendee_capacity`` are the event's :class:`~libkurs.EnrolmentSettings`.
- Times are UTC in Linked Events and are read into the *tz* option's zone (Helsinki); a date
  without a time is a whole day (``end_time`` is the last day, inclusive). An event or sub event
  whose ``end_time`` is null ends, as Linked Events itself takes it, at the midnight after its
  start day (in *tz*); reading it warns with a :class:`LinkedEventsWarning`. One without a
  ``start_time`` has no session.
- Limits: a document holds at most :data:`MAX_EVENTS` events (super and sub events together);
  reading takes time in proportion to the size of the document. Wrong values (a status given
  as a list, coordinates that are not ``[longitude, latitude]``, a date too near the year 1 or
  9999) are a :class:`~libkurs.errors.FormatError` naming their path.
- Not carried: runs (their sessions are written as sub events), a venue *and* an online room
  (the venue is written), speakers, agenda items, contacts, links, audience.
- Writing starts from :func:`libkurs.public_view`; the join link is never written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Final

import attrs

from libkurs.errors import DataError
from libkurs.formats._envelope import decode
from libkurs.formats.linkedevents._common import (
    API,
    ID_TAG,
    INTERNET,
    LinkedEventsWarning,
    to_le_id,
    to_libkurs_id,
)
from libkurs.formats.linkedevents._read import MAX_EVENTS, read
from libkurs.formats.linkedevents._write import write
from libkurs.model import HELSINKI, Catalogue

__all__ = [
    "API",
    "FORMAT",
    "ID_TAG",
    "INTERNET",
    "MAX_EVENTS",
    "LinkedEvents",
    "LinkedEventsWarning",
    "to_le_id",
    "to_libkurs_id",
]


@attrs.frozen
class LinkedEvents:
    """Linked Events JSON, registered as ``"linkedevents"`` for ``.linkedevents.json`` files."""

    name: str = "linkedevents"
    suffixes: tuple[str, ...] = (".linkedevents.json",)

    def loads(
        self, data: str | bytes, /, *, source: str | None = None, tz: tzinfo = HELSINKI
    ) -> Catalogue:
        """Read the events of a Linked Events response; times in *tz*.

        An event without an ``end_time`` warns with a :class:`LinkedEventsWarning`.

        Raises:
            FormatError: not JSON, or not shaped like Linked Events, or more than
                :data:`MAX_EVENTS` events; the path names the place.
            ValidationError: the values break a rule of the model.
        """
        document = decode(data, source=source)
        try:
            return read(document, tz)
        except DataError as error:
            error.source = error.source or source
            raise

    def dumps(
        self,
        catalogue: Catalogue,
        /,
        *,
        data_source: str = "libkurs",
        keyword_ids: Mapping[str, str] | None = None,
        include_drafts: bool = False,
        indent: int | None = 2,
    ) -> str:
        """Write *catalogue* as a Linked Events list response.

        Args:
            catalogue: The catalogue.
            data_source: The Linked Events data source of ids that have none.
            keyword_ids: Linked Events keyword ids (``"yso:p2787"``) by keyword text.
            include_drafts: Also write drafts, with ``"publication_status": "draft"``.
            indent: JSON indentation; None for one line.
        """
        if not isinstance(catalogue, Catalogue):
            raise TypeError(f"expected a Catalogue, got {type(catalogue).__name__}")
        return write(
            catalogue,
            data_source=data_source,
            keyword_ids=keyword_ids,
            include_drafts=include_drafts,
            indent=indent,
        )


FORMAT: Final = LinkedEvents()
