"""A Hypothesis state machine: memory and directory calendars behave as a plain dict would."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from libkurs.errors import ItemNotFoundError, PreconditionFailedError
from libkurs.sync import Calendar, DirectoryCalendar, MemoryCalendar

NAMES = st.sampled_from(["a.ics", "b.ics", "kurs@x.ics", "d-1.ics"])
DATA = st.binary(min_size=0, max_size=40)


class CalendarsAgreeWithADict(RuleBasedStateMachine):
    """Random creates, updates and deletes, with fresh and stale etags, on both backends."""

    def __init__(self) -> None:
        super().__init__()
        # In memory where possible: the directory calendar syncs every write to disk.
        shm = "/dev/shm" if Path("/dev/shm").is_dir() else None
        self.folder = Path(tempfile.mkdtemp(prefix="libkurs-model-", dir=shm))
        self.calendars: list[Calendar] = [MemoryCalendar(), DirectoryCalendar(self.folder)]
        self.model: dict[str, bytes] = {}
        self.etags: list[dict[str, str]] = [{}, {}]  # last etag seen, per calendar
        self.stale: list[dict[str, str]] = [{}, {}]  # an etag that is no longer current
        self.token = self.calendars[0].changes(None)
        self.touched: set[str] = set()

    def teardown(self) -> None:
        """Remove the directory calendar."""
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(name=NAMES, data=DATA)
    def create(self, name: str, data: bytes) -> None:
        """create succeeds exactly when the name is free."""
        for n, calendar in enumerate(self.calendars):
            if name in self.model:
                try:
                    calendar.create(name, data)
                except PreconditionFailedError:
                    continue
                raise AssertionError("create overwrote an item")
            _, self.etags[n][name] = calendar.create(name, data)
        if name not in self.model:
            self.model[name] = data
            self.touched.add(name)

    @rule(name=NAMES, data=DATA, stale=st.booleans())
    def update(self, name: str, data: bytes, stale: bool) -> None:
        """update succeeds exactly with the current etag of an existing item."""
        for n, calendar in enumerate(self.calendars):
            current = self.etags[n].get(name)
            etag = self.stale[n].get(name, '"never"') if stale else current or '"never"'
            if etag == current and stale:  # a content hash comes back after A → B → A
                etag = '"never"'
            try:
                new = calendar.update(name, data, etag)
            except ItemNotFoundError:
                assert name not in self.model
                continue
            except PreconditionFailedError:
                assert name in self.model
                assert stale
                continue
            assert name in self.model
            assert not stale
            if new != etag:
                self.stale[n][name] = etag
            self.etags[n][name] = new
        if name in self.model and not stale:
            self.model[name] = data
            self.touched.add(name)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        """delete with the current etag removes the item."""
        name = data.draw(st.sampled_from(sorted(self.model)))
        for n, calendar in enumerate(self.calendars):
            calendar.delete(name, self.etags[n].pop(name))
        del self.model[name]
        self.touched.add(name)

    @invariant()
    def contents_agree(self) -> None:
        """Both calendars hold exactly the model's items, with the etags last returned."""
        for n, calendar in enumerate(self.calendars):
            assert dict(calendar.list()) == {name: self.etags[n][name] for name in self.model}
            items, missing = calendar.get([*self.model, "never.ics"])
            assert {item.href: item.data for item in items} == self.model
            assert missing == {"never.ics"}

    @invariant()
    def memory_changes_cover_every_touched_item(self) -> None:
        """The memory calendar's changes since the first token name every item touched."""
        assert self.token is not None
        changes = self.calendars[0].changes(self.token.token)
        assert changes is not None
        assert set(changes.changed) == self.touched & set(self.model)
        assert changes.deleted == self.touched - set(self.model)


CalendarsAgreeWithADict.TestCase.settings = settings(max_examples=50, deadline=None)
TestCalendarsAgreeWithADict = CalendarsAgreeWithADict.TestCase
