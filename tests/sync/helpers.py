"""Helpers for the sync scenarios: targets of every kind, foreign items, a crashing calendar."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from libkurs.model import Catalogue
from libkurs.sync import Calendar, Changes, Item, read_entry
from libkurs.sync._plan import desired_items

KEY = "kurskatalog"

FOREIGN = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//else//EN\r\nBEGIN:VEVENT\r\n"
    b"UID:staff-meeting@example.org\r\nDTSTAMP:20300101T000000Z\r\n"
    b"DTSTART:20300305T100000Z\r\nDTEND:20300305T110000Z\r\nSUMMARY:Personalm\xc3\xb6te\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def snapshot(calendar: Calendar) -> dict[str, Item]:
    """Every item of *calendar*, by href."""
    items, _missing = calendar.get(sorted(calendar.list()))
    return {item.href: item for item in items}


def assert_in_step(calendar: Calendar, catalogue: Catalogue, key: str = KEY) -> dict[str, Item]:
    """The items of ours are exactly the catalogue's sessions, once each, with their content."""
    items = snapshot(calendar)
    entries = [read_entry(item) for item in items.values()]
    ours = [e for e in entries if e.owner == key]
    uids = Counter(e.uid for e in ours)
    desired = desired_items(catalogue, key=key)
    assert dict(uids) == dict.fromkeys(desired, 1), uids
    for entry in ours:
        assert entry.uid is not None
        assert entry.hash == desired[entry.uid].hash, entry.href
    return items


class Interrupted(BaseException):
    """A crash in the middle of a sync (not an Exception: nothing may catch it)."""


class CrashingCalendar:
    """A calendar that dies after its k-th write, the write done and its answer lost."""

    def __init__(self, calendar: Calendar, writes: int) -> None:
        self.calendar = calendar
        self.left = writes

    def _wrote(self) -> None:
        self.left -= 1
        if self.left <= 0:
            raise Interrupted

    def list(self) -> Mapping[str, str]:
        """Delegate."""
        return self.calendar.list()

    def get(self, hrefs: Iterable[str]) -> tuple[Sequence[Item], frozenset[str]]:
        """Delegate."""
        return self.calendar.get(hrefs)

    def changes(self, token: str | None) -> Changes | None:
        """Delegate."""
        return self.calendar.changes(token)

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """Create, then maybe die."""
        result = self.calendar.create(name, data)
        self._wrote()
        return result

    def update(self, href: str, data: bytes, etag: str) -> str:
        """Update, then maybe die."""
        result = self.calendar.update(href, data, etag)
        self._wrote()
        return result

    def delete(self, href: str, etag: str) -> None:
        """Delete, then maybe die."""
        self.calendar.delete(href, etag)
        self._wrote()
