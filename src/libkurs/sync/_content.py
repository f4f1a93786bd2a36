r"""What libkurs reads off a calendar item: its UID, its owner, and a normalized content hash.

Servers rewrite what they are given (reorder properties, refold lines, re-escape text, move
or rewrite VTIMEZONEs and rename their TZIDs, stamp DTSTAMP, PRODID, LAST-MODIFIED and CREATED,
drop properties they do not know, as Cyrus IMAP drops REFID) and still hand back an etag, so
bytes are never compared. The **content hash** is a SHA-256 over what a reader of the calendar
sees, compared by value, not by spelling:

- the components other than VTIMEZONE, sorted, each with its properties sorted;
- only these properties: UID, DTSTART, DTEND (DURATION as the end it gives), SUMMARY,
  DESCRIPTION, LOCATION, STATUS, CATEGORIES, URL, GEO, CONFERENCE, ORGANIZER and ATTENDEE
  (as addresses), CLASS, RRULE, RDATE, EXDATE, RECURRENCE-ID, and libkurs' own ``X-LIBKURS-``
  marks (except the two below). SEQUENCE, DTSTAMP, PRODID, LAST-MODIFIED, CREATED, every other
  ``X-`` property and whatever a server adds or drops are left out;
- no parameters (LANGUAGE, VALUE, TZID, SCHEDULE-… say nothing a reader sees as the value);
- a date-time as its UTC instant, whatever zone, zone name or VTIMEZONE it was written with;
  a date as a date; text unescaped, with its line ends as ``\n``; a GEO as numbers;
- a CATEGORIES property split into one line per category, so that merged or split lines
  hash alike.

Every item libkurs writes carries two marks in its VEVENT:

- ``X-LIBKURS-CATALOGUE``: the *catalogue key* of the catalogue it was written for. Only an
  item with the caller's key is ever changed or deleted; every other item is *foreign*.
- ``X-LIBKURS-HASH``: the content hash of the item as libkurs wrote it. An item whose content
  still hashes to its mark is *untouched*; one that does not was edited in the calendar. This
  is what makes a sync correct on a machine with no saved state.

Bytes are checked to be UTF-8 before parsing: icalendar would silently replace what is not.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
import zoneinfo
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from libkurs.errors import FormatError
from libkurs.sync._protocol import Item

if TYPE_CHECKING:
    import icalendar
    from icalendar.cal import Component

__all__ = [
    "HASH_PROPERTY",
    "MARKER_PROPERTY",
    "Entry",
    "content_hash",
    "read_entry",
    "rendered_hash",
]

#: The property that names the catalogue an item was written for.
MARKER_PROPERTY = "X-LIBKURS-CATALOGUE"
#: The property that holds the content hash of an item as libkurs wrote it.
HASH_PROPERTY = "X-LIBKURS-HASH"

#: The properties hashed: what a reader of the calendar sees, and a few that change when or
#: whether an event happens. Whatever else a server or client adds or drops is left out.
_HASHED_PROPERTIES = frozenset(
    {
        "UID",
        "STATUS",
        "DTSTART",
        "DTEND",
        "DURATION",
        "SUMMARY",
        "DESCRIPTION",
        "LOCATION",
        "GEO",
        "CATEGORIES",
        "URL",
        "CONFERENCE",
        "ORGANIZER",
        "ATTENDEE",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "CLASS",
    }
)
#: Libkurs' own properties are hashed too, except these two marks.
_OWN_PREFIX = "X-LIBKURS-"
_MARKS = frozenset({"X-LIBKURS-CATALOGUE", "X-LIBKURS-HASH"})
_IGNORED_COMPONENTS = frozenset({"VTIMEZONE"})
#: Properties whose values are dates or date-times: compared as dates, or as UTC instants.
_TIMES = frozenset({"DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "RDATE", "EXDATE"})
_ADDRESSES = frozenset({"ORGANIZER", "ATTENDEE"})


@functools.cache
def _iana_keys() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - {"localtime", "posixrules", "Factory"}


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
        stamp: Its ``X-LIBKURS-HASH`` mark: the hash of what libkurs last wrote there, or None.
        sequence: Its SEQUENCE (0 when it has none), or None when it cannot be read.
        fingerprint: The fingerprint of the catalogue data libkurs rendered the item from
            (a digest of the model's values and the options), when libkurs wrote the item (or
            found it unchanged) itself: its :attr:`stamp` is then the content hash of what
            those same data render to, so an item whose data are unchanged needs no rendering.
            None when the item was read from the calendar.
    """

    href: str
    etag: str
    uid: str | None
    owner: str | None
    hash: str
    untouched: bool = False
    stamp: str | None = None
    sequence: int | None = None
    fingerprint: str | None = None


def _parse(data: bytes, href: str | None = None) -> icalendar.Calendar:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(
            f"not UTF-8 at byte {error.start}",
            source=href,
            line=data.count(b"\n", 0, error.start) + 1,
        ) from error
    import icalendar  # only when an item is read: a re-sync with nothing to do reads none

    try:
        return icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise FormatError(f"not iCalendar: {error}", source=href) from error


def _timezone_class() -> type[icalendar.Timezone]:
    import icalendar

    return icalendar.Timezone


def _name(component: Component) -> str:
    return (component.name or "").upper()


def _hashed(name: str) -> bool:
    if name.startswith(_OWN_PREFIX):
        return name not in _MARKS
    return name in _HASHED_PROPERTIES


#: Zones, by TZID, of the item being hashed: resolved from the item itself, never from a cache.
Zones = dict[str, datetime.tzinfo | None]


def _iana(name: str) -> datetime.tzinfo | None:
    """The IANA zone a TZID names, also under a prefix (``/freeassociation.sourceforge.net/``)."""
    parts = [p for p in name.strip().split("/") if p]
    for size in (3, 2, 1):
        if len(parts) < size:
            continue
        key = "/".join(parts[-size:])
        if key in _iana_keys():
            return zoneinfo.ZoneInfo(key)
    return None


def _zone(tzid: str, calendar: Component | None, zones: Zones) -> datetime.tzinfo | None:
    """The zone *tzid* means in *calendar*: an IANA name, else the item's own VTIMEZONE.

    icalendar keeps the first VTIMEZONE it ever saw for a TZID, process-wide; a server's
    custom TZID (``/freeassociation.sourceforge.net/Europe/Helsinki``) covering other years
    in another item would then give another instant. So the item's own definition is read.
    """
    if tzid in zones:
        return zones[tzid]
    found = _iana(tzid)
    if found is None and calendar is not None:
        for child in calendar.walk("VTIMEZONE"):
            if str(child.get("TZID")) != tzid:
                continue
            location = child.get("X-LIC-LOCATION")
            found = _iana(str(location)) if location is not None else None
            if found is None and isinstance(child, _timezone_class()):
                try:
                    found = child.to_tz(lookup_tzid=False)
                except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
                    found = None
            break
    zones[tzid] = found
    return found


def _moment(value: object, zone: datetime.tzinfo | None = None) -> str:
    """A date as ``DATE:yyyymmdd``; a date-time as its UTC instant (or floating, as written).

    *zone* is the one its TZID names in this item, which wins over icalendar's reading.
    """
    if isinstance(value, datetime.datetime):
        if zone is not None:
            value = value.replace(tzinfo=None).replace(tzinfo=zone)
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")  # floating, or a zone nobody could resolve
    if isinstance(value, datetime.date):
        return "DATE:" + value.strftime("%Y%m%d")
    return _plain(value)


def _plain(value: object) -> str:
    to_ical = getattr(value, "to_ical", None)
    text = to_ical() if to_ical is not None else str(value)
    return text.decode("utf-8") if isinstance(text, bytes) else str(text)


def _text_value(name: str, value: object) -> str:
    if name.startswith("X-"):  # icalendar leaves these as written, escapes and all
        text = _text(value)
    elif isinstance(value, str):
        text = str(value)
    else:
        text = _plain(value)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _values(name: str, value: object, calendar: Component | None, zones: Zones) -> list[str]:
    """The canonical text(s) of one property value: one per date, time or category."""
    if name in _TIMES:
        dts = getattr(value, "dts", None)
        moments = [d.dt for d in dts] if dts is not None else [getattr(value, "dt", value)]
        params = getattr(value, "params", None) or {}
        tzid = params.get("TZID")
        zone = _zone(str(tzid), calendar, zones) if tzid else None
        return sorted(_moment(moment, zone) for moment in moments)
    if name == "CATEGORIES":
        categories = getattr(value, "cats", None)
        if categories is not None:
            return sorted(_text_value(name, category) for category in categories)
    if name == "GEO":
        latitude, longitude = getattr(value, "latitude", None), getattr(value, "longitude", None)
        if latitude is not None and longitude is not None:
            return [f"{float(latitude):.6f};{float(longitude):.6f}"]
    if name in _ADDRESSES:
        address = str(value).strip()
        if address[:7].lower() == "mailto:":
            address = "mailto:" + address[7:].lower()
        return [address]
    if name in {"STATUS", "CLASS"}:
        return [_plain(value).strip().upper()]
    return [_text_value(name, value)]


def _end(component: Component, calendar: Component, zones: Zones) -> str | None:
    """DTEND as the instant a DURATION gives, for an event written with one."""
    start, duration = component.get("DTSTART"), component.get("DURATION")
    begin, length = getattr(start, "dt", None), getattr(duration, "dt", None)
    if isinstance(begin, datetime.date) and isinstance(length, datetime.timedelta):
        tzid = (getattr(start, "params", None) or {}).get("TZID")
        zone = _zone(str(tzid), calendar, zones) if tzid else None
        if isinstance(begin, datetime.datetime) and zone is not None:
            begin = begin.replace(tzinfo=None).replace(tzinfo=zone)
        return _moment(begin + length)
    return None


def _property_lines(component: Component, calendar: Component, zones: Zones) -> Iterator[str]:
    for raw_name, values in component.items():
        name = raw_name.upper()
        if not _hashed(name):
            continue
        if name == "DURATION":
            end = _end(component, calendar, zones)
            if end is not None:
                yield f"DTEND:{end}"
                continue
        for value in values if isinstance(values, list) else [values]:
            for text in _values(name, value, calendar, zones):
                yield f"{name}:{text}"


def _canonical(component: Component, calendar: Component, zones: Zones) -> str:
    parts = sorted(_property_lines(component, calendar, zones))
    children = sorted(
        _canonical(child, calendar, zones)
        for child in component.subcomponents
        if _name(child) not in _IGNORED_COMPONENTS
    )
    name = _name(component)
    return "\n".join([f"BEGIN:{name}", *parts, *children, f"END:{name}"])


def _hash_of(calendar: icalendar.Calendar) -> str:
    zones: Zones = {}
    inner = sorted(
        _canonical(child, calendar, zones)
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


#: A content line as libkurs writes it: a name, plain or quoted parameters (no backslash, no
#: percent sign, no comma: nothing whose reading needs icalendar's parameter parser), a value.
_SIMPLE_LINE = re.compile(
    r'(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[A-Za-z0-9-]+=(?:"[^"\\%,\r\n]*"|[^";:,\\%\r\n]*))*)'
    r":(?P<value>.*)",
    re.DOTALL,
)
_TOKEN = re.compile(r"[A-Za-z0-9/_+.-]+")
_PARAMETER = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^;]*)')
#: Property names whose value the fast path does not read: it leaves those items to the full
#: path (DURATION needs its DTSTART; RRULE and PERIOD values are hashed as icalendar spells them).
_SLOW_PROPERTIES = frozenset({"DURATION", "RRULE"})


class _SlowPathError(Exception):
    """The fast path met something outside what libkurs writes: hash by the full path."""


class _Node:
    """A component as the fast path reads it: its hashed properties, its children."""

    __slots__ = ("children", "ignored", "name", "properties")

    def __init__(self, name: str, *, ignored: bool = False) -> None:
        self.name = name
        self.ignored = ignored or name in _IGNORED_COMPONENTS
        self.properties: list[tuple[str, object]] = []
        self.children: list[_Node] = []


def _fast_value(name: str, params: dict[str, str], raw: str, zones: Zones) -> object:
    """The value icalendar's parser would give the property, read as its parser reads it."""
    import icalendar
    from icalendar.parser.property import split_on_unescaped_comma, unescape_backslash

    factory: Any = icalendar.Calendar.types_factory.for_property(name, params.get("VALUE"))
    value: Any
    if name == "CATEGORIES":
        value = factory(split_on_unescaped_comma(raw))
        value.params = params
        return value
    if getattr(factory, "get_value_from_content_line", None) is None:
        raw = unescape_backslash(raw)
    tzid = params.get("TZID") if name in _TIMES else None
    if tzid:
        # The zone the hash uses is the IANA one the TZID names, which replaces whatever
        # icalendar reads; a TZID that is no IANA name needs the item's VTIMEZONE.
        if tzid not in zones:
            zones[tzid] = _iana(tzid)
        if zones[tzid] is None:
            raise _SlowPathError(tzid)
    try:
        value = factory(factory.from_ical(raw))
    except (ValueError, TypeError) as error:
        raise _SlowPathError(name) from error
    value.params = params
    return value


def _fast_parameters(text: str) -> dict[str, str]:
    params = {}
    for key, raw in _PARAMETER.findall(text):
        params[key.upper()] = raw[1:-1] if raw.startswith('"') else raw
    for key in ("TZID", "VALUE"):
        if key in params and not _TOKEN.fullmatch(params[key]):
            raise _SlowPathError(key)  # icalendar trims, unquotes and may re-case these
    if "VALUE" in params:
        params["VALUE"] = params["VALUE"].upper()
        if params["VALUE"] == "PERIOD":
            raise _SlowPathError("PERIOD")
    return params


def _fast_tree(text: str, zones: Zones) -> _Node:
    root = _Node("")
    stack = [root]
    from icalendar.parser.content_line import NEWLINE, UFOLD

    for line in NEWLINE.split(UFOLD.sub("", text)):
        if not line:
            continue
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            raise _SlowPathError(line[:20])
        name = match["name"].upper()
        if name == "BEGIN":
            if match["params"]:
                raise _SlowPathError(name)
            node = _Node(match["value"].upper(), ignored=stack[-1].ignored)
            stack[-1].children.append(node)
            stack.append(node)
        elif name == "END":
            if len(stack) < 2 or stack[-1].name != match["value"].upper() or match["params"]:
                raise _SlowPathError(name)
            stack.pop()
        elif len(stack) < 2:
            raise _SlowPathError(name)  # a property outside any component
        elif name in _SLOW_PROPERTIES:
            raise _SlowPathError(name)
        elif _hashed(name) and not stack[-1].ignored:
            params = _fast_parameters(match["params"])
            stack[-1].properties.append((name, _fast_value(name, params, match["value"], zones)))
    if len(stack) != 1 or len(root.children) != 1 or root.children[0].name != "VCALENDAR":
        raise _SlowPathError("not one VCALENDAR")
    return root.children[0]


def _fast_canonical(node: _Node, zones: Zones) -> str:
    parts = sorted(
        f"{name}:{text}"
        for name, value in node.properties
        for text in _values(name, value, None, zones)
    )
    children = sorted(_fast_canonical(child, zones) for child in node.children if not child.ignored)
    return "\n".join([f"BEGIN:{node.name}", *parts, *children, f"END:{node.name}"])


def rendered_hash(text: str) -> str:
    r""":func:`content_hash` of ``text.encode()``, for iCalendar text libkurs rendered itself.

    What libkurs writes is read line by line here, each hashed value decoded by the very
    icalendar value type its parser uses, without building icalendar's components: the
    same hash at a fraction of the cost. Text outside what libkurs writes (a TZID that is no
    IANA name, DURATION, RRULE, parameters that need unescaping, ...) goes the full way.

    >>> text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:K\\, s\r\n"
    >>> text += "END:VEVENT\r\nEND:VCALENDAR\r\n"
    >>> rendered_hash(text) == content_hash(text.encode("utf-8"))
    True
    """
    zones: Zones = {}
    try:
        calendar = _fast_tree(text, zones)
        inner = sorted(
            _fast_canonical(child, zones) for child in calendar.children if not child.ignored
        )
    except (_SlowPathError, ValueError, TypeError, OverflowError):
        return content_hash(text.encode("utf-8"))
    return hashlib.sha256("\n".join(inner).encode("utf-8")).hexdigest()


_ESCAPED = re.compile(r"\\([\\,;nN])")


def _text(value: object) -> str:
    """A TEXT value, unescaped (icalendar leaves ``X-`` properties as they were written)."""
    raw = str(value)
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


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
    sequence = _sequence(first.get("SEQUENCE"))
    return Entry(
        href=item.href,
        etag=item.etag,
        uid=str(uid) if uid is not None else None,
        owner=_text(owner) if owner is not None else None,
        hash=digest,
        untouched=stamp is not None and str(stamp) == digest,
        stamp=str(stamp) if stamp is not None else None,
        sequence=sequence,
    )


def _sequence(value: object) -> int:
    """A SEQUENCE value as a number: 0 when missing or unreadable, never negative."""
    try:
        number = int(str(value).strip()) if value is not None else 0
    except ValueError:
        return 0
    return max(min(number, 2**31 - 1), 0)
