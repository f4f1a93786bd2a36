"""The public API: what `import libkurs` offers, pinned so that changes are deliberate."""

import re

import attrs

import libkurs
from libkurs import errors

PUBLIC_NAMES = [
    "Address",
    "AgendaItem",
    "AttendanceMode",
    "Catalogue",
    "DEFAULT_FALLBACK",
    "EnrolmentSettings",
    "Event",
    "EventKind",
    "Format",
    "Geo",
    "HELSINKI",
    "Link",
    "LocalizedText",
    "Location",
    "OnlineRoom",
    "Organisation",
    "PartOfDay",
    "PartialDate",
    "Period",
    "Person",
    "Programme",
    "Publication",
    "Run",
    "Session",
    "Status",
    "Venue",
    "bump_revisions",
    "dump",
    "dumps",
    "errors",
    "load",
    "loads",
    "public_view",
    "register_format",
    "revise",
]


def test_all_is_pinned_and_sorted():
    """libkurs.__all__ is exactly the pinned list, sorted."""
    assert libkurs.__all__ == PUBLIC_NAMES
    assert libkurs.__all__ == sorted(libkurs.__all__)


def test_every_public_name_exists():
    """Every name in __all__ is importable from libkurs."""
    for name in libkurs.__all__:
        assert hasattr(libkurs, name), name


def test_errors_module_has_a_single_root():
    """Every public exception derives from KursError, and data errors are ValueErrors."""
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.KursError), name
    assert issubclass(errors.DataError, ValueError)
    assert errors.__all__ == sorted(errors.__all__)


def test_documented_attribute_names_hold():
    """The attribute names that other code relies on exist on the model classes."""
    fields = {
        cls: {f.name for f in attrs.fields(cls)}
        for cls in (libkurs.Catalogue, libkurs.Event, libkurs.Session)
    }
    assert {"events", "programmes"} <= fields[libkurs.Catalogue]
    assert {"id", "title", "sessions", "status"} <= fields[libkurs.Event]
    assert {"start", "end", "all_day", "status", "location"} <= fields[libkurs.Session]


def test_model_classes_are_frozen_and_keyword_only():
    """Every model class is a frozen attrs class whose fields are keyword-only."""
    for name in libkurs.__all__:
        value = getattr(libkurs, name)
        if isinstance(value, type) and attrs.has(value) and value is not libkurs.LocalizedText:
            assert value.__setattr__ is not object.__setattr__, name
            assert all(f.kw_only for f in attrs.fields(value) if f.init), name


def test_subpackages_are_not_shadowed():
    """libkurs.formats is the formats package, not a function of the same name."""
    import libkurs.formats

    assert libkurs.formats.get_format("json").name == "json"


def test_version_comes_from_package_metadata():
    """libkurs.__version__ is the installed distribution's version."""
    from importlib.metadata import version

    assert libkurs.__version__ == version("libkurs")


def test_the_drawn_error_tree_is_the_class_tree():
    """The tree in libkurs.errors' docstring has the classes and builtin bases of the code."""
    docstring = errors.__doc__
    start = docstring.index("    KursError\n")
    drawn = []
    for line in docstring[start:].splitlines():
        if not line.strip():
            break
        found = re.match(r"([│├└─ ]*\w+(?: \(also \w+\))?)", line[4:])
        drawn.append(found.group(1))
    assert "\n".join(drawn) == errors._tree(describe=False)


def test_every_public_error_is_in_the_tree():
    """Every exception of libkurs.errors.__all__ appears in the generated tree."""
    tree = errors._tree(describe=False)
    for name in errors.__all__:
        assert f" {name}" in tree or tree.startswith(name), name
