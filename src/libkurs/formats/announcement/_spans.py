"""Where in a text expressions were found: what is still free, and the day before a place.

Both answer by a binary search over sorted positions, so that reading a text costs time in
proportion to its length however many dates it holds (it was quadratic: 351 KB took 207 s).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from typing import Protocol

__all__ = ["Days", "Spans"]


class _Found(Protocol):
    @property
    def span(self) -> tuple[int, int]: ...

    @property
    def day(self) -> date | None: ...


class Spans:
    """Spans of the text already read, none overlapping another: what is still free.

    Kept sorted, so that asking costs a binary search, not a look at every span.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, span: tuple[int, int]) -> bool:
        """Whether *span* overlaps no span taken."""
        before = bisect.bisect_left(self.starts, span[1]) - 1  # the last one starting before
        return before < 0 or self.ends[before] <= span[0]

    def add(self, span: tuple[int, int]) -> None:
        where = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(where, span[0])
        self.ends.insert(where, span[1])


class Days:
    """The day of the last expression before a position, among *found* (by a binary search)."""

    def __init__(self, found: Sequence[_Found]) -> None:
        dated = sorted((f.span[0], f.day) for f in found if f.day is not None)
        self.starts = [start for start, _ in dated]
        self.days = [day for _, day in dated]

    def before(self, position: int) -> date | None:
        where = bisect.bisect_left(self.starts, position) - 1
        return self.days[where] if where >= 0 else None
