"""A Hypothesis state machine over the memory backend: sync is idempotent and keeps edits."""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from libkurs import Catalogue
from libkurs.sync import MemoryCalendar, SyncState, read_entry, sync
from libkurs.sync._plan import desired_items
from sync.catalogues import catalogue
from sync.helpers import FOREIGN, KEY

NUMBERS = st.integers(min_value=0, max_value=7)


class SyncMachine(RuleBasedStateMachine):
    """Catalogue changes, calendar edits and foreign items, in any order, with syncs between."""

    def __init__(self) -> None:
        super().__init__()
        self.calendar = MemoryCalendar()
        self.state = SyncState()
        self.count = 4
        self.moved: set[int] = set()
        self.cancelled: set[int] = set()
        self.removed: set[int] = set()
        self.edited: dict[str, bytes] = {}  # href → what the calendar's user wrote there
        self.foreign: dict[str, bytes] = {}
        self.synced = False

    def current(self) -> Catalogue:
        """The catalogue as it is now."""
        return catalogue(
            self.count, moved=self.moved, cancelled=self.cancelled, removed=self.removed
        )

    def ours(self) -> dict[str, bytes]:
        """href → bytes of every item with our mark."""
        items, _ = self.calendar.get(self.calendar.list())
        return {i.href: i.data for i in items if read_entry(i).owner == KEY}

    @rule(number=NUMBERS)
    def move(self, number: int) -> None:
        """Move a session."""
        self.moved ^= {number}

    @rule(number=NUMBERS)
    def cancel(self, number: int) -> None:
        """Cancel a session."""
        self.cancelled.add(number)

    @rule(number=NUMBERS)
    def remove_or_restore(self, number: int) -> None:
        """Take a session out of the catalogue, or put it back."""
        self.removed ^= {number}

    @rule(count=st.integers(min_value=0, max_value=8))
    def resize(self, count: int) -> None:
        """Add sessions at the end, or drop them."""
        self.count = count

    @precondition(lambda self: self.synced)
    @rule(data=st.data())
    def edit_in_calendar(self, data: st.DataObject) -> None:
        """Someone edits one of our items in the calendar."""
        ours = sorted(self.ours())
        if not ours:
            return
        href = data.draw(st.sampled_from(ours))
        (item,), _ = self.calendar.get([href])
        edited = item.data.replace(b"SUMMARY;LANGUAGE=sv:", b"SUMMARY;LANGUAGE=sv:Obs! ", 1)
        self.calendar.update(href, edited, item.etag)
        self.edited[href] = edited

    @precondition(lambda self: self.synced)
    @rule(data=st.data())
    def delete_in_calendar(self, data: st.DataObject) -> None:
        """Someone deletes one of our items in the calendar."""
        ours = sorted(self.ours())
        if not ours:
            return
        href = data.draw(st.sampled_from(ours))
        self.calendar.delete(href, self.calendar.list()[href])
        self.edited.pop(href, None)

    @rule(number=st.integers(min_value=0, max_value=3))
    def add_foreign(self, number: int) -> None:
        """Someone adds an item of their own."""
        href = f"foreign-{number}.ics"
        if href not in self.foreign:
            data = FOREIGN.replace(b"UID:staff", f"UID:{number}-staff".encode())
            self.calendar.create(href, data)
            self.foreign[href] = data

    @rule(with_state=st.booleans())
    def run_sync(self, with_state: bool) -> None:
        """Sync (forced past the safety valve), then again: the second run writes nothing."""
        state = self.state if with_state else SyncState()
        sync(self.current(), self.calendar, key=KEY, state=state, force=True)
        again = sync(self.current(), self.calendar, key=KEY, state=state, force=True)
        assert (again.created, again.updated, again.deleted, again.failed) == (0, 0, 0, 0)
        held = {read_entry(i).uid for i in self.calendar.get(self.ours())[0]}
        assert set(desired_items(self.current(), key=KEY)) <= held
        self.synced = True

    @invariant()
    def calendar_edits_are_never_lost(self) -> None:
        """Every item edited in the calendar is still there, byte for byte."""
        items, missing = self.calendar.get(self.edited)
        assert not missing
        assert {i.href: i.data for i in items} == self.edited

    @invariant()
    def foreign_items_are_untouched(self) -> None:
        """Items of others are never changed or deleted."""
        items, missing = self.calendar.get(self.foreign)
        assert not missing
        assert {i.href: i.data for i in items} == self.foreign

    @invariant()
    def no_session_has_two_items(self) -> None:
        """No UID of ours is held by two items."""
        uids = [read_entry(i).uid for i in self.calendar.get(self.ours())[0]]
        assert len(uids) == len(set(uids))


SyncMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)
TestSyncMachine = SyncMachine.TestCase
