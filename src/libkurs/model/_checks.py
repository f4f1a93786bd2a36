"""Validators shared by the model classes; each raises ValidationError naming the field."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import attrs

from libkurs.errors import ValidationError

T = TypeVar("T")

_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9_])?")
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# Control characters other than tab and newline have no place in catalogue text: they break
# line-based formats (iCalendar, CSV) and can smuggle properties into them. Lone surrogates
# cannot be written in UTF-8 at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
URL_SCHEMES = frozenset({"http", "https"})
#: The first and the last moment a model datetime may be: two days inside the calendar's ends.
EARLIEST = datetime(1, 1, 3, tzinfo=UTC)
LATEST = datetime(9999, 12, 29, 23, 59, 59, 999999, tzinfo=UTC)


class Strings(Protocol):
    """A collection of strings that is not itself a string: a list or a tuple of ids, say.

    A ``str`` is a sequence of strings too, so ``Sequence[str]`` would let ``languages="sv"``
    through the type checker; ``str.__contains__`` takes only a ``str``, which is what keeps
    it out of this protocol.
    """

    def __contains__(self, value: object, /) -> bool: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...


def tuple_of(items: Iterable[T]) -> tuple[T, ...]:
    """Store any iterable (a list, a generator) as a tuple, but never split a string into one.

    The typed converters below call this: attrs' type-checker plugin reads the type of a field's
    ``__init__`` argument from its converter, so each field gets one named by its element type
    (``Sequence[Event]`` in, ``tuple[Event, ...]`` stored). A ``str`` or ``bytes`` is returned
    as it is, for the field's validator to refuse with its name (``expected tuple, got str``).
    The validators of each field check the items' types at run time.
    """
    if isinstance(items, str | bytes):
        return cast("tuple[T, ...]", items)
    return tuple(items)


def strings(items: Strings) -> tuple[str, ...]:
    """The converter of a field of ids, language tags or other strings."""
    return tuple_of(items)


def type_name(value: object) -> str:
    """Name the type of *value* the way an error message should."""
    return type(value).__name__


def check_type(value: object, expected: type | tuple[type, ...], path: str) -> None:
    """Raise ValidationError unless *value* is an instance of *expected*."""
    # The common case first, and cheaply: a value of exactly the expected type (a load makes
    # hundreds of thousands of these checks). A bool passes only when bool is expected.
    kind = type(value)
    if kind is expected or (kind in expected if isinstance(expected, tuple) else False):
        return
    if isinstance(expected, type):
        expected = (expected,)
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        names = " or ".join(t.__name__ for t in expected)
        raise ValidationError(f"expected {names}, got {type_name(value)}", path=path)


def check_aware(value: object, path: str) -> None:
    """Raise ValidationError unless *value* is a timezone-aware datetime."""
    check_type(value, datetime, path)
    assert isinstance(value, datetime)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"naive datetime {value.isoformat()}: give it a time zone, "
            "for example tzinfo=ZoneInfo('Europe/Helsinki')",
            path=path,
        )
    offset = value.utcoffset()
    if offset is not None and offset.microseconds:
        raise ValidationError(f"UTC offset {offset} is not whole seconds", path=path)
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise ValidationError(f"{value.isoformat()} is out of range", path=path) from None
    if not EARLIEST <= utc <= LATEST:
        # Writers show a time in other zones and end all-day sessions a day later: two days
        # from either end of the calendar, no zone and no day more can leave it.
        raise ValidationError(
            f"{value.isoformat()} is out of range: libkurs takes times from "
            f"{EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d} (UTC)",
            path=path,
        )
    if isinstance(value.tzinfo, ZoneInfo):
        again = value.astimezone(UTC).astimezone(value.tzinfo)
        if again.replace(tzinfo=None) != value.replace(tzinfo=None):
            raise ValidationError(
                f"{value.replace(tzinfo=None).isoformat()} does not exist in {value.tzinfo.key}: "
                "the clocks skip it when summer time begins",
                path=path,
            )


def check_identifier(value: object, path: str) -> None:
    """Raise ValidationError unless *value* is a safe id (letters, digits, ``.``, ``_``, ``-``)."""
    check_type(value, str, path)
    assert isinstance(value, str)
    if not _ID.fullmatch(value) or ".." in value:
        raise ValidationError(
            f"invalid id {value!r}: use 1-128 ASCII letters, digits, '.', '_' and '-', "
            "starting with a letter or digit",
            path=path,
        )


def check_language(value: object, path: str) -> None:
    """Raise ValidationError unless *value* looks like a BCP 47 language tag (``sv``, ``se-FI``)."""
    check_type(value, str, path)
    assert isinstance(value, str)
    if not _LANGUAGE_TAG.fullmatch(value):
        raise ValidationError(
            f"invalid language tag {value!r}: expected BCP 47, such as 'sv', 'fi' or 'sv-FI'",
            path=path,
        )


def check_text(value: object, path: str, *, allow_empty: bool = False) -> None:
    """Raise ValidationError unless *value* is a string without control characters."""
    check_type(value, str, path)
    assert isinstance(value, str)
    if not allow_empty and not value.strip():
        raise ValidationError("must not be empty", path=path)
    if _CONTROL.search(value):
        raise ValidationError("contains a control character or a lone surrogate", path=path)


def check_url(value: object, path: str) -> None:
    """Raise ValidationError unless *value* is an absolute http(s) URL without spaces."""
    check_text(value, path)
    assert isinstance(value, str)
    parts = urlsplit(value)
    if parts.scheme not in URL_SCHEMES or not parts.netloc or any(c.isspace() for c in value):
        raise ValidationError(f"invalid URL {value!r}: expected an absolute http(s) URL", path=path)


def check_count(value: object, path: str) -> None:
    """Raise ValidationError unless *value* is an int of at least zero."""
    check_type(value, int, path)
    assert isinstance(value, int)
    if value < 0:
        raise ValidationError(f"must be zero or more, got {value}", path=path)


Check = Callable[[object, str], None]


def field_check(
    check: Check, *, optional: bool = False
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """Turn a check into an attrs validator that names the field."""

    def validate(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if optional and value is None:
            return
        check(value, attribute.name)

    return validate


def each_check(check: Check) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """Turn a check into an attrs validator for every item of a tuple field."""

    def validate(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_type(value, tuple, attribute.name)
        for index, item in enumerate(value):
            check(item, f"{attribute.name}[{index}]")

    return validate


def instance_check(expected: type | tuple[type, ...]) -> Check:
    """A check that *value* is an instance of *expected*."""

    def check(value: object, path: str) -> None:
        check_type(value, expected, path)

    return check


def each_unique(_instance: Any, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    """Raise ValidationError if a tuple field holds the same item twice."""
    seen: set[object] = set()
    for index, item in enumerate(value):
        if item in seen:
            raise ValidationError(f"{item!r} is listed twice", path=f"{attribute.name}[{index}]")
        seen.add(item)
