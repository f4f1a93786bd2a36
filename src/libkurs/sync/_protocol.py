"""The calendar protocol every backend speaks: hrefs, etags, conditional writes, sync tokens.

The vocabulary is vdirsyncer's. An *href* names one item within its calendar (the file name in
a directory, the last path segment on a CalDAV server, unquoted); an *etag* is an opaque
validator of one version of an item: every write gives a new one, and writes are conditional
on it, so that nothing written by someone else since we looked is overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Protocol, runtime_checkable

import attrs

from libkurs.errors import UnsafeNameError

__all__ = ["Calendar", "Changes", "Item", "check_name"]

_SAFE_NAME = re.compile(r"[A-Za-z0-9._@-]+\.ics")
_MAX_NAME = 200


def check_name(name: str) -> str:
    """Return *name* if it is safe as the href of a new item, else raise :class:`UnsafeNameError`.

    A safe name is made of ``A-Z a-z 0-9 . _ @ -`` only, ends with ``.ics``, does not start
    with a dot and has no ``..``: it cannot leave its directory or collection, and it means the
    same on every file system and server.

    >>> check_name("kurs-2023@libkurs.ics")
    'kurs-2023@libkurs.ics'
    >>> check_name("../etc/passwd.ics")
    Traceback (most recent call last):
    ...
    libkurs.errors.UnsafeNameError: ../etc/passwd.ics: unsafe item name: ...
    """
    if (
        len(name) > _MAX_NAME
        or _SAFE_NAME.fullmatch(name) is None
        or name.startswith(".")
        or ".." in name
    ):
        raise UnsafeNameError(
            "unsafe item name: use only A-Z a-z 0-9 . _ @ -, end with .ics, "
            f"start with no dot, no '..', at most {_MAX_NAME} characters",
            href=name,
        )
    return name


def _freeze_etags(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _frozen_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Item:
    """One calendar item as stored: where it is, which version, and its bytes.

    Attributes:
        href: The item's name within its calendar.
        etag: The version read.
        data: The iCalendar text as stored, in UTF-8.
    """

    href: str
    etag: str
    data: bytes = attrs.field(repr=lambda data: f"<{len(data)} bytes>")


@attrs.frozen(kw_only=True)
class Changes:
    """What changed in a calendar since a sync token was issued (RFC 6578).

    Attributes:
        token: The token to ask with next time.
        changed: href → etag of every item created or changed since the old token.
        deleted: The hrefs removed since the old token (a server may also name hrefs that
            were created and removed in between, or that you never saw).
        complete: True when *changed* is the whole calendar: the first listing (no token),
            or a fresh listing because the old token was refused (expired, unknown). Any
            href you know that is not in *changed* is then gone, whatever *deleted* says.
    """

    token: str
    changed: Mapping[str, str] = attrs.field(converter=_freeze_etags, factory=dict)
    deleted: frozenset[str] = attrs.field(converter=_frozen_set, factory=frozenset)
    complete: bool = False


@runtime_checkable
class Calendar(Protocol):
    """A calendar of items, reached by href, written only with preconditions.

    Errors are :class:`libkurs.errors.CalendarError` subclasses:
    :class:`~libkurs.errors.PreconditionFailedError` when the etag is stale or the item
    already exists, :class:`~libkurs.errors.ItemNotFoundError` when there is no such item,
    :class:`~libkurs.errors.AuthenticationError` and :class:`~libkurs.errors.TransportError`
    for servers.

    A calendar that can take several writes at once (a server far away) may also have a
    method ``workers(n: int) -> Sequence[Calendar]``, outside this protocol: *n* calendars
    for *n* threads to write with at the same time, each usable from its own thread (they
    may be the same object, if it is thread-safe). :func:`~libkurs.sync.sync` uses it for
    ``connections`` above 1, and writes one item after the other with calendars that lack it.
    A calendar may also say how many it prefers with an ``connections`` attribute.
    """

    def list(self) -> Mapping[str, str]:
        """Return href → etag of every item in the calendar."""
        ...

    def get(self, hrefs: Iterable[str]) -> tuple[Sequence[Item], frozenset[str]]:
        """Read the items at *hrefs*; return them and the hrefs that are not there."""
        ...

    def create(self, name: str, data: bytes) -> tuple[str, str]:
        """Store a new item under *name* only if none is there; return its href and etag."""
        ...

    def update(self, href: str, data: bytes, etag: str) -> str:
        """Replace the item at *href* only if it is still at *etag*; return the new etag."""
        ...

    def delete(self, href: str, etag: str) -> None:
        """Delete the item at *href* only if it is still at *etag*."""
        ...

    def changes(self, token: str | None) -> Changes | None:
        """Return what changed since *token* (None: a first, complete listing).

        Returns None when the calendar keeps no sync tokens: use :meth:`list` then.
        """
        ...
