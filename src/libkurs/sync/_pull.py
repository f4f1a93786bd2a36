"""Read a calendar into a catalogue, so that a shared calendar can be a source."""

from __future__ import annotations

import hashlib
import zoneinfo
from typing import TYPE_CHECKING

import attrs

from libkurs.errors import FormatError
from libkurs.formats._warnings import Action, CalendarWarning
from libkurs.model import Catalogue
from libkurs.sync._protocol import Calendar

if TYPE_CHECKING:
    import icalendar

__all__ = ["pull"]


def pull(
    calendar: Calendar,
    *,
    language: str = "und",
    strict: bool = False,
    warnings: list[CalendarWarning] | None = None,
) -> Catalogue:
    """Read every item of *calendar* into one catalogue, through the iCalendar importer.

    The items' components are gathered into one VCALENDAR and read by
    :func:`libkurs.formats.ics.read_calendar`: items libkurs wrote come back as the events and
    sessions they were written from; other items become events of their own. Each item keeps
    its own time zone definitions: two items that define a zone of the same non-IANA name
    (Outlook's "Customized Time Zone") differently each get theirs, renamed apart.

    Like :func:`~libkurs.formats.ics.read_calendar`, it keeps what it can: an item that is not
    UTF-8 iCalendar is left out, and what the reader read past is told in *warnings* (pass a
    list), each naming the item's href or UID. With *strict*, the first of those is an error.

    Raises:
        libkurs.errors.FormatError: with *strict*, an item is not UTF-8 iCalendar (``source``
            names it), or something in one could not be read; or the whole does not make a
            valid catalogue.
    """
    import icalendar

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
            if strict:
                raise FormatError(f"not UTF-8 iCalendar: {error}", source=item.href) from error
            if warnings is not None:
                warnings.append(
                    CalendarWarning(
                        message=f"{item.href}: not UTF-8 iCalendar ({error}); left out",
                        action=Action.SKIPPED,
                    )
                )
            continue
        renamed = _own_zones(parsed)
        for component in parsed.subcomponents:
            if component.name == "VTIMEZONE":
                zones.setdefault(str(component.get("TZID")), component)
            else:
                _rename_tzids(component, renamed)
                others.append(component)
    for component in [*zones.values(), *others]:
        merged.add_component(component)
    source = getattr(calendar, "address", None) or type(calendar).__name__
    imported = read_calendar(merged.to_ical(), language=language, source=str(source), strict=strict)
    if warnings is not None:
        # The lines are those of the items gathered into one calendar: the UID says which.
        warnings.extend(attrs.evolve(warning, line=None) for warning in imported.warnings)
    return imported.catalogue


def _own_zones(parsed: icalendar.Calendar) -> dict[str, str]:
    """Give each non-IANA VTIMEZONE of *parsed* a TZID that names its definition.

    Returns old TZID → new TZID. An IANA name (``Europe/Helsinki``) means the same everywhere
    and is kept; any other name is made unique per definition, so that one item's
    "Customized Time Zone" never stands for another's.
    """
    renamed: dict[str, str] = {}
    for component in parsed.subcomponents:
        if component.name != "VTIMEZONE":
            continue
        tzid = str(component.get("TZID"))
        if _is_iana(tzid):
            continue
        digest = hashlib.sha256(component.to_ical()).hexdigest()[:12]
        new = f"{tzid} ({digest})"
        component["TZID"] = new
        renamed[tzid] = new
    return renamed


def _rename_tzids(component: icalendar.cal.Component, renamed: dict[str, str]) -> None:
    if not renamed:
        return
    for values in component.values():
        for value in values if isinstance(values, list) else [values]:
            params = getattr(value, "params", None)
            if params is not None and params.get("TZID") in renamed:
                params["TZID"] = renamed[params["TZID"]]
    for child in component.subcomponents:
        _rename_tzids(child, renamed)


def _is_iana(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return name not in {"localtime", "posixrules", "Factory"}
