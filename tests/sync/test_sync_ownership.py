"""Which items a sync owns, and how far it may go: catalogue keys, the safety valve, dry runs."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from libkurs import Catalogue, LocalizedText, Organisation
from libkurs.errors import CalendarError, SafetyError
from libkurs.sync import Action, DirectoryCalendar, MemoryCalendar, default_key, plan, sync
from sync.catalogues import catalogue
from sync.helpers import KEY, assert_in_step, snapshot


def named(
    name: str | None, publisher: str | None = None, *, count: int = 5, prefix: str = "kurs"
) -> Catalogue:
    """A test catalogue with a name and a publisher (an organisation of the catalogue)."""
    base = catalogue(count, prefix=prefix)
    organisations = (
        [Organisation(id=publisher, name=LocalizedText({"sv": "Universitetet"}))]
        if publisher is not None
        else []
    )
    return attrs.evolve(
        base,
        name=LocalizedText({"sv": name}) if name is not None else None,
        publisher=publisher,
        organisations=organisations,
    )


def test_default_key_is_publisher_and_name() -> None:
    """The default key joins publisher and name, or takes whichever of them there is."""
    assert default_key(named("Kurser vår", "uni")) == "uni/Kurser vår"
    assert default_key(named("Kurser vår")) == "Kurser vår"
    assert default_key(named(None, "uni")) == "uni"


def test_catalogue_without_publisher_or_name_needs_a_key() -> None:
    """With neither publisher nor name, sync and plan refuse, naming key=, and write nothing."""
    calendar = MemoryCalendar()
    with pytest.raises(CalendarError, match="key="):
        sync(catalogue(2), calendar)
    with pytest.raises(CalendarError, match="--key"):
        plan(catalogue(2), [])
    assert calendar.list() == {}


def test_two_catalogues_in_one_calendar_never_touch_each_other() -> None:
    """Two catalogues of one publisher, told apart by name, share a calendar safely."""
    spring = named("Vår", "uni", prefix="var")
    autumn = named("Höst", "uni", prefix="host")
    calendar = MemoryCalendar()
    assert sync(spring, calendar).created == 5
    assert sync(autumn, calendar).created == 5
    before = {h: i for h, i in snapshot(calendar).items() if h.startswith("var-")}
    emptied = named("Höst", "uni", prefix="host", count=0)
    report = sync(emptied, calendar, force=True)
    assert (report.deleted, report.foreign) == (5, 5)
    assert {h: i for h, i in snapshot(calendar).items() if h.startswith("var-")} == before
    assert sync(spring, calendar).unchanged == 5


def test_explicit_keys_keep_nameless_catalogues_apart(tmp_path: Path) -> None:
    """Two nameless catalogues with their own key= in one vdir: neither deletes the other's."""
    calendar = DirectoryCalendar(tmp_path / "cal")
    sync(catalogue(3, prefix="a"), calendar, key="a")
    sync(catalogue(3, prefix="b"), calendar, key="b")
    report = sync(catalogue(0, prefix="a"), calendar, key="a", force=True)
    assert (report.deleted, report.foreign) == (3, 3)
    assert_in_step(calendar, catalogue(3, prefix="b"), key="b")


@pytest.mark.parametrize("share", [-0.1, 1.5, float("nan"), True])
def test_safety_valve_share_must_be_between_0_and_1(share: float) -> None:
    """A share outside [0, 1] is refused before anything is read or written."""
    with pytest.raises(CalendarError, match="from 0 to 1"):
        sync(catalogue(2), MemoryCalendar(), key=KEY, max_delete_share=share)
    with pytest.raises(CalendarError, match="from 0 to 1"):
        plan(catalogue(2), [], key=KEY, max_delete_share=share)


def test_safety_valve_share_0_refuses_even_one_delete() -> None:
    """max_delete_share=0 lets no delete through without force."""
    calendar = MemoryCalendar()
    sync(catalogue(10), calendar, key=KEY)
    with pytest.raises(SafetyError, match="1 of the 10"):
        sync(catalogue(10, removed={0}), calendar, key=KEY, max_delete_share=0.0)
    assert len(calendar.list()) == 10


def test_safety_valve_compares_strictly_against_the_share() -> None:
    """One delete of a single owned item is more than half: refused (it used to go through)."""
    calendar = MemoryCalendar()
    sync(catalogue(1), calendar, key=KEY)
    with pytest.raises(SafetyError, match="1 of the 1"):
        sync(catalogue(1, removed={0}), calendar, key=KEY)
    assert sync(catalogue(1, removed={0}), calendar, key=KEY, max_delete_share=1.0).deleted == 1


def test_dry_run_shows_a_plan_the_safety_valve_refuses() -> None:
    """A dry run returns the refused plan, flagged, listing what would be deleted."""
    calendar = MemoryCalendar()
    sync(catalogue(4), calendar, key=KEY)
    report = sync(catalogue(4, removed={0, 1, 2}), calendar, key=KEY, dry_run=True)
    assert report.refused is not None
    assert "3 of the 4" in report.refused
    assert not report.ok
    assert report.deleted == 3
    assert report.to_dict()["refused"] == report.refused
    assert len(calendar.list()) == 4
    assert sync(catalogue(4), calendar, key=KEY, dry_run=True).refused is None


def test_conflict_reason_says_only_the_calendar_changed() -> None:
    """An item edited in the calendar, its session unchanged: 'edited in the calendar; kept'."""
    calendar = MemoryCalendar()
    sync(catalogue(2), calendar, key=KEY)
    item = snapshot(calendar)["kurs-0@libkurs.ics"]
    calendar.update(item.href, item.data.replace(b":Kurs i", b":Kursen i"), item.etag)
    items = list(snapshot(calendar).values())
    step = next(s for s in plan(catalogue(2), items, key=KEY).steps if s.href == item.href)
    assert (step.action, step.reason) == (Action.CONFLICT, "edited in the calendar; kept")
    moved = plan(catalogue(2, moved={0}), items, key=KEY).steps
    step = next(s for s in moved if s.href == item.href)
    assert step.reason.startswith("edited in the calendar and changed in the catalogue")
    report = sync(catalogue(2), calendar, key=KEY)
    assert [r.reason for r in report.results if r.href == item.href] == [
        "edited in the calendar; kept"
    ]


def test_an_item_of_another_key_with_our_uid_names_that_key() -> None:
    """A renamed catalogue meets its old items: left alone, and the reason names the old key."""
    calendar = MemoryCalendar()
    sync(named("Vår"), calendar)
    report = sync(named("Vår 2030"), calendar)
    assert (report.conflicts, report.created, len(calendar.list())) == (5, 0, 5)
    assert all("key “Vår”" in result.reason for result in report.results)


@pytest.mark.parametrize("key", ["Kurser, vår; 2030", "a\\b", "uni/Höst"])
def test_a_key_with_text_escapes_still_finds_its_items(key: str) -> None:
    """Commas, semicolons and backslashes in a key are escaped in the item and read back."""
    calendar = MemoryCalendar()
    assert sync(catalogue(2), calendar, key=key).created == 2
    assert sync(catalogue(2), calendar, key=key).unchanged == 2
