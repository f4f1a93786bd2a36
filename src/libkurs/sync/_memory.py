"""A calendar in memory, faithful to the protocol: for tests, your own as well as ours."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence

from libkurs.errors import ItemNotFoundError, PreconditionFailedError
from libkurs.sync._protocol import Changes, Item, check_name

__all__ = ["MemoryCalendar"]


class MemoryCalendar:
    """A :class:`~libkurs.sync.Calendar` that keeps its items in a dict.

    It behaves as a strict server does: every write gives a new etag, writes are conditional,
    deleting or updating a missing href raises :class:`~libkurs.errors.ItemNotFoundError`, and it
    issues sync tokens. A token it did not issue, or one issued before :meth:`forget_history`,
    is refused the way servers refuse expired tokens: :meth:`changes` then answers with a
    complete listing.

    >>> calendar = MemoryCalendar()
    >>> href, etag = calendar.create("a.ics", b"BEGIN:VCALENDAR...")
    >>> calendar.list() == {"a.ics": etag}
    True
    >>> first = calendar.changes(None)
    >>> calendar.delete(href, etag)
    >>> sorted(calendar.changes(first.token).deleted)
    ['a.ics']
    """

    def __init__(self, items: Mapping[str, bytes] | None = None) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, tuple[str, bytes]] = {}
        self._epoch = uuid.uuid4().hex[:12]
        self._etags = itertools.count(1)
        self._log: list[str] = []  # the href touched by each write, in order
        self._generation = 0  # raised by forget_history(), which expires older tokens
        for name, data in (items or {}).items():
            self.create(name, data)

    def __repr__(self) -> str:
        return f"<MemoryCalendar with {len(self._items)} items>"

    # -- reading -------------------------------------------------------------------------------

    def list(self) -> Mapping[str, str]:
        """Return href → etag of every item."""
        with self._lock:
            return {href: etag for href, (etag, _) in self._items.items()}

    def get(self, hrefs: Iterable[str]) -> tuple[Sequence[Item], frozenset[str]]:
        """Read the items at *hrefs*; return them and the hrefs that are not there."""
        found: list[Item] = []
        missing: set[str] = set()
        with self._lock:
            for href in dict.fromkeys(hrefs):
                if href in self._items:
                    etag, data = self._items[href]
                    found.append(Item(href=href, etag=etag, data=data))
                else:
                    missing.add(href)
        return found, frozenset(missing)

    def changes(self, token: str | None) -> Changes:
        """Return what changed since *token*; a complete listing for None or a refused token."""
        with self._lock:
            since = self._parse_token(token)
            current = {href: etag for href, (etag, _) in self._items.items()}
            new_token = f"{self._epoch}.{self._generation}:{len(self._log)}"
            if since is None:
                return Changes(token=new_token, changed=current, complete=True)
            touched = set(self._log[since:])
            return Changes(
                token=new_token,
                changed={href: current[href] for href in touched if href in current},
                deleted={href for href in touched if href not in current},
            )

    def _parse_token(self, token: str | None) -> int | None:
        if token is None:
            return None
        issuer, _, position = token.partition(":")
        if issuer != f"{self._epoch}.{self._generation}" or not position.isdigit():
            return None
        since = int(position)
        return since if since <= len(self._log) else None

    def forget_history(self) -> None:
        """Expire every sync token issued so far, as servers do with old tokens."""
        with self._lock:
            self._generation += 1

    # -- writing -------------------------------------------------------------------------------

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """Store a new item under *name* only if none is there; return its href and etag."""
        check_name(name)
        data = bytes(data)
        with self._lock:
            if name in self._items:
                raise PreconditionFailedError("an item already exists there", href=name, status=412)
            return name, self._store(name, data)

    def update(self, href: str, data: bytes, etag: str) -> str:
        """Replace the item at *href* only if it is still at *etag*; return the new etag."""
        data = bytes(data)
        with self._lock:
            self._check(href, etag)
            return self._store(href, data)

    def delete(self, href: str, etag: str) -> None:
        """Delete the item at *href* only if it is still at *etag*."""
        with self._lock:
            self._check(href, etag)
            del self._items[href]
            self._log.append(href)

    def _check(self, href: str, etag: str) -> None:
        if href not in self._items:
            raise ItemNotFoundError("no such item", href=href, status=404)
        if self._items[href][0] != etag:
            raise PreconditionFailedError(
                "the item changed since it was read (stale etag)", href=href, status=412
            )

    def _store(self, href: str, data: bytes) -> str:
        etag = f'"{self._epoch}-{next(self._etags)}"'
        self._items[href] = (etag, data)
        self._log.append(href)
        return etag
