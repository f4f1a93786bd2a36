"""A delivery killed half-way: the next run sends the rest, and nobody gets anything twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import attrs
import pytest

from invitations.helpers import NOW, SENDER, course, enrolled, read
from libkurs import revise
from libkurs.invitations import Journal, MemoryTransport, deliver


class KilledError(Exception):
    """Stands for the process dying."""


class DiesAfter(MemoryTransport):
    """Accepts *k* messages, then 'dies' on the next one (before it is accepted)."""

    def __init__(self, k: int) -> None:
        super().__init__()
        self.left = k

    def send(self, message, *, sender, recipient):
        if self.left == 0:
            raise KilledError
        self.left -= 1
        super().send(message, sender=sender, recipient=recipient)


def _count(transports) -> Counter:
    return Counter(
        (sent.recipient, read(sent.data)["Subject"].partition(":")[0])
        for transport in transports
        for sent in transport.sent
    )


@pytest.mark.parametrize("k", [0, 1, 7, 11])
def test_killed_after_k_messages_then_run_again_sends_each_change_once(tmp_path, k):
    """Killed after k messages, first delivery and then an update: one message per change each."""
    catalogue = course(capacity=12)
    register = enrolled(catalogue, 12)
    path = tmp_path / "journal.json"
    dying = DiesAfter(k)
    with pytest.raises(KilledError):
        deliver(register, catalogue, Journal(path), dying, sender=SENDER, now=NOW)
    rest = MemoryTransport()
    report = deliver(register, catalogue, Journal(path), rest, sender=SENDER, now=NOW)
    assert report.sent == 12 - k
    counts = _count([dying, rest])
    assert len(counts) == 12
    assert set(counts.values()) == {1}

    event = catalogue.event("kurs")
    (session,) = event.sessions
    moved = revise(session, end=session.end + timedelta(minutes=30))
    catalogue = attrs.evolve(catalogue, events=[attrs.evolve(event, sessions=[moved])])
    later = NOW + timedelta(days=1)
    dying_again = DiesAfter(k // 2)
    with pytest.raises(KilledError):
        deliver(register, catalogue, Journal(path), dying_again, sender=SENDER, now=later)
    last = MemoryTransport()
    deliver(register, catalogue, Journal(path), last, sender=SENDER, now=later)
    updates = _count([dying_again, last])
    assert len(updates) == 12
    assert set(updates.values()) == {1}
    quiet = MemoryTransport()
    assert deliver(register, catalogue, Journal(path), quiet, sender=SENDER, now=later).sent == 0


def test_a_journal_line_cut_short_by_a_crash_is_ignored(tmp_path):
    """A half-written last line of the log is not an error: that message counts as unsent."""
    catalogue = course(capacity=3)
    register = enrolled(catalogue, 3)
    path = tmp_path / "journal.json"
    dying = DiesAfter(2)
    with pytest.raises(KilledError):
        deliver(register, catalogue, Journal(path), dying, sender=SENDER, now=NOW)
    # deliver() saved the snapshot on the way out; a real kill leaves only the log.
    journal = Journal(path)
    assert len(journal.entries) == 2
    path.unlink()
    log = tmp_path / "journal.json.log"
    lines = [e.to_json() for e in journal.entries]
    import json

    log.write_text(json.dumps(lines[0]) + "\n" + json.dumps(lines[1])[:20], encoding="utf-8")
    assert len(Journal(path).entries) == 1
