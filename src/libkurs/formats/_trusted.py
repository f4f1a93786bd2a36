"""The trusted path of a native catalogue load: each value checked once, objects built directly.

The checked path, :func:`libkurs.formats._converter.structure`, reads a document in two rounds:
the cattrs converter checks each value's JSON type, then each attrs class checks its fields
again in its validators. Both rounds are needed to name every problem the way users see it
(the path, the message, how many more problems there are); a valid document needs neither.

This module reads a document in one round. :func:`trusted_catalogue` walks it once, checks
each value once for everything the two rounds check (its JSON type, and the rule of its field:
an id, a language tag, text without control characters, a URL, an aware datetime in range, a
count, the cross-field rules of sessions, agenda items, locations and statuses), and builds each
instance with ``object.__new__`` and ``object.__setattr__``, running no attrs converter and no
validator. It runs the ``__attrs_post_init__`` checks of :class:`~libkurs.EnrolmentSettings`,
:class:`~libkurs.Event` and :class:`~libkurs.Catalogue` (unique ids, references) as they are.
A global switch such as ``attrs.validators.disabled()`` is not used: another thread would build
unchecked models while it is off.

It names no problem. At the first value it does not accept it raises :class:`Untrusted`, and
the caller reads the document again on the checked path, which raises the error users know, with
its path and message: errors are exactly as before, and cost what they cost before. The trusted
path may refuse more than the checked path (a refused valid document is only read slower), never
less; tests hold it to building the same catalogue as the checked path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

import attrs

from libkurs.formats._converter import _ZONES, _zone
from libkurs.model import (
    AgendaItem,
    Catalogue,
    EnrolmentSettings,
    Event,
    EventKind,
    Link,
    LocalizedText,
    Location,
    OnlineRoom,
    Organisation,
    PartOfDay,
    Period,
    Person,
    Programme,
    Publication,
    Run,
    Session,
    Status,
    Venue,
)
from libkurs.model._checks import _CONTROL, _ID, _LANGUAGE_TAG, EARLIEST, LATEST, URL_SCHEMES
from libkurs.model._places import Address, Geo
from libkurs.model._time import local_days

__all__ = ["Untrusted", "trusted_catalogue"]

Reader = Callable[[Any], Any]


class Untrusted(Exception):  # noqa: N818 - a signal to take the checked path, not an error
    """The trusted path does not accept a value: read the document on the checked path."""


_new = object.__new__
_fromisoformat = datetime.fromisoformat
_set = object.__setattr__
_MIDNIGHT: Final = datetime.min.time()
_MOVED: Final = frozenset({Status.RESCHEDULED, Status.POSTPONED})


def _text(value: Any) -> str:
    # check_text: not empty or only whitespace (isspace() is strip()'s whitespace, without a
    # copy), no control character and no lone surrogate.
    if type(value) is not str or not value or value.isspace() or _CONTROL.search(value):
        raise Untrusted
    return value


def _identifier(value: Any) -> str:
    if type(value) is not str or not _ID.fullmatch(value) or ".." in value:
        raise Untrusted
    return value


def _language(value: Any) -> str:
    if type(value) is not str or not _LANGUAGE_TAG.fullmatch(value):
        raise Untrusted
    return value


# A URL of this shape passes check_url without asking urlsplit: scheme http or https in lower
# case, a non-empty network location, no whitespace (urlsplit would find the same scheme and
# location). Any other URL is checked by check_url's own steps.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#]\S*)?")


def _url(value: str) -> str:  # any JSON value: _text checks that it is a str
    _text(value)
    if _PLAIN_URL.fullmatch(value):
        return value
    if any(c.isspace() for c in value):
        raise Untrusted
    parts = urlsplit(value)
    if parts.scheme not in URL_SCHEMES or not parts.netloc:
        raise Untrusted
    return value


def _email(value: str) -> str:  # any JSON value: _text checks that it is a str
    _text(value)
    local, at, domain = value.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in value):
        raise Untrusted
    return value


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise Untrusted
    return value


def _bool(value: Any) -> bool:
    if value is not True and value is not False:
        raise Untrusted
    return value


def _moment(value: Any) -> datetime:
    """The converter's datetime reading and check_aware's rule, in one pass.

    It accepts what ``parse_datetime`` accepts, or less: the text before an optional
    ``[zone]`` (or ``[!zone]``) read by :meth:`datetime.fromisoformat` with its offset, the
    zone's offset the same at that instant; then the offset in whole seconds and the instant
    between EARLIEST and LATEST. A datetime put in its zone comes from ``astimezone``, whose
    wall clock always exists there: check_aware's round trip through UTC cannot fail for it.
    """
    if type(value) is not str:
        raise Untrusted
    text, bracket, zone_name = value.partition("[")
    moment = _fromisoformat(text)
    offset = moment.utcoffset()
    if offset is None or offset.microseconds:
        raise Untrusted
    # An offset is less than a day: a year from 2 to 9998 is inside the range in any zone.
    if not 1 < moment.year < 9999 and not EARLIEST <= moment <= LATEST:
        raise Untrusted
    if not bracket:
        return moment
    if zone_name[-1:] != "]":
        raise Untrusted
    zone_name = zone_name[:-1].removeprefix("!")
    zone = _ZONES.get(zone_name)
    if zone is None:
        zone = _zone(zone_name, value)  # an unknown zone raises: the checked path names it
    local = moment.astimezone(zone)
    if local.utcoffset() != offset or "]" in zone_name or not zone_name:
        raise Untrusted
    return local


def _enum(kind: type[Status | Publication | EventKind | PartOfDay]) -> Reader:
    members: dict[str, Any] = {member.value: member for member in kind}

    def read(value: Any) -> Any:
        if type(value) is not str:
            raise Untrusted
        return members[value]  # an unknown value raises KeyError: the checked path names it

    return read


def _localized(value: Any) -> LocalizedText:
    if type(value) is not dict or not value:
        raise Untrusted
    for tag, text in value.items():
        if tag not in _TAGS_SEEN:
            _language(tag)
            if len(_TAGS_SEEN) < 1000:
                _TAGS_SEEN.add(tag)
        if type(text) is not str or not text or text.isspace() or _CONTROL.search(text):
            raise Untrusted
    text = _new(LocalizedText)
    # The dict is the decoder's own, referenced from nowhere else: no copy is needed to freeze it.
    _set(text, "texts", MappingProxyType(value))
    return text


#: Language tags already found valid (a load meets the same few thousands of times).
_TAGS_SEEN: set[str] = set()


def _localized_part(value: Any) -> LocalizedText:
    # An address part may be a plain string, text of no known language (see Address).
    if type(value) is str:
        return _localized({LocalizedText.UNDETERMINED: value})
    return _localized(value)


def _period(value: Any) -> Period:
    if type(value) is not str:
        raise Untrusted
    return Period.parse(value)  # rare: built and checked as the checked path builds it


def _coordinate(limit: float) -> Reader:
    def read(value: Any) -> float:
        kind = type(value)
        if kind is not float and kind is not int:
            raise Untrusted
        number = float(value)
        if math.isnan(number) or not -limit <= number <= limit:
            raise Untrusted
        return number

    return read


def _tuple(read: Reader) -> Reader:
    def read_tuple(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Untrusted
        return tuple([read(item) for item in value])

    return read_tuple


def _unique(read: Reader) -> Reader:
    def read_unique(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Untrusted
        items = tuple([read(item) for item in value])
        if len(set(items)) != len(items):
            raise Untrusted
        return items

    return read_unique


_MISSING: Final = object()


def _structure(
    kind: type[Any], readers: Mapping[str, Reader], check: Callable[[Any], object] | None = None
) -> Reader:
    """A reader that builds *kind* from a JSON object, each key read by its reader.

    The reader is generated, one straight line per field, as attrs generates ``__init__``. A
    field whose default is None may be null or missing (all are typed ``X | None``: checked
    here); *readers* gives the reader of its value when it is not null.
    """
    fields = [field for field in attrs.fields(kind) if field.init]
    if {field.name for field in fields} != set(readers):
        raise AssertionError(f"the trusted readers of {kind.__name__} do not match its fields")
    namespace: dict[str, Any] = {
        "Untrusted": Untrusted,
        "_new": _new,
        "_set": _set,
        "kind": kind,
        "known": frozenset(readers),
        "check": check,
        "MISSING": _MISSING,
    }
    lines = [
        "def read(value):",
        "    if type(value) is not dict or not value.keys() <= known:",
        "        raise Untrusted",
        "    get = value.get",
        "    instance = _new(kind)",
    ]
    for number, field in enumerate(fields):
        name, reader, default = field.name, f"read_{number}", field.default
        namespace[reader] = readers[name]
        if default is attrs.NOTHING:  # required: a missing key raises KeyError
            lines.append(f"    _set(instance, {name!r}, {reader}(value[{name!r}]))")
        elif default is None:
            if "None" not in str(field.type):
                raise AssertionError(f"{kind.__name__}.{name} defaults to None but is no Optional")
            lines.append(f"    raw = get({name!r})")
            lines.append(f"    _set(instance, {name!r}, None if raw is None else {reader}(raw))")
        else:
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type] # a class at run time, a function in attrs' stubs
                raise AssertionError(f"{kind.__name__}.{name} has a default factory")
            namespace[f"default_{number}"] = default
            lines.append(f"    raw = get({name!r}, MISSING)")
            value = f"default_{number} if raw is MISSING else {reader}(raw)"
            lines.append(f"    _set(instance, {name!r}, {value})")
    if check is not None:
        lines.append("    check(instance)")
    lines.append("    return instance")
    exec(compile("\n".join(lines), f"<trusted reader of {kind.__name__}>", "exec"), namespace)  # noqa: S102 - our own text, as attrs does
    read: Reader = namespace["read"]
    return read


def _instant(moment: datetime) -> datetime:
    """*moment*, comparable as the instant it is with any other datetime of the load.

    Two datetimes of the same zone object compare by wall clock, fold ignored; the wall clock
    orders instants exactly, except in the hour repeated when summer time ends, whose second
    pass has ``fold=1``. Only those are moved to UTC (the model's checks compare all in UTC).
    """
    return moment.astimezone(UTC) if moment.fold else moment


def _later(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and _instant(end) <= _instant(start):
        raise Untrusted


def _check_status(offering: Any) -> None:
    if (offering.previous_start is not None) != (offering.status in _MOVED):
        raise Untrusted


def _check_agenda_item(item: AgendaItem) -> None:
    _later(item.start, item.end)


def _check_session(session: Session) -> None:
    start, end = _instant(session.start), _instant(session.end)
    if end <= start:
        raise Untrusted
    if session.all_day and (session.start.time() != _MIDNIGHT or session.end.time() != _MIDNIGHT):
        raise Untrusted
    if session.part_of_day is not None:
        if not session.all_day:
            raise Untrusted
        first, last = local_days(session.start, session.end, all_day=True)
        if first != last:
            raise Untrusted
    for item in session.agenda:
        for moment in (item.start, item.end):
            if moment is not None and not start <= _instant(moment) <= end:
                raise Untrusted
    _check_status(session)


def _check_location(location: Location) -> None:
    if location.venue is None and location.online is None:
        raise Untrusted


def _check_offering(offering: Event | Programme) -> None:
    _check_status(offering)
    if isinstance(offering, Event):
        offering.__attrs_post_init__()


_ids = _unique(_identifier)
_languages = _unique(_language)

_link = _structure(Link, {"url": _url, "title": _localized})
_online_room = _structure(
    OnlineRoom,
    {"platform": _text, "join_url": _url, "access_note": _text},
)
_location = _structure(
    Location,
    {"venue": _identifier, "online": _online_room},
    _check_location,
)
_agenda_item = _structure(
    AgendaItem,
    {
        "title": _localized,
        "start": _moment,
        "end": _moment,
        "description": _localized,
        "speakers": _ids,
        "languages": _languages,
    },
    _check_agenda_item,
)
_session = _structure(
    Session,
    {
        "id": _identifier,
        "start": _moment,
        "end": _moment,
        "all_day": _bool,
        "part_of_day": _enum(PartOfDay),
        "title": _localized,
        "description": _localized,
        "status": _enum(Status),
        "previous_start": _moment,
        "location": _location,
        "agenda": _tuple(_agenda_item),
        "revision": _count,
        "modified": _moment,
    },
    _check_session,
)
_enrolment = _structure(
    EnrolmentSettings,
    {
        "required": _bool,
        "approval": _bool,
        "session_choice": _bool,
        "opens": _moment,
        "closes": _moment,
        "closes_whole_day": _bool,
        "capacity": _count,
        "minimum": _count,
        "waiting_list": _count,
        "capacity_on_site": _count,
        "capacity_remote": _count,
        "url": _url,
        "note": _localized,
    },
    EnrolmentSettings.__attrs_post_init__,
)
_run = _structure(
    Run,
    {
        "id": _identifier,
        "sessions": _ids,
        "period": _period,
        "title": _localized,
        "enrolment": _enrolment,
    },
)
_OFFERING: dict[str, Reader] = {
    "id": _identifier,
    "title": _localized,
    "summary": _localized,
    "description": _localized,
    "status": _enum(Status),
    "previous_start": _moment,
    "publication": _enum(Publication),
    "period": _period,
    "languages": _languages,
    "keywords": _tuple(_localized),
    "audience": _localized,
    "open_to_all": _bool,
    "organisers": _ids,
    "contacts": _ids,
    "links": _tuple(_link),
    "url": _url,
    "price": _localized,
    "free_of_charge": _bool,
    "enrolment": _enrolment,
    "revision": _count,
    "modified": _moment,
    "internal_note": _text,
}
_event = _structure(
    Event,
    {
        **_OFFERING,
        "kind": _enum(EventKind),
        "sessions": _tuple(_session),
        "runs": _tuple(_run),
        "location": _location,
        "speakers": _ids,
        "recorded": _bool,
    },
    _check_offering,
)
_programme = _structure(Programme, {**_OFFERING, "modules": _ids}, _check_offering)
_organisation = _structure(
    Organisation,
    {
        "id": _identifier,
        "name": _localized,
        "abbreviation": _localized,
        "url": _url,
    },
)
_person = _structure(
    Person,
    {
        "id": _identifier,
        "name": _text,
        "title": _localized,
        "organisation": _identifier,
        "email": _email,
        "phone": _text,
        "url": _url,
    },
)
_address = _structure(
    Address,
    {
        "street": _localized_part,
        "postal_code": _text,
        "locality": _localized_part,
        "region": _localized_part,
        "country": _text,
    },
)
_geo = _structure(Geo, {"latitude": _coordinate(90), "longitude": _coordinate(180)})
_venue = _structure(
    Venue,
    {
        "id": _identifier,
        "name": _localized,
        "address": _address,
        "geo": _geo,
        "url": _url,
    },
)
_catalogue = _structure(
    Catalogue,
    {
        "name": _localized,
        "id": _identifier,
        "publisher": _identifier,
        "events": _tuple(_event),
        "programmes": _tuple(_programme),
        "organisations": _tuple(_organisation),
        "people": _tuple(_person),
        "venues": _tuple(_venue),
    },
    Catalogue.__attrs_post_init__,
)


def trusted_catalogue(body: Mapping[str, Any]) -> Catalogue:
    """Build the catalogue of a document's *body* on the trusted path.

    Raises:
        Untrusted: or any other exception: a value it does not accept. Read *body* on the
            checked path then, which names the problem (or accepts what this path refused).
    """
    catalogue: Catalogue = _catalogue(body)
    return catalogue
