"""Reading libkurs' output with vobject, an iCalendar parser independent of icalendar."""

import vobject


def vobject_read(text):
    """The calendar as vobject reads it, its zone cache emptied first.

    vobject keeps the first VTIMEZONE it saw for a TZID for the rest of the process, so a
    second file with the same TZID but other years would be read with the first file's rules.
    """
    vobject.icalendar.__dict__["__tzidMap"].clear()
    return vobject.readOne(text)
