"""Read a calendar into a catalogue, so that a shared calendar can be a source."""

from __future__ import annotations

import icalendar

from libkurs.errors import FormatError
from libkurs.model import Catalogue
from libkurs.sync._protocol import Calendar

__all__ = ["pull"]


def pull(calendar: Calendar, *, language: str = "und") -> Catalogue:
    """Read every item of *calendar* into one catalogue, through the iCalendar importer.

    The items' components are gathered into one VCALENDAR (each time zone once) and read by
    :func:`libkurs.formats.ics.read_calendar`: items libkurs wrote come back as the events and
    sessions they were written from; other items become events of their own.

    Raises:
        libkurs.errors.FormatError: an item is not UTF-8 iCalendar (``source`` names it), or
            the whole does not make a valid catalogue.
    """
    from libkurs.formats.ics import read_calendar

    listing = calendar.list()
    items, _missing = calendar.get(sorted(listing))
    merged = icalendar.Calendar()
    merged.add("VERSION", "2.0")
    merged.add("PRODID", "-//libkurs//sync pull//EN")
    zones: dict[str, icalendar.cal.Component] = {}
    others: list[icalendar.cal.Component] = []
    for item in items:
        try:
            text = item.data.decode("utf-8-sig")
            parsed = icalendar.Calendar.from_ical(text)
        except (UnicodeDecodeError, ValueError) as error:
            raise FormatError(f"not UTF-8 iCalendar: {error}", source=item.href) from error
        for component in parsed.subcomponents:
            if component.name == "VTIMEZONE":
                zones.setdefault(str(component.get("TZID")), component)
            else:
                others.append(component)
    for component in [*zones.values(), *others]:
        merged.add_component(component)
    return read_calendar(merged.to_ical(), language=language, source=repr(calendar)).catalogue
