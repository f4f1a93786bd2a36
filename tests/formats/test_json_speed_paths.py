"""The fast paths of the native JSON format: the trusted load and the direct indented writer.

Each is held to the path it speeds up: the trusted load builds what the checked path builds
and accepts nothing the checked path refuses; the writer writes the bytes the converter and
``json.dumps(indent=...)`` write.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import libkurs
from libkurs import Catalogue
from libkurs.errors import DataError
from libkurs.formats import native
from libkurs.formats._converter import shared_converter, structure
from libkurs.formats._envelope import read_document, write_document
from libkurs.formats._trusted import Untrusted, trusted_catalogue
from strategies import catalogues

ROOT = Path(__file__).parents[2]
EXAMPLES = [
    ROOT / "examples" / "catalogue.json",
    ROOT / "src" / "libkurs" / "examples" / "catalogue.json",
]

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def body_of(text: str) -> dict[str, Any]:
    """The body of a native document, as the format's reader passes it on."""
    return read_document(
        text, format_name=native.FORMAT_NAME, what="catalogue", versions=(1,), source=None
    )


def checked(body: dict[str, Any]) -> Catalogue:
    """The catalogue of *body* on the checked path: the converter, then the model's validators."""
    return structure(shared_converter(), body, Catalogue, source=None)


def old_dump(catalogue: Catalogue, indent: int | None = 2) -> str:
    """The native text as it was written before the direct writer: unstructure, then json.dumps."""
    return write_document(
        shared_converter().unstructure(catalogue),
        format_name=native.FORMAT_NAME,
        version=native.SCHEMA_VERSION,
        indent=indent,
    )


def seminar_body() -> dict[str, Any]:
    """A small valid body with a session and an agenda item, to edit."""
    return {
        "events": [
            {
                "id": "kurs",
                "title": {"sv": "Kurs"},
                "sessions": [
                    {
                        "id": "kurs-1",
                        "start": "2023-10-29T02:30:00+03:00[Europe/Helsinki]",
                        "end": "2023-10-29T05:00:00+02:00[Europe/Helsinki]",
                        "agenda": [{"title": {"sv": "Kaffe"}}],
                    }
                ],
            }
        ]
    }


# --- the trusted load ---------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=["examples", "package"])
def test_trusted_load_builds_the_example_catalogue_as_the_checked_path(path: Path) -> None:
    """The example catalogue takes the trusted path and comes out equal to the checked path's."""
    body = body_of(path.read_text(encoding="utf-8"))
    assert trusted_catalogue(copy.deepcopy(body)) == checked(body)


def test_loads_takes_the_trusted_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid document is read without the checked path."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the checked path was taken")

    monkeypatch.setattr(native, "structure", refuse)
    text = EXAMPLES[0].read_text(encoding="utf-8")
    assert libkurs.loads(text, "json").events


@PROPERTY
@given(catalogues())
def test_trusted_load_builds_any_catalogue_as_the_checked_path(catalogue: Catalogue) -> None:
    """Any valid catalogue takes the trusted path, and both paths build the catalogue written."""
    body = body_of(old_dump(catalogue))
    built = trusted_catalogue(copy.deepcopy(body))
    assert built == checked(body) == catalogue


def _leaves(value: object, path: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """The path of every value in a decoded document, containers included."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def _replace(document: Any, path: tuple[Any, ...], value: object) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.floats(allow_nan=True),
    st.sampled_from(
        [
            "",
            " ",
            "x",
            "sv",
            "kurs",
            "kurs-1",
            "a\x07b",
            "https://example.org/",
            "http:/x",
            "2023-10-29T03:30:00+02:00[Europe/Helsinki]",
            "2023-10-29T03:30:00+03:00[Europe/Helsinki]",
            "2023-10-29T03:30:00+02:00",
            "2023-10-29T03:30:00",
            "2023-03-26T03:30:00+02:00[Europe/Helsinki]",
            "0001-01-01T00:00:00+00:00",
            "9999-12-31T23:00:00-05:00",
            "2023-01-01T00:00:00+02:00[Mars/Olympus]",
            "2023-01-01T00:00:00+02:00[!Europe/Helsinki]",
            "cancelled",
            "rescheduled",
            "morning",
            "2023",
            "2023/2022",
        ]
    ),
    st.just([]),
    st.just({}),
    st.just({"sv": "Kurs"}),
    st.just(["kurs", "kurs"]),
)


@PROPERTY
@given(catalogues(min_events=1), st.data())
def test_trusted_load_accepts_nothing_the_checked_path_refuses(
    catalogue: Catalogue, data: st.DataObject
) -> None:
    """With one value of a valid document changed, the trusted path accepts only what is valid.

    If it accepts the document, the checked path accepts it too and builds the same catalogue.
    """
    body = body_of(old_dump(catalogue))
    path = data.draw(st.sampled_from(list(_leaves(body))[1:]), label="path")
    _replace(body, path, data.draw(JSON_VALUES, label="value"))
    try:
        built = trusted_catalogue(copy.deepcopy(body))
    except Exception:  # any refusal sends the load to the checked path
        return
    assert built == checked(body)


def test_a_session_over_the_repeated_hour_is_compared_as_instants() -> None:
    """A session from 03:30 summer time to 03:15 winter time (later) is valid on both paths."""
    body = seminar_body()
    session = body["events"][0]["sessions"][0]
    session["start"] = "2023-10-29T03:30:00+03:00[Europe/Helsinki]"
    session["end"] = "2023-10-29T03:15:00+02:00[Europe/Helsinki]"
    built = trusted_catalogue(copy.deepcopy(body))
    assert built == checked(body)
    assert built.events[0].sessions[0].end.fold == 1


def test_an_end_before_the_start_in_the_repeated_hour_is_refused_with_its_path() -> None:
    """03:45 summer time is before 03:30 winter time: refused, and the error names the end."""
    body = seminar_body()
    session = body["events"][0]["sessions"][0]
    session["start"] = "2023-10-29T03:30:00+02:00[Europe/Helsinki]"
    session["end"] = "2023-10-29T03:45:00+03:00[Europe/Helsinki]"
    with pytest.raises(Untrusted):
        trusted_catalogue(copy.deepcopy(body))
    text = json.dumps({"format": native.FORMAT_NAME, "version": 1, **body})
    with pytest.raises(DataError) as caught:
        libkurs.loads(text, "json")
    assert caught.value.path == "events[0].sessions[0].end"


def test_an_agenda_item_in_the_repeated_hour_is_inside_its_session() -> None:
    """An agenda item at 03:10 winter time lies inside a session to 05:00, on both paths."""
    body = seminar_body()
    item = body["events"][0]["sessions"][0]["agenda"][0]
    item["start"] = "2023-10-29T03:40:00+03:00[Europe/Helsinki]"
    item["end"] = "2023-10-29T03:10:00+02:00[Europe/Helsinki]"
    assert trusted_catalogue(copy.deepcopy(body)) == checked(body)


# --- the direct writer ----------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=["examples", "package"])
@pytest.mark.parametrize("indent", [2, 0, 4])
def test_dump_writes_the_bytes_of_the_old_dump_for_the_examples(path: Path, indent: int) -> None:
    """The example catalogue's text is byte for byte what unstructure and json.dumps wrote."""
    catalogue = libkurs.loads(path.read_text(encoding="utf-8"), "json")
    assert native.FORMAT.dumps(catalogue, indent=indent) == old_dump(catalogue, indent)


@PROPERTY
@given(catalogues())
def test_dump_writes_the_bytes_of_the_old_dump_for_any_catalogue(catalogue: Catalogue) -> None:
    """Any catalogue's text is byte for byte what unstructure and json.dumps wrote."""
    assert libkurs.dumps(catalogue, "json") == old_dump(catalogue)


def test_dump_without_indent_is_unchanged() -> None:
    """Without an indent the compact text is still json.dumps' own."""
    catalogue = libkurs.loads(EXAMPLES[0].read_text(encoding="utf-8"), "json")
    assert native.FORMAT.dumps(catalogue, indent=None) == old_dump(catalogue, None)
