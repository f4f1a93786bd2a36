"""Round trips through the native JSON format, and what its reader does with broken documents."""

from __future__ import annotations

import functools
import json
import re
import types
import typing
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import libkurs
from libkurs import Catalogue, Event, LocalizedText, PartialDate, Period, Session
from libkurs.errors import DataError, FormatError
from strategies import catalogues

ROOT = Path(__file__).resolve().parent.parent

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- walking model values and documents -----------------------------------------------------


def model_datetimes(value: object, path: str = "") -> Iterator[tuple[str, datetime]]:
    """Every datetime in a model value, with its field path, in field order."""
    if isinstance(value, datetime):
        yield path, value
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from model_datetimes(item, f"{path}[{index}]")
    elif attrs.has(type(value)) and not isinstance(value, LocalizedText):
        for field in attrs.fields(type(value)):
            if field.init:
                name = f"{path}.{field.name}" if path else field.name
                yield from model_datetimes(getattr(value, field.name), name)


Step = str | int
HEADERS: dict[str, type] = {"format": str, "version": int}
#: attrs classes that the format writes as strings, not objects.
STRING_VALUED = frozenset({PartialDate, Period})
#: The kind of an address part written as a plain string (text of no known language), where a
#: text object is valid too.
PLAIN_TEXT = "plain text or a text object"


@attrs.frozen
class Node:
    """One value in a native JSON document, with what the reader expects there."""

    path: tuple[Step, ...]
    kind: typing.Any
    """The type the reader structures this value into (``X`` for ``X | None``)."""
    nullable: bool
    """Whether ``null`` is a valid value here."""
    required: bool
    """Whether the key may not be left out (for members of objects)."""
    in_text: bool
    """Whether this is one language of a LocalizedText object."""
    value: typing.Any


def path_text(path: tuple[Step, ...]) -> str:
    """A path the way DataError.path spells it: ``events[0].sessions[1].end``."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text


@functools.cache
def _hints(kind: type) -> dict[str, typing.Any]:
    return typing.get_type_hints(kind)


def _unwrap_optional(kind: typing.Any) -> tuple[typing.Any, bool]:
    if typing.get_origin(kind) in {typing.Union, types.UnionType}:
        args = typing.get_args(kind)
        if type(None) in args:
            rest = [arg for arg in args if arg is not type(None)]
            assert len(rest) == 1
            return rest[0], True
    return kind, False


def document_nodes(document: dict[str, typing.Any]) -> Iterator[Node]:
    """Every value of a native JSON document, the root first, typed by the model."""
    yield from _nodes(document, Catalogue, (), nullable=False, required=True, in_text=False)


def _nodes(
    value: typing.Any,
    kind: typing.Any,
    path: tuple[Step, ...],
    *,
    nullable: bool,
    required: bool,
    in_text: bool,
) -> Iterator[Node]:
    if kind is LocalizedText and isinstance(value, str):
        kind = PLAIN_TEXT
    yield Node(
        path=path, kind=kind, nullable=nullable, required=required, in_text=in_text, value=value
    )
    if kind is LocalizedText:
        for tag, text in value.items():
            yield from _nodes(
                text, str, (*path, tag), nullable=False, required=len(value) == 1, in_text=True
            )
    elif isinstance(kind, type) and attrs.has(kind) and kind not in STRING_VALUED:
        fields = attrs.fields_dict(kind)
        for key, item in value.items():
            if not path and key in HEADERS:
                yield from _nodes(
                    item, HEADERS[key], (key,), nullable=False, required=True, in_text=False
                )
                continue
            inner, optional = _unwrap_optional(_hints(kind)[key])
            yield from _nodes(
                item,
                inner,
                (*path, key),
                nullable=optional,
                required=fields[key].default is attrs.NOTHING,
                in_text=False,
            )
    elif typing.get_origin(kind) is tuple:
        item_kind = typing.get_args(kind)[0]
        for index, item in enumerate(value):
            yield from _nodes(
                item, item_kind, (*path, index), nullable=False, required=True, in_text=False
            )


# --- mutations --------------------------------------------------------------------------------


def json_category(value: object) -> str:
    """The JSON type of a decoded value: null, boolean, number, string, array or object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


VALUES_OF_CATEGORY: dict[str, st.SearchStrategy[typing.Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "number": st.integers(-3, 3) | st.floats(allow_nan=False, allow_infinity=False),
    "string": st.text(max_size=4),
    "array": st.lists(st.integers(0, 3), max_size=2),
    "object": st.dictionaries(st.sampled_from(["id", "x_unknown"]), st.integers(0, 3), max_size=1),
}

#: Keys that name no field of any model class and are no language tag.
UNKNOWN_KEYS = ("x_unknown", "_index", "Title", "sessionz", "ID")


@attrs.frozen
class Mutation:
    """A valid document broken in one place."""

    description: str
    text: str
    must_fail: bool
    """Whether the change alone makes the document invalid (else it may still be valid)."""
    expected_path: str
    """The path a DataError about this change should name."""


def _container(document: typing.Any, path: tuple[Step, ...]) -> typing.Any:
    for step in path:
        document = document[step]
    return document


@st.composite
def mutations(draw: st.DrawFn, *, within_events: bool = False) -> Mutation:
    """A generated catalogue's document with one key dropped, one added, or one value retyped."""
    catalogue = draw(catalogues(min_events=1 if within_events else 0))
    document = json.loads(libkurs.dumps(catalogue, "json"))
    candidates = list(document_nodes(document))
    if within_events:
        candidates = [n for n in candidates if n.path[:1] == ("events",) and len(n.path) > 1]
    operation = draw(st.sampled_from(["drop", "add", "replace"]))
    if operation == "drop":
        node = draw(
            st.sampled_from([n for n in candidates if n.path and isinstance(n.path[-1], str)])
        )
        del _container(document, node.path[:-1])[node.path[-1]]
        parent = node.path[:-1] if node.in_text else node.path
        must_fail, expected = node.required, path_text(parent)
        description = f"dropped {path_text(node.path)}"
    elif operation == "add":
        node = draw(st.sampled_from([n for n in candidates if isinstance(n.value, dict)]))
        key = draw(st.sampled_from(UNKNOWN_KEYS))
        added = draw(st.one_of(*VALUES_OF_CATEGORY.values()))
        _container(document, node.path)[key] = added
        must_fail = True
        # In a text object the unknown key reads as a language: a bad tag (the object's path)
        # or a non-string text (the key's path).
        expected = path_text(node.path)
        if node.kind is LocalizedText and not isinstance(added, str):
            expected = path_text((*node.path, key))
        description = f"added {key!r} to {path_text(node.path) or 'the document'}"
    else:
        node = draw(st.sampled_from([n for n in candidates if n.path]))
        category = draw(
            st.sampled_from(
                [
                    c
                    for c in VALUES_OF_CATEGORY
                    if c != json_category(node.value)
                    and not (node.kind is PLAIN_TEXT and c == "object")
                ]
            )
        )
        replacement = draw(VALUES_OF_CATEGORY[category])
        _container(document, node.path[:-1])[node.path[-1]] = replacement
        must_fail = not (replacement is None and node.nullable)
        expected = path_text(node.path)
        description = (
            f"replaced {path_text(node.path)} ({json_category(node.value)}) with {replacement!r}"
        )
    return Mutation(
        description=description,
        text=json.dumps(document, ensure_ascii=False),
        must_fail=must_fail,
        expected_path=expected,
    )


def load_mutated(mutation: Mutation) -> DataError | None:
    """Read a mutated document: the DataError it raises, or None when it reads."""
    try:
        libkurs.loads(mutation.text, "json")
    except DataError as error:
        return error
    # Any other exception escapes here and fails the test with its traceback.
    return None


# --- round trips ------------------------------------------------------------------------------


@PROPERTY
@given(catalogues())
def test_loads_inverts_dumps(catalogue: Catalogue) -> None:
    """Reading what dumps wrote gives back an equal catalogue."""
    assert libkurs.loads(libkurs.dumps(catalogue, "json"), "json") == catalogue


@PROPERTY
@given(catalogues())
def test_dumps_is_byte_stable_across_a_round_trip(catalogue: Catalogue) -> None:
    """Writing a catalogue that was read back gives the very same text."""
    text = libkurs.dumps(catalogue, "json")
    assert libkurs.dumps(libkurs.loads(text, "json"), "json") == text


@PROPERTY
@given(catalogues())
def test_round_trip_keeps_every_datetime_zone_and_offset(catalogue: Catalogue) -> None:
    """Every datetime read back has the zone key, offset, fold and wall time it was written with."""
    back = libkurs.loads(libkurs.dumps(catalogue, "json"), "json")
    written, read = list(model_datetimes(catalogue)), list(model_datetimes(back))
    assert [path for path, _ in read] == [path for path, _ in written]
    for (path, before), (_, after) in zip(written, read, strict=True):
        assert after == before, path
        assert getattr(after.tzinfo, "key", None) == getattr(before.tzinfo, "key", None), path
        assert type(after.tzinfo) is type(before.tzinfo), path
        assert after.utcoffset() == before.utcoffset(), path
        assert after.fold == before.fold, path
        assert after.replace(tzinfo=None) == before.replace(tzinfo=None), path


_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(?:\[[^\]]+\])?")


@PROPERTY
@given(catalogues())
def test_every_written_datetime_carries_an_offset(catalogue: Catalogue) -> None:
    """No datetime in the JSON is naive: each string ends in a UTC offset, perhaps with a zone."""
    document = json.loads(libkurs.dumps(catalogue, "json"))
    strings = [n.value for n in document_nodes(document) if n.kind is datetime]
    assert len(strings) == len(list(model_datetimes(catalogue)))
    for text in strings:
        moment = datetime.fromisoformat(text.partition("[")[0])
        assert moment.tzinfo is not None, text
        assert _OFFSET.search(text[19:]) is not None, text


def test_example_catalogue_is_written_as_it_was_read() -> None:
    """The shipped example catalogue reads and writes back byte for byte."""
    text = (ROOT / "examples" / "catalogue.json").read_text(encoding="utf-8")
    assert libkurs.dumps(libkurs.loads(text, "json"), "json") == text


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2023, 11, 5, 6, 30, tzinfo=UTC).astimezone(ZoneInfo("America/New_York")),
        datetime(2023, 10, 29, 1, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/Helsinki")),
        datetime(2023, 10, 29, 0, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/Helsinki")),
        datetime(1900, 1, 1, tzinfo=ZoneInfo("Europe/Helsinki")),
        datetime(2023, 2, 1, 12, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2023, 2, 1, 12, tzinfo=ZoneInfo("UTC")),
        datetime(2023, 2, 1, 12, tzinfo=UTC),
    ],
    ids=[
        "new-york-fold-1",
        "helsinki-fold-1",
        "helsinki-fold-0",
        "helsinki-lmt",
        "fixed",
        "zone-utc",
        "utc",
    ],
)
def test_session_times_round_trip_exactly(moment: datetime) -> None:
    """Ambiguous, historical and fixed-offset times come back as the same wall time and zone."""
    session = Session(id="s1", start=moment, end=moment + timedelta(minutes=30))
    catalogue = Catalogue(
        events=[Event(id="e1", title=LocalizedText({"sv": "x"}), sessions=[session])]
    )
    text = libkurs.dumps(catalogue, "json")
    back = libkurs.loads(text, "json").events[0].sessions[0]
    assert (back.start.isoformat(), back.start.fold) == (moment.isoformat(), moment.fold)
    assert getattr(back.start.tzinfo, "key", None) == getattr(moment.tzinfo, "key", None)
    assert libkurs.dumps(libkurs.loads(text, "json"), "json") == text


# --- broken documents -------------------------------------------------------------------------


@PROPERTY
@given(mutations())
def test_broken_document_raises_only_data_errors(mutation: Mutation) -> None:
    """A dropped key, an unknown key or a wrong JSON type raises a DataError, never a raw error."""
    error = load_mutated(mutation)
    if mutation.must_fail:
        assert error is not None, mutation.description
        assert isinstance(error.path, str), mutation.description


@PROPERTY
@given(mutations(within_events=True))
def test_broken_event_error_names_the_path(mutation: Mutation) -> None:
    """An error about a broken key or type inside an event names the field path where it is."""
    error = load_mutated(mutation)
    if mutation.must_fail:
        assert error is not None, mutation.description
        assert error.path, mutation.description
        assert error.path == mutation.expected_path, mutation.description


# --- inputs that once slipped through -----------------------------------------------------------

HEADER = '{"format": "libkurs.catalogue", "version": 1, '


def test_integer_too_long_to_convert_raises_a_format_error() -> None:
    """A JSON integer longer than Python's int conversion limit is refused with a FormatError."""
    text = HEADER + '"events": [{"id": "e", "title": {"sv": "x"}, "revision": ' + "1" * 5000 + "}]}"
    with pytest.raises(FormatError):
        libkurs.loads(text, "json")


@pytest.mark.parametrize(
    "period", ["２０２３", "٢٠٢٣-٠٨", "2023/２０２４"], ids=["full-width", "arabic-indic", "mixed"]
)
def test_period_with_non_ascii_digits_is_refused(period: str) -> None:
    """A period is written in ASCII digits: full-width or Arabic-Indic digits are refused."""
    text = HEADER + f'"events": [{{"id": "e", "title": {{"sv": "x"}}, "period": "{period}"}}]}}'
    with pytest.raises(DataError):
        libkurs.loads(text, "json")


def test_text_with_a_lone_surrogate_is_refused() -> None:
    """Text that no UTF-8 file can hold (a lone surrogate, escaped in JSON) is refused."""
    text = HEADER + '"name": {"sv": "a\\ud800b"}}'
    with pytest.raises(DataError):
        libkurs.loads(text, "json")
