"""The one cattrs converter that turns model values into JSON-ready data and back.

Every wire decision of libkurs' JSON lives here, and only here:

- datetimes are RFC 9557 strings: ISO 8601 with the UTC offset, then the IANA zone name in
  brackets when the datetime has one (``2023-02-01T12:00:00+02:00[Europe/Helsinki]``); a datetime
  with only an offset is written with only the offset. Reading needs the offset (naive times are
  refused) and checks that offset and zone agree;
- enums are written by value (``"study_visit"``);
- :class:`~libkurs.LocalizedText` is an object of language tag to text (``{"sv": …, "fi": …}``);
  the parts of an :class:`~libkurs.Address` (street, locality, region) may also be a plain string,
  as they were before they could be localized: text of no known language (tag ``und``), which
  is written back as that plain string;
- :class:`~libkurs.PartialDate` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, and
  :class:`~libkurs.Period` the same or an ISO 8601 interval of them (``2023/2024``);
- tuples are arrays; attrs classes are objects keyed by attribute name, fields at their default
  value are left out;
- reading is strict: an unknown key, a missing key or a value of the wrong JSON type is an error
  (no ``"3"`` for 3, no string for an array), and every error names its path.

The native catalogue format reads and writes through two faster paths that follow these
decisions without this converter: ``libkurs.formats._trusted`` (a load that checks each value
once, and hands any document it does not accept back to :func:`structure` here, for the error)
and ``libkurs.formats._native_writer`` (the indented text). Tests hold both to this converter.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, TypeVar, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from libkurs.errors import DataError, FormatError
from libkurs.model import Address, LocalizedText, PartialDate, Period

__all__ = ["make_converter", "shared_converter", "structure"]

T = TypeVar("T")

_BRACKETED_ZONE = re.compile(r"(?P<moment>[^\[]+)(?:\[!?(?P<zone>[^\]]+)\])?")

_JSON_TYPES: dict[type, str] = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    list: "an array",
    dict: "an object",
    type(None): "null",
}


def json_type(value: object) -> str:
    """Name the JSON type of *value* for an error message."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _expect(value: object, kind: type | tuple[type, ...], wanted: str) -> None:
    if not isinstance(value, kind) or (
        isinstance(value, bool) and kind in (int, float, (int, float))
    ):
        raise FormatError(f"expected {wanted}, got {json_type(value)}")


def format_datetime(moment: datetime) -> str:
    """``moment`` as an RFC 9557 string: ISO 8601 with offset, and the zone name if it has one."""
    text = moment.isoformat()
    key = getattr(moment.tzinfo, "key", None)
    return f"{text}[{key}]" if isinstance(moment.tzinfo, ZoneInfo) and key else text


def _invalid_datetime(value: str) -> FormatError:
    return FormatError(
        f"invalid date and time {value!r}: expected ISO 8601 such as "
        "2023-02-01T12:00:00+02:00[Europe/Helsinki]"
    )


_ZONES: dict[str, ZoneInfo] = {}


def _zone(name: str, value: str) -> ZoneInfo:
    # ZoneInfo caches too, but behind a call and a weak cache: a load asks for the same few
    # zones tens of thousands of times.
    zone = _ZONES.get(name)
    if zone is None:
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise FormatError(f"unknown time zone {name!r} in {value!r}") from None
        _ZONES[name] = zone
    return zone


def parse_datetime(value: object) -> datetime:
    """Read an RFC 9557 / ISO 8601 datetime string; it must carry a UTC offset."""
    _expect(value, str, "a date and time as a string")
    assert isinstance(value, str)
    match = _BRACKETED_ZONE.fullmatch(value)
    if match is None:
        raise _invalid_datetime(value)
    try:
        moment = datetime.fromisoformat(match["moment"])
    except ValueError:
        raise _invalid_datetime(value) from None
    if moment.tzinfo is None:
        raise FormatError(f"naive date and time {value!r}: add its UTC offset, such as +02:00")
    zone_name = match["zone"]
    if zone_name is None:
        return moment
    zone = _zone(zone_name, value)
    local = moment.astimezone(zone)
    # The same instant: its wall clock in the zone is the one written exactly when the offsets
    # agree (comparing offsets is cheaper than comparing two naive copies).
    if local.utcoffset() != moment.utcoffset():
        raise FormatError(
            f"offset and zone disagree in {value!r}: that moment in {zone_name} "
            f"is {local.isoformat()}"
        )
    return local


def _structure_localized(value: object, _type: type) -> LocalizedText:
    _expect(value, dict, 'an object of language tags to text, such as {"sv": "…"}')
    assert isinstance(value, dict)
    for tag, text in value.items():
        if not isinstance(text, str):
            error = FormatError(f"expected a string, got {json_type(text)}")
            error.within(str(tag))
            raise error
    return LocalizedText(value)


def _structure_localized_or_plain(value: object, _type: type) -> LocalizedText | str | None:
    # Address parts: a plain string is the older form, text of no known language; the model's
    # converter makes it a LocalizedText.
    if value is None or isinstance(value, str):
        return value
    return _structure_localized(value, LocalizedText)


def _unstructure_localized_or_plain(text: LocalizedText | None) -> object:
    if text is None:
        return None
    if text.languages == (LocalizedText.UNDETERMINED,):
        return text.texts[LocalizedText.UNDETERMINED]
    return dict(text.texts)


def _structure_str(value: object, _type: type) -> str:
    _expect(value, str, "a string")
    assert isinstance(value, str)
    return value


def _structure_int(value: object, _type: type) -> int:
    _expect(value, int, "an integer")
    assert isinstance(value, int)
    return value


def _structure_float(value: object, _type: type) -> float:
    _expect(value, (int, float), "a number")
    assert isinstance(value, int | float)
    return float(value)


def _structure_bool(value: object, _type: type) -> bool:
    _expect(value, bool, "true or false")
    assert isinstance(value, bool)
    return value


def _structure_partial_date(value: object, _type: type) -> PartialDate:
    _expect(value, str, 'a date such as "2023", "2023-08" or "2023-08-15"')
    assert isinstance(value, str)
    return PartialDate.parse(value)


def _structure_period(value: object, _type: type) -> Period:
    _expect(value, str, 'a period such as "2023-08" or "2023/2024"')
    assert isinstance(value, str)
    return Period.parse(value)


def _structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    allowed = ", ".join(str(member.value) for member in kind)
    _expect(value, str, f"one of: {allowed}")
    try:
        return kind(value)
    except ValueError:
        raise FormatError(f"unknown value {value!r}; expected one of: {allowed}") from None


_PRIMITIVES: dict[type, Callable[[object, type], object]] = {
    str: _structure_str,
    int: _structure_int,
    float: _structure_float,
    bool: _structure_bool,
}


def _structure_primitive(value: object, kind: type) -> object:
    # cattrs dispatches str, int and their subclasses here (singledispatch), StrEnums included.
    if issubclass(kind, enum.Enum):
        return _structure_enum(value, kind)
    return _PRIMITIVES[kind](value, kind)


def _is_homogeneous_tuple(kind: Any) -> bool:
    args = get_args(kind)
    return get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(
    converter: cattrs.Converter, kind: Any
) -> Callable[[object, type], tuple[Any, ...]]:
    item_type = get_args(kind)[0]
    structure_item = converter.get_structure_hook(item_type)

    def structure_tuple(value: object, _type: type) -> tuple[Any, ...]:
        _expect(value, list, "an array")
        assert isinstance(value, list)
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                items.append(structure_item(item, item_type))
            except (ValueError, TypeError, KeyError, AttributeError, ExceptionGroup) as error:
                error.add_note(IterableValidationNote(f"index {index}", index, item_type))
                errors.append(error)
        if errors:
            raise IterableValidationError(f"While structuring {kind}", errors, kind)
        return tuple(items)

    return structure_tuple


def _attrs_hook(converter: cattrs.Converter, kind: type) -> Callable[[object, type], object]:
    structure_fields: Callable[[Mapping[str, Any], Any], object]
    if kind is Address:
        plain = override(struct_hook=_structure_localized_or_plain)
        structure_fields = make_dict_structure_fn(
            kind, converter, street=plain, locality=plain, region=plain
        )
    else:
        structure_fields = make_dict_structure_fn(kind, converter)

    def structure_object(value: object, _type: type) -> object:
        _expect(value, dict, "an object")
        assert isinstance(value, dict)
        return structure_fields(value, kind)

    return structure_object


def make_converter() -> cattrs.Converter:
    """A new converter configured with every wire decision listed in this module's docstring."""
    converter = cattrs.Converter(
        forbid_extra_keys=True, omit_if_default=True, detailed_validation=True
    )
    converter.register_unstructure_hook(datetime, format_datetime)
    converter.register_structure_hook(datetime, lambda value, _: parse_datetime(value))
    converter.register_unstructure_hook(LocalizedText, lambda text: dict(text.texts))
    converter.register_structure_hook(LocalizedText, _structure_localized)
    converter.register_unstructure_hook(PartialDate, str)
    converter.register_structure_hook(PartialDate, _structure_partial_date)
    converter.register_unstructure_hook(Period, str)
    converter.register_structure_hook(Period, _structure_period)
    # cattrs dispatches str, int, float and their subclasses (str-based enums too) by
    # singledispatch, before any predicate: replace those registrations with strict ones.
    for kind in _PRIMITIVES:
        converter.register_structure_hook(kind, _structure_primitive)
    converter.register_structure_hook(enum.Enum, _structure_enum)
    converter.register_unstructure_hook(enum.Enum, lambda member: member.value)
    converter.register_structure_hook_factory(
        _is_homogeneous_tuple, lambda kind: _tuple_hook(converter, kind)
    )
    converter.register_structure_hook_factory(
        lambda kind: isinstance(kind, type) and attrs.has(kind) and kind is not LocalizedText,
        lambda kind: _attrs_hook(converter, kind),
    )
    converter.register_unstructure_hook(
        Address,
        make_dict_unstructure_fn(
            Address,
            converter,
            _cattrs_omit_if_default=True,
            street=override(unstruct_hook=_unstructure_localized_or_plain),
            locality=override(unstruct_hook=_unstructure_localized_or_plain),
            region=override(unstruct_hook=_unstructure_localized_or_plain),
        ),
    )
    return converter


@functools.cache
def shared_converter() -> cattrs.Converter:
    """The converter every native document (catalogue, register) is read and written with.

    Made once, on first use. Do not register hooks on it: make your own with
    :func:`make_converter`.
    """
    return make_converter()


def _leaves(error: BaseException, path: str = "") -> Iterator[tuple[str, BaseException]]:
    """Walk cattrs' exception groups depth first, yielding each leaf error with its path."""
    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            step = (
                f"[{note.index}]" if isinstance(note, IterableValidationNote) else f".{note.name}"
            )
            yield from _leaves(inner, f"{path}{step}")
        for inner in without:
            yield from _leaves(inner, path)
    else:
        yield path, error


def _as_data_error(path: str, error: BaseException) -> DataError:
    path = path.removeprefix(".")
    if isinstance(error, DataError):
        error.within(path)
        return error
    if isinstance(error, ForbiddenExtraKeysError):
        keys = sorted(error.extra_fields)
        names = ", ".join(repr(k) for k in keys)
        return FormatError(
            f"unknown key {names}" if len(keys) == 1 else f"unknown keys {names}", path=path
        )
    if isinstance(error, KeyError):
        return FormatError("required key is missing", path=path)
    return FormatError(f"invalid value ({error})", path=path)


def structure(
    converter: cattrs.Converter, data: Mapping[str, Any], kind: type[T], *, source: str | None
) -> T:
    """Structure *data* into *kind*, raising a libkurs :class:`~libkurs.errors.DataError`.

    The first problem found is raised, with the field path; how many more there were is added
    to its message.
    """
    try:
        return converter.structure(data, kind)
    except DataError as error:
        if error.source is None:
            error.source = source
        raise
    except (ClassValidationError, IterableValidationError) as group:
        leaves = list(_leaves(group))
        first = _as_data_error(*leaves[0])
        if len(leaves) > 1:
            more = len(leaves) - 1
            first.reason += f" (and {more} more problem{'s' if more > 1 else ''})"
            first.args = (first.reason,)
        first.source = first.source or source
        raise first from group
