"""Keep calendars in step with a catalogue: the calendar backends and their protocol.

Every backend is a :class:`Calendar`: items are reached by *href*, each version has an
*etag*, and every write is conditional on it. :class:`MemoryCalendar` is for tests,
:class:`DirectoryCalendar` is a local vdir (one ``.ics`` file per item), and
:class:`CalDAVCalendar` is a calendar on a CalDAV server.

>>> from libkurs.sync import MemoryCalendar
>>> calendar = MemoryCalendar()
>>> href, etag = calendar.create("kurs.ics", b"BEGIN:VCALENDAR...")
>>> calendar.update(href, b"BEGIN:VCALENDAR...", etag) != etag
True
"""

from libkurs.errors import UnsafeNameError
from libkurs.sync._caldav import CalDAVCalendar
from libkurs.sync._directory import DirectoryCalendar
from libkurs.sync._memory import MemoryCalendar
from libkurs.sync._protocol import Calendar, Changes, Item, check_name
from libkurs.sync._retry import NO_BACKOFF_VARIABLE, RetryPolicy

__all__ = [
    "CalDAVCalendar",
    "Calendar",
    "Changes",
    "DirectoryCalendar",
    "Item",
    "MemoryCalendar",
    "NO_BACKOFF_VARIABLE",
    "RetryPolicy",
    "UnsafeNameError",
    "check_name",
]
