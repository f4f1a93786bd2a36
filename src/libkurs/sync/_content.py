"""What libkurs reads off a calendar item: its UID, its owner, and a normalized content hash.

Servers rewrite what they are given (reorder properties, refold lines, add or rewrite
VTIMEZONEs, stamp DTSTAMP, PRODID, LAST-MODIFIED and CREATED) and still hand back an etag, so
bytes are never compared. The **content hash** is a SHA-256 over a canonical form of the parsed
item: the components other than VTIMEZONE, each property as ``NAME;PARAM=VALUE…:VALUE`` with
parameters sorted, properties and sub-components sorted, and without DTSTAMP, PRODID,
LAST-MODIFIED, CREATED, the VCALENDAR's own properties and the two libkurs marks below.

Every item libkurs writes carries two marks in its VEVENT:

- ``X-LIBKURS-CATALOGUE``: the *catalogue key* of the catalogue it was written for. Only an
  item with the caller's key is ever changed or deleted; every other item is *foreign*.
- ``X-LIBKURS-HASH``: the content hash of the item as libkurs wrote it. An item whose content
  still hashes to its mark is *untouched*; one that does not was edited in the calendar. This
  is what makes a sync correct on a machine with no saved state.

Bytes are checked to be UTF-8 before parsing: icalendar would silently replace what is not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import attrs
import icalendar
from icalendar.cal import Component

from libkurs.errors import FormatError
from libkurs.sync._protocol import Item

__all__ = ["HASH_PROPERTY", "MARKER_PROPERTY", "Entry", "content_hash", "read_entry"]

#: The property that names the catalogue an item was written for.
MARKER_PROPERTY = "X-LIBKURS-CATALOGUE"
#: The property that holds the content hash of an item as libkurs wrote it.
HASH_PROPERTY = "X-LIBKURS-HASH"

_IGNORED_PROPERTIES = frozenset(
    {"DTSTAMP", "PRODID", "LAST-MODIFIED", "CREATED", MARKER_PROPERTY, HASH_PROPERTY}
)
_IGNORED_COMPONENTS = frozenset({"VTIMEZONE"})
_IGNORED_PARAMETERS = frozenset({"SCHEDULE-STATUS"})


@attrs.frozen(kw_only=True)
class Entry:
    """What a sync needs to know of one calendar item, without its bytes.

    Attributes:
        href: The item's name within its calendar.
        etag: The version this describes.
        uid: The UID of its first component, or None if it has none (or cannot be read).
        owner: The catalogue key in its ``X-LIBKURS-CATALOGUE``, or None.
        hash: Its normalized content hash (of the raw bytes, when it cannot be parsed).
        untouched: Whether its content still hashes to its ``X-LIBKURS-HASH`` mark.
    """

    href: str
    etag: str
    uid: str | None
    owner: str | None
    hash: str
    untouched: bool = False


def _parse(data: bytes, href: str | None = None) -> icalendar.Calendar:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(
            f"not UTF-8 at byte {error.start}",
            source=href,
            line=data.count(b"\n", 0, error.start) + 1,
        ) from error
    try:
        return icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise FormatError(f"not iCalendar: {error}", source=href) from error


def _name(component: Component) -> str:
    return (component.name or "").upper()


def _parameter(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(sorted(str(v) for v in value))
    return str(value)


def _property_lines(component: Component) -> Iterator[str]:
    for raw_name, values in component.items():
        name = raw_name.upper()
        if name in _IGNORED_PROPERTIES:
            continue
        for value in values if isinstance(values, list) else [values]:
            params = getattr(value, "params", {}) or {}
            rendered = "".join(
                f";{key.upper()}={_parameter(params[key])}"
                for key in sorted(params, key=str.upper)
                if key.upper() not in _IGNORED_PARAMETERS
            )
            text = value.to_ical() if hasattr(value, "to_ical") else str(value)
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            yield f"{name}{rendered}:{text}"


def _canonical(component: Component) -> str:
    parts = sorted(_property_lines(component))
    children = sorted(
        _canonical(child)
        for child in component.subcomponents
        if _name(child) not in _IGNORED_COMPONENTS
    )
    name = _name(component)
    return "\n".join([f"BEGIN:{name}", *parts, *children, f"END:{name}"])


def _hash_of(calendar: icalendar.Calendar) -> str:
    inner = sorted(
        _canonical(child)
        for child in calendar.subcomponents
        if _name(child) not in _IGNORED_COMPONENTS
    )
    return hashlib.sha256("\n".join(inner).encode("utf-8")).hexdigest()


def content_hash(data: bytes) -> str:
    r"""The normalized content hash of an iCalendar object: equal for equal meaning.

    Raises :class:`~libkurs.errors.FormatError` for bytes that are not UTF-8 iCalendar.

    >>> one = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Kurs\r\n"
    >>> two = b"BEGIN:VCALENDAR\r\nPRODID:x\r\nBEGIN:VEVENT\r\nSUMMARY:Ku\r\n rs\r\n"
    >>> two += b"UID:a\r\n"
    >>> end = b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    >>> content_hash(one + end) == content_hash(two + end)
    True
    """
    return _hash_of(_parse(bytes(data)))


def _first(calendar: icalendar.Calendar) -> Component | None:
    for child in calendar.subcomponents:
        if _name(child) not in _IGNORED_COMPONENTS:
            return child
    return None


def read_entry(item: Item) -> Entry:
    """Read the UID, the owner and the content hash off *item*.

    An item that is not UTF-8 iCalendar is described by a hash of its bytes and has no UID
    and no owner: a sync leaves it alone.
    """
    try:
        calendar = _parse(item.data, item.href)
    except FormatError:
        raw = "raw:" + hashlib.sha256(item.data).hexdigest()
        return Entry(href=item.href, etag=item.etag, uid=None, owner=None, hash=raw)
    digest = _hash_of(calendar)
    first = _first(calendar)
    if first is None:
        return Entry(href=item.href, etag=item.etag, uid=None, owner=None, hash=digest)
    uid = first.get("UID")
    owner = first.get(MARKER_PROPERTY)
    stamp = first.get(HASH_PROPERTY)
    return Entry(
        href=item.href,
        etag=item.etag,
        uid=str(uid) if uid is not None else None,
        owner=str(owner) if owner is not None else None,
        hash=digest,
        untouched=stamp is not None and str(stamp) == digest,
    )
