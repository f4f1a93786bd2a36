"""The content hash compares meaning, not spelling: what servers rewrite is no conflict."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

from libkurs import Catalogue, LocalizedText, revise
from libkurs.sync import Item, MemoryCalendar, SyncState, content_hash, read_entry, sync
from sync.catalogues import catalogue
from sync.helpers import KEY, snapshot
from sync.rewriting import libical_rewrite

Rewrite = Callable[[str], str]


def keyworded() -> Catalogue:
    """The test catalogue, its event with three keywords (three CATEGORIES lines)."""
    base = catalogue(2)
    event = revise(
        base.events[0],
        keywords=[LocalizedText({"sv": word}) for word in ("kurs", "bibliotek", "sökning")],
    )
    return attrs.evolve(base, events=[event])


def merge_categories(text: str) -> str:
    """Join all CATEGORIES lines into one, as some servers do."""
    lines = text.split("\r\n")
    words = [line.split(":", 1)[1] for line in lines if line.startswith("CATEGORIES")]
    kept = [line for line in lines if not line.startswith("CATEGORIES")]
    end = kept.index("END:VEVENT")
    return "\r\n".join([*kept[:end], "CATEGORIES;LANGUAGE=sv:" + ",".join(words), *kept[end:]])


def value_date_time(text: str) -> str:
    """State the default value type out loud."""
    return text.replace("DTSTART;TZID=", "DTSTART;VALUE=DATE-TIME;TZID=")


def rename_tzid(text: str) -> str:
    """Rename the zone, in the VTIMEZONE and in every reference to it."""
    return text.replace("TZID=Europe/Helsinki", "TZID=/server/Europe/Helsinki").replace(
        "TZID:Europe/Helsinki", "TZID:/server/Europe/Helsinki"
    )


def to_utc(text: str) -> str:
    """Write the times as the same UTC instants (Helsinki is UTC+2 in March 2030)."""
    for name, hour in (("DTSTART", 9), ("DTEND", 11)):
        for day in ("04", "05"):
            text = text.replace(
                f"{name};TZID=Europe/Helsinki:203003{day}T{hour:02}0000",
                f"{name}:203003{day}T{hour - 2:02}0000Z",
            )
    return text


def add_x_property(text: str) -> str:
    """Add a property of the server's own."""
    return text.replace("END:VEVENT", "X-SERVER-INDEXED:1\r\nTRANSP:OPAQUE\r\nEND:VEVENT")


def custom_zone_name(text: str) -> str:
    """A zone name no database knows, defined by the item's own VTIMEZONE only."""
    return text.replace("TZID=Europe/Helsinki", "TZID=Finland Standard Time (custom)").replace(
        "TZID:Europe/Helsinki\r\nX-LIC-LOCATION:Europe/Helsinki",
        "TZID:Finland Standard Time (custom)",
    )


REWRITES = [
    merge_categories,
    value_date_time,
    rename_tzid,
    to_utc,
    add_x_property,
    custom_zone_name,
    libical_rewrite,
]


class Rewriting(MemoryCalendar):
    """A calendar that rewrites every item it is given, as a server may."""

    def __init__(self, rewrite: Rewrite) -> None:
        super().__init__()
        self.rewrite = rewrite

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """Store the rewritten item."""
        rewritten = self.rewrite(bytes(data).decode()).encode()
        assert rewritten != bytes(data), "the rewrite changed nothing"
        return super().create(name, rewritten)

    def update(self, href: str, data: bytes, etag: str) -> str:
        """Store the rewritten item."""
        return super().update(href, self.rewrite(bytes(data).decode()).encode(), etag)


@pytest.mark.parametrize("rewrite", REWRITES, ids=lambda f: f.__name__)
def test_a_rewrite_that_keeps_the_meaning_is_no_conflict_on_a_fresh_machine(
    rewrite: Rewrite,
) -> None:
    """A fresh machine (no state) finds every rewritten item untouched and unchanged."""
    calendar = Rewriting(rewrite)
    assert sync(keyworded(), calendar, key=KEY, state=SyncState()).created == 2
    for item in snapshot(calendar).values():
        assert read_entry(item).untouched, item.data.decode()
    report = sync(keyworded(), calendar, key=KEY, state=SyncState())
    assert (report.unchanged, report.conflicts, report.updated) == (2, 0, 0)


def _item() -> bytes:
    calendar = MemoryCalendar()
    sync(keyworded(), calendar, key=KEY)
    return snapshot(calendar)["kurs-0@libkurs.ics"].data


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("DTSTART;TZID=Europe/Helsinki:20300304T090000", "DTSTART:20300304T090000Z"),
        ("DTSTART;TZID=Europe/Helsinki:20300304T090000", "DTSTART;VALUE=DATE:20300304"),
        ("CATEGORIES;LANGUAGE=sv:kurs\r\n", ""),
        ("SUMMARY;LANGUAGE=sv:", "SUMMARY;LANGUAGE=sv:Ny "),
        ("END:VEVENT", "RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT"),
    ],
)
def test_a_change_of_meaning_still_changes_the_hash(old: str, new: str) -> None:
    """Another instant, a date instead of a time, a lost category, a title, a rule: edits."""
    data = _item()
    changed = data.decode().replace(old, new, 1).encode()
    assert changed != data
    assert content_hash(changed) != content_hash(data)
    assert not read_entry(Item(href="x.ics", etag="1", data=changed)).untouched
