"""iCalendar (RFC 5545) in and out: exact to the standards on the way out, forgiving on the way in.

Registered as the format ``"ics"`` for ``.ics`` and ``.ical`` files:

- :func:`libkurs.dumps` ``(catalogue, "ics", …)`` writes the **public feed**: one VEVENT per
  session of the public events, without join links, access notes, internal notes or drafts
  (options: ``language``, ``second_language``, ``uid_domain``, ``now``, ``last_modified``,
  ``private``, ``refresh_interval``);
- :func:`libkurs.loads` ``(data, "ics", …)`` reads any program's calendar into a catalogue
  (options: ``language``, ``zone``, ``horizon``, ``default_duration``, ``encoding``,
  ``strict``, ``warnings``): leniently by default, skipping what it cannot read, and
  appending a :class:`CalendarWarning` for each case to the list passed as ``warnings``;
- :func:`read_calendar` reads the same and also returns the attendees and the warnings, and
  :func:`found_enrolments` turns those attendees into participants and enrolments;
- :func:`calendar_object` writes one session as one calendar object, as a sync stores it;
- :func:`invitations` writes the **personal invitations** of one attendee (iTIP REQUEST or
  CANCEL, with the join link), :func:`invitation_for` those of one enrolment of a register,
  and :func:`organiser_of` their organiser from an organisation of the catalogue.

The decisions behind each are listed in the docstrings of the private modules
``_export``, ``_import``, ``_own``, ``_series``, ``_places``, ``_common``, ``_invitation``,
``_attendees``, ``_zones``, ``_filezone``, ``_recurrence``, ``_values``, ``_lines`` and
``_unfold``, and of ``libkurs.formats._joinlinks`` (how join links are found).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Final

import attrs

from libkurs.formats.ics._attendees import found_enrolments
from libkurs.formats.ics._export import calendar_object
from libkurs.formats.ics._export import dumps as _dumps
from libkurs.formats.ics._import import read_calendar
from libkurs.formats.ics._invitation import (
    Invitation,
    invitation_for,
    invitations,
    organiser_of,
)
from libkurs.formats.ics._recurrence import (
    DEFAULT_HORIZON,
    MAX_FILE_OCCURRENCES,
    MAX_OCCURRENCES,
)
from libkurs.formats.ics._types import Action, Attendee, CalendarWarning, FoundAttendee, Imported
from libkurs.formats.ics._zones import WINDOWS_ZONES
from libkurs.model import HELSINKI, Catalogue

__all__ = [
    "Action",
    "Attendee",
    "CalendarWarning",
    "DEFAULT_HORIZON",
    "FORMAT",
    "FoundAttendee",
    "ICalendar",
    "Imported",
    "Invitation",
    "MAX_FILE_OCCURRENCES",
    "MAX_OCCURRENCES",
    "WINDOWS_ZONES",
    "calendar_object",
    "found_enrolments",
    "invitation_for",
    "invitations",
    "organiser_of",
    "read_calendar",
]


@attrs.frozen
class ICalendar:
    """The iCalendar format, registered as ``"ics"`` for ``.ics`` and ``.ical`` files."""

    name: str = "ics"
    suffixes: tuple[str, ...] = (".ics", ".ical")

    def loads(
        self,
        data: str | bytes,
        /,
        *,
        language: str = "und",
        zone: tzinfo = HELSINKI,
        horizon: datetime | date | None = None,
        default_duration: timedelta = timedelta(hours=1),
        encoding: str | None = None,
        source: str | None = None,
        strict: bool = False,
        warnings: list[CalendarWarning] | None = None,
    ) -> Catalogue:
        """Read a catalogue from iCalendar; see :func:`read_calendar` for the options.

        What was read past or repaired is appended to *warnings*, if given::

            found: list[CalendarWarning] = []
            catalogue = libkurs.loads(data, "ics", warnings=found)
        """
        imported = read_calendar(
            data,
            language=language,
            zone=zone,
            horizon=horizon,
            default_duration=default_duration,
            encoding=encoding,
            source=source,
            strict=strict,
        )
        if warnings is not None:
            warnings.extend(imported.warnings)
        return imported.catalogue

    def dumps(
        self,
        catalogue: Catalogue,
        /,
        *,
        language: str | None = None,
        second_language: str | None = None,
        uid_domain: str = "libkurs",
        now: datetime | None = None,
        last_modified: dict[str, datetime] | None = None,
        private: bool = False,
        rfc9253: bool = False,
        refresh_interval: timedelta | None = None,
    ) -> str:
        """Write the calendar feed of *catalogue*: public unless *private* is true.

        Args:
            catalogue: What to write; drafts and private details are left out.
            language: The language of the file (the catalogue's fallback chain if missing).
            second_language: A language to add to every title: "Slutseminarium / Loppuseminaari".
            uid_domain: The right-hand side of every UID (``<session id>@<uid_domain>``).
            now: The DTSTAMP; without it the time each session last changed (its
                ``modified``), else a fixed one, so output is byte-identical.
            last_modified: Session id to the time it last changed, for LAST-MODIFIED (by
                default the ``modified`` time the model records, if any).
            private: Write drafts, join links (CONFERENCE) and all: for the keepers only.
            rfc9253: Write the RFC 9253 properties LINK (the event's links) and REFID (event
                and programme ids), which libical-based readers (Evolution, KDE, Cyrus IMAP)
                report as parse errors. Without it the links still travel to libkurs
                readers in the ``X-LIBKURS-EVENT-DATA`` a feed carries.
            refresh_interval: How often a subscribed client should read the feed again,
                written as ``REFRESH-INTERVAL`` (RFC 7986) and ``X-PUBLISHED-TTL`` (Outlook's
                and Google's name for it), in whole minutes, at least one.

        Raises:
            libkurs.errors.ValidationError: *language* or *second_language* is not a
                language tag, or a date is too near the year 1 or 9999 to write.
        """
        return _dumps(
            catalogue,
            language=language,
            second_language=second_language,
            uid_domain=uid_domain,
            now=now,
            last_modified=last_modified,
            private=private,
            rfc9253=rfc9253,
            refresh_interval=refresh_interval,
        )


FORMAT: Final = ICalendar()
