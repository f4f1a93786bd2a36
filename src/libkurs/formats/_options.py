"""The options of every built-in format, as typed dictionaries for ``**options``.

Each format's own ``loads``/``dumps`` takes its options as keyword-only parameters;
:func:`libkurs.loads`, :func:`libkurs.dumps`, :func:`libkurs.load` and :func:`libkurs.dump` pass
them on, typed by these (``**options: Unpack[ICSLoadOptions]``), so that a type checker reports
a misspelt option or a wrong value. The defaults are those of the format's own method.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import TypedDict

from libkurs.formats._warnings import CalendarWarning

__all__ = [
    "AnnouncementDumpOptions",
    "AnnouncementLoadOptions",
    "DumpOptions",
    "ICSDumpOptions",
    "ICSLoadOptions",
    "JSONDumpOptions",
    "JSONLDDumpOptions",
    "JSONLoadOptions",
    "LinkedEventsDumpOptions",
    "LinkedEventsLoadOptions",
    "LoadOptions",
]


class JSONLoadOptions(TypedDict, total=False):
    """Options of the native JSON format's ``loads`` (``"json"``)."""

    source: str | None


class JSONDumpOptions(TypedDict, total=False):
    """Options of the native JSON format's ``dumps`` (``"json"``)."""

    indent: int | None


class ICSLoadOptions(TypedDict, total=False):
    """Options of iCalendar's ``loads`` (``"ics"``).

    See :func:`libkurs.formats.ics.read_calendar`.
    """

    language: str
    zone: tzinfo
    horizon: datetime | date | None
    default_duration: timedelta
    encoding: str | None
    source: str | None
    strict: bool
    warnings: list[CalendarWarning] | None


class ICSDumpOptions(TypedDict, total=False):
    """Options of iCalendar's ``dumps`` (``"ics"``).

    See :meth:`libkurs.formats.ics.ICalendar.dumps`.
    """

    language: str | None
    second_language: str | None
    uid_domain: str
    now: datetime | None
    last_modified: dict[str, datetime] | None
    private: bool
    rfc9253: bool
    refresh_interval: timedelta | None


class JSONLDDumpOptions(TypedDict, total=False):
    """Options of schema.org JSON-LD's ``dumps`` (``"jsonld"``, write-only)."""

    language: str | None
    base: str
    include_drafts: bool
    include_incomplete: bool
    indent: int | None


class LinkedEventsLoadOptions(TypedDict, total=False):
    """Options of Linked Events' ``loads`` (``"linkedevents"``)."""

    source: str | None
    tz: tzinfo


class LinkedEventsDumpOptions(TypedDict, total=False):
    """Options of Linked Events' ``dumps`` (``"linkedevents"``)."""

    data_source: str
    keyword_ids: Mapping[str, str] | None
    include_drafts: bool
    indent: int | None


class AnnouncementLoadOptions(TypedDict, total=False):
    """Options of the plain-text announcement's ``loads`` (``"announcement"``)."""

    reference: date | None
    language: str | None
    tz: tzinfo


class AnnouncementDumpOptions(TypedDict, total=False):
    """Options of the announcements' ``dumps`` (``"announcement"``, ``-md``, ``-html``)."""

    language: str
    event: str | None
    programme: str | None
    include_drafts: bool


class LoadOptions(TypedDict, total=False):
    """Every option of every built-in ``loads``: for :func:`libkurs.load` by file suffix."""

    source: str | None
    language: str | None
    zone: tzinfo
    horizon: datetime | date | None
    default_duration: timedelta
    encoding: str | None
    tz: tzinfo
    reference: date | None
    strict: bool
    warnings: list[CalendarWarning] | None


class DumpOptions(TypedDict, total=False):
    """Every option of every built-in ``dumps``: for :func:`libkurs.dump` by file suffix."""

    indent: int | None
    language: str | None
    second_language: str | None
    uid_domain: str
    now: datetime | None
    last_modified: dict[str, datetime] | None
    private: bool
    rfc9253: bool
    refresh_interval: timedelta | None
    base: str
    include_drafts: bool
    include_incomplete: bool
    data_source: str
    keyword_ids: Mapping[str, str] | None
    event: str | None
    programme: str | None
