"""The format registry: formats by name and by suffix, and plug-ins."""

import attrs
import pytest

import libkurs
from libkurs.errors import UnknownFormatError
from libkurs.formats import Format, formats, get_format, infer_format, register_format


@attrs.frozen
class TitlesOnly:
    """A toy format: one event title per line."""

    name: str = "titles-test"
    suffixes: tuple[str, ...] = (".titles.txt",)

    def loads(self, data, /, **options):
        text = data.decode() if isinstance(data, bytes) else data
        events = [
            libkurs.Event(id=f"e{n}", title=libkurs.LocalizedText({"sv": line}))
            for n, line in enumerate(text.splitlines())
        ]
        return libkurs.Catalogue(events=events)

    def dumps(self, catalogue, /, **options):
        return "".join(f"{event.title}\n" for event in catalogue.events)


def test_json_is_built_in():
    """The native format is registered as 'json' for .json files and satisfies the protocol."""
    assert "json" in formats()
    assert infer_format("catalogue.JSON").name == "json"
    assert isinstance(get_format("json"), Format)


def test_unknown_names_and_suffixes_raise():
    """An unknown name or suffix raises UnknownFormatError listing the known formats."""
    with pytest.raises(UnknownFormatError, match=r"known formats: .*json"):
        get_format("yaml")
    with pytest.raises(UnknownFormatError, match=r"catalogue\.yaml: cannot tell the format"):
        infer_format("catalogue.yaml")
    with pytest.raises(UnknownFormatError, match="has no suffix") as caught:
        infer_format("catalogue")
    assert caught.value.path == "catalogue"


def test_a_plug_in_format_works_through_the_public_api(tmp_path):
    """A registered format is used by dumps/loads and by its suffix in dump/load."""
    register_format(TitlesOnly())
    try:
        catalogue = libkurs.loads("Slutseminarium\nLiboppi-dag\n", "titles-test")
        path = tmp_path / "c.titles.txt"
        libkurs.dump(catalogue, path)
        assert path.read_text() == "Slutseminarium\nLiboppi-dag\n"
        assert libkurs.load(path) == catalogue
        with pytest.raises(ValueError, match="already registered"):
            register_format(TitlesOnly())
    finally:
        register_format(TitlesOnly(), replace=True)
        from libkurs.formats import _registry

        _registry._registered.pop("titles-test")
