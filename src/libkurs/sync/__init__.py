"""Keep calendars in step with a catalogue: backends, the planner, the engine and its state.

Every backend is a :class:`Calendar`: items are reached by *href*, each version has an
*etag*, and every write is conditional on it. :class:`MemoryCalendar` is for tests,
:class:`DirectoryCalendar` is a local vdir (one ``.ics`` file per item), and
:class:`CalDAVCalendar` is a calendar on a CalDAV server.

:func:`sync` writes one item per session of a catalogue into a calendar and keeps it right
as sessions move, get cancelled or leave; :func:`plan` says what it would do, without I/O;
:func:`pull` reads a calendar back into a catalogue; :func:`sync_many` keeps many calendars
(:class:`Target`) in step at once.

>>> import libkurs
>>> from libkurs.sync import MemoryCalendar, sync
>>> catalogue = libkurs.load("examples/catalogue.json")
>>> calendar = MemoryCalendar()
>>> sync(catalogue, calendar).created
3
>>> report = sync(catalogue, calendar)
>>> report.unchanged, report.created
(3, 0)
"""

from libkurs.errors import UnsafeNameError
from libkurs.sync._caldav import DEFAULT_CONNECTIONS, MAX_CONNECTIONS, CalDAVCalendar
from libkurs.sync._content import (
    HASH_PROPERTY,
    MARKER_PROPERTY,
    Entry,
    content_hash,
    read_entry,
)
from libkurs.sync._directory import DirectoryCalendar
from libkurs.sync._engine import Outcome, Report, Result, sync
from libkurs.sync._http import InsecureConnectionWarning
from libkurs.sync._many import Credentials, Target, TargetResult, sync_many
from libkurs.sync._memory import MemoryCalendar
from libkurs.sync._plan import (
    Action,
    ConflictError,
    ConflictPolicy,
    Plan,
    Step,
    default_key,
    plan,
)
from libkurs.sync._protocol import Calendar, Changes, Item, check_name
from libkurs.sync._pull import pull
from libkurs.sync._render import href_for
from libkurs.sync._retry import NO_BACKOFF_VARIABLE, RetryPolicy
from libkurs.sync._state import SyncState, default_state_path

__all__ = [
    "Action",
    "CalDAVCalendar",
    "Calendar",
    "Changes",
    "ConflictError",
    "ConflictPolicy",
    "Credentials",
    "DEFAULT_CONNECTIONS",
    "DirectoryCalendar",
    "Entry",
    "HASH_PROPERTY",
    "InsecureConnectionWarning",
    "Item",
    "MARKER_PROPERTY",
    "MAX_CONNECTIONS",
    "MemoryCalendar",
    "NO_BACKOFF_VARIABLE",
    "Outcome",
    "Plan",
    "Report",
    "Result",
    "RetryPolicy",
    "Step",
    "SyncState",
    "Target",
    "TargetResult",
    "UnsafeNameError",
    "check_name",
    "content_hash",
    "default_key",
    "default_state_path",
    "href_for",
    "plan",
    "pull",
    "read_entry",
    "sync",
    "sync_many",
]
