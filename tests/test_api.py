"""load, loads, dump, dumps: files, suffixes, atomic writes and errors that name the file."""

import pytest

import libkurs
from libkurs.errors import FormatError, UnknownFormatError

CATALOGUE = libkurs.Catalogue(
    events=[libkurs.Event(id="e", title=libkurs.LocalizedText({"sv": "Kurs"}))]
)


def test_dump_and_load_infer_the_format_from_the_suffix(tmp_path):
    """A .json path is read and written as native JSON without naming the format."""
    path = tmp_path / "c.json"
    libkurs.dump(CATALOGUE, path)
    assert libkurs.load(path) == CATALOGUE
    assert libkurs.load(str(path), "json") == CATALOGUE


def test_errors_name_the_file(tmp_path):
    """A data error from load() carries the file as its source."""
    path = tmp_path / "broken.json"
    path.write_text('{"format": "libkurs.catalogue", "version": 1, "events": [{"id": "e"}]}')
    with pytest.raises(FormatError) as caught:
        libkurs.load(path)
    assert caught.value.source == str(path)
    assert str(caught.value).startswith(f"{path}: events[0].title: ")


def test_a_failed_dump_leaves_the_old_file(tmp_path):
    """If writing fails, the previous file is untouched and no temporary file is left."""
    path = tmp_path / "c.json"
    libkurs.dump(CATALOGUE, path)
    before = path.read_bytes()
    with pytest.raises(TypeError):
        libkurs.dump("not a catalogue", path)  # type: ignore[arg-type]
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]


def test_unknown_suffix_is_refused_before_touching_the_file(tmp_path):
    """dump() to an unknown suffix raises UnknownFormatError and writes nothing."""
    with pytest.raises(UnknownFormatError):
        libkurs.dump(CATALOGUE, tmp_path / "c.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_unknown_options_are_refused():
    """A format option that does not exist is a TypeError, not silently ignored."""
    with pytest.raises(TypeError):
        libkurs.dumps(CATALOGUE, "json", colour=True)
